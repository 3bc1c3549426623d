"""A whole cohort for page tests that count queries: attendance, pre- and post-tests with answers
(some post-tests left unsubmitted, to be counted once their time is over), a satisfaction survey
and certificates. `Cohort.grow(n)` adds n more people the same way, so a test can build a page
at n people, grow the cohort tenfold and build it again."""

from __future__ import annotations

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from himaya.assessments import services
from himaya.assessments.models import Survey, SurveyQuestion
from himaya.assessments.tests.factories import bank, open_tests
from himaya.training import services as training_services
from himaya.training.tests.factories import EnrolmentFactory, SessionFactory


class Cohort:
    def __init__(self, cycle, *, trainer, with_bank: bool = True):
        """`with_bank=False` for a second cycle of a programme whose questions exist already."""
        self.cycle = cycle
        self.trainer = trainer
        if with_bank:
            bank(cycle.programme)
        self.pre, self.post = open_tests(cycle)
        self.sessions = [SessionFactory(cycle=cycle) for _ in range(2)]
        for session in self.sessions:
            session.trainers.add(trainer)
        now = timezone.now()
        self.survey = Survey.objects.create(
            cycle=cycle,
            kind="cycle",
            title_fr="Satisfaction",
            opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(hours=1),
        )
        SurveyQuestion.objects.create(
            survey=self.survey, key="overall", kind="likert", text_fr="Globalement ?", position=0
        )
        SurveyQuestion.objects.create(
            survey=self.survey, key="comment", kind="text", text_fr="Un commentaire ?", position=1
        )
        self.people = []
        self.attempts = []

    def _answer_all(self, attempt, right: bool):
        from himaya.assessments import selectors

        for question in selectors.leaf_questions(selectors.paper(attempt)):
            correct = [c.key for c in question.choices.all() if c.correct]
            wrong = [c.key for c in question.choices.all() if not c.correct][:1]
            services.save_answer(
                attempt=attempt, question_key=question.key, selected=correct if right else wrong
            )

    def grow(self, n: int) -> list:
        added = [EnrolmentFactory(cycle=self.cycle).participant for _ in range(n)]
        for i, person in enumerate(added, start=len(self.people)):
            for session in self.sessions:
                training_services.record_attendance(
                    session=session,
                    participant=person,
                    status=("present", "late", "absent")[i % 3],
                    actor=self.trainer,
                )
            pre = services.start_attempt(test=self.pre, participant=person)
            self._answer_all(pre, right=i % 2 == 0)
            self.attempts.append(services.submit_attempt(attempt=pre))
            post = services.start_attempt(test=self.post, participant=person)
            self._answer_all(post, right=i % 3 != 0)
            if i % 3 != 2:  # every third post-test is left for its time to run out
                self.attempts.append(services.submit_attempt(attempt=post))
            services.answer_survey(
                survey=self.survey,
                participant=person,
                answers={"overall": str(1 + i % 5), "comment": f"commentaire {i}"},
            )
        self.people.extend(added)
        return added

    def issue_certificates(self):
        from himaya.certificates import services as certificate_services

        with time_machine.travel(self.after_close, tick=False):
            return certificate_services.issue_certificates(cycle=self.cycle)

    @property
    def after_close(self):
        """When every test and the survey have closed: results, answer keys and survey
        aggregates are all shown, and unsubmitted post-tests count as taken."""
        return max(self.post.closes_at, self.pre.closes_at, self.survey.closes_at) + (
            datetime.timedelta(minutes=5)
        )


def count_queries(client, user, path, *, at) -> tuple[int, bytes]:
    """The number of queries the page at `path` makes for `user` at the moment `at` (signed in
    then, so the session is fresh), and its content."""
    with time_machine.travel(at, tick=False):
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
    assert response.status_code == 200, path
    return len(ctx.captured_queries), response.content
