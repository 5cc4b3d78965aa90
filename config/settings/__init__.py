"""Flywheel settings, read from the environment by one reader (django-environ).

With nothing set it runs embedded: SQLite and Celery in eager mode. DATABASE_URL selects
PostgreSQL; CELERY_BROKER_URL (or REDIS_URL) selects a real Redis broker, worker and beat.
FLYWHEEL_ENV=production turns on the checks in config.security.
"""

import datetime
from pathlib import Path

import environ

from config.security import DEFAULT_SECRET_KEY, check_production
from config.settings.jobs import *  # noqa: F403
from config.settings.signin import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

FLYWHEEL_ENV = env("FLYWHEEL_ENV", default="development")
PRODUCTION = FLYWHEEL_ENV == "production"

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
SECRET_KEY = env("DJANGO_SECRET_KEY", default=DEFAULT_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SECURE_CONTENT_TYPE_NOSNIFF = True
if PRODUCTION:
    check_production(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # HTTPS only: redirect plain HTTP (the health check stays reachable for probes) and tell
    # browsers to come back over HTTPS for a year (HSTS).
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_SUBDOMAINS", default=False)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# The header a TLS-terminating proxy sets to say the request came over HTTPS. Trust it only
# behind such a proxy (which must overwrite it); empty turns it off.
_PROXY_SSL_HEADER = env(
    "DJANGO_SECURE_PROXY_SSL_HEADER", default="HTTP_X_FORWARDED_PROTO" if PRODUCTION else ""
)
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = (_PROXY_SSL_HEADER, "https")

# Content security policy (django-csp 4), in every mode so that the pages are tested under
# it: scripts only from this origin (no inline script), no framing, no plugins. Styles allow
# inline attributes (the charts and the API docs set them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "django_prometheus",
    "simple_history",
    "core",
    "portfolio",
    "gates",
    "governance",
    "inventory",
    "signin",
    "reports",
    "integrations",
    "console",
    "compliance",
    "components",
    "questionnaires",
]

MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the policy's middleware: adds the sign-in provider to form-action.
    "signin.middleware.ProviderFormActionMiddleware",
    "core.unavailable.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the person's profile language, else the browser's.
    "portfolio.language.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.background.BackgroundJobsMiddleware",
    # Last: it times the whole response.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Local passwords (limited to administrators when FLYWHEEL_LOCAL_LOGIN says so), then
    # the company's identity provider when one is configured (config.settings.signin).
    "signin.backends.LocalAccountBackend",
    "signin.backends.ProviderBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The console's admin/base_site.html (the site's icon and admin.css) must come before
        # django.contrib.admin's own, which INSTALLED_APPS would otherwise find first.
        "DIRS": [BASE_DIR / "console" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "signin.context.sign_in",
                "core.web.navigation.navigation",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, else embedded SQLite. IMMEDIATE transactions make
# a second writer wait for the lock (then fail cleanly) instead of "database is locked"; the
# engine core.db.sqlite puts the instance's writers in a queue first (core/db/write_queue.py),
# served in arrival order across its processes and threads: up to 30 s in the queue, then up
# to 20 s for a lock held outside the instance (a backup, a script), then the 503.
SQLITE_ENGINE = "core.db.sqlite"
SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 20, "queue_timeout": 30}
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # A web thread keeps its connection between requests (opening one costs PostgreSQL a
        # process and more than a list page's own queries); checked before it is used again,
        # so a connection the server dropped (a restart) is replaced, not failed on.
        DATABASES["default"].setdefault(
            "CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60)
        )
        DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
        # A database that does not answer fails a request within seconds (503), never hangs.
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
        )
    # SQLite named by a URL queues its writers as the embedded default does (without these a
    # background job and the request beside it fail with "database is locked").
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["ENGINE"] = SQLITE_ENGINE
        options = DATABASES["default"].setdefault("OPTIONS", {})
        for name, value in SQLITE_OPTIONS.items():
            options.setdefault(name, value)
