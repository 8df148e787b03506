// The injection form's diagram (templates/treatments/includes/site_diagram.html) and its sites
// table, kept in step both ways. A site toggled on the diagram (a pointer's click or tap, or
// Enter / Space on a focused site) adds or removes one site of its muscle in the table, and
// the muscle's units by the clinic's units a site; a number typed in the table redraws the
// muscle, its places filled in their order (fixed sites first). A bilateral muscle's left
// and right cells say the sites the diagram shows on each side (posted with the table), and
// numbers typed there fill each side to its count. The table is what is posted and the
// server judges every limit: the diagram offers no more places than the clinic's maximum of
// sites for a muscle, and says nothing else.
(function () {
  var diagram = document.querySelector("[data-site-diagram]");
  var table = document.querySelector("table.sites[data-max-units]");
  if (!diagram || !table) return;
  var perSite = parseInt(table.dataset.unitsPerSite, 10) || 5;
  var muscles = {};
  diagram.querySelectorAll(".site").forEach(function (site) {
    var key = site.dataset.muscle;
    var sites = document.getElementById("id_" + key + "_sites");
    var units = document.getElementById("id_" + key + "_units");
    if (!sites || !units) return;
    if (!muscles[key]) {
      muscles[key] = {
        key: key, sites: sites, units: units, places: [], extra: 0,
        left: document.getElementById("id_" + key + "_left"),
        right: document.getElementById("id_" + key + "_right"),
        extraBySide: null  // the extra sites' sides, when typed by side
      };
    }
    muscles[key].places.push(site);
  });

  function number(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) || value < 0 ? 0 : value;
  }
  function blank(input) { return input.value.trim() === "" || isNaN(parseInt(input.value, 10)); }
  function given(muscle, side) {
    return muscle.places.filter(function (p) {
      return p.getAttribute("aria-checked") === "true" && (side === undefined || p.dataset.side === side);
    });
  }
  function byOrder(a, b) { return a.dataset.order - b.dataset.order; }

  // The left and right cells from the drawing (blank when sites beyond the places drawn have
  // no side known).
  function writeSides(muscle) {
    if (!muscle.left || !muscle.right) return;
    var extra = muscle.extraBySide;
    if (muscle.extra && !(extra && extra.left + extra.right === muscle.extra)) {
      muscle.left.value = muscle.right.value = "";
      return;
    }
    muscle.left.value = given(muscle, "left").length + (muscle.extra ? extra.left : 0);
    muscle.right.value = given(muscle, "right").length + (muscle.extra ? extra.right : 0);
  }

  // The left and right cells drawn: each side's places filled or emptied in their order; the
  // muscle's sites become their sum.
  function fromSides(muscle) {
    var want = { left: number(muscle.left), right: number(muscle.right) };
    muscle.extraBySide = { left: 0, right: 0 };
    ["left", "right"].forEach(function (side) {
      var mine = muscle.places.filter(function (p) { return p.dataset.side === side; }).sort(byOrder);
      mine.forEach(function (p, i) { p.setAttribute("aria-checked", i < want[side] ? "true" : "false"); });
      muscle.extraBySide[side] = Math.max(0, want[side] - mine.length);
    });
    muscle.extra = muscle.extraBySide.left + muscle.extraBySide.right;
    muscle.sites.value = want.left + want.right;
    name(muscle);
  }

  // The names say the units each site of the muscle receives, as the table has them.
  function name(muscle) {
    var count = number(muscle.sites);
    var each = count ? number(muscle.units) / count : perSite;
    var text = (Math.round(each * 10) / 10) + " units";
    muscle.places.forEach(function (p) {
      var on = p.getAttribute("aria-checked") === "true";
      p.setAttribute("aria-label", p.dataset.name + ", " + (on ? text : "not given, " + perSite + " units if added"));
    });
  }

  // The table's count drawn: places kept where they are, filled or emptied in their order;
  // a count beyond the places drawn is kept as `extra` (in the table only).
  function fromTable(muscle) {
    var want = number(muscle.sites);
    var on = given(muscle).sort(byOrder);
    var free = muscle.places.filter(function (p) { return on.indexOf(p) < 0; }).sort(byOrder);
    while (on.length > want) on.pop().setAttribute("aria-checked", "false");
    while (on.length < want && free.length) {
      var next = free.shift();
      next.setAttribute("aria-checked", "true");
      on.push(next);
    }
    muscle.extra = want - on.length;
    muscle.extraBySide = null;
    name(muscle);
  }

  // Told to the table's other listeners (totals) as if typed, not redrawn again here.
  var echoing = false;
  function echo(inputs) {
    echoing = true;
    inputs.forEach(function (input) { input.dispatchEvent(new Event("input", { bubbles: true })); });
    echoing = false;
  }

  function toggle(site) {
    var muscle = muscles[site.dataset.muscle];
    if (!muscle) return;
    var on = site.getAttribute("aria-checked") !== "true";
    site.setAttribute("aria-checked", on ? "true" : "false");
    muscle.sites.value = given(muscle).length + muscle.extra;
    muscle.units.value = Math.max(0, number(muscle.units) + (on ? perSite : -perSite));
    writeSides(muscle);
    name(muscle);
    echo([muscle.sites, muscle.units]);
  }

  // The table's total row (static/js/injection.js keeps it) said above the diagram too.
  function totals() {
    diagram.querySelector("[data-diagram-units]").textContent = document.getElementById("total-units").textContent;
    diagram.querySelector("[data-diagram-sites]").textContent = document.getElementById("total-sites").textContent;
  }

  diagram.addEventListener("click", function (event) {
    var site = event.target.closest(".site");
    if (site) toggle(site);
  });
  diagram.addEventListener("keydown", function (event) {
    var site = event.target.closest(".site");
    if (!site || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    toggle(site);
  });
  table.addEventListener("input", function (event) {
    var input = event.target;
    if (echoing) return;
    Object.keys(muscles).forEach(function (key) {
      var muscle = muscles[key];
      if (input === muscle.sites) {
        fromTable(muscle);
        writeSides(muscle);
      } else if (input === muscle.units) name(muscle);
      else if (input === muscle.left || input === muscle.right) {
        if (blank(muscle.left) || blank(muscle.right)) return;
        fromSides(muscle);
        echo([muscle.sites]);
      }
    });
    totals();
  });

  // The form as rendered: a muscle whose sides add up to its sites (the last session's, or
  // as posted) drawn by side; else its count drawn evenly and, where no side was typed, the
  // sides said from the drawing (sides that do not add up, a refused form's, are left as
  // they are, for the clinician to correct).
  Object.keys(muscles).forEach(function (key) {
    var muscle = muscles[key];
    var sided = muscle.left && muscle.right && !blank(muscle.left) && !blank(muscle.right);
    if (sided && number(muscle.left) + number(muscle.right) === number(muscle.sites)) fromSides(muscle);
    else {
      fromTable(muscle);
      if (muscle.left && muscle.right && blank(muscle.left) && blank(muscle.right)) writeSides(muscle);
    }
  });
  diagram.hidden = false;
  totals();
})();
