"""Settings for Bone Health: one module, every difference between machines is an environment variable."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Real environment variables win over the env file (environ never overwrites them). DJANGO_ENV_FILE names another
# file, or none when it names a file that does not exist (the tests' subprocesses use that to see defaults only).
ENV_FILE = Path(env.str("DJANGO_ENV_FILE", default=str(BASE_DIR / ".env")))
if ENV_FILE.is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The fallback is deliberately weak so that `check --deploy` rejects it; `make run` writes a real one into .env.
# Security: with DEBUG off the site refuses to start with this placeholder, any "django-insecure" key or
# one under 50 characters (bonehealth/checks.py: the WSGI application and every checked manage.py command).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-local-development-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/").strip("/") + "/"

INSTALLED_APPS = [
    # The admin with a second factor for staff (bonehealth/admin_mfa.py): django.contrib.admin, another default site.
    "bonehealth.admin_apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # Django's widget templates, for FORM_RENDERER
    "bonehealth",
    "calculator",
    "articles",
    # Editors' admin (README "Editors"): revision history, spreadsheet import/export, login lockout.
    "reversion",
    "import_export",
    "axes",
    # Second factor for staff (TOTP authenticator apps, recovery codes): django-otp.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages from the shared cache, before CSP/sessions/CSRF/auth (bonehealth/pagecache.py explains).
    "bonehealth.pagecache.PageCacheMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor (if any) verified this session; then the staff session's idle and absolute limits.
    "django_otp.middleware.OTPMiddleware",
    "bonehealth.staff_sessions.StaffSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Only the admin shows messages, and only signed-in staff (who have a session) use it: the session keeps them, so a
# reader's request does not build a signed-cookie store it will never read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

ROOT_URLCONF = "bonehealth.urls"
WSGI_APPLICATION = "bonehealth.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bonehealth.context_processors.site",
            ],
        },
    },
]

# Forms are rendered by Django's own templates through TEMPLATES (so "django.forms" is installed), each field with
# the site's field template, templates/forms/field.html (bonehealth/renderers.py).
FORM_RENDERER = "bonehealth.renderers.SiteFormRenderer"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer work at the same time under gunicorn.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = env.str("CACHE_URL", default="locmemcache://bonehealth")
if _cache_url.startswith("redis"):
    # django-redis: while Redis is down every read misses and every write is dropped (IGNORE_EXCEPTIONS, logged), and
    # short timeouts make a request fall through quickly instead of hanging. Bound Redis with maxmemory and an LRU
    # policy.
    CACHES = {"default": env.cache_url_config(_cache_url, backend="django_redis.cache.RedisCache")}
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25, "SOCKET_TIMEOUT": 0.25}
    )
    CACHES["default"]["KEY_PREFIX"] = "bonehealth"
    # Pages in the same Redis under their own prefix: every worker and instance shares them.
    CACHES["pages"] = {**CACHES["default"], "KEY_PREFIX": "bonehealth-pages"}
else:
    # Django's local-memory cache: per process, bounded (MAX_ENTRIES), thread safe.
    CACHES = {"default": {**env.cache_url_config(_cache_url), "KEY_PREFIX": "bonehealth"}}
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "bonehealth-pages",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }

# The page cache (bonehealth/pagecache.py): off with DJANGO_PAGE_CACHE=False (debugging, measuring the cold path).
PAGE_CACHE = env.bool("DJANGO_PAGE_CACHE", default=True)
# Part of every cache key: a deploy starts with fresh caches. Default: a hash of the code, templates, static manifest.
RELEASE = env.str("DJANGO_RELEASE", default="")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Security: 12 characters at least (DJANGO_PASSWORD_MIN_LENGTH may only raise it).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": max(12, env.int("DJANGO_PASSWORD_MIN_LENGTH", default=12))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out login before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

# Backups (`make backup`, bonehealth/backup.py, docs/backups.md): the folder (mode 700), how many archives are kept.
BACKUP_DIR = BASE_DIR / env.str("BACKUP_DIR", default="backups")  # relative: to the project
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)
WHITENOISE_MAX_AGE = 3600

# Security: one switch for HTTPS, everything else on in every environment.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0)
# Security: includeSubDomains and preload each commit every subdomain (preload: for months, in browsers'
# built-in lists), so each is its own opt-in. `check --deploy` warns while one is unset; setting it to False is an
# explicit decision and silences that one warning (security.W005 / security.W021).
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [
    check
    for variable, check in (
        ("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "security.W005"),
        ("DJANGO_HSTS_PRELOAD", "security.W021"),
    )
    if env.str(variable, default="") and not env.bool(variable)
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env.bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
# Security: behind the proxy, X-Forwarded-For is believed only on connections from these addresses or
# networks (the proxy's; default: this machine, as deploy/nginx.conf runs). A client that reaches gunicorn directly
# is counted by its own address whatever it forwards (bonehealth/admin_security.py).
TRUSTED_PROXIES = env.list("DJANGO_TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# Security: staff sessions end after DJANGO_STAFF_SESSION_IDLE_MINUTES without a request and, whatever the
# activity, DJANGO_STAFF_SESSION_MAX_HOURS after signing in (bonehealth/staff_sessions.py); the cookie itself
# expires with the absolute limit. Readers and calculator users have no session at all.
STAFF_SESSION_IDLE = timedelta(minutes=env.int("DJANGO_STAFF_SESSION_IDLE_MINUTES", default=30))
STAFF_SESSION_MAX_AGE = timedelta(hours=env.int("DJANGO_STAFF_SESSION_MAX_HOURS", default=10))
SESSION_COOKIE_AGE = int(STAFF_SESSION_MAX_AGE.total_seconds())
SESSION_COOKIE_SAMESITE = "Lax"

# Security: a second factor for staff (django-otp; bonehealth/admin_mfa.py). Anyone who has set up an
# authenticator app must give its code (or a recovery code) at every sign-in. With DJANGO_STAFF_MFA on, staff without
# one are sent to set it up before they can use the admin; `check --deploy` warns while it is off.
STAFF_MFA_REQUIRED = env.bool("DJANGO_STAFF_MFA", default=False)
OTP_TOTP_ISSUER = env.str("DJANGO_OTP_ISSUER", default="Bone Health")
STAFF_RECOVERY_CODES = 10

# Admin login protection (django-axes), three counters within AXES_COOLOFF_TIME:
# - one username from one address: AXES_FAILURE_LIMIT failures (DJANGO_LOGIN_FAILURE_LIMIT, 5);
# - one address, any usernames (password spraying): DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT (20), high enough that an
#   office behind one address is not locked out by a few people's typos;
# - one username, any addresses (a distributed attack on one account): DJANGO_LOGIN_USERNAME_FAILURE_LIMIT (10).
# A locked sign-in is refused with templates/admin/locked_out.html (HTTP 429) for AXES_COOLOFF_TIME; a wrong second-
# factor code counts as a failure; a success clears only that username's failures from that address. Attempts live
# in the database, so every instance sees them. `manage.py axes_reset` (or `axes_reset_username NAME`,
# `axes_reset_ip ADDRESS`) unlocks at once. Behind a proxy (DJANGO_BEHIND_PROXY) the client address is taken from
# X-Forwarded-For only as the trusted proxies wrote it (bonehealth/admin_security.py), never one the client claims.
AXES_FAILURE_LIMIT = env.int("DJANGO_LOGIN_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("DJANGO_LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_USERNAME_FAILURE_LIMIT = env.int("DJANGO_LOGIN_USERNAME_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address", "username"]
AXES_HANDLER = "bonehealth.admin_security.LoginAttemptHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "bonehealth.admin_security.client_ip"
# The version banner it logs at every start (each manage.py command, each worker) is noise in the logs.
AXES_VERBOSE = False

# Spreadsheet import/export (django-import-export): an import is one transaction, rolled back if any row is invalid;
# importing needs the "change" permission, exporting "view". Between the preview and the confirmation the upload is
# kept in the shared cache when there is one (any instance may answer the confirmation), else in a temporary file.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# Security: exported cells that start like a formula (=, +, -, @, tab, CR) are escaped with a leading
# quote, and characters XLSX cannot hold are replaced, so an export never runs a formula where it is opened.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_TMP_STORAGE_CLASS = (
    "import_export.tmp_storages.CacheStorage"
    if _cache_url.startswith("redis")
    else "import_export.tmp_storages.TempFolderStorage"
)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# django-redis logs each cache call it ignored while Redis is down; the "redis_one_line" filter below makes that one
# line (the error, no traceback).
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True


def _redis_error_one_line(record):
    """Turn django-redis's "Exception ignored" (with a traceback) into one line naming the error."""
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        record.msg = "cache call ignored, Redis unavailable: %s: %s"
        record.args = (type(error).__name__, str(error).replace("\n", " "))
        record.exc_info = record.exc_text = None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redis_one_line": {"()": "django.utils.log.CallbackFilter", "callback": _redis_error_one_line},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s", "datefmt": "%Y-%m-%dT%H:%M:%S%z"},
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "line"}},
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO"), "propagate": False},
        # 4xx lines for bots probing URLs are noise; real errors (5xx) still log with their path.
        "django.request": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "django.security.DisallowedHost": {"handlers": ["stdout"], "level": "ERROR", "propagate": False},
        "django_redis.cache": {"filters": ["redis_one_line"]},
    },
}

SITE_NAME = "Bone Health"
