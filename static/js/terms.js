// Terms page: suggest the public-holiday regions of the country chosen in a calendar form.
(function () {
  "use strict";

  function fill(select, known) {
    var list = document.getElementById(select.dataset.subdivisionsList);
    if (!list) {
      return;
    }
    var options = (known[select.value] || []).map(function (code) {
      var option = document.createElement("option");
      option.value = code;
      return option;
    });
    list.replaceChildren.apply(list, options);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("holiday-subdivisions");
    var known = data ? JSON.parse(data.textContent) : {};
    document.querySelectorAll("select[data-subdivisions-list]").forEach(function (select) {
      select.addEventListener("change", function () {
        fill(select, known);
      });
    });
  });
})();
