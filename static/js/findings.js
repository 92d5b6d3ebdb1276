// The consistency panel is a live region, and the clause preview swaps it in each time the
// author pauses while typing (contracts.views.editor.clause_preview). Swap it only when its
// text changes, so that screen readers announce a change in the findings, not every pause.
(function () {
  "use strict";

  function text(node) {
    return node.textContent.replace(/\s+/g, " ").trim();
  }

  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var detail = event.detail;
    if (detail.target.id === "findings-list" && text(detail.target) === text(detail.fragment)) {
      detail.shouldSwap = false;
    }
  });
})();
