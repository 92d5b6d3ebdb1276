// Terms page: suggest the public-holiday regions of the country chosen in a calendar form.
// Listens on the document, so that a calendar form swapped into its row later works too.
(function () {
  "use strict";

  var known = null;

  function subdivisions() {
    if (known === null) {
      var data = document.getElementById("holiday-subdivisions");
      known = data ? JSON.parse(data.textContent) : {};
    }
    return known;
  }

  function fill(select) {
    var list = document.getElementById(select.dataset.subdivisionsList);
    if (!list) {
      return;
    }
    var options = (subdivisions()[select.value] || []).map(function (code) {
      var option = document.createElement("option");
      option.value = code;
      return option;
    });
    list.replaceChildren.apply(list, options);
  }

  document.addEventListener("change", function (event) {
    var select = event.target.closest && event.target.closest("select[data-subdivisions-list]");
    if (select) {
      fill(select);
    }
  });
})();
