"""iCalendar export of a cycle's agenda, and the signed subscription address."""

import datetime
import zoneinfo

from django.conf import settings
from django.core import signing
from django.urls import reverse
from icalendar import Calendar, Event

from himaya.accounts.models import User

SALT = "himaya.training.calendar"


def token_for(user, cycle) -> str:
    return signing.Signer(salt=SALT).sign(f"{user.pk}:{cycle.pk}")


def user_from_token(token: str, cycle):
    if not token:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(token)
        user_id, cycle_id = (int(part) for part in value.split(":"))
    except (signing.BadSignature, ValueError):
        return None
    if cycle_id != cycle.pk:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def subscription_url(request, cycle) -> str:
    path = reverse("training:cycle_calendar", args=[cycle.slug])
    return request.build_absolute_uri(f"{path}?token={token_for(request.user, cycle)}")


def cycle_ics(cycle) -> bytes:
    """One event per session, in the active language (the caller picks the reader's), at the
    local time of the cycle's city: each time carries its TZID and the file its VTIMEZONE, so
    a calendar set to another zone shows the right hour (Morocco moves its clocks for Ramadan)."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    cal = Calendar()
    cal.add("prodid", "-//Himaya//Training cycles//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", cycle.title)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = datetime.datetime.now(tz=datetime.UTC)
    sessions = list(cycle.sessions.prefetch_related("trainers").order_by("date", "start_time"))
    for session in sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@himaya")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.datetime.combine(session.date, session.start_time, tzinfo=tz))
        event.add("dtend", datetime.datetime.combine(session.date, session.end_time, tzinfo=tz))
        event.add("summary", session.title)
        location = ", ".join(p for p in (session.room, cycle.venue, cycle.city) if p)
        if location:
            event.add("location", location)
        description = [cycle.title]
        trainers = ", ".join(t.display_name for t in session.trainers.all())
        if trainers:
            description.append(trainers)
        event.add("description", "\n".join(description))
        cal.add_component(event)
    # The zone's rules around the cycle only: a small file, exact for its dates.
    first = min([cycle.start_date, *(s.date for s in sessions)])
    last = max([cycle.end_date, *(s.date for s in sessions)])
    cal.add_missing_timezones(
        first_date=first - datetime.timedelta(days=366),
        last_date=last + datetime.timedelta(days=366),
    )
    return cal.to_ical()
