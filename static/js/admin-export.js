/* The "Select all" box of django-import-export's export page, without the inline handler the CSP would block. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.querySelector(".select-toggle");
    if (!toggle) {
      return;
    }
    toggle.addEventListener("change", function () {
      document.querySelectorAll('.selectable-field-export-row input[type="checkbox"]').forEach(function (box) {
        box.checked = toggle.checked;
      });
    });
  });
})();
