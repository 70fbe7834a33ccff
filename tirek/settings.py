"""Tirek's one settings module.

Everything that differs between a laptop and a national deployment comes from
the environment (see docs/operations.md for the full list). Two modes:

- ``TIREK_ENV=development`` (default): SQLite in ``data/``, a secret key
  generated once into ``data/secret_key``, e-mail printed to the console,
  plain-HTTP cookies so http://127.0.0.1:8000 works.
- ``TIREK_ENV=production``: every secret must be supplied, HTTPS-only cookies,
  HSTS, and ``manage.py check --deploy`` passes with no warnings (tested).

``DEBUG`` is never on unless ``TIREK_DEBUG=1`` is set, and never in production:
a traceback page would show a victim's data to whoever triggered the error.
"""

import datetime
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from tirek.lib.env import (
    EnvError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)
from tirek.lib.secret_key import load_or_create_secret_key

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

TIREK_ENV = env_choice("TIREK_ENV", ("development", "production"), "development")
PRODUCTION = TIREK_ENV == "production"

DEBUG = env_bool("TIREK_DEBUG", False)
if PRODUCTION and DEBUG:
    raise EnvError("TIREK_DEBUG must not be on when TIREK_ENV=production")

# Where an embedded install keeps its database, secret key and (later) files.
DATA_DIR = Path(env_str("TIREK_DATA_DIR", str(PROJECT_DIR / "data"))).resolve()

