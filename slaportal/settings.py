"""Settings for the SLA portal.

Production differs from local use only by environment variables; see README.md for the list.
Without any variables set the portal runs on a SQLite file, runs background tasks eagerly
in-process and writes mail to files under var/mail/.
"""

import secrets
from decimal import Decimal
from pathlib import Path

import environ

from slaportal.envvars import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    # A key generated once per data directory keeps local sessions valid across restarts
    # without a well-known default key; deployments set SECRET_KEY (or SECRET_KEY_FILE).
    configured = env_str("SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    "contracts",
    "compliance",
    "webhooks",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Before WhiteNoise, so static files carry the policy too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The data's token read once for the session, the person and a kept page (after static
    # files, which need none of them).
    "contracts.caching.middleware.DataStateMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's AuthenticationMiddleware, the person kept in memory while the data stands.
    "contracts.caching.sessions.KeptUserMiddleware",
    # Times on pages in the display time zone the signed-in person picked.
    "contracts.display_zone.DisplayTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused for too many failures into the lockout page (HTTP 429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "slaportal.urls"
WSGI_APPLICATION = "slaportal.wsgi.application"

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
                "contracts.context_processors.portal",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# Database: SQLite file by default; DATABASE_URL (postgres://user@host:port/name) otherwise.
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": environ.Env.db_url_config(_database_url)}
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            # A file test database lets a separate worker process see the test data.
            "TEST": {"NAME": DATA_DIR / "test-db.sqlite3"},
            "OPTIONS": {
                "timeout": 20,
                # Write-ahead logging: pages keep being read while a worker writes, and a
                # commit is one append instead of a journal rewrite; synchronous=NORMAL is
                # WAL's crash-safe setting (a power cut can lose the last commits, never
                # corrupt the file).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "contracts.User"
AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while its (email, IP address) pair is locked out, then the usual
    # email-and-password check. API tokens do not go through these backends.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "compliance:dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 12)
# Database sessions, each read kept in memory while the data stands (contracts.caching.sessions).
SESSION_ENGINE = "contracts.caching.sessions"
# On shared computers: end the session when the browser closes (SESSION_COOKIE_AGE still
# caps how long an open browser stays signed in).
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    # Reports and signed documents go through this storage; point it at object storage
    # (e.g. django-storages) in a multi-machine deployment without touching the code.
    "default": {"BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        # Hashed, compressed names for long caching; needs `manage.py collectstatic`.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATICFILES_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

REST_FRAMEWORK = {
    # Tokens users create on their profile page (only a hash is stored); the session lets a
    # signed-in user try the API from the browsable docs. Token first: anonymous calls get 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "compliance.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Error bodies in the API's one shape (compliance/api/errors.py).
    "EXCEPTION_HANDLER": "compliance.api.errors.exception_handler",
    # Per user (token or session) and per address for anonymous calls; the counters live in
    # the cache below.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_THROTTLE_USER", "10000/hour"),
        "anon": env_str("API_THROTTLE_ANON", "100/hour"),
    },
}
# The cache holds the API's rate-limit counters: in each process's memory by default, so
# every web process counts on its own; CACHE_URL=redis://host:6379/1 shares one count
# between processes and machines.
CACHES = {"default": environ.Env.cache_url_config(env_str("CACHE_URL", "locmemcache://"))}
# Whole pages and API answers, kept while the data they show stands (contracts.caching.pages).
# PAGE_CACHE_URL's, else CACHE_URL's; else files under DATA_DIR, shared by every process on
# this machine, so that what one web worker made the others serve.
CACHES["pages"] = environ.Env.cache_url_config(
    env_str("PAGE_CACHE_URL") or env_str("CACHE_URL") or f"filecache://{DATA_DIR / 'cache' / 'pages'}"
)
if CACHES["pages"]["BACKEND"].endswith(("FileBasedCache", "LocMemCache")):
    CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 1000)
CACHES["pages_memory"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 200},
}
# Sessions, signed-in people and API tokens read while the data stands (contracts.caching.
# sessions): a few kilobytes each, so many more than pages.
CACHES["sessions_memory"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "sessions",
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
PAGE_CACHE_MAX_BYTES = 1024 * 1024  # a kept answer is at most 1 MB: memory and disk stay bounded
SPECTACULAR_SETTINGS = {
    "TITLE": "SLA portal API",
    "DESCRIPTION": "Contracts, incidents, outages and work logs of the SLA portal.",
    "VERSION": "1.0.0",
    "ENUM_NAME_OVERRIDES": {
        "DisputeStatusEnum": ["open", "accepted", "rejected"],
        "ContractStatusEnum": "contracts.models.contract.ContractStatus",
        "SourceKindEnum": "compliance.models.sources.SourceKind",
        "DisputeKindEnum": "compliance.models.disputes.DisputeKind",
    },
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and docs are for signed-in users and token holders, like the API itself.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI and ReDoc assets come from the installed sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # OpenAPI links between operations (for the docs, and for stateful fuzzing).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "compliance.api.openapi_links.add_links",
    ],
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: SMTP when EMAIL_HOST is set, files under var/mail/ otherwise.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SLA portal <sla-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"

# Background work: real workers on CELERY_BROKER_URL, or eagerly in-process without one.
# ``filesystem://`` is the embedded broker of `make run`: messages are files under
# DATA_DIR/broker, so a worker next to the web server needs no broker server (see
# docs/operations.md for its limits).
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
# In-process, Celery still opens a producer: the in-memory transport keeps it from looking
# for (and warning about) a broker on localhost.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
BROKER_ON_FILESYSTEM = CELERY_BROKER_URL.startswith("filesystem://")
# Task results (small status values) kept for a day, for progress pages and tests. The
# embedded broker keeps none: progress pages read the records the tasks write.
CELERY_RESULT_BACKEND = (
    env_str("CELERY_RESULT_BACKEND", "" if BROKER_ON_FILESYSTEM else env_str("CELERY_BROKER_URL")) or None
)
CELERY_RESULT_EXPIRES = 60 * 60 * 24
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redelivery of unacknowledged tasks after a worker dies; task time limits stay below it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
if BROKER_ON_FILESYSTEM:
    BROKER_DIR = Path(env_str("BROKER_DIR", str(DATA_DIR / "broker")))
    for folder in ("queue", "control"):
        (BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
    # One folder for both directions: the web process writes a message file, the worker
    # takes it (and deletes it); the worker looks for new files four times a second.
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        {
            "data_folder_in": str(BROKER_DIR / "queue"),
            "data_folder_out": str(BROKER_DIR / "queue"),
            "control_folder": str(BROKER_DIR / "control"),
            "polling_interval": 0.25,
        }
    )
# Rendered documents (contract PDFs) are kept in a cache that web and worker processes
# share: CACHE_URL's when set; else, when a worker renders them, files under DATA_DIR (one
# machine; set DOCUMENT_CACHE_URL, e.g. to Redis, when workers run elsewhere); else the
# process's memory, where in-process tasks render them.
if env_str("DOCUMENT_CACHE_URL") or env_str("CACHE_URL"):
    _document_cache = env_str("DOCUMENT_CACHE_URL") or env_str("CACHE_URL")
elif not CELERY_TASK_ALWAYS_EAGER:
    _document_cache = f"filecache://{DATA_DIR / 'cache' / 'documents'}"
else:
    _document_cache = "locmemcache://documents"
CACHES["documents"] = environ.Env.cache_url_config(_document_cache)
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540

# HTTPS-only cookies and redirects in production; local runs over plain HTTP.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy on every response (django-csp): scripts and styles only from the
# portal's own static files, no inline script or style anywhere, not even in the API docs
# (Swagger UI is served by SpectacularSwaggerSplitView with its script as a separate file).
# Charts are inline SVG drawn with presentation attributes rather than style attributes;
# htmx's indicator styles come from static/css/portal.css (htmx-config in base.html).
# The browsable API's code styles come from static/css/api-code.css (templates/rest_framework).
from csp.constants import NONE, SELF, UNSAFE_HASHES  # noqa: E402

# The one exception: contract text written in Markdown keeps table column alignment as
# style="text-align:…" (contracts/rendering.py allows nothing else in a style attribute,
# and signed documents keep their HTML unchanged). 'unsafe-hashes' with these hashes allows
# exactly those attribute values and no other inline style.
_ALIGNMENT_STYLE_HASHES = [
    "'sha256-De7agAeYqm6ANIVvRRW6HFWi52AJW8inhFE0gSdgXnI='",  # text-align:left
    "'sha256-XzJlZKVo+ff9ozww9Sr2p/2TbJXITZuaWMZ9p53zN1U='",  # text-align:right
    "'sha256-kFAIUwypIt04FgLyVU63Lcmp2AQimPh/TdYjy04Flxs='",  # text-align:center
    "'sha256-Jwm2I09DTLCg5XlmwQaT8zstSSvvnZ9n17x8kw/TBkE='",  # text-align:justify
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # empty (a dropped property)
]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_HASHES, *_ALIGNMENT_STYLE_HASHES],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Browser features the portal never uses, switched off for it and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
}