else:
    DATABASES = {
        "default": {
            "ENGINE": SQLITE_ENGINE,
            "NAME": env("SQLITE_PATH", default=str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": dict(SQLITE_OPTIONS),
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The pages, e-mails, packs and API errors speak English, German and French (docs/languages.md):
# a person's profile chooses, else the browser (portfolio.language). Translations live in
# locale/<language>/LC_MESSAGES/django.po; `make messages` extracts and compiles them.
# FLYWHEEL_LANGUAGE: the language of chat messages, and of pages and e-mails for whoever chose
# none and whose browser asks for none of these.
LANGUAGE_CODE = env("FLYWHEEL_LANGUAGE", default="en-gb")
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates, numbers and amounts in the person's locale: templates use SHORT_DATE_FORMAT and
# SHORT_DATETIME_FORMAT, which English keeps as ISO 8601 (config/formats/en_GB).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# Uploaded documents (compliance evidence) go through Django's storage API: local files under
# MEDIA_ROOT by default; S3-compatible storage with django-storages (README, "Evidence").
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "media/"  # never served directly: documents go out through a checked view
if env("FLYWHEEL_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("FLYWHEEL_S3_BUCKET"),
            "endpoint_url": env("FLYWHEEL_S3_ENDPOINT_URL", default=None),
            "region_name": env("FLYWHEEL_S3_REGION", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
FLYWHEEL_ATTACHMENT_MAX_BYTES = env.int("FLYWHEEL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
FLYWHEEL_ATTACHMENT_TYPES = env.list(
    "FLYWHEEL_ATTACHMENT_TYPES",
    default=["pdf", "png", "jpg", "jpeg", "docx", "xlsx", "txt", "csv", "md"],
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Mail: notifications go out through Django's mail settings.
EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="flywheel@localhost")

# django-axes: lock an account/IP pair out after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout policy is printed once by `serve`, not by every process that starts Django.
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
AXES_LOCKOUT_CALLABLE = "core.api.errors.lockout_response"
# Where the client address comes from (core.lockout): REMOTE_ADDR, or X-Forwarded-For behind
# FLYWHEEL_TRUSTED_PROXIES proxies; a Unix socket's empty address is counted too.
AXES_CLIENT_IP_CALLABLE = "core.lockout.client_address"
AXES_HANDLER = "core.lockout.SprayLimitingHandler"
FLYWHEEL_TRUSTED_PROXIES = env.int("FLYWHEEL_TRUSTED_PROXIES", default=0)
FLYWHEEL_SPRAY_LIMIT = env.int("FLYWHEEL_SPRAY_LIMIT", default=20)

REST_FRAMEWORK = {
    # Token first, so that an anonymous request gets 401 with WWW-Authenticate.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "signin.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filtering.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.FlywheelAutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["core.api.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_THROTTLE_RATES": {
        "decisions": env("THROTTLE_DECISIONS", default="60/minute"),
    },
}

SPECTACULAR_SETTINGS = {
    # Swagger UI's assets come from the installed sidecar package, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "TITLE": "Flywheel API",
    "DESCRIPTION": "Portfolio governance for AI initiatives: use cases, gates, board decisions "
    "and velocity.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # OpenAPI 3.1: the payload of every event a webhook receives is in its `webhooks`
    # (integrations.schemas, from the published JSON Schema files).
    "OAS_VERSION": "3.1.0",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "integrations.schemas.openapi_webhooks",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # One component per choice set, named after it (a field name such as "kind" or "status"
    # means different sets in different places); tests/config/test_schema.py fails on any
    # warning of the schema generator.
    "ENUM_NAME_OVERRIDES": {
        "MappedRoleEnum": "signin.choices.MappedRole",
        "RebaselineKindEnum": "governance.choices.RebaselineKind",
        "DepartmentRoleEnum": "portfolio.choices.DepartmentRole",
        "StateEnum": "portfolio.choices.State",
        "MetricKindEnum": "portfolio.choices.MetricKind",
        "DirectionEnum": "portfolio.choices.Direction",
        "CadenceEnum": "portfolio.choices.Cadence",
        "ArtifactKindEnum": "portfolio.choices.ArtifactKind",
        "ArtifactStatusEnum": "portfolio.choices.ArtifactStatus",
        "CriterionKindEnum": "gates.choices.CriterionKind",
        "VerdictEnum": "governance.choices.Verdict",
        "LessonTransitionEnum": "portfolio.choices.LessonTransition",
        "LessonCauseEnum": "portfolio.choices.LessonCause",
        "ExemptionConditionEnum": "compliance.choices.ExemptionCondition",
        "AttachmentKindEnum": "compliance.choices.AttachmentKind",
        "EndpointKindEnum": "integrations.models.EndpointKind",
        "ComponentKindEnum": "components.choices.ComponentKind",
        "LinkRoleEnum": "components.choices.LinkRole",
    },
}

# Product defaults (PRODUCT.md); administrators may override them per deployment.
FLYWHEEL_PILOT_TIME_BOX_DAYS = env.int("FLYWHEEL_PILOT_TIME_BOX_DAYS", default=90)
FLYWHEEL_DECISION_TARGET_HOURS = env.int("FLYWHEEL_DECISION_TARGET_HOURS", default=48)
FLYWHEEL_RE_REVIEW_MONTHS = env.int("FLYWHEEL_RE_REVIEW_MONTHS", default=6)
# Vendor assessments (components): renewed this often; passed from this score (percent).
FLYWHEEL_VENDOR_ASSESSMENT_MONTHS = env.int("FLYWHEEL_VENDOR_ASSESSMENT_MONTHS", default=12)
FLYWHEEL_VENDOR_ASSESSMENT_PASS_SCORE = env.int("FLYWHEEL_VENDOR_ASSESSMENT_PASS_SCORE", default=70)
# MLflow fetches (components): seconds before an unanswering tracking server is "no data".
FLYWHEEL_MLFLOW_TIMEOUT = env.float("FLYWHEEL_MLFLOW_TIMEOUT", default=5.0)
# The change history is a record: the admin shows it, never reverts to it.
SIMPLE_HISTORY_REVERT_DISABLED = True
FLYWHEEL_ZOMBIE_DAYS = env.int("FLYWHEEL_ZOMBIE_DAYS", default=90)
# Money is shown with this currency code and thousands separators (one currency per deployment).
FLYWHEEL_CURRENCY = env("FLYWHEEL_CURRENCY", default="EUR")
# Readings (and imported moves) dated before this day are refused as implausible (ISO date).
FLYWHEEL_EARLIEST_DATE = datetime.date.fromisoformat(
    env("FLYWHEEL_EARLIEST_DATE", default="2000-01-01")
)
FLYWHEEL_SITE_URL = env("FLYWHEEL_SITE_URL", default="http://127.0.0.1:8000")
# Outbound webhooks: seconds to wait for an answer, attempts per delivery, the first back-off
# (doubling each time), and how many deliveries failing in a row disable an endpoint.
FLYWHEEL_WEBHOOK_TIMEOUT = env.float("FLYWHEEL_WEBHOOK_TIMEOUT", default=5.0)
FLYWHEEL_WEBHOOK_MAX_ATTEMPTS = env.int("FLYWHEEL_WEBHOOK_MAX_ATTEMPTS", default=6)
FLYWHEEL_WEBHOOK_BACKOFF_SECONDS = env.float("FLYWHEEL_WEBHOOK_BACKOFF_SECONDS", default=30.0)
FLYWHEEL_WEBHOOK_DISABLE_AFTER = env.int("FLYWHEEL_WEBHOOK_DISABLE_AFTER", default=5)
# My actions: conditions due within this many days are listed.
FLYWHEEL_CONDITION_DUE_SOON_DAYS = env.int("FLYWHEEL_CONDITION_DUE_SOON_DAYS", default=14)

# Celery: a real broker when one is configured, else eager mode in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or env("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    # In-process memory transport; naming a host spares kombu's "No hostname" warning.
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_REDBEAT_REDIS_URL = env("CELERY_REDBEAT_REDIS_URL", default=CELERY_BROKER_URL)
# Embedded (eager) mode: follow-up work runs on a background thread, off the request path,
# and the beat schedule runs there too (core.background); "inline" runs it after commit.
FLYWHEEL_BACKGROUND_JOBS = env("FLYWHEEL_BACKGROUND_JOBS", default="thread")

# Bounds on what a request may carry (a larger body answers 400).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("FLYWHEEL_MAX_BODY_BYTES", default=1_048_576)
FLYWHEEL_MAX_JSON_DEPTH = 32
# /metrics for Prometheus: open on the loopback, else only with this bearer token.
FLYWHEEL_METRICS_TOKEN = env("FLYWHEEL_METRICS_TOKEN", default="")

# LOG_FORMAT=json: one JSON object per line (structlog), with the request id and user that
# django-structlog binds to every line of a request; "plain" (default) for people.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "config.log_filters.OneLineRefusals"}},
    "formatters": {
        "json": {"()": "config.logformat.json_formatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["one_line_refusals"],
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Eager Celery (embedded mode) would log every task it runs in-process; a real
        # worker keeps its "received" and "succeeded" lines (operators read them).
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        # WeasyPrint narrates every step of every board pack at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}

if LOG_FORMAT == "json":
    INSTALLED_APPS.append("django_structlog")
    MIDDLEWARE.insert(1, "django_structlog.middlewares.RequestMiddleware")
