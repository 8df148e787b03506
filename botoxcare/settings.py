"""Settings, all from the environment, with safe defaults for local use.

BOTOXCARE_ENV=production switches on the production checks: the process refuses to start with
DEBUG on, the default, a short or a low-entropy SECRET_KEY, an empty ALLOWED_HOSTS or one with a
wildcard, or mail that is not SMTP over TLS.
"""

from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENVIRONMENT = env.str("BOTOXCARE_ENV", default="local")
PRODUCTION = ENVIRONMENT == "production"

_LOCAL_SECRET_KEY = "local-only-insecure-secret-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_LOCAL_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)

if PRODUCTION:
    problems = []
    if DEBUG:
        problems.append("DEBUG must be off")
    if SECRET_KEY == _LOCAL_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 20:
        problems.append(
            "SECRET_KEY must be set to a random value of at least 50 characters "
            "(of at least 20 different ones)"
        )
    if not ALLOWED_HOSTS or any("*" in host for host in ALLOWED_HOSTS):
        problems.append("ALLOWED_HOSTS must name the hosts this site is served on (no wildcard)")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "botoxcare",
    "patients",
    "treatments",
    "diary",
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "botoxcare.audit.audit_context",
    "django.contrib.messages.middleware.MessageMiddleware",
    "botoxcare.middleware.session_limits",
    "botoxcare.two_factor.middleware.TwoFactorRequired",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "botoxcare.middleware.privacy_headers",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "botoxcare.urls"
WSGI_APPLICATION = "botoxcare.wsgi.application"

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
                "botoxcare.roles.roles_context",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections (docs/OPERATIONS.md, "Database connections"): a process keeps its
# connection for CONN_MAX_AGE seconds instead of opening one a request (on PostgreSQL that
# opening was most of a small page's time), and checks it still works before reusing it after
# a request, so a restarted server costs one failed check, not an error page. Not Django's
# psycopg pool: gunicorn's sync workers and Celery's prefork children serve one request or
# task at a time, so each needs exactly one connection, which is what this keeps; a pool per
# process would add a dependency (psycopg[pool]) and idle connections for nothing.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Concurrent writers on SQLite wait for the lock instead of failing at once, and a
    # transaction takes the write lock when it begins (select_for_update does nothing here),
    # so two people pressing the same button run one after the other. WAL lets the other
    # gunicorn workers read while one writes (bin/run serves with several).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # The app's queries are short: PostgreSQL's JIT compiled the patient list's plan at 50,000
    # patients for about 200 ms of a 570 ms page (issue 12), and never paid back. Off for this
    # app's connections only; an `options` given in DATABASE_URL is kept (and wins on jit).
    _pg = DATABASES["default"].setdefault("OPTIONS", {})
    _options = str(_pg.get("options", ""))
    if "jit" not in _options:
        _pg["options"] = f"{_options} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes counts failed sign-ins in the cool-off window, each combination on its own
# counter with its own limit (botoxcare.security.SignInThrottle): 5 for one username from one
# address, 10 for one username from any addresses, 20 from one address across any usernames
# (password spraying). A success does not wipe the count. Each failure and each pause is
# logged to "botoxcare.security". A clinic admin unlocks a member from their staff page.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "botoxcare.security.SignInThrottle"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
SIGN_IN_FAILURE_LIMIT_PER_USERNAME = env.int("SIGN_IN_FAILURE_LIMIT_PER_USERNAME", default=10)
SIGN_IN_FAILURE_LIMIT_PER_ADDRESS = env.int("SIGN_IN_FAILURE_LIMIT_PER_ADDRESS", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_LOCKOUT_CALLABLE = "botoxcare.security.lockout_response"
AXES_VERBOSE = False
# How many reverse proxies in front of the app append to X-Forwarded-For. 0 (the default)
# trusts only the connection's address; set 1 behind one TLS proxy, never more than there are,
# or a client could pick its own address and escape the lockout.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "botoxcare.client_ip.client_ip"

# "Call me" requests from the public page: at most this many from one address an hour, and
# for one phone number a day; more are refused and nothing of them is stored.
CALLBACK_LIMIT_PER_ADDRESS = env.int("CALLBACK_LIMIT_PER_ADDRESS", default=5)
CALLBACK_LIMIT_PER_PHONE = env.int("CALLBACK_LIMIT_PER_PHONE", default=3)

# Two-factor sign-in (django-otp; botoxcare.two_factor): an authenticator app's codes plus
# ten single-use recovery codes, required for staff and /admin/ operators, optional for
# patients. The issuer is the name the authenticator app shows beside the account: neutral,
# since it sits on patients' phones too. /admin/ shows no device keys.
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Clinic sign-in")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "after-login"
LOGOUT_REDIRECT_URL = "public:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
# The country whose numbers are written without their +code: phone numbers are read and
# written in its national form ("07700 900123"), others in international form.
PHONE_REGION = env.str("PHONE_REGION", default="GB")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
if EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend":
    # consolemail:// prints each email headed "not sent — console" (botoxcare.messaging).
    EMAIL_BACKEND = "botoxcare.messaging.ConsoleEmailBackend"
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)  # seconds; a hung server fails the send
# The sender patients see on every email: keep it neutral (no treatment or drug in it).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="your-clinic@localhost")
# Who is mailed each server error (botoxcare.error_mail: no patient data in the mail): a
# comma-separated list of "Name <address>" or plain addresses; empty, errors are only logged.
ADMINS = [
    (name or address, address)
    for name, address in getaddresses([env.str("ADMINS", default="")])
    if address
]
if any("@" not in address for _name, address in ADMINS):
    raise ImproperlyConfigured("ADMINS must be email addresses: 'Name <a@b.org>, c@d.org'")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