# Sign-in lockout (django-axes): AXES_FAILURE_LIMIT failed sign-ins for one email address from
# one IP address lock that pair out for AXES_COOLOFF_MINUTES; the lockout page answers HTTP 429.
# A successful sign-in or password reset clears the count; staff can clear it in the admin
# ("Access attempts") or with `manage.py axes_reset`.
from datetime import timedelta  # noqa: E402

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Further attempts while locked out do not extend the lockout, so the page's time holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "slaportal.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "slaportal.security.client_ip"
AXES_USERNAME_CALLABLE = "slaportal.security.client_username"
# No start-up banner on every manage.py command; failed sign-ins are still logged.
AXES_VERBOSE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint reports each rendering step at INFO; only its warnings matter.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Tasks run in-process (no broker) would log every success into the web server's or
        # the command's output; a worker's log keeps them.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
    },
}

# Signing: the portal's sealing key and certificate (created on first use when the files
# are missing) and an optional RFC 3161 timestamp authority for the seal.
SIGNING_KEY_FILE = Path(env_str("SIGNING_KEY_FILE", str(DATA_DIR / "signing" / "portal-key.pem")))
SIGNING_CERT_FILE = Path(env_str("SIGNING_CERT_FILE", str(DATA_DIR / "signing" / "portal-cert.pem")))
SIGNING_TSA_URL = env_str("SIGNING_TSA_URL")
# /verify/ (public): each upload is parsed in a child process with these limits, at most
# VERIFY_PARALLEL at once per web process; anonymous uploads are limited per address
# (signed-in people per account, five times as many) in VERIFY_RATE_WINDOW seconds.
VERIFY_TIMEOUT_SECONDS = env_int("VERIFY_TIMEOUT_SECONDS", 20)
VERIFY_MEMORY_MB = env_int("VERIFY_MEMORY_MB", 1024)
VERIFY_PARALLEL = env_int("VERIFY_PARALLEL", 2)
VERIFY_WAIT_SECONDS = env_int("VERIFY_WAIT_SECONDS", 5)
VERIFY_UPLOADS_PER_WINDOW = env_int("VERIFY_UPLOADS_PER_WINDOW", 20)
VERIFY_RATE_WINDOW = env_int("VERIFY_RATE_WINDOW", 600)

