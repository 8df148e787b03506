// The injection form's diagram (templates/treatments/includes/site_diagram.html) and its sites
// table, kept in step both ways. A site toggled on the diagram (a pointer's click or tap, or
// Enter / Space on a focused site) adds or removes one site of its muscle in the table, and
// the muscle's units by the clinic's units a site; a number typed in the table redraws the
// muscle, its places filled in their order (fixed sites first). The table is what is posted
// and the server judges every limit: the diagram offers no more places than the clinic's
// maximum of sites for a muscle, and says nothing else.
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
    if (!muscles[key]) muscles[key] = { key: key, sites: sites, units: units, places: [], extra: 0 };
    muscles[key].places.push(site);
  });

  function number(input) {
    var value = parseInt(input.value, 10);
    return isNaN(value) || value < 0 ? 0 : value;
  }
  function given(muscle) {
    return muscle.places.filter(function (p) { return p.getAttribute("aria-checked") === "true"; });
  }
  function byOrder(a, b) { return a.dataset.order - b.dataset.order; }

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
    name(muscle);
  }

  function toggle(site) {
    var muscle = muscles[site.dataset.muscle];
    if (!muscle) return;
    var on = site.getAttribute("aria-checked") !== "true";
    site.setAttribute("aria-checked", on ? "true" : "false");
    muscle.sites.value = given(muscle).length + muscle.extra;
    muscle.units.value = Math.max(0, number(muscle.units) + (on ? perSite : -perSite));
    name(muscle);
    // The table's own listeners (totals) hear it as if typed.
    muscle.sites.dispatchEvent(new Event("input", { bubbles: true }));
    muscle.units.dispatchEvent(new Event("input", { bubbles: true }));
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
    Object.keys(muscles).forEach(function (key) {
      var muscle = muscles[key];
      if (input === muscle.sites) fromTable(muscle);
      else if (input === muscle.units) name(muscle);
    });
    totals();
  });

  Object.keys(muscles).forEach(function (key) { fromTable(muscles[key]); });
  diagram.hidden = false;
  totals();
})();
