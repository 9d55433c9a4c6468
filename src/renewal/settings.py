"""One settings module, driven by the environment (see README, "Configuration").

Production behaviour is switched by environment variables only; secrets may come from files
(``SECRET_KEY_FILE``).
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent  # the checkout: holds var/ and node_modules/


def env(name: str, default: str = "") -> str:
    file = os.environ.get(f"{name}_FILE")
    if file:
        return Path(file).read_text().strip()
    return os.environ.get(name, default)


TRUE_VALUES, FALSE_VALUES = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def envbool(name: str, default: bool) -> bool:
    """A yes/no setting; unset or empty gives the default. Anything else than the known spellings
    is refused at start-up (a typo such as DEBUG=flase must not silently mean "off")."""
    value = env(name).strip().lower()
    if not value:
        return default
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    accepted = ", ".join(TRUE_VALUES + FALSE_VALUES)
    raise ImproperlyConfigured(f"Unexpected value {name}={env(name)!r}: use one of {accepted}")


def envint(name: str, default: int) -> int:
    return int(env(name, str(default)))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


VAR_DIR = Path(env("RENEWAL_VAR_DIR", str(BASE_DIR / "var")))
DEBUG = envbool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "template_partials",
    "django_htmx",
    "django_tasks",
    "renewal.planning",
    "renewal.registry",
    "renewal.equipment",
    "renewal.parks",
    "renewal.declaration",
    "renewal.finance",
    "renewal.mujun",
    "renewal.accounts",
    "renewal.indicators",
    "renewal.web",
    "renewal.api",
    "renewal.assessment",
    "renewal.reports",
    "renewal.drafting",
    "renewal.settlement",
    "renewal.exchange",
    "renewal.reporting",
    "renewal.notices",
    "renewal.quality",
    "renewal.audit",
    "renewal.ops",
    "axes",
    "csp",
    # after our apps: `renewal db_worker` is renewal.web's wrapper around its worker (lib/jobs.py)
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # before the CSRF check, which reads the body: a too long Content-Length is refused unread
    "renewal.lib.uploads.UploadLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # no NUL or control character in a path, parameter or form field; races answer 409 (lib/guard.py)
    "renewal.lib.guard.InputGuardMiddleware",
    # last, as django-axes requires: locks out after repeated login failures
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renewal.urls"
WSGI_APPLICATION = "renewal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renewal.web.context_processors.site",
                "renewal.notices.context_processors.todo",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# DATABASE_URL: sqlite:///path (default: var/renewal.sqlite3) or postgres://user@host:port/db
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'renewal.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL + a busy timeout: readers never block the writer (DESIGN.md, "Embedded default").
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_from_url(url: str) -> dict:
    """CACHE_URL: locmem:// (default; one cache per process), db://[table] (the database, after
    ``renewal createcachetable``), redis://host:port/N (shared by every process), dummy:// (none)."""
    scheme, _, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "renewal"}
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest or "renewal_cache"}
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"CACHE_URL: unknown scheme {scheme!r} (locmem://, db://, redis://, dummy://)")


# Cached answers (keyed by the data version, indicators/answers.py) and small counters
CACHE_URL = env("CACHE_URL", "locmem://")
CACHES = {"default": cache_from_url(CACHE_URL)}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

