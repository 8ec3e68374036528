"""The only settings file. Everything comes from LINKHOME_* environment variables.

Helpers fail loudly on a malformed value: a typo in a deployment should stop the
process at start, not silently fall back to a default. Nothing here touches the disk.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from dj_database_url import DBConfig
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None


def env_count(name: str, default: int) -> int:
    """A whole number that is 0 or more (seconds, attempts)."""
    value = env_int(name, default)
    if value < 0:
        raise ImproperlyConfigured(f"{name}={value} must be 0 or more")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


def env_origin(name: str) -> str:
    """An origin (scheme://host[:port], nothing after it) or "" when unset."""
    raw = (os.environ.get(name) or "").strip().rstrip("/")
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        raise ImproperlyConfigured(f"{name}={raw!r} must look like https://archive.example.com")
    if parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"{name}={raw!r} must be an origin, with no path or query")
    return f"{parts.scheme}://{parts.netloc.lower()}"


DATA_DIR = Path(env_str("LINKHOME_DATA_DIR", "./data")).resolve()
DEBUG = env_bool("LINKHOME_DEBUG", False)
# A stable default secret would let anyone forge sessions on an exposed instance: the
# `linkhome` command makes a random one per data directory (linkhome.bootstrap) and sets it.
SECRET_KEY = env_str("LINKHOME_SECRET_KEY", "") or "insecure-dev-key-set-LINKHOME_SECRET_KEY"
ALLOWED_HOSTS = [
    h for h in env_str("LINKHOME_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("LINKHOME_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# A refused CSRF check gets the designed 403 page (linkhome.web.errors), not Django's own.
CSRF_FAILURE_VIEW = "linkhome.web.errors.csrf_failure"
# Archived pages are served only from this origin when set (linkhome.web.archive_origin),
# so even a sandbox escape would land on an origin that holds no session.
ARCHIVE_ORIGIN = env_origin("LINKHOME_ARCHIVE_ORIGIN")
if ARCHIVE_ORIGIN:
    archive_host = urlsplit(ARCHIVE_ORIGIN).hostname
    assert archive_host, "env_origin refuses an origin without a host"
    ALLOWED_HOSTS.append(archive_host)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves /api/docs' Swagger UI from our static files, not a CDN (web/security.py)
    "axes",  # sign-in throttling (linkhome.accounts.throttle)
    "linkhome.accounts",
    "linkhome.storage",
    "linkhome.archive",
    "linkhome.hosts",
    "linkhome.links",
    "linkhome.imports",
    "linkhome.search",
    "linkhome.recommend",
    "linkhome.notify",
    "linkhome.worker",
    "linkhome.web",
]

MIDDLEWARE = [
    # First, so every log line of the request, the error page included, carries its id.
    "linkhome.web.request_ids.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "linkhome.web.security.ContentSecurityPolicyMiddleware",
    "linkhome.web.archive_origin.ArchiveOriginMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the translated 429 page (linkhome.web.signin).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "linkhome.urls"
WSGI_APPLICATION = "linkhome.wsgi.application"
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
                "linkhome.web.context.worker_health",
            ]
        },
    }
]


def database_config() -> DBConfig:
    default_url = f"sqlite:///{DATA_DIR / 'linkhome.sqlite3'}"
    config = dj_database_url.parse(env_str("DATABASE_URL", default_url), conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web server read while the worker writes; the busy timeout rides
        # out the short write locks instead of failing with "database is locked".
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            # mmap: reads without a system call per page (search touches many pages of a
            # large file; p95 at 100k links went from 31 to 20 ms).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA mmap_size=268435456;",
        }
        config["CONN_MAX_AGE"] = 0
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The work queue: the database itself (embedded default, and PostgreSQL for many workers)
# or Redis through RQ. Snapshot state lives in the database either way.
QUEUE = env_choice("LINKHOME_QUEUE", "db", ("db", "rq"))
REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
# The capture queues: one per priority lane, highest first, as linkhome.worker.priorities
# names them (settings may not import the worker; a test keeps the two lists equal).
TASK_QUEUES = ["default", "capture-now", "capture", "capture-later"]
if QUEUE == "rq":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {name: {"URL": REDIS_URL} for name in TASK_QUEUES}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES}}

