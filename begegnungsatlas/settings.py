"""Django settings, all taken from the environment.

Production differs from the demo only by environment variables:

- ``BEGEGNUNGSATLAS_PRODUCTION=1`` switches on HTTPS-only cookies, HSTS and SSL redirect and requires
  ``BEGEGNUNGSATLAS_SECRET_KEY`` and ``BEGEGNUNGSATLAS_ALLOWED_HOSTS``.
- ``DATABASE_URL`` selects the database (default: SQLite file in ``BEGEGNUNGSATLAS_DATA_DIR``).
- ``BEGEGNUNGSATLAS_DEBUG=1`` shows Django's debug pages (never in production).
- ``BEGEGNUNGSATLAS_TILE_URL`` / ``BEGEGNUNGSATLAS_TILE_ATTRIBUTION``: optional web map tile server.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

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
    "django_tasks",
    "django_tasks_db",
    "begegnungsatlas.core",
    "begegnungsatlas.atlas",
    "begegnungsatlas.places",
    "begegnungsatlas.api",
    "begegnungsatlas.funding",
    "begegnungsatlas.gaps",
    "begegnungsatlas.sozialraum",
    "begegnungsatlas.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "begegnungsatlas.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "begegnungsatlas.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"

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

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "begegnungsatlas"}
    )
}

# Public suggestions: at most this many per client address and hour.
BEGEGNUNGSATLAS_SUGGESTION_RATE = int(os.environ.get("BEGEGNUNGSATLAS_SUGGESTION_RATE", "5"))

BEGEGNUNGSATLAS_TILE_URL = os.environ.get("BEGEGNUNGSATLAS_TILE_URL", "")
BEGEGNUNGSATLAS_TILE_ATTRIBUTION = os.environ.get("BEGEGNUNGSATLAS_TILE_ATTRIBUTION", "")
BEGEGNUNGSATLAS_SITE_NAME = os.environ.get("BEGEGNUNGSATLAS_SITE_NAME", "Begegnungsatlas")

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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BEGEGNUNGSATLAS_LOG_LEVEL", "WARNING")},
}
