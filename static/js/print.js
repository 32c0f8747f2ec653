// "Print or save as PDF" on the calculator's results: shows the button (hidden without JavaScript, where the
// browser's own print gives the same printout) and stamps today's date into the printout.
(function () {
  "use strict";
  var stamp = function () {
    var today = new Date().toLocaleDateString(document.documentElement.lang || undefined, {
      year: "numeric", month: "long", day: "numeric"
    });
    document.querySelectorAll("[data-printed-on]").forEach(function (element) { element.textContent = today; });
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
