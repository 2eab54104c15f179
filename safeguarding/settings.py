"""Settings for Safeguarding Review Hub, all from the environment.

One variable picks the kind of deployment: SRH_ENVIRONMENT = development (default) | test |
production. Production refuses to start without a secret key and allowed hosts, and never runs
in debug. Any variable with a bad value stops start-up with a message naming it.
"""

from __future__ import annotations

import email.utils
import importlib.util
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value (use true or false).")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be {minimum} or more.")
    return value


ENVIRONMENTS = ("development", "test", "production")
ENVIRONMENT = env_str("SRH_ENVIRONMENT", "development")
if ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"SRH_ENVIRONMENT={ENVIRONMENT!r} is not one of {', '.join(ENVIRONMENTS)}."
    )
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = env_str("SRH_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SRH_SECRET_KEY must be at least 50 characters in production.")
    DEBUG = False
    if env_bool("SRH_DEBUG", False):
        raise ImproperlyConfigured("SRH_DEBUG cannot be turned on in production.")
    ALLOWED_HOSTS = [h for h in env_str("SRH_ALLOWED_HOSTS").split(",") if h]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("SRH_ALLOWED_HOSTS must name at least one host in production.")
else:
    # Only ever used on a developer's machine or in tests.
    SECRET_KEY = env_str("SRH_SECRET_KEY", "dev-only-insecure-key-" + "x" * 40)
    DEBUG = env_bool("SRH_DEBUG", ENVIRONMENT == "development")
    ALLOWED_HOSTS = [
        h for h in env_str("SRH_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
    ]

# The address people use to reach the site, for links made outside a request (set-up links
# printed by manage.py). Production must say it, and over https.
SITE_URL = env_str("SRH_SITE_URL", None if PRODUCTION else "http://127.0.0.1:8000").strip()
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc or _site.path not in ("", "/"):
    raise ImproperlyConfigured(
        f"SRH_SITE_URL={SITE_URL!r} is not a site address such as https://hub.example.gov.uk."
    )
if PRODUCTION and _site.scheme != "https":
    raise ImproperlyConfigured("SRH_SITE_URL must be an https:// address in production.")
SITE_URL = SITE_URL.rstrip("/")

# DATABASE_URL picks the database: a SQLite file by default, postgres://... for real deployments.
_default_db = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
_DB_FORMS = "sqlite:////absolute/path/db.sqlite3 or postgres://user:password@host:port/name"
_db_url = env_str("DATABASE_URL", _default_db).strip()
if not _db_url:
    raise ImproperlyConfigured(f"DATABASE_URL is empty: give {_DB_FORMS}, or leave it unset.")
try:
    DATABASES = {"default": dj_database_url.parse(_db_url)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not {_DB_FORMS}: {exc}") from exc
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured("DATABASE_URL must be a sqlite:// or postgres:// address.")
if DATABASES["default"]["NAME"] in ("", None, ":memory:"):
    # sqlite:// alone is an in-memory database, a new empty one in every process.
    raise ImproperlyConfigured(f"DATABASE_URL names no database: give {_DB_FORMS}.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
    # `make mutate` only: a test database file that the many short test runs reuse
    # (pytest --reuse-db) instead of migrating an in-memory one each time.
    if ENVIRONMENT == "test" and env_str("SRH_TEST_DB_FILE", ""):
        DATABASES["default"]["TEST"] = {"NAME": env_str("SRH_TEST_DB_FILE")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "simple_history",
    "safeguarding.core",
    "safeguarding.accounts",
    "safeguarding.audit",
    "safeguarding.reviews",
    "safeguarding.escalations",
    "safeguarding.learning",
    "safeguarding.actionplans",
    "safeguarding.dissemination",
    "django_tasks",
    "django_tasks_db",
    "safeguarding.reports",
    "safeguarding.imports",
    "safeguarding.records",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "safeguarding.api",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise so that static files carry the same headers as pages.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "safeguarding.core.headers.PermissionsPolicyMiddleware",
    # A body larger than any form takes is refused (413) before anything reads it.
    "safeguarding.core.limits.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Client address for audit rows, and a row for each refused request (the middleware below
    # included): just inside authentication, so request.user is known.
    "safeguarding.audit.context.AuditContextMiddleware",
    # Writes the API rate limit's count once the view's transaction has ended (a refused
    # request's is rolled back): safeguarding/api/throttling.py.
    "safeguarding.api.throttling.AfterResponseMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Absolute session timeout, the two-factor gate, no-store (safeguarding/accounts/middleware.py)
    "safeguarding.accounts.middleware.SessionLimitMiddleware",
    "safeguarding.accounts.middleware.TwoFactorMiddleware",
    "safeguarding.accounts.middleware.NoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "safeguarding.urls"
WSGI_APPLICATION = "safeguarding.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reviews:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "safeguarding" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeguarding.core.context_processors.navigation",
            ],
        },
    }
]
FORM_RENDERER = "safeguarding.core.forms.GovukFormRenderer"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A forgotten-password link lasts an hour (Django's default is 3 days); it also stops working
# once used or once the person signs in (safeguarding/accounts/password_reset.py).
PASSWORD_RESET_TIMEOUT = 60 * 60
if ENVIRONMENT == "test":
    # Hashing is deliberately slow; the tests log in hundreds of times.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# Uploaded evidence. Never served as static files: only through access-checked views.
MEDIA_ROOT = Path(env_str("SRH_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
if not MEDIA_ROOT.is_absolute():  # "" would be the working directory
    raise ImproperlyConfigured("SRH_MEDIA_ROOT must be an absolute path to a folder.")
MEDIA_URL = "/media-not-served/"
# Request size (safeguarding/core/limits.py). The largest file a form takes is 10 MB (evidence;
# the import page has its own limit, SRH_IMPORT_MAX_BYTES, and is allowed that much): a body
# over SRH_MAX_REQUEST_MB is refused with 413 before it is read, a file part stops being stored
# once it passes its limit, and fields other than files may hold 2.5 MB (JSON bodies too).
_MB = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * _MB
MAX_REQUEST_BYTES = env_int("SRH_MAX_REQUEST_MB", 12, minimum=1) * _MB
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * _MB + _MB // 2
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * _MB + _MB // 2  # larger files go to a temporary file
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "safeguarding.core.limits.LimitedUploadHandler",
]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "safeguarding" / "static"]
GOVUK_FRONTEND_DIR = BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"
# GOV.UK Frontend's CSS asks for /assets/fonts/... at the site root, so its dist folder is
# served at the root.
WHITENOISE_ROOT = GOVUK_FRONTEND_DIR
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Content Security Policy: no inline script or style anywhere; the nonce is for the rare case.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# Idle timeout: the session (cookie and server row) lasts this long after the last request.
SESSION_COOKIE_AGE = env_int("SRH_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
# Absolute timeout: a session ends this long after log-in however busy it is
# (safeguarding.accounts.middleware.SessionLimitMiddleware).
SESSION_ABSOLUTE_HOURS = env_int("SRH_SESSION_ABSOLUTE_HOURS", 12, minimum=1)

# Authentication: password, then a TOTP code (django-otp) or a recovery code; see
# safeguarding/accounts/twofactor.py. The demo (development) runs with it off and says so on its
# login page; production refuses to start with it off.
TWO_FACTOR = env_bool("SRH_TWO_FACTOR", ENVIRONMENT != "development")
if PRODUCTION and not TWO_FACTOR:
    raise ImproperlyConfigured("SRH_TWO_FACTOR cannot be turned off in production.")
OTP_TOTP_ISSUER = "Safeguarding Review Hub"
RECOVERY_CODE_COUNT = 10
AUTHENTICATION_BACKENDS = [
    # Single sign-on's callback only (it takes no password; its sign-ins are not lockout's).
    "safeguarding.accounts.oidc.SsoBackend",
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username before any check
    "django.contrib.auth.backends.ModelBackend",
]
# Lockout (django-axes) by username, from any address: see safeguarding/accounts/lockout.py.
AXES_FAILURE_LIMIT = env_int("SRH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SRH_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Failures while locked are not counted, so trying during the lockout never extends it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# axes' database handler plus a throttle by address across all usernames (lockout.py says why
# 20: a council or NHS gateway is one address for many people).
AXES_HANDLER = "safeguarding.accounts.lockout.LockoutHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("SRH_LOGIN_ADDRESS_FAILURE_LIMIT", 20, minimum=1)
# axes.W006 warns that a lockout without the address can be dodged by rotating user agents or
# cookies; a lockout by username uses neither, so nothing is dodged (reasons in lockout.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "safeguarding.accounts.lockout.locked_out_response"
AXES_RESET_ON_SUCCESS = False  # cleared only after the second factor too (lockout.py)
AXES_DISABLE_ACCESS_LOG = True  # log-ins are in the audit trail already
AXES_CLIENT_IP_CALLABLE = "safeguarding.accounts.lockout.client_ip"
# Never stored in axes' attempt rows (it keeps the other POST fields of a failed attempt).
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "password",
    "code",
    "old_password",
    "new_password1",
    "new_password2",
]
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_TIME.total_seconds() <= 0:
    raise ImproperlyConfigured("SRH_LOGIN_FAILURE_LIMIT and SRH_LOCKOUT_MINUTES must be above 0.")
# Single sign-on with OpenID Connect (mozilla-django-oidc; safeguarding/accounts/oidc.py and
# docs/DEPLOY.md, "Single sign-on"): off unless the issuer, client id and secret are all set.
# Only people who already have an account get in, by the provider's verified email address.
SSO_ISSUER = env_str("SRH_OIDC_ISSUER", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = env_str("SRH_OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = env_str("SRH_OIDC_CLIENT_SECRET", "")
_sso_given = [
    name
    for name, value in (
        ("SRH_OIDC_ISSUER", SSO_ISSUER),
        ("SRH_OIDC_CLIENT_ID", OIDC_RP_CLIENT_ID),
        ("SRH_OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
    )
    if value
]
if 0 < len(_sso_given) < 3:
    raise ImproperlyConfigured(
        "Single sign-on needs SRH_OIDC_ISSUER, SRH_OIDC_CLIENT_ID and SRH_OIDC_CLIENT_SECRET "
        f"together; only {', '.join(_sso_given)} is set."
    )
# The provider's endpoints: from the issuer's /.well-known/openid-configuration unless set here.
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("SRH_OIDC_AUTHORIZATION_ENDPOINT", "").strip()
OIDC_OP_TOKEN_ENDPOINT = env_str("SRH_OIDC_TOKEN_ENDPOINT", "").strip()
OIDC_OP_JWKS_ENDPOINT = env_str("SRH_OIDC_JWKS_ENDPOINT", "").strip()
for _name, _url in (
    ("SRH_OIDC_ISSUER", SSO_ISSUER),
    ("SRH_OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_AUTHORIZATION_ENDPOINT),
    ("SRH_OIDC_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
    ("SRH_OIDC_JWKS_ENDPOINT", OIDC_OP_JWKS_ENDPOINT),
):
    _parts = urlsplit(_url)
    _schemes = ("https",) if PRODUCTION else ("https", "http")
    if _url and (_parts.scheme not in _schemes or not _parts.netloc):
        raise ImproperlyConfigured(
            f"{_name}={_url!r} is not an https:// address"
            + ("." if PRODUCTION else " (http:// is allowed outside production).")
        )
# `acr` values of the ID token that mean multi-factor sign-in at the provider (comma-separated),
# besides the `amr` values safeguarding/accounts/oidc.py lists; then our own second factor is
# not asked again.
SSO_MFA_ACR = [v.strip() for v in env_str("SRH_OIDC_MFA_ACR", "").split(",") if v.strip()]
# The claim that must be true for the email claim to be trusted (Entra ID: xms_edov).
SSO_EMAIL_VERIFIED_CLAIM = env_str("SRH_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified").strip()
if not re.fullmatch(r"[A-Za-z0-9_]{1,60}", SSO_EMAIL_VERIFIED_CLAIM):
    raise ImproperlyConfigured(
        f"SRH_OIDC_EMAIL_VERIFIED_CLAIM={SSO_EMAIL_VERIFIED_CLAIM!r} is not a claim name."
    )
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # never: an account is made by invitation only
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_TIMEOUT = 10  # seconds for each request to the provider
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the service never uses (safeguarding.core.headers).
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default) means
# the audit trail records REMOTE_ADDR and ignores the header, which a client could forge.
TRUSTED_PROXY_COUNT = env_int("SRH_TRUSTED_PROXY_COUNT", 0, minimum=0)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SRH_SSL_REDIRECT", True)
    # The load balancer calls each app server's health check directly, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str(
    "SRH_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if not PRODUCTION
    else "django.core.mail.backends.smtp.EmailBackend",
)
try:  # the module only: importing the backend itself needs these settings
    _email_module = importlib.util.find_spec(EMAIL_BACKEND.rpartition(".")[0] or EMAIL_BACKEND)
except (ImportError, ValueError):
    _email_module = None
if _email_module is None or "." not in EMAIL_BACKEND:
    raise ImproperlyConfigured(f"SRH_EMAIL_BACKEND={EMAIL_BACKEND!r} is not a backend to import.")
DEFAULT_FROM_EMAIL = env_str("SRH_FROM_EMAIL", "review-hub@example.invalid")
if "@" not in email.utils.parseaddr(DEFAULT_FROM_EMAIL)[1]:
    raise ImproperlyConfigured(f"SRH_FROM_EMAIL={DEFAULT_FROM_EMAIL!r} is not an email address.")
LOG_LEVEL = env_str("SRH_LOG_LEVEL", "INFO").strip().upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"SRH_LOG_LEVEL={LOG_LEVEL!r} is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL."
    )

# Query strings never reach the logs (safeguarding/audit/logredact.py): the filter sits on the
# loggers whose records carry the request. django.template's DEBUG records (a dump of the
# template context on every missing variable) are not wanted even with SRH_LOG_LEVEL=DEBUG.
_REDACT = {"filters": ["redact_query_strings"]}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_query_strings": {"()": "safeguarding.audit.logredact.RedactQueryStrings"},
        # A refused request (4xx) is one line, without the exception's traceback.
        "one_line_refusals": {"()": "safeguarding.audit.logrefusals.OneLineRefusals"},
    },
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_query_strings"]},
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # django-axes reports every log-in at INFO; failures and lockouts (WARNING) are enough.
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["redact_query_strings", "one_line_refusals"]},
        "django.security": {"filters": ["redact_query_strings", "one_line_refusals"]},
        "django.server": {**_REDACT, "handlers": ["django.server"], "propagate": False},
        "django.template": {**_REDACT, "level": "INFO"},
    },
}

