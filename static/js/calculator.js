// The calculator's page. After a submit with mistakes, focus moves to the error summary (first in the form, with a
// link to each field), so a screen reader announces it and the keyboard starts there; without JavaScript the summary
// is still the first thing in the form.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary && !window.location.hash) {
    summary.focus();
  }
})();
