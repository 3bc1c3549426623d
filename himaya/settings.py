"""Himaya settings: one module, configured from environment variables.

Unset variables fall back to the embedded defaults (SQLite in WAL mode, debug off,
a development secret key that `check --deploy` rejects)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from himaya.core import languages

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("HIMAYA_DEBUG", False)
DATA_DIR = Path(os.environ.get("HIMAYA_DATA_DIR", BASE_DIR / "var"))
# Where `make run` keeps the key it generates once for the embedded (SQLite) installation.
LOCAL_SECRET_KEY_FILE = DATA_DIR / "secret_key"


def _secret_key() -> str:
    """The secret key: HIMAYA_SECRET_KEY, else the local key that `make run` generated under
    var/ (embedded SQLite installation only), else a throwaway key in debug mode. Anything
    else refuses to start: a public or guessable key would let anyone forge calendar tokens,
    password-reset links and sessions."""
    key = os.environ.get("HIMAYA_SECRET_KEY", "").strip()
    if key:
        return key
    if "DATABASE_URL" not in os.environ and LOCAL_SECRET_KEY_FILE.is_file():
        key = LOCAL_SECRET_KEY_FILE.read_text(encoding="utf-8").strip()
        if key:
            return key
    if DEBUG:
        import secrets

        return "debug-" + secrets.token_urlsafe(50)
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "HIMAYA_SECRET_KEY is not set. Set it to a long random value (for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`), or run `make run`, "
        "which generates a local key under var/ for the embedded installation."
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("HIMAYA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("HIMAYA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "modeltranslation",  # must precede django.contrib.admin
    "himaya.core.admin_site.HimayaAdminConfig",  # django.contrib.admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rules",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs' Swagger UI from its packaged static files (no CDN)
    "csp",
    "himaya.core",
    "himaya.accounts",
    "himaya.training",
    "himaya.benchbook",
    "himaya.assessments",
    "himaya.certificates",
    "himaya.reports",
    "himaya.tools",
    "himaya.casestudies",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "himaya.core.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "himaya.core.audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "himaya.urls"
WSGI_APPLICATION = "himaya.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "himaya.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'himaya.sqlite3'}"),
        conn_max_age=int(os.environ.get("HIMAYA_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; secure_delete overwrites deleted rows, so
    # the re-written anonymous survey answers leave no old copy behind. Run on every connection.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA secure_delete=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): a failure counts against the account and against the
# client address separately, and either reaching the limit locks for 15 minutes. So one address
# cannot spray guesses at every account, and many addresses cannot hammer one account.
# Behind a reverse proxy, the client address is read from X-Forwarded-For, but only from
# proxies listed in HIMAYA_TRUSTED_PROXIES (see himaya.accounts.security.client_ip).
AXES_FAILURE_LIMIT = int(os.environ.get("HIMAYA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "himaya.accounts.security.axes_username"
AXES_CLIENT_IP_CALLABLE = "himaya.accounts.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
HIMAYA_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("HIMAYA_TRUSTED_PROXIES", "").split(",") if p.strip()
]

# Sessions end after this much inactivity (every request renews them), and at browser close
# when the person says the computer is shared (the sign-in form asks).
SESSION_COOKIE_AGE = int(os.environ.get("HIMAYA_SESSION_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = True

LANGUAGE_CODE = languages.DEFAULT_LANGUAGE
LANGUAGES = [(code, _(languages.ENGLISH_NAMES[code])) for code in languages.LANGUAGE_CODES]
# locale/ first; then the Moroccan Arabic month names, which override Django's own catalogue.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "himaya" / "core" / "locale_months"]
# Arabic dates as Moroccan courts write them ("5 دجنبر 2024", 24-hour time).
FORMAT_MODULE_PATH = ["himaya.core.formats"]
TIME_ZONE = os.environ.get("HIMAYA_TIME_ZONE", "Africa/Casablanca")
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = languages.DEFAULT_LANGUAGE
MODELTRANSLATION_LANGUAGES = languages.LANGUAGE_CODES
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": languages.CONTENT_FALLBACK}

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"

# E-mail: HIMAYA_EMAIL_BACKEND when set; otherwise the embedded installation (`make run`, no
# DATABASE_URL) writes each message as a file under var/mail/, where a local user reads it,
# and any other installation prints them on the console.
EMAIL_BACKEND = os.environ.get("HIMAYA_EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if "DATABASE_URL" in os.environ
    else "django.core.mail.backends.filebased.EmailBackend"
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
# For the SMTP backend (django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = os.environ.get("HIMAYA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("HIMAYA_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("HIMAYA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("HIMAYA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("HIMAYA_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("HIMAYA_FROM_EMAIL", "Himaya <no-reply@himaya.invalid>")
# The address that e-mails link to (invitations, reminders), without a trailing slash.
HIMAYA_BASE_URL = os.environ.get("HIMAYA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long an invitation's set-password link stays valid.
HIMAYA_INVITATION_DAYS = int(os.environ.get("HIMAYA_INVITATION_DAYS", "14"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # the attendance sheet's script reads it to send each tap
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and env_bool("HIMAYA_HTTPS", False):
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: no inline script, no third-party origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Keys of the encrypted model fields (himaya.core.crypto): each the url-safe base64 of 32 random
# bytes, comma-separated; the first encrypts, all decrypt (rotation: himaya rotate_encryption_key).
ENCRYPTION_KEYS = [
    k.strip() for k in os.environ.get("HIMAYA_ENCRYPTION_KEYS", "").split(",") if k.strip()
]
# The embedded installation (`make run`, no DATABASE_URL) uses the key it generated once under
# var/, never in the repository; production sets HIMAYA_ENCRYPTION_KEYS.
LOCAL_ENCRYPTION_KEY_FILE = DATA_DIR / "encryption_key"
if not ENCRYPTION_KEYS and "DATABASE_URL" not in os.environ and LOCAL_ENCRYPTION_KEY_FILE.is_file():
    ENCRYPTION_KEYS = [LOCAL_ENCRYPTION_KEY_FILE.read_text(encoding="utf-8").strip()]
# Judges' private records in the tools (risk assessments, checklists on a file) are deleted this
# many days after their last use, unless their author keeps them.
TOOLS_RETENTION_DAYS = int(os.environ.get("HIMAYA_TOOLS_RETENTION_DAYS", "180"))
# The case library: approvals needed before a pseudonymised decision is published, whether the
# original is deleted on publication, the engine's time limit and the size of an upload.
CASES_REVIEWERS_REQUIRED = int(os.environ.get("HIMAYA_CASES_REVIEWERS_REQUIRED", "2"))
CASES_DELETE_ORIGINAL = env_bool("HIMAYA_CASES_DELETE_ORIGINAL", True)
CASES_ENGINE_TIMEOUT = float(os.environ.get("HIMAYA_CASES_ENGINE_TIMEOUT", "30"))
CASES_MAX_CHARS = int(os.environ.get("HIMAYA_CASES_MAX_CHARS", "200000"))
CASES_MAX_UPLOAD_BYTES = int(os.environ.get("HIMAYA_CASES_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

# Background jobs (django-tasks): run at once, inside the request, unless a worker is set up.
# Production sets HIMAYA_TASKS=database and runs `himaya db_worker` beside the web servers.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if os.environ.get("HIMAYA_TASKS", "immediate") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("HIMAYA_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# Participant imports: at most this many rows past the header, and an XLSX at most this
# large once uncompressed (checked before parsing; see himaya.core.spreadsheets).
IMPORT_MAX_ROWS = int(os.environ.get("HIMAYA_IMPORT_MAX_ROWS", "20000"))
IMPORT_MAX_INFLATED_BYTES = int(
    os.environ.get("HIMAYA_IMPORT_MAX_INFLATED_BYTES", str(100 * 1024 * 1024))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # A refused request (403) is an expected outcome, not an error: one line, no traceback.
        "quiet_forbidden": {"()": "himaya.core.logging.QuietForbiddenFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["quiet_forbidden"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("HIMAYA_LOG_LEVEL", "WARNING")},
}
