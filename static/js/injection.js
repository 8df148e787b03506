// Keeps the injection form's sums in step with what is typed: the sites table's total row, and
// under the vial rows whether each vial's units given and discarded make up its size and the
// vials' units given the sites' total. It only says so: the server judges both on saving.
(function () {
  var table = document.querySelector("table.sites[data-max-units]");
  if (!table) return;
  var vials = document.querySelector("table.vials[data-lot-sizes]");
  var check = document.querySelector("[data-vial-check]");
  var sizes = vials ? JSON.parse(vials.dataset.lotSizes || "{}") : {};
  function sum(suffix) {
    var total = 0;
    table.querySelectorAll("input[name$='" + suffix + "']").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) total += value;
    });
    return total;
  }
  function value(row, name) {
    var input = row.querySelector("[name$='-" + name + "']");
    var n = input ? parseInt(input.value, 10) : NaN;
    return isNaN(n) ? 0 : n;
  }
  function vialCheck(units) {
    if (!vials || !check) return;
    var problems = [], given = 0, held = 0, used = 0;
    vials.querySelectorAll("tr[data-vial]").forEach(function (row) {
      var lot = row.querySelector("select[name$='-lot']");
      var size = lot && lot.value ? sizes[lot.value] : 0;
      var g = value(row, "units_given"), d = value(row, "units_discarded");
      if (!size && !g) return;
      used += 1;
      given += g;
      held += size || 0;
      if (size && g + d !== size) {
        problems.push("Vial " + (parseInt(row.dataset.vial, 10) + 1) + ": " + g + " U given + " + d +
          " U discarded is " + (g + d) + " U; a " + size + " U vial holds " + size + " U.");
      }
    });
    if (used && given !== units) {
      problems.push("The vials give " + given + " U but the sites receive " + units + " U: the two must be equal.");
    }
    check.classList.toggle("bad", problems.length > 0);
    check.classList.toggle("good", used > 0 && problems.length === 0);
    check.textContent = problems.length ? problems.join(" ") :
      used ? "The vials add up: " + used + " vial" + (used > 1 ? "s" : "") + " holding " + held + " U, " + given +
        " U given to the sites, " + (held - given) + " U discarded." : "";
  }
  function update() {
    var units = sum("_units");
    var max = parseInt(table.dataset.maxUnits, 10);
    document.getElementById("total-units").textContent = units;
    document.getElementById("total-sites").textContent = sum("_sites");
    table.querySelector("tfoot tr").classList.toggle("over", units > max);
    vialCheck(units);
  }
  // A lot of another size chosen: the saline that was the standard dilution of the last size
  // (or none) becomes the new size's (2 mL for 100 U, 4 mL for 200 U at 5 U a site).
  var perSite = parseInt(table.dataset.unitsPerSite, 10) || 5;
  function standard(size) { return size ? (size / (perSite * 10)).toFixed(1) : ""; }
  function lotChosen(event) {
    var lot = event.target;
    if (!lot.matches || !lot.matches("select[name$='-lot']")) return;
    var saline = lot.closest("tr").querySelector("input[name$='-diluent_ml']");
    var size = sizes[lot.value] || 0;
    var was = lot.dataset.size ? parseInt(lot.dataset.size, 10) : 0;
    if (saline && size && (saline.value === "" || parseFloat(saline.value) === parseFloat(standard(was)))) {
      saline.value = standard(size);
    }
    lot.dataset.size = size;
  }
  table.addEventListener("input", update);
  if (vials) {
    vials.querySelectorAll("select[name$='-lot']").forEach(function (lot) {
      lot.dataset.size = sizes[lot.value] || "";
    });
    vials.addEventListener("change", lotChosen);
    vials.addEventListener("input", update);
    vials.addEventListener("change", update);
  }
  update();
})();
