"""Shared set-up for the benchmarks: a fresh SQLite database in a temporary folder."""

import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(urlconf: str | None = None) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="himaya-bench-"))
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["HIMAYA_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.settings")
    # A throwaway database gets a throwaway key (settings refuse to start without one).
    os.environ.setdefault("HIMAYA_SECRET_KEY", secrets.token_urlsafe(50))
    import django
    from django.conf import settings

    django.setup()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if urlconf:
        settings.ROOT_URLCONF = urlconf
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("compile_translations", verbosity=0)
    return folder


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def make_cycle(programme, slug: str, number: int, capacity: int = 20_000):
    """A two-day cycle of the programme, for benchmark data."""
    import datetime

    from himaya.training.models import Cycle

    return Cycle.objects.create(
        programme=programme,
        slug=slug,
        number=number,
        title=slug.title(),
        start_date=datetime.date(2025, 1, 6),
        end_date=datetime.date(2025, 1, 7),
        city="Casablanca",
        capacity=capacity,
    )
