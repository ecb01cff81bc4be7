// Live preview of the payment-type editor: re-renders the citizen form as the admin types.
// The page works without this script (the "Aggiorna l'anteprima" button does the same).
(function () {
  var form = document.getElementById("payment-type-editor");
  var target = document.getElementById("form-preview");
  if (!form || !target || !window.fetch) return;
  var action = form.getAttribute("action") + "/anteprima";
  var timer = null;
  var seq = 0;
  function refresh() {
    var mine = ++seq;
    var body = new URLSearchParams(new FormData(form));
    fetch(action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRF-Token": form.elements["_csrf"].value, Accept: "text/html" },
    })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html !== null && mine === seq) target.innerHTML = html;
      })
      .catch(function () {});
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }
  // Only the chosen amount rule's fields are shown (without this script all are, each labelled).
  var rule = document.getElementById("regola");
  function showRule() {
    var groups = form.querySelectorAll("[data-rule]");
    for (var i = 0; i < groups.length; i++) {
      groups[i].hidden = groups[i].getAttribute("data-rule").split(" ").indexOf(rule.value) < 0;
    }
  }
  if (rule) {
    rule.addEventListener("change", showRule);
    showRule();
  }
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);

  // Taxonomy search as the admin types into the code field.
  var code = document.getElementById("taxonomyCode");
  var list = document.getElementById("tassonomia-elenco");
  var searchUrl = form.getAttribute("action") + "/tassonomia?q=";
  var searchTimer = null;
  if (code && list) {
    code.addEventListener("input", function () {
      clearTimeout(searchTimer);
      var q = code.value.trim();
      if (q.length < 2) return;
      searchTimer = setTimeout(function () {
        fetch(searchUrl + encodeURIComponent(q), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (r) {
            return r.ok ? r.json() : { entries: [] };
          })
          .then(function (data) {
            list.innerHTML = "";
            data.entries.forEach(function (e) {
              var o = document.createElement("option");
              o.value = e.code;
              o.textContent = e.service + " (" + e.macroArea + ")";
              list.appendChild(o);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
})();