# Login lock-out (django-axes): after AXES_FAILURE_LIMIT failures for one username from one address
# the login is refused for AXES_COOLOFF_HOURS; a city administrator can reset it (`axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# the client's address behind N reverse proxies of our own (X-Forwarded-For is read only when N > 0):
# accounts/client_ip.py; the lock-out keys on username and that address, so a stranger elsewhere
# cannot lock a user out
RENEWAL_TRUSTED_PROXIES = envint("RENEWAL_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "renewal.accounts.client_ip.client_ip"
# failed API token checks per client address: after the limit in the window, 429 for the window
RENEWAL_TOKEN_FAILURE_LIMIT = envint("RENEWAL_TOKEN_FAILURE_LIMIT", 20)
RENEWAL_TOKEN_FAILURE_MINUTES = envint("RENEWAL_TOKEN_FAILURE_MINUTES", 10)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# Uploads: one file at most RENEWAL_UPLOAD_MAX_MB (types and contents checked in
# lib/uploads.py); form bodies without files at most 5 MB.
RENEWAL_UPLOAD_MAX_BYTES = envint("RENEWAL_UPLOAD_MAX_MB", 10) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Reading an uploaded workbook (exchange/safe_read.py, decision 0023): bounds checked before it is
# parsed, and the memory (address space) and CPU time of the child process that parses it.
RENEWAL_UPLOAD_MAX_UNPACKED_BYTES = envint("RENEWAL_UPLOAD_MAX_UNPACKED_MB", 200) * 1024 * 1024
RENEWAL_UPLOAD_MAX_CELLS = envint("RENEWAL_UPLOAD_MAX_CELLS", 2_000_000)  # rows × columns of a sheet
RENEWAL_UPLOAD_MAX_SHEETS = envint("RENEWAL_UPLOAD_MAX_SHEETS", 50)
RENEWAL_UPLOAD_COLUMN_SLACK = envint("RENEWAL_UPLOAD_COLUMN_SLACK", 20)  # columns beyond a kind's headers
RENEWAL_UPLOAD_READ_MEMORY_BYTES = envint("RENEWAL_UPLOAD_READ_MEMORY_MB", 512) * 1024 * 1024
RENEWAL_UPLOAD_READ_SECONDS = envint("RENEWAL_UPLOAD_READ_SECONDS", 300)
# Attachments of a declared project (备案证明, 可研报告, 合同, 发票): stored outside the web roots
# (never under STATIC_ROOT or MEDIA_ROOT), served only by a scoped download page; one file at most
# RENEWAL_ATTACHMENT_MAX_MB.
ATTACHMENTS_DIR = Path(env("RENEWAL_ATTACHMENTS_DIR", str(VAR_DIR / "attachments")))
RENEWAL_ATTACHMENT_MAX_BYTES = envint("RENEWAL_ATTACHMENT_MAX_MB", 20) * 1024 * 1024

LANGUAGE_CODE = env("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end packages come from the npm registry (package.json + package-lock.json) and are
# served from node_modules under /static/vendor/ -- never from a CDN (intranet users).
_NODE = Path(env("RENEWAL_NODE_MODULES", str(BASE_DIR / "node_modules")))
STATICFILES_DIRS = [
    (f"vendor/{name}", _NODE / path)
    for name, path in {
        "echarts": "echarts/dist",
        "htmx": "htmx.org/dist",
        "swagger-ui": "swagger-ui-dist",  # /api/v1/docs (renewal.api.docs)
    }.items()
    if (_NODE / path).is_dir()
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = DEBUG  # development: serve straight from the finders, no collectstatic
WHITENOISE_AUTOREFRESH = DEBUG
if WHITENOISE_USE_FINDERS:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing

# Who sees what is closed by default: the cockpit, area matrix and target pages need a role that
# reads figures. A deployment may publish these aggregate pages to everyone on purpose.
RENEWAL_PUBLIC_COCKPIT = envbool("RENEWAL_PUBLIC_COCKPIT", False)

# The plan file loaded by `renewal demo` / `make run` (any city's plan loads the same way).
RENEWAL_PLAN_FILE = env("RENEWAL_PLAN_FILE", str(SRC_DIR / "plans" / "jiaxing-2024.yaml"))

# Content-Security-Policy (django-csp): scripts only from this site or inline with the
# per-request nonce (templates: <script nonce="{{ request.csp_nonce }}">). Styles allow inline
# attributes (the admin and ECharts use them); no framing, no plugins, forms post to self only.
from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Security headers and cookies; production hardening switched on by DEBUG=0.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = envint("SESSION_HOURS", 8) * 3600
if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", True)
    SESSION_COOKIE_NAME = "__Secure-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
    SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Background tasks (django-tasks): the database queue, worked by `renewal db_worker`. TASKS_BACKEND
# names another backend (the test suite selects the immediate one in tests/conftest.py).
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A running job holds a lease renewed by its heartbeat; a job whose heartbeat is older than this
# is failed by the worker's sweep (at start and every RENEWAL_JOB_SWEEP_SECONDS) and may be retried.
RENEWAL_JOB_LEASE_SECONDS = envint("RENEWAL_JOB_LEASE_SECONDS", 60)
RENEWAL_JOB_SWEEP_SECONDS = envint("RENEWAL_JOB_SWEEP_SECONDS", 20)
# The bulletin task also writes a PDF when LibreOffice is installed (off: Word and xlsx only).
RENEWAL_BULLETIN_PDF = envbool("RENEWAL_BULLETIN_PDF", True)
# Test only: seconds every progress point of a job waits (the worker-kill tests need slow jobs).
RENEWAL_JOB_STEP_DELAY = float(env("RENEWAL_JOB_STEP_DELAY", "0") or 0)

# Notices (站内消息, issue 17): reminders also go by e-mail when RENEWAL_NOTICE_EMAIL is on (default:
# when EMAIL_HOST is set) to users with an address; RENEWAL_NOTICE_HOOK names an SMS/浙政钉 channel
# (a class with send(notice); default: a log line). RENEWAL_SITE_URL makes the mail's links absolute.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "noreply@localhost")
RENEWAL_NOTICE_EMAIL = envbool("RENEWAL_NOTICE_EMAIL", bool(EMAIL_HOST))
RENEWAL_NOTICE_HOOK = env("RENEWAL_NOTICE_HOOK", "renewal.notices.channels.LoggingHook")
RENEWAL_SITE_URL = env("RENEWAL_SITE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
