// Starts Swagger UI on /api/v1/docs (a static file: the CSP runs no inline script without a nonce).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  config.dom_id = "#swagger-ui";
  config.presets = [SwaggerUIBundle.presets.apis];  // BaseLayout: no standalone top bar
  if (csrfToken) {
    config.requestInterceptor = function (req) {
      req.headers["X-CSRFToken"] = csrfToken;
      return req;
    };
  }
  window.ui = SwaggerUIBundle(config);
})();
