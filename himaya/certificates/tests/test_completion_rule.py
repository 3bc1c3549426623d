"""The completion rule screen (coordinator), the ways of counting excused absences, and the
review flags a rule change raises on certificates already issued."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from himaya.certificates import services
from himaya.certificates.models import Certificate, CompletionRule, ExcusedAbsences
from himaya.core.models import AuditEntry
from himaya.testing import url

from .utils import agenda, attend, other_coordinator, rule

pytestmark = pytest.mark.django_db

P, E, A = "present", "excused", "absent"


@pytest.fixture
def people(cycle, trainer, enrol_many):
    """Five sessions; (present, excused, absent) = (5, 0, 0), (3, 1, 1), (3, 2, 0), (2, 0, 3)."""
    sessions = agenda(cycle)
    people = enrol_many(4)
    for person, statuses in zip(
        people,
        ([P] * 5, [P, P, P, E, A], [P, P, P, E, E], [P, P, A, A, A]),
        strict=True,
    ):
        attend(sessions, person, statuses, actor=trainer)
    return people


def _eligible(cycle, people):
    rows = {r.participant.pk: r for r in services.eligibility(cycle)}
    return [rows[p.pk].eligible for p in people]


@pytest.mark.parametrize(
    ("excused", "minimum", "expected", "rates"),
    [
        # Excused absences as sessions not attended (the platform's rate): 3/5 and 3/5.
        (ExcusedAbsences.ABSENT, "0.60", [True, True, True, False], [1, 0.6, 0.6, 0.4]),
        (ExcusedAbsences.ABSENT, "0.80", [True, False, False, False], [1, 0.6, 0.6, 0.4]),
        # As attended: 4/5 and 5/5.
        (ExcusedAbsences.ATTENDED, "0.80", [True, True, True, False], [1, 0.8, 1, 0.4]),
        # Left out of the count: 3/4 and 3/3.
        (ExcusedAbsences.EXCLUDED, "0.75", [True, True, True, False], [1, 0.75, 1, 0.4]),
        (ExcusedAbsences.EXCLUDED, "0.80", [True, False, True, False], [1, 0.75, 1, 0.4]),
    ],
)
def test_excused_absences_are_counted_as_the_rule_says(
    cycle, people, excused, minimum, expected, rates
):
    rule(cycle, minimum=minimum, excused=excused)
    rows = {r.participant.pk: r for r in services.eligibility(cycle)}
    assert [rows[p.pk].eligible for p in people] == expected
    assert [rows[p.pk].attendance for p in people] == pytest.approx(rates)
    low = rows[people[3].pk]
    assert low.reasons == [services.ATTENDANCE_LOW]
    with translation.override("en"):
        texts = low.reason_texts
    assert texts == [f"attendance 40\u202f% < {int(Decimal(minimum) * 100)}\u202f%"]


def test_a_person_without_records_and_without_post_test_is_told_why(cycle, participant):
    rule(cycle, post_test=True)
    [row] = services.eligibility(cycle)
    assert not row.eligible
    assert row.reasons == [services.NO_ATTENDANCE_RECORDED, services.POST_TEST_MISSING]


def test_the_rule_screen_shows_the_live_count_and_saves_a_percentage(
    client, cycle, people, coordinator
):
    client.force_login(coordinator)
    path = url("certificates:rule", cycle.slug, lang="en")
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    # The default rule: 80 %, post-test required (nobody took it): nobody is eligible.
    assert "0 participants of 4 are eligible" in body
    assert 'value="80"' in body
    saved = client.post(
        path, {"min_attendance": "60 %", "excused_absences": "excluded", "save": "1"}
    )
    assert saved.status_code == 302
    stored = CompletionRule.objects.get(cycle=cycle)
    assert stored.min_attendance == Decimal("0.60") and not stored.require_post_test
    assert stored.excused_absences == ExcusedAbsences.EXCLUDED
    entry = AuditEntry.objects.get(event=services.RULE_CREATED)
    assert entry.actor == coordinator
    body = client.get(path).content.decode()
    assert "3 participants of 4 are eligible" in body  # 5/5, 3/4, 3/3; not 2/5


def test_count_without_saving_previews_and_changes_nothing(client, cycle, people, coordinator):
    rule(cycle, minimum="1.00")
    client.force_login(coordinator)
    path = url("certificates:rule", cycle.slug, lang="en")
    page = client.post(path, {"min_attendance": "60", "excused_absences": "absent", "preview": "1"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="rule-preview"' in body and "3 participants of 4 would be eligible" in body
    assert "1 participant of 4 is eligible" in body  # the saved rule still
    assert 'value="60"' in body  # what was typed is kept
    assert CompletionRule.objects.get(cycle=cycle).min_attendance == Decimal("1.00")
    assert not AuditEntry.objects.filter(event__startswith="completion_rule").exists()


@pytest.mark.parametrize("typed", ["abc", "150", "-5", "80.5", "", "1e3", "NaN"])
def test_a_bad_percentage_is_refused_clearly_and_kept(client, cycle, coordinator, typed):
    client.force_login(coordinator)
    path = url("certificates:rule", cycle.slug)
    page = client.post(path, {"min_attendance": typed, "excused_absences": "absent", "save": "1"})
    assert page.status_code == 400
    body = page.content.decode()
    assert 'class="errorlist"' in body and 'id="rule-errors"' in body
    if typed:
        assert f'value="{typed}"' in body
    assert not CompletionRule.objects.filter(cycle=cycle).exists()


def test_an_unknown_excused_mode_is_refused(client, cycle, coordinator):
    client.force_login(coordinator)
    page = client.post(
        url("certificates:rule", cycle.slug),
        {"min_attendance": "80", "excused_absences": "sometimes", "save": "1"},
    )
    assert page.status_code == 400
    assert not CompletionRule.objects.filter(cycle=cycle).exists()


def test_only_the_cycles_coordinators_see_or_change_the_rule(
    client, cycle, coordinator, admin_user, trainer, participant
):
    path = url("certificates:rule", cycle.slug)
    data = {"min_attendance": "10", "excused_absences": "attended", "save": "1"}
    assert client.get(path).status_code == 302  # anonymous: to the sign-in page
    assert "login" in client.get(path)["Location"]
    assert client.post(path, data).status_code == 302
    for outsider in (other_coordinator(), trainer, participant):
        client.force_login(outsider)
        assert client.get(path).status_code == 403
        assert client.post(path, data).status_code == 403
    assert not CompletionRule.objects.filter(cycle=cycle).exists()
    for insider in (coordinator, admin_user):
        client.force_login(insider)
        assert client.get(path).status_code == 200
    assert client.put(path).status_code == 405
    with pytest.raises(PermissionDenied):
        services.update_rule(
            cycle=cycle,
            actor=other_coordinator_or_existing(),
            min_attendance="0.1",
            require_post_test=False,
            excused_absences="absent",
        )


def other_coordinator_or_existing():
    from himaya.accounts.models import User

    return User.objects.get(email="outsider@example.test")


def test_a_stricter_rule_flags_certificates_for_review_and_never_revokes(
    client, cycle, people, coordinator
):
    rule(cycle, minimum="0.60")
    services.issue_certificates(cycle=cycle, actor=coordinator)
    assert Certificate.objects.count() == 3
    _rule, outcome = services.update_rule(
        cycle=cycle,
        actor=coordinator,
        min_attendance=Decimal("0.80"),
        require_post_test=False,
        excused_absences="absent",
    )
    assert outcome == {"flagged": 2, "cleared": 0}
    flagged = Certificate.objects.filter(review_since__isnull=False)
    assert {c.participant_id for c in flagged} == {people[1].pk, people[2].pk}
    assert all(c.review_reason == "rule_changed" and c.is_valid for c in flagged)
    assert not Certificate.objects.filter(revoked_at__isnull=False).exists()
    assert AuditEntry.objects.filter(event=services.CERTIFICATE_FLAGGED).count() == 2
    assert AuditEntry.objects.get(event=services.RULE_UPDATED).changes["min_attendance"] == [
        "0.60",
        "0.80",
    ]
    # The public page still says valid; the coordinator's screen says why to review.
    some = flagged.first()
    verify = client.get(reverse("verify", args=[some.code])).content.decode()
    assert "badge verified" in verify and "review" not in verify.lower()
    client.force_login(coordinator)
    screen = client.get(url("certificates:cycle_certificates", cycle.slug, lang="en"))
    body = screen.content.decode()
    assert 'id="review"' in body and "The completion rule changed after issue" in body
    assert "attendance 60\u202f% &lt; 80\u202f%" in body
    # Counting excused absences as attended grants one of them again: its flag goes.
    _rule, outcome = services.update_rule(
        cycle=cycle,
        actor=coordinator,
        min_attendance=Decimal("0.80"),
        require_post_test=False,
        excused_absences="attended",
    )
    assert outcome == {"flagged": 0, "cleared": 2}
    assert not Certificate.objects.filter(review_since__isnull=False).exists()


def test_saving_the_rule_on_the_screen_says_how_many_were_flagged(
    client, cycle, people, coordinator
):
    rule(cycle, minimum="0.60")
    services.issue_certificates(cycle=cycle, actor=coordinator)
    client.force_login(coordinator)
    page = client.post(
        url("certificates:rule", cycle.slug, lang="en"),
        {"min_attendance": "100", "excused_absences": "absent", "save": "1"},
        follow=True,
    )
    body = page.content.decode()
    assert "2 certificates already issued would no longer be granted" in body
    assert Certificate.objects.filter(review_since__isnull=False).count() == 2


def test_an_unchanged_rule_writes_nothing(cycle, coordinator):
    kept = rule(cycle, minimum="0.70")
    services.update_rule(
        cycle=cycle,
        actor=coordinator,
        min_attendance="0.70",
        require_post_test=False,
        excused_absences="absent",
    )
    assert not AuditEntry.objects.filter(event__startswith="completion_rule").exists()
    assert CompletionRule.objects.get().pk == kept.pk
