/* Live preview of an article's Markdown in the admin.
 *
 * The body field carries data-preview-url (ArticleAdmin.formfield_for_dbfield). While the editor types, the body and
 * the references' keys (in their order, as the page will number them) are POSTed to that URL, debounced; the answer
 * is HTML already sanitized by the site's own renderer and sanitizer, shown in a pane under the field. No framework,
 * no inline code (the admin runs under the same Content-Security-Policy as the site).
 */
(function () {
  "use strict";

  var DELAY_MS = 400;

  function referenceKeys(form) {
    var rows = [];
    form.querySelectorAll('input[name^="references-"][name$="-key"]').forEach(function (input) {
      var prefix = input.name.slice(0, -"key".length);
      if (/__prefix__/.test(prefix) || !input.value.trim()) {
        return;
      }
      var remove = form.querySelector('input[name="' + prefix + 'DELETE"]');
      if (remove && remove.checked) {
        return;
      }
      var order = form.querySelector('input[name="' + prefix + 'order"]');
      rows.push({ key: input.value.trim(), order: order ? Number(order.value) || 0 : 0, position: rows.length });
    });
    rows.sort(function (a, b) { return a.order - b.order || a.position - b.position; });
    return rows.map(function (row) { return row.key; });
  }

  function setUp(textarea) {
    var form = textarea.form;
    var url = textarea.getAttribute("data-preview-url");
    var tokenInput = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!form || !url || !tokenInput) {
      return;
    }

    var heading = document.createElement("div");
    heading.className = "article-preview-heading";
    var title = document.createElement("h2");
    title.id = "article-preview-title";
    title.textContent = "Preview";
    var status = document.createElement("span");
    status.className = "article-preview-status";
    status.setAttribute("role", "status");
    heading.appendChild(title);
    heading.appendChild(status);

    var pane = document.createElement("section");
    pane.className = "article-preview";
    pane.id = "article-preview";
    pane.setAttribute("aria-labelledby", "article-preview-title");
    pane.setAttribute("aria-live", "polite");
    pane.tabIndex = 0;

    var anchor = textarea.closest(".form-row") || textarea.parentNode;
    anchor.appendChild(heading);
    anchor.appendChild(pane);

    var timer = null;
    var controller = null;
    var sent = null;

    function refresh() {
      var data = new FormData();
      data.append("body", textarea.value);
      referenceKeys(form).forEach(function (key) { data.append("reference_key", key); });
      var signature = textarea.value + "\u0000" + data.getAll("reference_key").join("\u0000");
      if (signature === sent) {
        return;
      }
      sent = signature;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      status.textContent = "Updating…";
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": tokenInput.value },
        signal: controller.signal
      })
        .then(function (response) {
          return response.text().then(function (html) {
            // The server answers every outcome with a short HTML fragment (sanitized content or a plain message).
            pane.innerHTML = html;
            status.textContent = response.ok ? "Up to date" : "Preview unavailable";
          });
        })
        .catch(function (error) {
          if (error.name === "AbortError") {
            return;
          }
          sent = null;
          status.textContent = "Preview unavailable: the server could not be reached. Your text is unchanged.";
        });
    }

    function schedule() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    }

    textarea.addEventListener("input", schedule);
    form.addEventListener("input", function (event) {
      if (event.target !== textarea && /^references-/.test(event.target.name || "")) {
        schedule();
      }
    });
    form.addEventListener("change", function (event) {
      if (/^references-/.test(event.target.name || "")) {
        schedule();
      }
    });
    refresh();
  }

  function start() {
    document.querySelectorAll("textarea[data-preview-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
