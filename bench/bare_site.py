"""A bare Django JSON view (no middleware, no database): the reference ``bench/http.py`` compares
the platform's cached answers with. ``gunicorn bench.bare_site:application``."""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        SECRET_KEY="bench-only",
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
    )

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402


def hello(request):
    return JsonResponse({"status": "ok", "items": [1, 2, 3]})


urlpatterns = [path("", hello)]
application = get_wsgi_application()
