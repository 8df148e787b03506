// Before the idle sign-out, a page with a form says so and offers "Stay signed in" (a ping
// that marks the session active). If the time runs out, what was typed is kept in this tab
// (sessionStorage, never localStorage) and put back on the same page after signing in; it is
// dropped when the form is sent or the user signs out. The seconds left come from the server
// (<body data-idle-seconds>, botoxcare/templatetags/idle.py).
(function () {
  "use strict";
  var body = document.body;
  var left = parseInt(body.dataset.idleSeconds, 10);
  var warnFor = parseInt(body.dataset.idleWarnSeconds, 10);
  var pingUrl = body.dataset.idlePing;
  var PREFIX = "botoxcare.kept:";
  var key = PREFIX + location.pathname;
  var SKIP = ["hidden", "password", "submit", "button", "reset", "file", "image"];

  document.querySelectorAll("form[action$='/accounts/logout/']").forEach(function (form) {
    form.addEventListener("submit", forgetAll);
  });
  var forms = Array.prototype.filter.call(
    document.querySelectorAll("main form[method='post'], main form[method='POST']"),
    function (form) { return fieldsOf(form).length > 0; }
  );
  if (!forms.length) return;
  forms.forEach(function (form) {
    form.addEventListener("submit", function () { sessionStorage.removeItem(key); });
  });
  restore();
  if (isNaN(left) || !pingUrl) return;

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled) return false;
      if (el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
      return el.tagName === "INPUT" && SKIP.indexOf(el.type) === -1;
    });
  }

  function forgetAll() {
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var name = sessionStorage.key(i);
      if (name && name.indexOf(PREFIX) === 0) sessionStorage.removeItem(name);
    }
  }

  function keep() {
    var kept = [];
    forms.forEach(function (form, f) {
      fieldsOf(form).forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          kept.push({ f: f, n: el.name, v: el.value, c: el.checked });
        } else if (el.tagName === "SELECT" && el.multiple) {
          var chosen = Array.prototype.filter.call(el.options, function (o) { return o.selected; });
          kept.push({ f: f, n: el.name, m: chosen.map(function (o) { return o.value; }) });
        } else {
          kept.push({ f: f, n: el.name, v: el.value });
        }
      });
    });
    try { sessionStorage.setItem(key, JSON.stringify(kept)); } catch (e) { /* full: nothing */ }
  }

  function restore() {
    var kept;
    try { kept = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { kept = null; }
    if (!Array.isArray(kept) || !kept.length) return;
    var used = {};
    kept.forEach(function (item) {
      var form = forms[item.f];
      if (!form) return;
      var same = fieldsOf(form).filter(function (el) { return el.name === item.n; });
      if (item.c !== undefined) {
        same.forEach(function (el) { if (el.value === item.v) el.checked = item.c; });
      } else {
        var at = (used[item.f + ":" + item.n] = (used[item.f + ":" + item.n] || 0) + 1) - 1;
        var el = same[at];
        if (!el) return;
        if (item.m) {
          Array.prototype.forEach.call(el.options, function (o) { o.selected = item.m.indexOf(o.value) !== -1; });
        } else {
          el.value = item.v;
        }
      }
      same.forEach(function (el) { el.dispatchEvent(new Event("input", { bubbles: true })); });
    });
    var note = document.createElement("p");
    note.className = "msg info idle-kept";
    note.setAttribute("role", "status");
    note.textContent = "You were signed out while this form was open: what you had typed is " +
      "back in it. Check it, then save.";
    forms[0].parentNode.insertBefore(note, forms[0]);
  }

  // The warning: hidden until it is time.
  var box = document.createElement("section");
  box.className = "idle-warning";
  box.hidden = true;
  box.setAttribute("role", "alertdialog");
  box.setAttribute("aria-modal", "false");
  box.setAttribute("aria-labelledby", "idle-warning-title");
  box.setAttribute("aria-describedby", "idle-warning-text");
  box.innerHTML =
    '<h2 id="idle-warning-title">Are you still there?</h2>' +
    '<p id="idle-warning-text">To keep health data private, you will be signed out in ' +
    '<span class="idle-left"></span> without activity. What you typed is kept in this tab.</p>' +
    '<button type="button" class="button">Stay signed in</button>';
  document.body.appendChild(box);
  var shown = box.querySelector(".idle-left");
  var stay = box.querySelector("button");
  var deadline = Date.now() + left * 1000;
  var timer = setInterval(tick, 1000);
  tick();

  function words(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    if (m && s) return m + " min " + s + " s";
    return m ? m + " minute" + (m === 1 ? "" : "s") : s + " second" + (s === 1 ? "" : "s");
  }

  function tick() {
    var now = Date.now();
    var seconds = Math.max(0, Math.ceil((deadline - now) / 1000));
    // Two seconds past the server's limit, so that the page asked for next finds the session
    // already ended (asked earlier, it would count as activity and keep the session).
    if (now >= deadline + 2000) {
      clearInterval(timer);
      keep();
      signInAgain();
      return;
    }
    if (seconds <= warnFor) {
      shown.textContent = words(seconds);
      if (box.hidden) {
        box.hidden = false;
        var active = document.activeElement;
        var typing = active && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
        if (!typing) stay.focus(); // never take the keyboard from someone typing a note
      }
    } else if (!box.hidden) {
      box.hidden = true;
    }
  }

  function signInAgain() {
    // A GET of this page (never a resent POST): the server has signed the session out and
    // asks to sign in, then comes back here, where restore() puts the fields back.
    location.assign(location.pathname + location.search);
  }

  function csrf() {
    var input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  stay.addEventListener("click", function () {
    stay.disabled = true;
    fetch(pingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), Accept: "application/json" },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
      return response.ok && json ? response.json() : null;
    }).then(function (answer) {
      stay.disabled = false;
      if (!answer || !answer.signed_in) {
        keep();
        signInAgain();
        return;
      }
      deadline = Date.now() + answer.seconds_left * 1000;
      box.hidden = true;
    }, function () {
      stay.disabled = false; // offline: the warning stays, and the next click tries again
    });
  });
})();
