// The calculator's page. After a submit with mistakes, focus moves to the error summary (first in the form, with a
// link to each field), so a screen reader announces it and the keyboard starts there; without JavaScript the summary
// is still the first thing in the form. On the results, "Edit my answers" (a link to #intake-form) opens the folded
// form: browsers open a <details> for its fragment on their own; this covers those that do not.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary && !window.location.hash) {
    summary.focus();
  }
  var openForm = function () {
    var form = window.location.hash === "#intake-form" && document.getElementById("intake-form");
    var details = form && form.closest("details");
    if (details && !details.open) {
      details.open = true;
      form.scrollIntoView();
    }
  };
  window.addEventListener("hashchange", openForm);
  openForm();
})();
