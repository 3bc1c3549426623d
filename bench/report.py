"""Partner report of a cycle with 5,000 synthetic participants: time and peak memory of the PDF
and of the XLSX. Target: under 10 s each. Baseline in the same run: the cycle page's data alone
(the selectors, no document), so the document cost can be read apart.

Run: .venv/bin/python bench/report.py [N]"""

import datetime
import random
import sys
import time
import tracemalloc

from _common import make_cycle, setup_django

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000


def measure(fn):
    """Time one run, then measure peak memory in a second run (tracemalloc slows Python down)."""
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, elapsed, peak / 2**20


def main():
    setup_django()
    from django.core.management import call_command
    from django.utils import timezone, translation

    from himaya.accounts.models import User
    from himaya.assessments import selectors as assessment_selectors
    from himaya.assessments.models import (
        Answer,
        Attempt,
        Phase,
        Survey,
        SurveyQuestion,
        SurveyResponse,
        Test,
    )
    from himaya.reports import documents, selectors
    from himaya.training.models import Attendance, Enrolment, Programme, Session

    call_command("load_content", verbosity=0)  # the real curriculum and question bank
    rng = random.Random(5000)  # noqa: S311 - reproducible synthetic data
    programme = Programme.objects.get()
    cycle = make_cycle(programme, "bench-report", 99, capacity=N)
    regions = [
        "casablanca-settat",
        "rabat-sale-kenitra",
        "fes-meknes",
        "marrakech-safi",
        "oriental",
        "souss-massa",
    ]
    functions = [
        "judge",
        "prosecutor",
        "investigating_judge",
        "juvenile_judge",
        "clerk",
        "social_worker",
        "other",
    ]
    people = User.objects.bulk_create(
        User(
            email=f"p{i}@bench.test",
            first_name=f"Prénom{i}",
            last_name=f"Nom{i}",
            first_name_ar="سعاد",
            last_name_ar="العلوي",
            gender=rng.choice("FM"),
            function=rng.choice(functions),
            region=rng.choice(regions),
            court=f"Tribunal {i % 90}",
            password="!x",
        )
        for i in range(N)
    )
    Enrolment.objects.bulk_create(
        Enrolment(cycle=cycle, participant=p, status="completed") for p in people
    )
    sessions = [
        Session.objects.create(
            cycle=cycle,
            title=f"Session {i}",
            date=cycle.start_date + datetime.timedelta(days=i % 2),
            start_time=datetime.time(8 + i),
            end_time=datetime.time(9 + i),
        )
        for i in range(8)
    ]
    now = timezone.now()
    Attendance.objects.bulk_create(
        (
            Attendance(
                session=s,
                participant=p,
                status=rng.choice(["present"] * 8 + ["late", "absent"]),
                recorded_at=now,
            )
            for s in sessions
            for p in people
        ),
        batch_size=5000,
    )
    tests = {
        phase: Test.objects.create(
            cycle=cycle, phase=phase, opens_at=now - datetime.timedelta(days=2), closes_at=now
        )
        for phase in (Phase.PRE, Phase.POST)
    }
    for i, person in enumerate(people):
        for phase in (Phase.PRE, Phase.POST):
            form = "A" if (i % 2 == 0) == (phase == Phase.PRE) else "B"
            attempt = Attempt(
                test=tests[phase], participant=person, form=form, started_at=now, submitted_at=now
            )
            people[i]._attempts = getattr(people[i], "_attempts", []) + [attempt]
    attempts = Attempt.objects.bulk_create(
        [a for p in people for a in p._attempts], batch_size=2000
    )
    answers = []
    papers = {
        form: assessment_selectors.leaf_questions(assessment_selectors._paper_queryset(cycle, form))
        for form in "AB"
    }
    for attempt in attempts:
        chance = 0.5 if attempt.test_id == tests[Phase.PRE].pk else 0.75
        right = 0
        for question in papers[attempt.form]:
            good = [c.key for c in question.choices.all() if c.correct]
            ok = rng.random() < chance
            right += ok
            answers.append(
                Answer(
                    attempt=attempt, question=question, selected=good if ok else [], saved_at=now
                )
            )
        total = len(papers[attempt.form]) or 1
        attempt.scores = {"overall": round(100 * right / total, 2), "right": right, "total": total}
    Answer.objects.bulk_create(answers, batch_size=5000)
    Attempt.objects.bulk_update(attempts, ["scores"], batch_size=2000)
    survey = Survey.objects.create(
        cycle=cycle,
        kind="cycle",
        title_fr="Satisfaction",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now,
    )
    SurveyQuestion.objects.create(
        survey=survey, key="overall", kind="likert", text_fr="Globalement ?"
    )
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            survey=survey, submitted_on=now.date(), answers={"overall": rng.randint(1, 5)}
        )
        for _ in range(N // 2)
    )
    print(f"{N} participants, {len(answers)} answers, {len(sessions) * N} attendance records")

    with translation.override("fr"):
        data, data_time, data_peak = measure(lambda: selectors.cycle_report(cycle))
        pdf, pdf_time, pdf_peak = measure(
            lambda: documents.report_pdf(selectors.cycle_report(cycle))
        )
        xlsx, xlsx_time, xlsx_peak = measure(
            lambda: documents.report_xlsx(selectors.cycle_report(cycle))
        )
    print(f"report data alone: {data_time:.2f} s, peak {data_peak:.0f} MiB")
    print(f"PDF: {pdf_time:.2f} s, peak {pdf_peak:.0f} MiB, {len(pdf) / 1024:.0f} KiB")
    print(f"XLSX: {xlsx_time:.2f} s, peak {xlsx_peak:.0f} MiB, {len(xlsx) / 1024:.0f} KiB")
    print(
        f"report: PDF {pdf_time:.2f} s, XLSX {xlsx_time:.2f} s (baseline: report data alone {data_time:.2f} s, ratio {pdf_time / data_time:.1f} and {xlsx_time / data_time:.1f})"
    )


if __name__ == "__main__":
    main()
