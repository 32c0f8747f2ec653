// "Print or save as PDF" on the calculator's results: shows the button (hidden without JavaScript, where the
// browser's own print gives the same printout, its header carrying the date) and stamps today's date into it.
(function () {
  "use strict";
  var stamp = function () {
    // Folded parts (the sources) are printed open.
    document.querySelectorAll("details[data-print-open]").forEach(function (details) {
      details.open = true;
    });
    var today = new Date().toLocaleDateString(document.documentElement.lang || undefined, {
      year: "numeric", month: "long", day: "numeric"
    });
    // The page may come from a cache: the date is the reader's, at the moment they print.
    document.querySelectorAll("[data-printed-on]").forEach(function (element) {
      element.querySelector("[data-printed-date]").textContent = today;
      element.hidden = false;
    });
  };
  window.addEventListener("beforeprint", stamp);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      stamp();
      window.print();
    });
  });
})();