# Where blobs live (linkhome.storage): a folder under the data directory, or any S3-compatible
# store through django-storages (boto3). Both are described here, so `linkhome storage
# migrate` can move an archive from one to the other; "blobs" is the one in use.
STORAGE_KIND = env_choice("LINKHOME_STORAGE", "file", ("file", "s3"))
BLOB_DIR = DATA_DIR / "blobs"
S3_BUCKET = env_str("LINKHOME_S3_BUCKET", "")
S3_ENDPOINT_URL = env_str("LINKHOME_S3_ENDPOINT_URL", "")  # empty: AWS itself
S3_REGION = env_str("LINKHOME_S3_REGION", "") or "us-east-1"
if STORAGE_KIND == "s3" and not S3_BUCKET:
    raise ImproperlyConfigured("LINKHOME_STORAGE=s3 needs LINKHOME_S3_BUCKET (the bucket's name)")


def s3_blob_store(bucket: str = S3_BUCKET, endpoint_url: str = S3_ENDPOINT_URL) -> dict:
    """The django-storages backend of the S3 blob store (also used by the tests' own bucket)."""
    from boto3.s3.transfer import TransferConfig  # only where S3 is asked for
    from botocore.config import Config

    # Large objects go in 8 MiB parts, two at a time, at most two buffered, and downloads
    # queue 2 MiB: s3transfer's defaults (ten threads, ten parts, a 25 MiB queue) made a
    # worker storing a 48 MB body peak at 334 MiB RSS (file: 239).
    transfer = TransferConfig(
        multipart_threshold=8 * 1024 * 1024,
        multipart_chunksize=8 * 1024 * 1024,
        max_concurrency=2,
        max_io_queue=8,
    )
    transfer.max_in_memory_upload_chunks = 2  # s3transfer's own knob; boto3 does not pass it
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": S3_REGION,
            # None: boto3's own chain (its config files, an instance role).
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            # A blob's name is its content: writing the same name again writes the same bytes.
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": True,
            # Reads are spooled to a temporary file past this, never held whole in memory.
            "max_memory_size": 8 * 1024 * 1024,
            "transfer_config": transfer,
            # Path-style addresses are what MinIO, Garage, Ceph and moto expect by default.
            "client_config": Config(
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
                s3={"addressing_style": "path" if endpoint_url else "auto"},
            ),
        },
    }


BLOB_STORES: dict[str, dict] = {
    "file": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BLOB_DIR)},
    },
}
if S3_BUCKET:
    BLOB_STORES["s3"] = s3_blob_store()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "blobs": BLOB_STORES[STORAGE_KIND],
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Browser mode (capture/browser): auto = when the link asks for it or HTTP mode found (almost)
# no text; always = every HTML page; off = never. Chromium is looked for at LINKHOME_CHROMIUM.
BROWSER = env_choice("LINKHOME_BROWSER", "auto", ("auto", "always", "off"))
BROWSER_EXECUTABLE = env_str("LINKHOME_CHROMIUM", "/usr/bin/chromium")
BROWSER_TIMEOUT = env_float("LINKHOME_BROWSER_TIMEOUT", 30.0)  # seconds per page
BROWSER_RESTART_EVERY = env_int("LINKHOME_BROWSER_RESTART_EVERY", 50)  # captures
BROWSER_CONCURRENCY = env_int("LINKHOME_BROWSER_CONCURRENCY", 2)  # pages at once per worker
BROWSER_MIN_TEXT = env_int("LINKHOME_BROWSER_MIN_TEXT", 200)  # characters: less means JS-built
# OCR (capture/steps/ocr.py, lib/ocr.py): the text of image snapshots and of scanned PDF pages
# (no text layer), read by Debian's Tesseract. auto = when Tesseract and its languages are
# installed; off = never. Each bound below keeps one picture from holding a worker for long.
OCR = env_choice("LINKHOME_OCR", "auto", ("auto", "off"))
OCR_TESSERACT = env_str("LINKHOME_TESSERACT", "/usr/bin/tesseract")
OCR_LANGUAGES = env_str("LINKHOME_OCR_LANGUAGES", "chi_sim+eng,chi_tra+eng")
OCR_MAX_PAGES = env_count("LINKHOME_OCR_MAX_PAGES", 20)  # scanned PDF pages read
OCR_MAX_PIXELS = env_count("LINKHOME_OCR_MAX_PIXELS", 16_000_000)  # larger: scaled down
OCR_TIMEOUT = env_float("LINKHOME_OCR_TIMEOUT", 60.0)  # seconds per image or page
OCR_DEADLINE = env_float("LINKHOME_OCR_DEADLINE", 300.0)  # seconds per document
OCR_CONCURRENCY = env_count("LINKHOME_OCR_CONCURRENCY", 1)  # OCRs at once per worker process
ALLOW_PRIVATE_NETWORKS = env_bool("LINKHOME_ALLOW_PRIVATE_NETWORKS", False)
FETCH_CONNECT_TIMEOUT = env_float("LINKHOME_FETCH_CONNECT_TIMEOUT", 10.0)
FETCH_READ_TIMEOUT = env_float("LINKHOME_FETCH_READ_TIMEOUT", 20.0)
FETCH_DEADLINE = env_float("LINKHOME_FETCH_DEADLINE", 60.0)
FETCH_MAX_BYTES = env_int("LINKHOME_FETCH_MAX_BYTES", 50 * 1024 * 1024)
FETCH_MAX_REDIRECTS = env_int("LINKHOME_FETCH_MAX_REDIRECTS", 10)
# Bytes of an HTML page read for its text, metadata, UTF-8 copy, single file and the WARC's
# outlinks; the raw page and the WARC keep every byte of it. 2 MiB: 2 of the ~720 corpus
# pages are longer; a 50 MB page peaks at ~500 MiB of worker with it, ~450 with 1 MiB.
CAPTURE_PARSE_BYTES = env_int("LINKHOME_CAPTURE_PARSE_BYTES", 2 * 1024 * 1024)
if CAPTURE_PARSE_BYTES < 1024:
    raise ImproperlyConfigured(f"LINKHOME_CAPTURE_PARSE_BYTES={CAPTURE_PARSE_BYTES} is too small")
