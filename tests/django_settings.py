"""Test runs use the one real settings module, with the environment a test run needs.

Setting variables here (not a second settings file) keeps tests on the same code path as
production: only the inputs differ.
"""

import atexit
import os
import shutil
import tempfile

# A data directory of its own for each test process: pytest-xdist's workers inherit the
# controller's environment, and two workers sharing one blob folder would delete each other's
# blobs (each test database knows only its own references).
if "LINKHOME_DATA_DIR" not in os.environ or os.environ.get("LINKHOME_TEST_DATA_DIR_OF") not in (
    None,
    str(os.getpid()),
):
    os.environ["LINKHOME_DATA_DIR"] = tempfile.mkdtemp(prefix="linkhome-test-")
    os.environ["LINKHOME_TEST_DATA_DIR_OF"] = str(os.getpid())
    atexit.register(shutil.rmtree, os.environ["LINKHOME_DATA_DIR"], ignore_errors=True)
# Tests fetch from fixture servers on 127.0.0.1; the SSRF tests build their own clients.
os.environ.setdefault("LINKHOME_ALLOW_PRIVATE_NETWORKS", "1")
os.environ.setdefault("LINKHOME_SECRET_KEY", "test-secret")
os.environ.setdefault("LINKHOME_CAPTURE_RETRY_BACKOFF", "0.05")
os.environ.setdefault("LINKHOME_FETCH_DEADLINE", "10")
# Every fixture site is 127.0.0.1: the default politeness (one request at a time, a second
# apart) would make every test that captures two pages wait. The politeness tests set it.
os.environ.setdefault("LINKHOME_HOST_DELAY", "0")
os.environ.setdefault("LINKHOME_HOST_REQUESTS", "8")
# Browser mode costs a Chromium page per capture: the tests about it turn it on themselves
# (tests/browser_support.py), the HTTP-mode tests keep to what they are about.
os.environ.setdefault("LINKHOME_BROWSER", "off")

from linkhome.settings import *  # noqa: F403

# whitenoise warns about a missing static root; a test run serves no static files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# PBKDF2's deliberate slowness costs ~1.6 s per account on this machine, in every test that
# creates its cast; the hasher itself is Django's and not what these tests are about.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Two test runs on one PostgreSQL server (a developer's beside CI's) each need their own
# test database; Django's default name is the same for both.
if os.environ.get("LINKHOME_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["LINKHOME_TEST_DATABASE"]}  # noqa: F405

# On PostgreSQL, the same backend with a cheaper flush between transactional tests
# (tests/postgresql/base.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.postgresql"  # noqa: F405
