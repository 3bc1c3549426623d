"""Training routes of the JSON API: the cycles a signed-in person may see."""

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from himaya.core import authz

from . import selectors
from .models import Cycle

router = Router(tags=["training"])


class CycleOut(Schema):
    slug: str
    number: int
    title: str
    start_date: datetime.date
    end_date: datetime.date
    city: str
    capacity: int
    status: str
    enrolled: int
    fill_rate: float | None
    attendance_rate: float | None


class SessionOut(Schema):
    id: int
    title: str
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    room: str


def _out(stat) -> dict:
    c = stat.cycle
    return {
        "slug": c.slug,
        "number": c.number,
        "title": c.title,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "city": c.city,
        "capacity": c.capacity,
        "status": c.status,
        "enrolled": stat.enrolled,
        "fill_rate": stat.fill_rate,
        "attendance_rate": stat.attendance_rate,
    }


@router.get("/cycles", response=list[CycleOut], summary="Cycles visible to the signed-in user")
def list_cycles(request):
    return [_out(s) for s in selectors.dashboard_cycles(user=request.user)]


@router.get("/cycles/{slug}/sessions", response=list[SessionOut], summary="A cycle's agenda")
def cycle_sessions(request, slug: str):
    cycle = get_object_or_404(Cycle, slug=slug)
    if not authz.allowed(request.user, "training.access_cycle", cycle):
        raise HttpError(404, "Not found")
    return list(cycle.sessions.order_by("date", "start_time"))
