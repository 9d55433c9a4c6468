"""/api/v1/docs under the Content-Security-Policy: Swagger UI from the swagger-ui-dist npm package
(served locally under /static/vendor/swagger-ui/, like ECharts and htmx — never a CDN), started by
a static script; its settings travel as a JSON data block, which the CSP does not run."""

from __future__ import annotations

from django.shortcuts import render
from ninja.openapi.docs import Swagger


class LocalSwagger(Swagger):
    template = "api/docs.html"

    def render_page(self, request, api, **kwargs):
        # django-ninja falls back to its CDN template when "ninja" is not an installed app; this
        # page always renders ours.
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, {"api": api, "swagger_settings": settings})