if PRODUCTION:
    SECRET_KEY = env_str("TIREK_SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise EnvError("TIREK_SECRET_KEY must be at least 50 characters long")
else:
    SECRET_KEY = env_str("TIREK_SECRET_KEY", "") or load_or_create_secret_key(DATA_DIR)
# Old keys still accepted for signatures while sessions migrate to a new one.
SECRET_KEY_FALLBACKS = env_list("TIREK_SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list(
    "TIREK_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise EnvError("TIREK_ALLOWED_HOSTS must list the host names Tirek is served on")
CSRF_TRUSTED_ORIGINS = env_list("TIREK_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    # Tirek's bounded contexts; each may contribute demo data (tirek.core.demo).
    "tirek.core",
    "tirek.protection",
    "tirek.accounts",
    "tirek.analysis",
    "tirek.audit",
    "tirek.people",
    "tirek.cases",
    "tirek.registry",
    "tirek.nrm",
    "tirek.assignment",
    "tirek.evidence",
    "tirek.interviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tirek.core.middleware.RequestLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second factor?
    "django_otp.middleware.OTPMiddleware",
    # Makes the client address known to the audit trail (tirek/audit/log.py).
    "tirek.audit.middleware.AuditAddressMiddleware",
    "tirek.protection.middleware.RouteAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Signs out a session idle for TIREK_IDLE_MINUTES (before any view runs).
    "tirek.accounts.sessions.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tirek.core.middleware.PrivacyHeadersMiddleware",
    # Axes must come last: it turns a lockout signal into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tirek.urls"
WSGI_APPLICATION = "tirek.wsgi.application"
ASGI_APPLICATION = "tirek.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tirek.core.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL via DATABASE_URL for a country.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tirek.sqlite3'}")
try:
    _database = dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("TIREK_DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
except ValueError as error:
    raise EnvError(f"DATABASE_URL is not a database address Tirek understands: {error}") from None
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead
        # of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # WAL lets pages be read while a write is in progress; synchronous=FULL
        # because a committed custody record must survive a power cut.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
            # Erased values are overwritten in the file, not left in free pages.
            "PRAGMA secure_delete=ON;"
        ),
    }
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and authentication --------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 3 * 3600

# Lockout by the pair (username, address): one attacker behind a shelter's
# shared address must not lock the whole office out, nor lock a named worker
# out from anywhere. Cool-off rather than a permanent lock.
AXES_FAILURE_LIMIT = env_int("TIREK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("TIREK_LOGIN_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tirek.accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Axes would otherwise log usernames; our request log already says enough.
AXES_SENSITIVE_PARAMETERS = ["username", "password", "email"]
# How many reverse proxies stand in front of Tirek: their X-Forwarded-For
# entries are trusted, nothing a client writes there is.
TIREK_PROXY_COUNT = env_int("TIREK_PROXY_COUNT", 1 if PRODUCTION else 0)
AXES_CLIENT_IP_CALLABLE = "tirek.core.client_address.client_address"

# --- Sessions and cookies ---------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("TIREK_SESSION_HOURS", 8) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Signed out after this long without a request (tirek/accounts/sessions.py).
TIREK_IDLE_MINUTES = env_int("TIREK_IDLE_MINUTES", 15)
# How long a lawyer has to accept or decline an offered request (issue 7).
TIREK_ASSIGNMENT_ANSWER_HOURS = env_int("TIREK_ASSIGNMENT_ANSWER_HOURS", 48)

# Second factor (TOTP, tirek/accounts/models.py): after n wrong codes the
# next attempt waits factor x 2^(n-1) seconds. Issuer shown in the app.
OTP_TOTP_THROTTLE_FACTOR = 1
TIREK_TOTP_ISSUER = env_str("TIREK_TOTP_ISSUER", "Tirek")

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "ky"
LANGUAGES = [
    ("ky", _("Kyrgyz")),
    ("ru", _("Russian")),
    ("en", _("English")),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bishkek"
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
# Only a production server collects static files (whitenoise serves them).
STATIC_ROOT = Path(env_str("TIREK_STATIC_ROOT", str(DATA_DIR / "static"))) if PRODUCTION else None
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
# Outside production, serve straight from the apps' folders: no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- E-mail -----------------------------------------------------------------
# SMTP in production; printed to the console in development.
if env_bool("TIREK_EMAIL_SMTP", PRODUCTION):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("TIREK_EMAIL_HOST", "localhost"),
                "port": env_int("TIREK_EMAIL_PORT", 587),
                "username": env_str("TIREK_EMAIL_USER", ""),
                "password": env_str("TIREK_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("TIREK_EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("TIREK_EMAIL_FROM", "Tirek <no-reply@tirek.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Error e-mails would carry request data; logs (without personal data) instead.
ADMINS: list[tuple[str, str]] = []

# --- Security headers -------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": browsers then send "Origin: null" with every form, which
# Django's CSRF check rightly refuses. same-origin never leaks a URL outside.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TIREK_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("TIREK_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("TIREK_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The __Host- prefix makes the browser refuse the cookie unless it is
    # Secure, host-only and for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_CSP["upgrade-insecure-requests"] = True

# --- Uploads ----------------------------------------------------------------
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# The register of lawyers: a larger import file is refused with a clear message.
TIREK_REGISTER_IMPORT_MAX_BYTES = env_int("TIREK_REGISTER_IMPORT_MAX_BYTES", 5 * 1024 * 1024)

# Evidence files (tirek/evidence/files.py): streamed through their own upload
# handler (never Django's default handlers, which would put plaintext in /tmp),
# encrypted chunk by chunk, stored on the local disk, or in S3-compatible
# object storage when a bucket is named. Tell the proxy the same limit
# (nginx client_max_body_size a little above it).
TIREK_EVIDENCE_MAX_BYTES = env_int("TIREK_EVIDENCE_MAX_BYTES", 4 * 1024**3)
if TIREK_EVIDENCE_MAX_BYTES < 1:
    raise EnvError("TIREK_EVIDENCE_MAX_BYTES must be at least 1")
TIREK_EVIDENCE_S3_BUCKET = env_str("TIREK_EVIDENCE_S3_BUCKET", "")
if TIREK_EVIDENCE_S3_BUCKET:
    _s3_options = {
        "bucket_name": TIREK_EVIDENCE_S3_BUCKET,
        "location": env_str("TIREK_EVIDENCE_S3_PREFIX", "evidence"),
        "file_overwrite": False,
        # Reads spool the (encrypted) object to a temporary file past 8 MiB
        # instead of holding it in memory (the default, 0, never spools).
        "max_memory_size": 8 * 1024 * 1024,
    }
    # Unset values leave boto3 its own chain (environment, instance role).
    for _option, _variable in (
        ("endpoint_url", "TIREK_EVIDENCE_S3_ENDPOINT"),
        ("region_name", "TIREK_EVIDENCE_S3_REGION"),
        ("access_key", "TIREK_EVIDENCE_S3_ACCESS_KEY"),
        ("secret_key", "TIREK_EVIDENCE_S3_SECRET_KEY"),
    ):
        if env_str(_variable, ""):
            _s3_options[_option] = env_str(_variable)
    STORAGES["evidence"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("TIREK_EVIDENCE_DIR", str(DATA_DIR / "evidence")),
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    }

# --- REST API ---------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tirek.core.api_auth.SessionAuthentication",
        "knox.auth.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tirek.protection.api.RouteAccessPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "tirek.core.api_pagination.Pagination",
    "EXCEPTION_HANDLER": "tirek.core.api_errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "PAGE_SIZE": 50,
}
REST_KNOX = {
    # Tokens are stored as digests; a stolen database yields no usable token.
    "TOKEN_TTL": datetime.timedelta(hours=env_int("TIREK_API_TOKEN_HOURS", 10)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 5,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tirek API",
    "DESCRIPTION": (
        "Free state-guaranteed legal aid for victims of human trafficking in the "
        'Kyrgyz Republic. Every error has the shape {"error": {"status", "code", '
        '"message", "fields"}}; messages follow the Accept-Language header (ky, ru, en).'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "tirek.accounts.roles.Role.choices",
        "OrganisationKindEnum": "tirek.accounts.models.OrganisationKind.choices",
        "RegionEnum": "tirek.accounts.models.Region.choices",
    },
}

# --- Logging ----------------------------------------------------------------
# JSON lines on standard error; the formatter keeps an allow-list of fields,
# so a request, a form or a person's data cannot slip into a log line.
LOG_LEVEL = env_choice("TIREK_LOG_LEVEL", ("DEBUG", "INFO", "WARNING", "ERROR"), "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "tirek.lib.logs.AllowListJsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": LOG_LEVEL, "propagate": False},
        # Our request log replaces Django's, which repeats the path per 4xx.
        "django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # PDF rendering reports every step at INFO; only problems are worth a line.
        "weasyprint": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "fontTools": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
    },
}

# --- Keys -------------------------------------------------------------------
# Keys that encrypt identity data live outside the database (tirek/protection/keys.py).
TIREK_KEYRING = env_str("TIREK_KEYRING", "")
TIREK_KEY_FILE = env_str("TIREK_KEY_FILE", "" if PRODUCTION else str(DATA_DIR / "keyring.json"))
if PRODUCTION and not (TIREK_KEYRING or TIREK_KEY_FILE):
    raise EnvError("set TIREK_KEY_FILE (a path off the database server) or TIREK_KEYRING")

# --- Audit trail ------------------------------------------------------------
# Checkpoints are signed with an Ed25519 key kept off the database (created on
# first use, mode 0600); verifying needs only the public keys file, one key a
# line, old keys kept after rotation. See docs/security.md.
TIREK_AUDIT_SIGNING_KEY = Path(
    env_str("TIREK_AUDIT_SIGNING_KEY", str(DATA_DIR / "audit_signing_key"))
).resolve()
TIREK_AUDIT_PUBLIC_KEYS = Path(
    env_str("TIREK_AUDIT_PUBLIC_KEYS", f"{TIREK_AUDIT_SIGNING_KEY}.pub")
).resolve()
TIREK_AUDIT_CHECKPOINT_EVERY = env_int("TIREK_AUDIT_CHECKPOINT_EVERY", 1000)
if TIREK_AUDIT_CHECKPOINT_EVERY < 1:
    raise EnvError("TIREK_AUDIT_CHECKPOINT_EVERY must be at least 1")

# Evidence bundles are signed with a key of their own, held the same way
# (tirek/audit/keys.py; why a separate key: tirek/evidence/bundle.py).
TIREK_EVIDENCE_SIGNING_KEY = Path(
    env_str("TIREK_EVIDENCE_SIGNING_KEY", str(DATA_DIR / "evidence_signing_key"))
).resolve()
TIREK_EVIDENCE_PUBLIC_KEYS = Path(
    env_str("TIREK_EVIDENCE_PUBLIC_KEYS", f"{TIREK_EVIDENCE_SIGNING_KEY}.pub")
).resolve()

# --- Retention (days; see docs/security.md for what each covers) ------------
TIREK_RETENTION_DAYS = {
    "person": env_int("TIREK_RETAIN_PERSON_DAYS", 10 * 365),
    "sign_in_attempts": env_int("TIREK_RETAIN_SIGN_IN_ATTEMPTS_DAYS", 90),
}

# --- Tirek ------------------------------------------------------------------
# Demo data has published passwords: refused outside development unless an
# operator explicitly allows it (a training server, for example).
TIREK_DEMO_ALLOWED = env_bool("TIREK_DEMO_ALLOWED", not PRODUCTION)
TIREK_SITE_URL = env_str("TIREK_SITE_URL", "http://127.0.0.1:8000")
CSRF_FAILURE_VIEW = "tirek.core.views.csrf_failure"