CAPTURE_MAX_ATTEMPTS = env_int("LINKHOME_CAPTURE_MAX_ATTEMPTS", 4)


def env_floats(name: str, default: str) -> tuple[float, ...]:
    raw = os.environ.get(name) or default
    try:
        return tuple(float(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} must be comma-separated seconds") from None


# Seconds to wait before retry 1, 2, 3…; the last value repeats.
CAPTURE_RETRY_BACKOFF = env_floats("LINKHOME_CAPTURE_RETRY_BACKOFF", "5,30,120,600")
CAPTURE_ASSETS = env_bool("LINKHOME_CAPTURE_ASSETS", True)
CAPTURE_ASSET_DEADLINE = env_float("LINKHOME_CAPTURE_ASSET_DEADLINE", 60.0)
# The longest side, in pixels, of the preview picture kept for lists (capture.steps.preview).
PREVIEW_MAX_SIDE = env_count("LINKHOME_PREVIEW_MAX_SIDE", 480)
# Seconds for all the fetches of one capture attempt together (the page's and its assets';
# the browser has LINKHOME_BROWSER_TIMEOUT): the per-fetch limits never add up past it.
CAPTURE_DEADLINE = env_float("LINKHOME_CAPTURE_DEADLINE", 90.0)
if CAPTURE_DEADLINE <= 0:
    raise ImproperlyConfigured(f"LINKHOME_CAPTURE_DEADLINE={CAPTURE_DEADLINE} must be above 0")
# Captures at once per worker process (threads; they mostly wait on the network). With 2 or
# more, one of them takes only links a person just added (linkhome.worker.priorities).
# Politeness to the sites (hosts/pace.py), shared by every worker on every machine: at most
# HOST_REQUESTS page requests at once to one host, HOST_DELAY seconds between their starts; a
# capture waits for its host's turn up to HOST_MAX_WAIT, then goes back to the queue for
# later. A 429 or 503 with Retry-After pauses the host (at most RETRY_AFTER_MAX seconds).
HOST_REQUESTS = env_int("LINKHOME_HOST_REQUESTS", 1)
HOST_DELAY = env_float("LINKHOME_HOST_DELAY", 1.0)
HOST_MAX_WAIT = env_float("LINKHOME_HOST_MAX_WAIT", 10.0)
RETRY_AFTER_MAX = env_float("LINKHOME_RETRY_AFTER_MAX", 3600.0)
if HOST_REQUESTS < 1:
    raise ImproperlyConfigured(f"LINKHOME_HOST_REQUESTS={HOST_REQUESTS} must be 1 or more")
if HOST_DELAY < 0 or HOST_MAX_WAIT < 0 or RETRY_AFTER_MAX < 0:
    raise ImproperlyConfigured(
        "LINKHOME_HOST_DELAY, LINKHOME_HOST_MAX_WAIT and LINKHOME_RETRY_AFTER_MAX must be 0 or more"
    )
CAPTURE_THREADS = env_int("LINKHOME_CAPTURE_THREADS", 3)
if CAPTURE_THREADS < 1:
    raise ImproperlyConfigured(f"LINKHOME_CAPTURE_THREADS={CAPTURE_THREADS} must be 1 or more")
# A worker that one capture grew by more than this (MiB) restarts itself after its captures
# in flight (a huge page leaves memory the allocator never gives back); 0: never.
WORKER_RECYCLE_MIB = env_int("LINKHOME_WORKER_RECYCLE_MIB", 100)
if WORKER_RECYCLE_MIB < 0:
    raise ImproperlyConfigured(
        f"LINKHOME_WORKER_RECYCLE_MIB={WORKER_RECYCLE_MIB} must be 0 or more"
    )
WORKER_STALE_SECONDS = env_int("LINKHOME_WORKER_STALE_SECONDS", 120)
# Seconds between turns of the periodic catch-up jobs (worker/schedule.py): links whose
# newest capture is not indexed yet, profiles behind the index, the oldest related lists.
WORKER_CATCH_UP_SECONDS = env_int("LINKHOME_WORKER_CATCH_UP_SECONDS", 60)
if WORKER_CATCH_UP_SECONDS < 1:
    raise ImproperlyConfigured(
        f"LINKHOME_WORKER_CATCH_UP_SECONDS={WORKER_CATCH_UP_SECONDS} must be 1 or more"
    )
# Scheduled re-captures (links.watching, the worker's watch-recaptures job): the schedule of
# a link that, like its tags and its owner, names none; how far (a share of the interval)
# each next check is moved at random so a thousand links added at once are not all due at
# once; how often the job looks for due links and how many it claims per turn.
WATCH_DEFAULT = env_choice(
    "LINKHOME_WATCH_DEFAULT", "never", ("never", "daily", "weekly", "monthly")
)
WATCH_JITTER = env_float("LINKHOME_WATCH_JITTER", 0.1)
if not 0 <= WATCH_JITTER <= 0.5:
    raise ImproperlyConfigured(f"LINKHOME_WATCH_JITTER={WATCH_JITTER} must be from 0 to 0.5")
WATCH_SECONDS = env_int("LINKHOME_WATCH_SECONDS", 60)
WATCH_BATCH = env_int("LINKHOME_WATCH_BATCH", 200)
if WATCH_SECONDS < 1 or WATCH_BATCH < 1:
    raise ImproperlyConfigured("LINKHOME_WATCH_SECONDS and LINKHOME_WATCH_BATCH must be 1 or more")

# Notifications of changed and dead pages (linkhome.notify): the worker's notify-deliveries
# job runs every NOTIFY_SECONDS, claims up to NOTIFY_BATCH due webhook and email deliveries
# and sends them; a failed one is tried again after NOTIFY_RETRY_SECONDS × 2^(attempts−1)
# (at most NOTIFY_RETRY_MAX_SECONDS), NOTIFY_MAX_ATTEMPTS times in all.
NOTIFY_SECONDS = env_int("LINKHOME_NOTIFY_SECONDS", 30)
NOTIFY_BATCH = env_int("LINKHOME_NOTIFY_BATCH", 100)
NOTIFY_RETRY_SECONDS = env_float("LINKHOME_NOTIFY_RETRY_SECONDS", 60.0)
NOTIFY_RETRY_MAX_SECONDS = env_float("LINKHOME_NOTIFY_RETRY_MAX_SECONDS", 6 * 3600.0)
NOTIFY_MAX_ATTEMPTS = env_int("LINKHOME_NOTIFY_MAX_ATTEMPTS", 8)
NOTIFY_WEBHOOK_TIMEOUT = env_float("LINKHOME_NOTIFY_WEBHOOK_TIMEOUT", 10.0)
if NOTIFY_SECONDS < 1 or NOTIFY_BATCH < 1 or NOTIFY_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured(
        "LINKHOME_NOTIFY_SECONDS, LINKHOME_NOTIFY_BATCH and LINKHOME_NOTIFY_MAX_ATTEMPTS"
        " must be 1 or more"
    )
if NOTIFY_RETRY_SECONDS <= 0 or NOTIFY_WEBHOOK_TIMEOUT <= 0:
    raise ImproperlyConfigured(
        "LINKHOME_NOTIFY_RETRY_SECONDS and LINKHOME_NOTIFY_WEBHOOK_TIMEOUT must be above 0"
    )
# The address people reach this instance at, for the links in emails, webhooks and feeds
# made outside a request (the worker's): "https://links.example.com".
SITE_URL = env_origin("LINKHOME_SITE_URL") or "http://127.0.0.1:8000"
# Email through Django's email backend (SMTP by default). No LINKHOME_EMAIL_HOST: this
# instance sends no email, and the account page says so.
EMAIL_BACKEND = env_str("LINKHOME_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("LINKHOME_EMAIL_HOST", "")
EMAIL_PORT = env_int("LINKHOME_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("LINKHOME_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("LINKHOME_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LINKHOME_EMAIL_STARTTLS", False)
EMAIL_USE_SSL = env_bool("LINKHOME_EMAIL_SSL", False)
EMAIL_TIMEOUT = env_float("LINKHOME_EMAIL_TIMEOUT", 30.0)
DEFAULT_FROM_EMAIL = env_str("LINKHOME_EMAIL_FROM", "LinkHome <linkhome@localhost>")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("LINKHOME_EMAIL_STARTTLS and LINKHOME_EMAIL_SSL exclude each other")
ADD_LIMIT_PER_MINUTE = env_int("LINKHOME_ADD_LIMIT_PER_MINUTE", 30)
# How long a tag delete or merge can be undone (seconds; the token carries its deadline).
UNDO_SECONDS = env_int("LINKHOME_UNDO_SECONDS", 600)
# 保存到我的链接 (links.saving): someone's public snapshot finished at most this many days ago
# becomes the saver's own snapshot without a second capture (0: always capture again).
SAVE_FRESH_DAYS = env_count("LINKHOME_SAVE_FRESH_DAYS", 7)
# Atom and RSS feeds (linkhome.links.feeds): the newest this many items, 1 to 500.
FEED_ITEMS = env_int("LINKHOME_FEED_ITEMS", 50)
if not 1 <= FEED_ITEMS <= 500:
    raise ImproperlyConfigured(f"LINKHOME_FEED_ITEMS={FEED_ITEMS} must be from 1 to 500")
# Feeds in (linkhome.imports.feeds, the worker's poll-feeds job): each subscription is
# checked every FEED_POLL_SECONDS; after an error the wait doubles with each error in a row
# (FEED_POLL_SECONDS × 2^errors, at most FEED_BACKOFF_MAX_SECONDS). A check takes at most
# FEED_MAX_ENTRIES new entries and reads at most FEED_MAX_BYTES of the feed (over it: an
# error), within FEED_TIMEOUT seconds. The job looks every FEED_JOB_SECONDS and checks up
# to FEED_BATCH due subscriptions per turn.
FEED_POLL_SECONDS = env_int("LINKHOME_FEED_POLL_SECONDS", 3600)
FEED_BACKOFF_MAX_SECONDS = env_int("LINKHOME_FEED_BACKOFF_MAX_SECONDS", 86400)
FEED_MAX_ENTRIES = env_int("LINKHOME_FEED_MAX_ENTRIES", 100)
FEED_MAX_BYTES = env_int("LINKHOME_FEED_MAX_BYTES", 5 * 1024 * 1024)
FEED_TIMEOUT = env_float("LINKHOME_FEED_TIMEOUT", 20.0)
FEED_JOB_SECONDS = env_int("LINKHOME_FEED_JOB_SECONDS", 60)
FEED_BATCH = env_int("LINKHOME_FEED_BATCH", 20)
for _name, _value in (
    ("LINKHOME_FEED_POLL_SECONDS", FEED_POLL_SECONDS),
    ("LINKHOME_FEED_BACKOFF_MAX_SECONDS", FEED_BACKOFF_MAX_SECONDS),
    ("LINKHOME_FEED_MAX_ENTRIES", FEED_MAX_ENTRIES),
    ("LINKHOME_FEED_MAX_BYTES", FEED_MAX_BYTES),
    ("LINKHOME_FEED_JOB_SECONDS", FEED_JOB_SECONDS),
    ("LINKHOME_FEED_BATCH", FEED_BATCH),
):
    if _value < 1:
        raise ImproperlyConfigured(f"{_name}={_value} must be 1 or more")
if FEED_TIMEOUT <= 0:
    raise ImproperlyConfigured(f"LINKHOME_FEED_TIMEOUT={FEED_TIMEOUT} must be above 0")
if FEED_BACKOFF_MAX_SECONDS < FEED_POLL_SECONDS:
    raise ImproperlyConfigured(
        "LINKHOME_FEED_BACKOFF_MAX_SECONDS must be at least LINKHOME_FEED_POLL_SECONDS"
    )
# Bookmark imports (linkhome.imports): the largest file accepted (web, API, CLI), and where
# uploaded files wait for the worker (removed when their import ends).
IMPORT_MAX_BYTES = env_count("LINKHOME_IMPORT_MAX_BYTES", 100 * 1024 * 1024)
IMPORT_DIR = DATA_DIR / "imports"
# Read and judge the file's entries in a child process while the worker saves (2 cores).
IMPORT_READER_PROCESS = env_bool("LINKHOME_IMPORT_READER_PROCESS", True)
# A jieba dictionary file (one `word [frequency] [tag]` a line) for words the built-in one
# cuts wrongly (names, products, jargon); changing it rebuilds the search index.
SEARCH_USER_DICT = env_str("LINKHOME_SEARCH_USER_DICT", "")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("LINKHOME_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Behind a TLS proxy (README "Behind a TLS proxy"). Off by default: plain HTTP on
# 127.0.0.1 must keep working, and trusting forwarded headers that no proxy overwrites
# would let any client claim HTTPS or another address.
SECURE_COOKIES = env_bool("LINKHOME_SECURE_COOKIES", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
# Browsers only honour HSTS on HTTPS answers, so it needs TLS here or a trusted proxy.
SECURE_HSTS_SECONDS = env_count("LINKHOME_HSTS_SECONDS", 0)
TRUST_PROXY_HEADERS = env_bool("LINKHOME_TRUST_PROXY_HEADERS", False)
if TRUST_PROXY_HEADERS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Redirect plain HTTP to HTTPS. Behind a proxy it needs the proxy's header trusted, or
# every request looks like plain HTTP and redirects forever.
SECURE_SSL_REDIRECT = env_bool("LINKHOME_HTTPS_REDIRECT", False)

# Sign-in throttling (django-axes, linkhome.accounts.throttle): after
# LINKHOME_SIGNIN_FAILURE_LIMIT failures for one account or from one client address (web
# sign-in and wrong API tokens alike), both wait LINKHOME_SIGNIN_COOLOFF_SECONDS, counted
# again from each attempt made meanwhile. A limit of 0 turns throttling off.
SIGNIN_FAILURE_LIMIT = env_count("LINKHOME_SIGNIN_FAILURE_LIMIT", 5)
SIGNIN_COOLOFF_SECONDS = env_count("LINKHOME_SIGNIN_COOLOFF_SECONDS", 900)
if SIGNIN_COOLOFF_SECONDS < 1:
    # axes takes "no cool-off" as "locked until an admin unlocks": never by accident.
    raise ImproperlyConfigured("LINKHOME_SIGNIN_COOLOFF_SECONDS must be 1 or more")
AXES_ENABLED = SIGNIN_FAILURE_LIMIT > 0
AXES_FAILURE_LIMIT = max(SIGNIN_FAILURE_LIMIT, 1)
AXES_COOLOFF_TIME = timedelta(seconds=SIGNIN_COOLOFF_SECONDS)
AXES_LOCKOUT_PARAMETERS = "linkhome.accounts.throttle.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "linkhome.accounts.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "linkhome.web.signin.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not ours to keep a log of
# A success must not wipe the failures: axes would delete every attempt from that address
# and for that account, so signing in to one's own account between guesses at another's
# would reset both counts. Failures fade with the cool-off instead.
AXES_RESET_ON_SUCCESS = False
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out attempt
    "django.contrib.auth.backends.ModelBackend",
]

# Checked at the door: sign-up, password change (web) and `linkhome createuser/password`.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

# Every line says which request it belongs to (linkhome.web.request_ids); a server error
# is logged by django.request with its traceback, whatever LINKHOME_DEBUG says.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "linkhome.lib.request_ids.RequestIdFilter"}},
    "formatters": {
        "lines": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "lines",
        }
    },
    "loggers": {
        "linkhome": {"handlers": ["console"], "level": env_str("LINKHOME_LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
