/* Recommendation panel: fills each .rec-panel[data-panel-src] with the HTML fragment at that address.
   No framework, no inline code (strict CSP). The panel's space is reserved in site.css, so filling it shifts nothing.
   data-panel-state on the panel: "loading" (as served) -> "loaded" or "error". On any failure (network, HTTP error,
   no answer within TIMEOUT_MS) the status line says so and links to the calculator: never "Loading…" forever. */
(function () {
  "use strict";

  var TIMEOUT_MS = 8000;

  function fail(panel, status) {
    var link = document.createElement("a");
    link.href = panel.getAttribute("data-calculator-url") || "/calculator/";
    link.textContent = "Use the intake calculator";
    status.textContent = "Product recommendations could not be loaded. ";
    status.appendChild(link);
    status.appendChild(document.createTextNode(" to see products that fit your needs."));
    status.classList.add("rec-panel__status--error");
    panel.setAttribute("data-panel-state", "error");
  }

  function fill(panel, html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var body = template.content.querySelector(".rec-panel__body");
    if (!body) {
      throw new Error("the fragment has no .rec-panel__body");
    }
    var status = panel.querySelector(".rec-panel__status");
    var fallback = panel.querySelector("noscript");
    if (fallback) {
      fallback.remove();
    }
    status.replaceWith(body);
    panel.setAttribute("data-panel-state", "loaded");
  }

  function load(panel) {
    var status = panel.querySelector(".rec-panel__status");
    if (!status) {
      return;
    }
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) {
        controller.abort();
      }
      if (panel.getAttribute("data-panel-state") === "loading") {
        fail(panel, status);
      }
    }, TIMEOUT_MS);

    fetch(panel.getAttribute("data-panel-src"), {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (panel.getAttribute("data-panel-state") === "loading") {
          fill(panel, html);
        }
      })
      .catch(function () {
        if (panel.getAttribute("data-panel-state") === "loading") {
          fail(panel, status);
        }
      })
      .then(function () {
        clearTimeout(timer);
      });
  }

  var panels = document.querySelectorAll(".rec-panel[data-panel-src]");
  for (var i = 0; i < panels.length; i += 1) {
    load(panels[i]);
  }
})();
