// Keeps the injection table's total row in step with what is typed.
(function () {
  var table = document.querySelector("table.sites[data-max-units]");
  if (!table) return;
  function sum(suffix) {
    var total = 0;
    table.querySelectorAll("input[name$='" + suffix + "']").forEach(function (input) {
      var value = parseInt(input.value, 10);
      if (!isNaN(value)) total += value;
    });
    return total;
  }
  function update() {
    var units = sum("_units");
    var max = parseInt(table.dataset.maxUnits, 10);
    document.getElementById("total-units").textContent = units;
    document.getElementById("total-sites").textContent = sum("_sites");
    table.querySelector("tfoot tr").classList.toggle("over", units > max);
  }
  table.addEventListener("input", update);
})();
