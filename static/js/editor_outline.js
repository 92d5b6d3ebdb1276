// The editor's outline: a jump link opens the clause it points at (clauses start collapsed),
// and the clause named in the address opens on arrival (after a save, add or move).
(function () {
  "use strict";

  function openClauseOf(hash) {
    if (!hash || hash.length < 2) return;
    var anchor = document.getElementById(decodeURIComponent(hash.slice(1)));
    var card = anchor && anchor.closest("section.clause");
    var details = card && card.querySelector("details.clause-details");
    if (details) details.open = true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-opens]");
    if (link) {
      var details = document.getElementById(link.dataset.opens);
      if (details) details.open = true;
      return;
    }
    var toggle = event.target.closest("button[data-clauses]");
    if (toggle) {
      var open = toggle.dataset.clauses === "open";
      document.querySelectorAll("details.clause-details").forEach(function (details) {
        details.open = open;
      });
    }
  });
  window.addEventListener("hashchange", function () { openClauseOf(window.location.hash); });
  document.addEventListener("DOMContentLoaded", function () { openClauseOf(window.location.hash); });
  if (document.readyState !== "loading") openClauseOf(window.location.hash);
})();