# Monthly compliance reports (compliance.tasks): started by Celery beat at 06:00 on the 1st
# of each month in TIME_ZONE. MONTHLY_REPORTS_CRON ("minute hour day month weekday") moves it
# without a code change; "off" leaves the schedule to the database when beat runs with
# django-celery-beat's DatabaseScheduler (edit it in the admin). Run one beat only. An entry's
# "cron" becomes its crontab schedule in slaportal.celery (Celery is not loaded at every start).
CELERY_TIMEZONE = TIME_ZONE
MONTHLY_REPORTS_CRON = env_str("MONTHLY_REPORTS_CRON", "0 6 1 * *")
CELERY_BEAT_SCHEDULE = {}
if MONTHLY_REPORTS_CRON.lower() != "off":
    _cron = MONTHLY_REPORTS_CRON.split()
    if len(_cron) != 5:
        raise ValueError("MONTHLY_REPORTS_CRON needs five fields: minute hour day month weekday")
    CELERY_BEAT_SCHEDULE["monthly-compliance-reports"] = {
        "task": "compliance.tasks.report_month_run",
        "cron": MONTHLY_REPORTS_CRON,
    }
# Warnings before a breach (compliance.tasks.breach_warnings_check): checked every
# BREACH_WARNINGS_EVERY seconds (0: off); an incident is warned of at each of
# BREACH_WARNING_SHARES (percentages of its first-response or resolution target).
BREACH_WARNINGS_EVERY = env_int("BREACH_WARNINGS_EVERY", 300)
BREACH_WARNING_SHARES = [int(share) for share in env_list("BREACH_WARNING_SHARES", ["75", "100"])]
if not BREACH_WARNING_SHARES or any(share <= 0 for share in BREACH_WARNING_SHARES):
    raise ValueError("BREACH_WARNING_SHARES needs positive percentages, e.g. 75,100")
