"""Fast settings for the test suite: cheap hashing, in-memory cache, no throttling surprises."""

import os

# The suite needs a key of its own; settings refuse to start without one (DEBUG is off).
os.environ.setdefault(
    "HIMAYA_SECRET_KEY", "test-only-key-never-used-outside-the-test-suite-0123456789"
)

from .settings import *  # noqa: E402, F403
from .settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": None}  # in memory
ENCRYPTION_KEYS = ["_HIcYLSRwtBrt4YSqv4LqgBvUr_XjUYHqWW0BVyL_OI="]  # test-only key