SMS_BACKEND = env.str(
    "SMS_BACKEND",
    default="botoxcare.messaging." + ("DisabledSMSBackend" if PRODUCTION else "ConsoleSMSBackend"),
)
if PRODUCTION and EMAIL_BACKEND != "django.core.mail.backends.smtp.EmailBackend":
    raise ImproperlyConfigured(
        "Refusing to start in production: EMAIL_URL must name a real mail server "
        "(reminders would otherwise only be printed)"
    )
if PRODUCTION and not (EMAIL_USE_TLS or EMAIL_USE_SSL):
    raise ImproperlyConfigured(
        "Refusing to start in production: EMAIL_URL must use TLS (smtp+tls:// or smtp+ssl://): "
        "mail to patients and staff carries sign-in links"
    )

# Celery: with no REDIS_URL (the embedded default) tasks run in-process and the reminder sweep
# runs from `manage.py reminders_sweep --loop`; with Redis, a worker and exactly one beat.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
# The cache keeps figures counted from many rows until the clinic next changes
# (botoxcare/freshness.py). With Redis it is shared by every web process (a key prefix of its
# own; short timeouts, so a Redis that is down slows a page by at most a fraction of a second
# and the figure is counted instead); without, each process keeps its own.
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "botoxcare",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE = {
    "reminders-sweep": {"task": "treatments.tasks.reminders_sweep", "schedule": crontab()},
    # PDFs whose render after commit failed or was lost (and records older than documents).
    "documents-missing": {
        "task": "treatments.tasks.documents_missing_make",
        "schedule": crontab(minute="*/15"),
    },
    # Patients in maintenance whose diary has been silent a while: one reminder each silence.
    "diary-nudges": {"task": "diary.tasks.diary_nudges", "schedule": crontab(hour=2, minute=41)},
    # Each diary's flags judged again as the day moves on (the flagged-patients list reads them).
    "diary-standings": {
        "task": "diary.tasks.diary_standings_sweep",
        "schedule": crontab(hour=0, minute=20),
    },
    # Old form tokens and expired sessions, at night.
    "housekeeping": {
        "task": "botoxcare.tasks.housekeeping",
        "schedule": crontab(hour=3, minute=17),
    },
}
# How long a form's token is kept to recognise the same form sent again (botoxcare.submissions).
FORM_TOKEN_DAYS = env.int("FORM_TOKEN_DAYS", default=2)

# Sessions: staff are signed out after 30 idle minutes and 12 hours in all, patients after 60
# idle minutes (botoxcare.middleware.session_limits); the cookie never outlives the longest.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)
STAFF_SESSION_HOURS = env.int("STAFF_SESSION_HOURS", default=12)
PATIENT_IDLE_MINUTES = env.int("PATIENT_IDLE_MINUTES", default=60)
# A page with a form warns this long before the idle sign-out, with "Stay signed in"; if the
# time runs out, what was typed is kept in the tab for after signing in (static/js/idle.js).
IDLE_WARNING_SECONDS = env.int("IDLE_WARNING_SECONDS", default=300)
SESSION_COOKIE_AGE = STAFF_SESSION_HOURS * 3600

# Content-Security-Policy (django-csp): only this site's own scripts, styles and images (and
# the data: favicon); no inline script or style, no frames, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page here uses (botoxcare.middleware.privacy_headers).
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container healthcheck speaks plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    # Cookies bound to this exact host, over HTTPS, with no Domain attribute.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {"class": "botoxcare.error_mail.ErrorMail", "level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint logs each step of every render at INFO; its warnings (refused fetches)
        # stay. Celery logs every task it ran at INFO; failures stay.
        "weasyprint.progress": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        # Failed sign-ins, pauses and unlocks: a username hash or user id and the address.
        "botoxcare.security": {"level": "INFO"},
        # Errors always reach the console log (through the root logger); each server error
        # is mailed to ADMINS when they are set. Django's own handlers (its console only
        # under DEBUG, and its full error report by mail) are replaced.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"handlers": ["mail_admins"] if ADMINS else []},
    },
}
