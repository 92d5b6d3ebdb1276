// Terms page: drag a service level by its handle to a new place. The new order is posted
// to the list's data-reorder-url, whose answer replaces the list (htmx). The Up and Down
// buttons do the same from the keyboard; dragging is only a shortcut for the mouse.
(function () {
  "use strict";

  var dragged = null;
  var before = "";

  function list() {
    return document.getElementById("service-levels-list");
  }

  function order(container) {
    return Array.prototype.map.call(container.querySelectorAll("li[data-level-id]"), function (row) {
      return row.dataset.levelId;
    });
  }

  function rowOf(target) {
    var row = target.closest && target.closest("li[data-level-id]");
    return row && list() && list().contains(row) ? row : null;
  }

  document.addEventListener("dragstart", function (event) {
    var row = rowOf(event.target);
    if (!row) return;
    dragged = row;
    before = order(list()).join(",");
    row.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.levelId);
  });

  document.addEventListener("dragover", function (event) {
    var row = dragged && rowOf(event.target);
    if (!row) return;
    event.preventDefault();
    if (row === dragged) return;
    var box = row.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    row.parentNode.insertBefore(dragged, after ? row.nextSibling : row);
  });

  document.addEventListener("drop", function (event) {
    if (dragged && rowOf(event.target)) event.preventDefault();
  });

  document.addEventListener("dragend", function () {
    if (!dragged) return;
    var container = list();
    dragged.classList.remove("dragging");
    dragged = null;
    var ids = order(container);
    if (ids.join(",") === before) return;
    var token = container.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token || !window.htmx) return;
    window.htmx.ajax("POST", container.dataset.reorderUrl, {
      target: "#service-levels-list",
      swap: "outerHTML",
      values: { level: ids, csrfmiddlewaretoken: token.value },
    });
  });
})();