# Background work (report generation) goes through django-tasks. SRH_TASK_QUEUE=database puts
# it on the database queue that `manage.py db_worker` runs (production's default; `make demo`
# starts a worker beside the server); immediate runs it within the request (tests).
TASK_QUEUE = env_str("SRH_TASK_QUEUE", "database" if PRODUCTION else "immediate")
if TASK_QUEUE not in ("database", "immediate"):
    raise ImproperlyConfigured(f"SRH_TASK_QUEUE={TASK_QUEUE!r} is not one of database, immediate.")
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    if TASK_QUEUE == "database"
    else {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
}

# The demo names itself on every page so nobody mistakes it for a live system.
DEMO_BANNER = env_bool("SRH_DEMO", ENVIRONMENT == "development")

# The REST API (safeguarding/api, docs/API.md). Tokens for systems, the session for people
# trying it from the docs page; JSON only, in and out; every endpoint needs a signed-in user.
INSTALLED_APPS += ["drf_spectacular_sidecar"]  # Swagger UI served from our own static files
# Requests without a valid credential, per client address (DRF's "30/minute" form). Tests
# send hundreds from one address in a test, so theirs is higher; the throttle tests set it.
API_ANON_RATE = env_str(
    "SRH_API_ANON_RATE", "10000/minute" if ENVIRONMENT == "test" else "30/minute"
)
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_ANON_RATE):
    raise ImproperlyConfigured(
        f"SRH_API_ANON_RATE={API_ANON_RATE!r} is not a rate like 30/minute "
        "(per second, minute, hour or day)."
    )
