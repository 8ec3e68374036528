"""Test runs use the one real settings module, with the environment a test run needs.

Setting variables here (not a second settings file) keeps tests on the same code path as
production: only the inputs differ.
"""

import atexit
import os
import shutil
import tempfile

if "LINKHOME_DATA_DIR" not in os.environ:
    os.environ["LINKHOME_DATA_DIR"] = tempfile.mkdtemp(prefix="linkhome-test-")
    atexit.register(shutil.rmtree, os.environ["LINKHOME_DATA_DIR"], ignore_errors=True)
# Tests fetch from fixture servers on 127.0.0.1; the SSRF tests build their own clients.
os.environ.setdefault("LINKHOME_ALLOW_PRIVATE_NETWORKS", "1")
os.environ.setdefault("LINKHOME_SECRET_KEY", "test-secret")
os.environ.setdefault("LINKHOME_CAPTURE_RETRY_BACKOFF", "0.05")
os.environ.setdefault("LINKHOME_FETCH_DEADLINE", "10")

from linkhome.settings import *  # noqa: F403

# whitenoise warns about a missing static root; a test run serves no static files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# PBKDF2's deliberate slowness costs ~1.6 s per account on this machine, in every test that
# creates its cast; the hasher itself is Django's and not what these tests are about.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