# An error budget is said to burn too fast, and hours to fall behind pace, only once this
# share of the month has passed.
BREACH_WARNING_BURN_FROM = Decimal(env_str("BREACH_WARNING_BURN_FROM", "0.1"))
BREACH_WARNING_PACE_FROM = Decimal(env_str("BREACH_WARNING_PACE_FROM", "0.25"))
if BREACH_WARNINGS_EVERY > 0:
    CELERY_BEAT_SCHEDULE["breach-warnings"] = {
        "task": "compliance.tasks.breach_warnings_check",
        "schedule": float(BREACH_WARNINGS_EVERY),
    }
# Notifications (notifications.tasks): the daily digest emails at NOTIFICATION_DIGEST_CRON
# ("minute hour day month weekday", default 07:00 in TIME_ZONE; "off" to stop them).
NOTIFICATION_DIGEST_CRON = env_str("NOTIFICATION_DIGEST_CRON", "0 7 * * *")
if NOTIFICATION_DIGEST_CRON.lower() != "off":
    _cron = NOTIFICATION_DIGEST_CRON.split()
    if len(_cron) != 5:
        raise ValueError("NOTIFICATION_DIGEST_CRON needs five fields: minute hour day month weekday")
    CELERY_BEAT_SCHEDULE["notification-digests"] = {
        "task": "notifications.tasks.digests_send",
        "cron": NOTIFICATION_DIGEST_CRON,
    }
# Signing (contracts.tasks.signature_requests_follow_up): every SIGNING_FOLLOW_UP_EVERY
# seconds (0: off), open requests past their deadline expire and the signers at turn of the
# others are reminded when their request's reminder interval has passed.
SIGNING_FOLLOW_UP_EVERY = env_int("SIGNING_FOLLOW_UP_EVERY", 3600)
if SIGNING_FOLLOW_UP_EVERY > 0:
    CELERY_BEAT_SCHEDULE["signing-follow-up"] = {
        "task": "contracts.tasks.signature_requests_follow_up",
        "schedule": float(SIGNING_FOLLOW_UP_EVERY),
    }
# Renewals: every RENEWALS_EVERY seconds (0: off) auto-renewing contracts whose end date has
# come on their own clock roll their term forward (contracts.tasks.contracts_renew_due), and
# the admins of both parties are reminded RENEWAL_REMINDER_DAYS days before a contract's
# notice deadline and before its end (notifications.tasks.renewal_reminders_send), each once.
RENEWALS_EVERY = env_int("RENEWALS_EVERY", 3600)
_reminder_days = env_list("RENEWAL_REMINDER_DAYS", ["90", "60", "30"])
if not _reminder_days or not all(days.isdigit() for days in _reminder_days):
    raise ValueError(f"RENEWAL_REMINDER_DAYS={_reminder_days!r}: give whole days, e.g. 90,60,30")
