"""Django settings, all taken from the environment.

Production differs from the demo only by environment variables:

- ``BEGEGNUNGSATLAS_PRODUCTION=1`` switches on HTTPS-only cookies, HSTS and SSL redirect and requires
  ``BEGEGNUNGSATLAS_SECRET_KEY`` and ``BEGEGNUNGSATLAS_ALLOWED_HOSTS``.
- ``DATABASE_URL`` selects the database (default: SQLite file in ``BEGEGNUNGSATLAS_DATA_DIR``).
- ``BEGEGNUNGSATLAS_DEBUG=1`` shows Django's debug pages (never in production).
- ``BEGEGNUNGSATLAS_TRUSTED_PROXIES``: addresses/networks of the reverse proxies in front (see docs/operations.md).
- ``BEGEGNUNGSATLAS_TILE_URL`` / ``BEGEGNUNGSATLAS_TILE_ATTRIBUTION``: optional web map tile server.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from begegnungsatlas.core.installation import DEFAULTS as _INSTALLATION_DEFAULTS

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = _env_bool("BEGEGNUNGSATLAS_PRODUCTION")
DEBUG = _env_bool("BEGEGNUNGSATLAS_DEBUG") and not PRODUCTION

DATA_DIR = Path(os.environ.get("BEGEGNUNGSATLAS_DATA_DIR", Path.cwd() / "var")).resolve()
# Uploaded documents (quotes, invoices, attachments) live outside the web root and are only
# served by views that check permissions.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("BEGEGNUNGSATLAS_PRIVATE_MEDIA", DATA_DIR / "private"))

if PRODUCTION:
    try:
        SECRET_KEY = os.environ["BEGEGNUNGSATLAS_SECRET_KEY"]
    except KeyError as exc:  # pragma: no cover - exercised by the deploy check test via env
        raise ImproperlyConfigured("BEGEGNUNGSATLAS_SECRET_KEY must be set in production") from exc
    ALLOWED_HOSTS = _env_list("BEGEGNUNGSATLAS_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("BEGEGNUNGSATLAS_ALLOWED_HOSTS must be set in production")
else:
    # Demo/development key: only ever used on a developer's own machine.
    SECRET_KEY = os.environ.get(
        "BEGEGNUNGSATLAS_SECRET_KEY", "demo-only-insecure-key-5b0f1c0e7a9d4e6f8a2b3c4d5e6f7a8b9c0d1e2f3a4b"
    )
    ALLOWED_HOSTS = _env_list("BEGEGNUNGSATLAS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")

# Background jobs (core/jobs.py): the django-tasks backport with its database backend, so SQLite and PostgreSQL
# both work without another server; a worker runs with ``python -m django db_worker``.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "begegnungsatlas.core",
    "begegnungsatlas.atlas",
    "begegnungsatlas.places",
    "begegnungsatlas.api",
    "begegnungsatlas.funding",
    "begegnungsatlas.measures",
    "begegnungsatlas.participation",
    "begegnungsatlas.gaps",
    "begegnungsatlas.sozialraum",
    "begegnungsatlas.web",
]

MIDDLEWARE = [
    "begegnungsatlas.core.middleware.TrustedProxyMiddleware",
    "begegnungsatlas.core.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "begegnungsatlas.core.middleware.ContentSecurityPolicyMiddleware",
    "begegnungsatlas.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "begegnungsatlas.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "begegnungsatlas.urls"
WSGI_APPLICATION = "begegnungsatlas.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "begegnungsatlas.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'begegnungsatlas.sqlite3'}"),
        conn_max_age=int(os.environ.get("BEGEGNUNGSATLAS_CONN_MAX_AGE", "60")),
    )
}
# SQLite: write-ahead log, so readers never wait for a writer (a long import does not turn page views into
# "database is locked" errors); writers queue for up to 20 s (busy timeout) instead of failing; each write
# transaction takes the write lock at BEGIN (IMMEDIATE), so it never fails half-way on a lock upgrade.
# tests/core/test_sqlite_wal.py proves both with a writer holding a transaction in a thread.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

# Sign-in throttling (django-axes, counted in the database so it holds across processes): after
# BEGEGNUNGSATLAS_LOGIN_FAILURES failures for one account *or* from one address, sign-in is refused for
# BEGEGNUNGSATLAS_LOGIN_COOLOFF_MINUTES; a successful sign-in clears the account's count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("BEGEGNUNGSATLAS_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("BEGEGNUNGSATLAS_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "begegnungsatlas.core.views.login_locked_out"
# REMOTE_ADDR is already the real client (core.middleware.TrustedProxyMiddleware).
AXES_CLIENT_IP_CALLABLE = "begegnungsatlas.core.middleware.client_ip"
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT)}},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Upload limits: requests and single files (documents are checked again per field).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
BEGEGNUNGSATLAS_MAX_IMPORT_BYTES = int(os.environ.get("BEGEGNUNGSATLAS_MAX_IMPORT_BYTES", 50 * 1024 * 1024))
# Whole request bodies above this are refused before they are read (imports are the largest uploads).
BEGEGNUNGSATLAS_MAX_REQUEST_BYTES = int(
    os.environ.get("BEGEGNUNGSATLAS_MAX_REQUEST_BYTES", BEGEGNUNGSATLAS_MAX_IMPORT_BYTES + 1024 * 1024)
)
BEGEGNUNGSATLAS_MAX_DOCUMENT_BYTES = int(os.environ.get("BEGEGNUNGSATLAS_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024))

EMAIL_BACKEND = os.environ.get("BEGEGNUNGSATLAS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("BEGEGNUNGSATLAS_FROM_EMAIL", "begegnungsatlas@localhost")
# SMTP (with BEGEGNUNGSATLAS_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend), e.g. for password resets.
EMAIL_HOST = os.environ.get("BEGEGNUNGSATLAS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BEGEGNUNGSATLAS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BEGEGNUNGSATLAS_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BEGEGNUNGSATLAS_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("BEGEGNUNGSATLAS_EMAIL_TLS")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "begegnungsatlas"}
    )
}

# Public suggestions: at most this many per client address and hour.
BEGEGNUNGSATLAS_SUGGESTION_RATE = int(os.environ.get("BEGEGNUNGSATLAS_SUGGESTION_RATE", "5"))
# Citizens' reports: the reporter's e-mail address is deleted this many days after submission.
BEGEGNUNGSATLAS_REPORTER_DATA_DAYS = int(os.environ.get("BEGEGNUNGSATLAS_REPORTER_DATA_DAYS", "180"))
# Photos of citizens' reports: largest accepted upload.
BEGEGNUNGSATLAS_MAX_PHOTO_BYTES = int(os.environ.get("BEGEGNUNGSATLAS_MAX_PHOTO_BYTES", 5 * 1024 * 1024))

BEGEGNUNGSATLAS_TILE_URL = os.environ.get("BEGEGNUNGSATLAS_TILE_URL", "")
BEGEGNUNGSATLAS_TILE_ATTRIBUTION = os.environ.get("BEGEGNUNGSATLAS_TILE_ATTRIBUTION", "")
BEGEGNUNGSATLAS_SITE_NAME = os.environ.get("BEGEGNUNGSATLAS_SITE_NAME", "Begegnungsatlas")


def _installation(name: str) -> str:
    return os.environ.get(name, str(_INSTALLATION_DEFAULTS[name]))


# Slug of the planning region a new funding call covers by default (empty: the only planning region, if one).
BEGEGNUNGSATLAS_REGION = _installation("BEGEGNUNGSATLAS_REGION")
# The installation as data (core/installation.py, which holds the defaults; docs/operations.md "Installing for
# another Kreis"). BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW is "latitude,longitude,zoom", checked by core.checks.
BEGEGNUNGSATLAS_INSTALLATION_NAME = _installation("BEGEGNUNGSATLAS_INSTALLATION_NAME")
BEGEGNUNGSATLAS_LETTERHEAD = _installation("BEGEGNUNGSATLAS_LETTERHEAD")
BEGEGNUNGSATLAS_LETTER_PLACE = _installation("BEGEGNUNGSATLAS_LETTER_PLACE")
BEGEGNUNGSATLAS_ATLAS_REGION = _installation("BEGEGNUNGSATLAS_ATLAS_REGION")
BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW = _installation("BEGEGNUNGSATLAS_DEFAULT_MAP_VIEW")

# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For/-Proto headers are believed;
# from every other peer those headers are dropped (core.middleware.TrustedProxyMiddleware).
BEGEGNUNGSATLAS_TRUSTED_PROXIES = _env_list("BEGEGNUNGSATLAS_TRUSTED_PROXIES")
for _proxy in BEGEGNUNGSATLAS_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as exc:
        raise ImproperlyConfigured(f"BEGEGNUNGSATLAS_TRUSTED_PROXIES: {_proxy!r} is no address or network") from exc

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("BEGEGNUNGSATLAS_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("BEGEGNUNGSATLAS_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = _env_list("BEGEGNUNGSATLAS_CSRF_TRUSTED_ORIGINS")
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Logs go to stderr with a timestamp (ISO 8601, local time with offset); the access log
# (core.middleware.AccessLogMiddleware, one line per request) is on by default, BEGEGNUNGSATLAS_ACCESS_LOG=0 silences it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "timestamped": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
                        "datefmt": "%Y-%m-%dT%H:%M:%S%z"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "timestamped"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BEGEGNUNGSATLAS_LOG_LEVEL", "WARNING")},
    "loggers": {
        "begegnungsatlas.access": {
            "level": "INFO" if _env_bool("BEGEGNUNGSATLAS_ACCESS_LOG", True) else "WARNING",
        },
        # waitress reports start-up, queue depth and shutdown at INFO/WARNING.
        "waitress": {"level": "INFO"},
    },
}
