"""The trainer's page (today, upcoming, past) and the cycle's calendar file (time zone, the
reader's language, room and city)."""

import datetime
import zoneinfo

import pytest
import time_machine
from icalendar import Calendar

from himaya.testing import url
from himaya.training import calendar, services
from himaya.training.tests.factories import EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")


def on(day, hour=8):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), tzinfo=CASABLANCA), tick=False
    )


@pytest.fixture
def three_days(cycle, trainer, session, participant):
    """The fixture session on the cycle's first day and one on its second day (same trainer)."""
    assert cycle.end_date == cycle.start_date + datetime.timedelta(days=1)
    next_day = SessionFactory(
        cycle=cycle,
        title="Séance du lendemain",
        date=cycle.end_date,
        start_time=datetime.time(14),
        end_time=datetime.time(15, 30),
    )
    next_day.trainers.add(trainer)
    return session, next_day


def sections(page):
    today = page.split('id="today"', 1)[1].split('id="upcoming"', 1)[0]
    upcoming = page.split('id="upcoming"', 1)[1].split('id="past"', 1)[0]
    past = page.split('id="past"', 1)[1]
    return today, upcoming, past


def test_the_trainer_page_puts_today_first_then_upcoming_then_past(
    client, trainer, three_days, participant, other_participant
):
    first, second = three_days
    with on(first.date, 9):
        services.record_attendance(
            session=first, participant=participant, status="present", actor=trainer
        )
        client.force_login(trainer)
        today, upcoming, past = sections(client.get(url("training:trainer_home")).content.decode())
    assert first.title in today and "take-attendance" in today
    assert url("training:attendance_sheet", first.pk) in today
    assert "Présences relevées\u202f: 1 / 2" in today
    assert second.title in upcoming and second.title not in today
    assert "Aucune séance passée." in past

    with on(second.date + datetime.timedelta(days=3)):
        client.force_login(trainer)  # a sign-in does not last days
        today, upcoming, past = sections(client.get(url("training:trainer_home")).content.decode())
    assert "Aucune séance aujourd’hui." in today
    assert "Aucune séance à venir." in upcoming
    # The latest first.
    assert past.index(second.title) < past.index(first.title)
    assert url("training:attendance_sheet", first.pk) in past
    assert "Présences relevées\u202f: 1 / 2" in past


def test_the_trainer_page_query_count_does_not_grow_with_sessions(
    client, trainer, cycle, enrol_many, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("training:trainer_home")).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(trainer)
    SessionFactory(cycle=cycle).trainers.add(trainer)
    before = count()
    for hour in range(10, 16):
        SessionFactory(
            cycle=cycle, start_time=datetime.time(hour), end_time=datetime.time(hour, 50)
        ).trainers.add(trainer)
    enrol_many(20)
    assert count() == before


def test_participants_and_coordinators_have_no_trainer_page(client, participant, coordinator):
    for person in (participant, coordinator):
        client.force_login(person)
        assert client.get(url("training:trainer_home")).status_code == 403


# --- calendar -----------------------------------------------------------------------------


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(cal):
    return list(cal.walk("VEVENT"))


def test_the_ics_carries_its_time_zone(cycle, session):
    cal = parse(calendar.cycle_ics(cycle))
    zones = cal.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["Africa/Casablanca"]
    event = events(cal)[0]
    assert event["DTSTART"].params["TZID"] == "Africa/Casablanca"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime.datetime(2024, 12, 5, 9, 0)
    # The file's own zone (not the reader's tz database): 09:00 in Casablanca is 08:00 UTC.
    tz = zones[0].to_tz(lookup_tzid=False)
    start = event.decoded("DTSTART").replace(tzinfo=tz)
    assert start.astimezone(datetime.UTC).hour == 8
    assert b"DTSTART;TZID=Africa/Casablanca:20241205T090000" in calendar.cycle_ics(cycle)


def test_a_session_during_ramadan_is_at_utc_time(cycle):
    # Morocco sets its clocks back to UTC for Ramadan (in 2025: 23 February – 6 April).
    cycle.start_date = datetime.date(2025, 3, 13)
    cycle.end_date = datetime.date(2025, 3, 14)
    cycle.save(update_fields=["start_date", "end_date"])
    SessionFactory(cycle=cycle, date=datetime.date(2025, 3, 13))
    cal = parse(calendar.cycle_ics(cycle))
    tz = cal.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    start = events(cal)[0].decoded("DTSTART").replace(tzinfo=tz)
    assert start.astimezone(datetime.UTC).hour == 9


def test_the_ics_is_in_the_readers_language_with_room_and_city(client, cycle, session, participant):
    session.title_ar = "الإطار القانوني"
    session.room = "Salle Atlas"
    session.save()
    cycle.city_ar = "الدار البيضاء"
    cycle.save()
    participant.preferred_language = "ar"
    participant.save(update_fields=["preferred_language"])
    token = calendar.token_for(participant, cycle)
    response = client.get(url("training:cycle_calendar", cycle.slug) + f"?token={token}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    event = events(parse(response.content))[0]
    assert str(event["SUMMARY"]) == "الإطار القانوني"
    assert str(event["LOCATION"]).startswith("Salle Atlas")
    assert str(event["LOCATION"]).endswith("الدار البيضاء")
    assert cycle.title in str(event["DESCRIPTION"])


def test_one_event_per_session_with_a_stable_uid(cycle, session):
    SessionFactory(cycle=cycle, start_time=datetime.time(11), end_time=datetime.time(12))
    found = events(parse(calendar.cycle_ics(cycle)))
    assert len(found) == 2
    assert str(found[0]["UID"]) == f"session-{session.pk}@himaya"
    again = events(parse(calendar.cycle_ics(cycle)))
    assert [str(e["UID"]) for e in again] == [str(e["UID"]) for e in found]


def test_a_token_for_another_cycle_or_a_withdrawn_person_opens_nothing(
    client, cycle, session, participant
):
    other = EnrolmentFactory(participant=participant).cycle
    token = calendar.token_for(participant, other)
    response = client.get(url("training:cycle_calendar", cycle.slug) + f"?token={token}")
    assert response.status_code == 403
    enrolment = participant.enrolments.get(cycle=cycle)
    enrolment.status = "withdrawn"
    enrolment.save(update_fields=["status"])
    token = calendar.token_for(participant, cycle)
    response = client.get(url("training:cycle_calendar", cycle.slug) + f"?token={token}")
    assert response.status_code == 403
