// Asks before a form marked data-confirm="Question?" is submitted: deleting, removing or
// revoking something takes a second, deliberate click. The dialog is Bootstrap's modal,
// labelled by its question, with the focus on Cancel.
(function () {
  "use strict";
  var modal = null, pending = null;

  function dialog() {
    if (modal) { return modal; }
    var element = document.createElement("div");
    element.className = "modal";
    element.id = "confirm-dialog";
    element.tabIndex = -1;
    element.setAttribute("aria-labelledby", "confirm-dialog-title");
    element.setAttribute("aria-hidden", "true");
    element.innerHTML =
      '<div class="modal-dialog"><div class="modal-content">' +
      '<div class="modal-header"><h2 class="modal-title h5" id="confirm-dialog-title"></h2>' +
      '<button type="button" class="btn-close" data-bs-dismiss="modal" aria-label="Close"></button></div>' +
      '<div class="modal-body"><p class="mb-0" id="confirm-dialog-detail"></p></div>' +
      '<div class="modal-footer"><button type="button" class="btn btn-outline-secondary" data-bs-dismiss="modal">Cancel</button>' +
      '<button type="button" class="btn btn-danger" id="confirm-dialog-go"></button></div>' +
      "</div></div>";
    document.body.appendChild(element);
    element.querySelector("#confirm-dialog-go").addEventListener("click", function () {
      var form = pending;
      pending = null;
      window.bootstrap.Modal.getInstance(element).hide();
      if (form) { form.dataset.confirmed = "yes"; form.requestSubmit(form._confirmSubmitter || undefined); }
    });
    element.addEventListener("shown.bs.modal", function () {
      element.querySelector("[data-bs-dismiss=modal].btn").focus();
    });
    modal = element;
    return element;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]") || !window.bootstrap) { return; }
    if (form.dataset.confirmed === "yes") { delete form.dataset.confirmed; return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    var element = dialog();
    pending = form;
    form._confirmSubmitter = event.submitter || null;
    element.querySelector("#confirm-dialog-title").textContent = form.dataset.confirm;
    element.querySelector("#confirm-dialog-detail").textContent = form.dataset.confirmDetail || "This cannot be undone.";
    element.querySelector("#confirm-dialog-go").textContent = form.dataset.confirmButton || "Delete";
    window.bootstrap.Modal.getOrCreateInstance(element).show();
  }, true);
})();
