"""The attendance sheet: taps sent late or twice (offline), refusals in the person's language,
the read-only sheet of a closed cycle, the service worker, and the matrix without letters."""

import datetime
import json
import zoneinfo

import pytest

from himaya.core import audit
from himaya.core.models import AuditEntry
from himaya.testing import url
from himaya.training import services
from himaya.training.models import Attendance, CycleStatus
from himaya.training.tests.factories import CycleFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


def tap(client, session, participant, status, tapped_at=None, lang="fr"):
    payload = {"participant": participant.pk, "status": status}
    if tapped_at is not None:
        payload["tapped_at"] = tapped_at
    return client.post(
        url("training:attendance_sheet", session.pk, lang=lang),
        data=payload,
        content_type="application/json",
        headers={"accept": "application/json"},
    )


def iso(day, hour, minute=0):
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=CASABLANCA
    ).isoformat()


def test_a_replayed_tap_answers_the_same_and_writes_once(client, session, trainer, participant):
    client.force_login(trainer)
    when = iso(session.date, 9, 2)
    first = tap(client, session, participant, "late", when)
    again = tap(client, session, participant, "late", when)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["recorded_at"] == "09:02" and first.json()["kept_newer"] is False
    assert Attendance.objects.get().status == "late"
    assert AuditEntry.objects.filter(event=audit.ATTENDANCE_RECORDED).count() == 1


def test_an_older_tap_sent_late_keeps_the_newer_record(client, session, trainer, participant):
    client.force_login(trainer)
    tap(client, session, participant, "present", iso(session.date, 9, 30))
    response = tap(client, session, participant, "absent", iso(session.date, 9, 10))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "present" and body["kept_newer"] is True
    assert body["recorded_at"] == "09:30"
    assert Attendance.objects.get().status == "present"


@pytest.mark.parametrize("bad", ["yesterday", "2024-12-05T09:00:00", 12, None, ["x"]])
def test_an_unreadable_tap_time_counts_as_now(client, session, trainer, participant, bad):
    client.force_login(trainer)
    response = tap(client, session, participant, "present", bad)
    assert response.status_code == 200
    assert Attendance.objects.get().status == "present"


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "null", '{"participant": 1e999}'])
def test_odd_json_bodies_are_a_clear_400(client, session, trainer, body):
    client.force_login(trainer)
    response = client.post(
        url("training:attendance_sheet", session.pk),
        data=body,
        content_type="application/json",
        headers={"accept": "application/json"},
    )
    assert response.status_code == 400 and response.json()["ok"] is False


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("fr", "Le cycle est clôturé"),
        ("ar", "الدورة مغلقة"),
        ("en", "The cycle is closed"),
    ],
)
def test_a_tap_in_a_closed_cycle_is_refused_in_the_sheets_language(
    client, cycle, session, trainer, participant, lang, expected
):
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    client.force_login(trainer)
    response = tap(client, session, participant, "present", lang=lang)
    assert response.status_code == 400
    assert response.json()["error"].startswith(expected)
    assert not Attendance.objects.exists()


def test_a_tap_before_the_sessions_day_is_refused(client, trainer):
    future = CycleFactory(start_date=datetime.date(2099, 3, 1), end_date=datetime.date(2099, 3, 2))
    session = SessionFactory(cycle=future)
    session.trainers.add(trainer)
    person = EnrolmentFactory(cycle=future).participant
    client.force_login(trainer)
    response = tap(client, session, person, "present")
    assert response.status_code == 400
    assert "01/03/2099" in response.json()["error"]
    assert "jour de la séance" in response.json()["error"]
    page = client.get(url("training:attendance_sheet", session.pk)).content.decode()
    assert 'id="attendance-locked"' in page and "01/03/2099" in page
    assert 'data-read-only="true"' in page


def test_without_javascript_a_refusal_comes_back_as_a_message(
    client, cycle, session, trainer, participant
):
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    client.force_login(trainer)
    response = client.post(
        url("training:attendance_sheet", session.pk), {"tap": f"{participant.pk}:late"}, follow=True
    )
    assert "Le cycle est clôturé" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_closed_cycles_sheet_is_read_only_with_a_note(
    client, cycle, session, trainer, participant
):
    services.record_attendance(
        session=session, participant=participant, status="late", actor=trainer
    )
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status"])
    client.force_login(trainer)
    page = client.get(url("training:attendance_sheet", session.pk)).content.decode()
    assert "Le cycle est clôturé" in page and 'id="attendance-locked"' in page
    assert page.count(" disabled>") == 5  # the five buttons of the one participant
    assert 'data-read-only="true"' in page
    assert "data-worker" not in page  # nothing to take offline
    assert 'class="late" aria-pressed="true" disabled' in page


def test_the_sheet_gives_its_script_translated_texts_and_the_tap_times(
    client, session, trainer, participant
):
    services.record_attendance(
        session=session,
        participant=participant,
        status="present",
        actor=trainer,
        now=datetime.datetime.combine(session.date, datetime.time(9, 5), tzinfo=CASABLANCA),
    )
    client.force_login(trainer)
    page = client.get(url("training:attendance_sheet", session.pk, lang="ar")).content.decode()
    texts = json.loads(
        page.split('<script id="attendance-messages" type="application/json">', 1)[1].split(
            "</script>", 1
        )[0]
    )
    assert set(texts) == {"saved", "sending", "waiting", "refused", "newer", "signin", "queued"}
    assert texts["waiting"] == "في انتظار الشبكة"
    assert all(value and not value.isascii() for value in texts.values())
    assert 'data-recorded-at="' + session.date.isoformat() + "T09:05:00+01:00" in page
    assert f'data-session="{session.pk}"' in page
    assert 'data-worker="/ar/sessions/attendance-worker.js"' in page


def test_the_service_worker_is_served_in_the_sessions_scope_without_sign_in(client):
    response = client.get(url("training:attendance_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content
    assert url("training:attendance_worker").startswith("/fr/sessions/")


def test_the_attendance_script_holds_no_user_facing_english(client):
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "himaya/core/static/js/attendance.js").read_text()
    for english in ("Failed", "Saved", "network", "Refused", "Waiting"):
        for line in script.splitlines():
            code = line.split("//", 1)[0]
            assert f'"{english}' not in code and f"'{english}" not in code, line


def test_the_matrix_has_no_letters_but_symbols_words_and_a_legend(
    client, coordinator, session, participant, other_participant, trainer
):
    services.record_attendance(
        session=session, participant=participant, status="late", actor=trainer
    )
    client.force_login(coordinator)
    for lang, late in (("fr", "En retard"), ("ar", "متأخر(ة)"), ("en", "Late")):
        page = client.get(url("training:cycle_detail", session.cycle.slug, lang=lang)).content
        page = page.decode()
        matrix = page.split('<table class="matrix"', 1)[1].split("</table>", 1)[0]
        assert 'aria-describedby="attendance-legend"' in matrix
        assert '<span class="cell late" aria-hidden="true">◔</span>' in matrix
        assert f'<span class="visually-hidden">{late}</span>' in matrix
        assert ">L<" not in matrix and ">P<" not in matrix
        legend = page.split('id="attendance-legend"', 1)[1].split("</div>", 1)[0]
        assert "◔" in legend and late in legend
