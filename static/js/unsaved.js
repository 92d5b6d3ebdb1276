// Warns before leaving a page while a form marked data-unsaved-guard holds unsaved changes,
// so that moving, adding or deleting a clause never silently discards text being typed.
(function () {
  "use strict";
  var dirty = new Set();

  function guardOf(element) {
    return element && element.closest ? element.closest("form[data-unsaved-guard]") : null;
  }

  document.addEventListener("input", function (event) {
    var form = guardOf(event.target);
    if (form) { dirty.add(form.id || form); }
  });

  // A guarded form's own submit (plain or through htmx) saves its text.
  document.addEventListener("submit", function (event) {
    var form = guardOf(event.target);
    if (form) { dirty.delete(form.id || form); }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = guardOf(event.detail && event.detail.elt);
    if (form && event.detail.successful && event.detail.requestConfig &&
        event.detail.requestConfig.verb === "post" && event.detail.elt === form) {
      dirty.delete(form.id || form);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirty.size > 0) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
