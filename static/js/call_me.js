// "Call me": bring the danger-signs advice and its tick box forward when the request is about
// a side effect. Without JavaScript both are always shown.
(function () {
  var form = document.querySelector("form");
  var urgent = document.getElementById("urgent");
  var tick = document.getElementById("id_urgent_understood");
  if (!form || !urgent || !tick) return;
  var row = tick.closest(".field");
  function update() {
    var chosen = form.querySelector("input[name=topic]:checked");
    var sideEffect = chosen && chosen.value === "side_effect";
    urgent.classList.toggle("highlight", !!sideEffect);
    if (row) row.hidden = !sideEffect;
  }
  form.addEventListener("change", update);
  update();
})();
