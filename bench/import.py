"""Import 10,000 participants from CSV; print rows per second and peak memory.

Baseline, in the same run: a naive import of 1,000 rows (one get_or_create and one enrolment
per row, as a first version would do it). Run: .venv/bin/python bench/import.py"""

import csv
import io
import resource
import time
import tracemalloc

from _common import make_cycle, setup_django

ROWS = 10_000
NAIVE_ROWS = 1_000
FUNCTIONS = [
    "judge",
    "prosecutor",
    "investigating_judge",
    "juvenile_judge",
    "clerk",
    "social_worker",
    "other",
]
REGIONS = ["Casablanca-Settat", "Rabat-Salé-Kénitra", "Fès-Meknès", "Marrakech-Safi", "L'Oriental"]


def make_csv(n: int, prefix: str) -> bytes:
    from himaya.training.participant_io import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    for i in range(n):
        writer.writerow(
            [
                f"{prefix}{i}@justice.test",
                f"Naïma{i}",
                f"Aït Benhaddou{i}",
                "نعيمة",
                "آيت بنحدو",
                "F" if i % 2 else "M",
                FUNCTIONS[i % len(FUNCTIONS)],
                f"Tribunal de première instance n° {i % 80}",
                REGIONS[i % len(REGIONS)],
                f"+2126{i:08d}",
                "ar" if i % 3 else "fr",
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def main():
    setup_django()
    from himaya.accounts.models import User
    from himaya.training import services
    from himaya.training.models import Enrolment, Programme

    programme = Programme.objects.create(slug="bench", title="Bench")
    cycle = make_cycle(programme, "bench", 1)
    naive_cycle = make_cycle(programme, "naive", 2)

    data = make_csv(ROWS, "p")
    start = time.perf_counter()
    report = services.import_participants(cycle=cycle, data=data, filename="bench.csv", actor=None)
    elapsed = time.perf_counter() - start
    assert report.applied and report.as_dict()["created"] == ROWS, report.as_dict()["errors"][:3]

    start = time.perf_counter()
    again = services.import_participants(cycle=cycle, data=data, filename="bench.csv", actor=None)
    second = time.perf_counter() - start
    assert again.as_dict()["unchanged"] == ROWS

    # Naive baseline: parse the same way, then one row at a time.
    naive = make_csv(NAIVE_ROWS, "n").decode("utf-8-sig")
    start = time.perf_counter()
    for row in list(csv.DictReader(io.StringIO(naive), delimiter=";")):
        user, _ = User.objects.get_or_create(
            email=row["email"],
            defaults={"first_name": row["first_name"], "last_name": row["last_name"]},
        )
        Enrolment.objects.get_or_create(cycle=naive_cycle, participant=user)
    naive_elapsed = time.perf_counter() - start

    # Peak memory in a separate run (tracemalloc slows Python down, so it is not timed).
    memory_cycle = make_cycle(programme, "memory", 3)
    memory_data = make_csv(ROWS, "m")
    tracemalloc.start()
    services.import_participants(
        cycle=memory_cycle, data=memory_data, filename="bench.csv", actor=None
    )
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rate = ROWS / elapsed
    naive_rate = NAIVE_ROWS / naive_elapsed
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import of {ROWS} rows: {elapsed:.2f} s; re-import (all unchanged): {second:.2f} s")
    print(
        f"peak Python memory during the import: {peak / 2**20:.1f} MiB (process max RSS {rss:.0f} MiB)"
    )
    print(
        f"import: {rate:.0f} rows/s (baseline: {naive_rate:.0f} rows/s, ratio {rate / naive_rate:.1f})"
    )


if __name__ == "__main__":
    main()