RENEWAL_REMINDER_DAYS = sorted({int(days) for days in _reminder_days})
if RENEWALS_EVERY > 0:
    CELERY_BEAT_SCHEDULE["contract-renewals"] = {
        "task": "contracts.tasks.contracts_renew_due",
        "schedule": float(RENEWALS_EVERY),
    }
    CELERY_BEAT_SCHEDULE["renewal-reminders"] = {
        "task": "notifications.tasks.renewal_reminders_send",
        "schedule": float(RENEWALS_EVERY),
    }
# Report emails: attempts after the first, and the first wait (doubled each time), seconds.
REPORT_EMAIL_RETRIES = env_int("REPORT_EMAIL_RETRIES", 4)
REPORT_EMAIL_BACKOFF = env_int("REPORT_EMAIL_BACKOFF", 60)
# A delivery left "sending" by a worker that died is taken up again after this long.
REPORT_DELIVERY_STALE_AFTER = env_int("REPORT_DELIVERY_STALE_AFTER", 2 * EMAIL_TIMEOUT + 60)
# A notification email (or digest) claimed this long ago and not recorded sent: its worker
# died while sending; the next task for it sends it again, with the same Message-ID.
NOTIFICATION_EMAIL_STALE_AFTER = env_int("NOTIFICATION_EMAIL_STALE_AFTER", REPORT_DELIVERY_STALE_AFTER)
# A report PDF that could not be stored (e.g. disk full) is tried again after this many
# seconds, doubled each time (three more tries).
REPORT_STORE_RETRY_DELAY = env_int("REPORT_STORE_RETRY_DELAY", 120)

# Outgoing webhooks (webhooks/). Loopback, link-local and private addresses are refused
# unless allowed here (a receiver on the same network, or tests).
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
# Seconds to wait for a connection and for each read of the answer.
WEBHOOKS_TIMEOUT = env_int("WEBHOOKS_TIMEOUT", 10)
# A subscription failing for this many seconds is disabled and its admins emailed.
WEBHOOKS_DISABLE_AFTER = env_int("WEBHOOKS_DISABLE_AFTER", 24 * 60 * 60)
# A delivery left "sending" by a worker that died is attempted again after this long.
WEBHOOKS_STALE_AFTER = env_int("WEBHOOKS_STALE_AFTER", 3 * WEBHOOKS_TIMEOUT + 60)
# Every minute: queue the deliveries whose next attempt (after a backoff) is due.
CELERY_BEAT_SCHEDULE["webhook-deliveries-due"] = {"task": "webhooks.tasks.deliveries_due", "schedule": 60.0}

# ---------------------------------------------------------------- broker and database faults
# A broker outage never fails a request: publishing retries briefly (slaportal.queueing),
# then the work stays pending in the database and beat's requeue_pending_work queues it
# again every REQUEUE_PENDING_AFTER seconds, for work pending at least that long
# (0 turns the schedule off; `manage.py requeue_pending` does the same by hand).
CELERY_IMPORTS = ["slaportal.requeue"]
# Where each app reads back its pending work (oldest kinds of work first).
REQUEUE_SOURCES = [
    "contracts.requeue.pending_work",
    "compliance.requeue.pending_work",
    "webhooks.requeue.pending_work",
    "notifications.requeue.pending_work",
]
CELERY_BROKER_TRANSPORT_OPTIONS.setdefault("socket_connect_timeout", 3)
REQUEUE_PENDING_AFTER = env_int("REQUEUE_PENDING_AFTER", 300)
# Work pending for longer than this is left alone (shown as pending; requeue by hand).
REQUEUE_PENDING_WITHIN_DAYS = env_int("REQUEUE_PENDING_WITHIN_DAYS", 14)
if REQUEUE_PENDING_AFTER > 0:
    CELERY_BEAT_SCHEDULE["requeue-pending-work"] = {
        "task": "slaportal.requeue.requeue_pending_work",
        "schedule": float(REQUEUE_PENDING_AFTER),
    }