# Requests of one signed-in user or token (finding F7 of the second outside attack: 400 token
# requests in 4 seconds were all served). Generous: a system syncing records stays far below.
API_USER_RATE = env_str(
    "SRH_API_USER_RATE", "100000/minute" if ENVIRONMENT == "test" else "600/minute"
)
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_USER_RATE):
    raise ImproperlyConfigured(
        f"SRH_API_USER_RATE={API_USER_RATE!r} is not a rate like 600/minute "
        "(per second, minute, hour or day)."
    )
# Refusals of anonymous requests alike (status, address, route) within this many minutes are
# one audit row plus one row with their count (safeguarding/audit/denials.py).
AUDIT_REPEAT_MINUTES = env_int("SRH_AUDIT_REPEAT_MINUTES", 10, minimum=1)
# The rate limit's counts, shared by every server process: a table in the database (made by
# migration api 0001). Nothing else is cached.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "srh_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}
REST_FRAMEWORK = {
    # A token (safeguarding/api/authentication.py), else a session past both factors.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "safeguarding.api.authentication.ApiTokenAuthentication",
        "safeguarding.api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "safeguarding.api.throttling.AnonymousRateThrottle",
        "safeguarding.api.throttling.SignedInRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE, "user": API_USER_RATE},
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's JSONParser, with nesting too deep for Python's json module a 400 (not a 500).
    "DEFAULT_PARSER_CLASSES": ["safeguarding.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "safeguarding.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["safeguarding.api.filters.StrictFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "safeguarding.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "safeguarding.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safeguarding Review Hub API",
    "DESCRIPTION": "Incidents, cases (pseudonymous, without identifying details), reviews, "
    "findings, themes, actions, dissemination, assurance and escalations, with the same role "
    "and partnership scoping as the pages. See docs/API.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("status", "kind", ...) get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "safeguarding.reviews.models.ReviewStatus",
        "ReviewKindEnum": "safeguarding.reviews.models.ReviewKind",
        "AbuseCategoryEnum": "safeguarding.reviews.models.AbuseCategory",
        "NotificationDecisionEnum": "safeguarding.reviews.models.NotificationDecision",
        "RapidReviewDecisionEnum": "safeguarding.reviews.models.RapidReviewDecision",
        "FindingKindEnum": "safeguarding.learning.models.FindingKind",
        "ThemeStatusEnum": "safeguarding.learning.models.ThemeStatus",
        "ActionStatusEnum": "safeguarding.actionplans.models.ActionStatus",
        "ProductKindEnum": "safeguarding.dissemination.models.ProductKind",
        "EventStatusEnum": "safeguarding.dissemination.models.EventStatus",
        "EscalationStatusEnum": "safeguarding.escalations.models.EscalationStatus",
        "ConcernCategoryEnum": "safeguarding.escalations.models.ConcernCategory",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
}
