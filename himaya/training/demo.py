"""The demo pack (content/demo): people, one account per role, and the demo cycles.

`content/demo/people.yaml` holds the people of the first partnership's cycle; each
`content/demo/cycle-*.yaml` holds one cycle, its sessions, attendance and accounts, and may bring
its own partner, programme, trainers and participants (the second, unrelated partner's cycle
does). Everything is written through the training services and the audit helpers, so the demo
leaves the events a real cycle would; loading twice changes nothing and writes no event."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone

from himaya.accounts.choices import Function, Gender, Region, Role
from himaya.accounts.models import User
from himaya.core import audit
from himaya.core.content import (
    ContentErrors,
    ContentPack,
    line_of,
    read_yaml,
    require_keys,
    translated,
    translated_values,
)

from . import services
from .content import upsert_partners, upsert_programme
from .models import (
    Attendance,
    AttendanceStatus,
    Cycle,
    CycleStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    Partner,
    Programme,
    Session,
)

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "gender",
    "preferred_language",
]
ACCOUNT_FIELDS = ("first_name", "last_name", "first_name_ar", "last_name_ar")


class _People:
    """The people of the demo files, each e-mail once across all of them."""

    def __init__(self, errors: ContentErrors):
        self.errors = errors
        self.emails: set[str] = set()

    def read(self, item, path: Path, role: str) -> dict | None:
        errors = self.errors
        if not require_keys(item, ["email", "first_name", "last_name", "gender"], path, errors):
            return None
        email = str(item["email"]).lower()
        if email in self.emails:
            errors.add(path, line_of(item), f"e-mail '{email}' appears twice")
        self.emails.add(email)
        if item["gender"] not in Gender.values:
            errors.add(path, line_of(item), f"gender must be F or M, not '{item['gender']}'")
        values = {f: str(item.get(f, "") or "") for f in PERSON_FIELDS}
        values["preferred_language"] = values["preferred_language"] or "fr"
        if role == Role.PARTICIPANT:
            if item.get("function") not in Function.values:
                errors.add(path, line_of(item), f"unknown function '{item.get('function')}'")
            if item.get("region") and item["region"] not in Region.values:
                errors.add(path, line_of(item), f"unknown region '{item['region']}'")
            for f in ("function", "court", "region", "phone"):
                values[f] = str(item.get(f, "") or "")
        return {"email": email, "role": role, "values": values}

    def read_all(self, data, path: Path) -> tuple[list[dict], list[dict]]:
        trainers = [
            p
            for item in (data.get("trainers") or [])
            if (p := self.read(item, path, Role.TRAINER)) is not None
        ]
        participants = [
            p
            for item in (data.get("participants") or [])
            if (p := self.read(item, path, Role.PARTICIPANT)) is not None
        ]
        return trainers, participants


def _partner(item, path: Path, errors: ContentErrors) -> dict | None:
    if not require_keys(item, ["slug", "name"], path, errors):
        return None
    return {
        "slug": item["slug"],
        "name": translated(item, "name", path, errors),
        "short_name": translated(item, "short_name", path, errors, required=False),
        "description": translated(item, "description", path, errors, required=False),
        "website": item.get("website", ""),
    }


def _programme(item, path: Path, errors: ContentErrors, partner_slugs: set[str]) -> dict | None:
    if not require_keys(item, ["slug", "title", "partners"], path, errors):
        return None
    for slug in item["partners"]:
        if slug not in partner_slugs:
            errors.add(path, line_of(item), f"unknown partner '{slug}'")
    return {
        "slug": item["slug"],
        "title": translated(item, "title", path, errors),
        "description": translated(item, "description", path, errors, required=False),
        "partners": list(item["partners"]),
    }


def validate(root: Path, errors: ContentErrors, plans: dict) -> dict | None:
    curriculum = plans.get("curriculum") or {}
    folder = root / "demo"
    people_path = folder / "people.yaml"
    people = read_yaml(people_path, errors)
    if people is None:
        return None
    reader = _People(errors)
    trainers, participants = reader.read_all(people, people_path)
    plan: dict = {"people": trainers + participants, "cycles": []}
    partner_slugs = {p["slug"] for p in curriculum.get("partners", [])}
    programme_slugs = {(curriculum.get("programme") or {}).get("slug")}
    module_keys = {m["key"] for m in curriculum.get("modules", [])}
    cycle_paths = sorted(folder.glob("cycle-*.yaml"))
    if not cycle_paths:
        errors.add(folder, 1, "no demo cycle (cycle-*.yaml)")
    for path in cycle_paths:
        data = read_yaml(path, errors)
        if data is None:
            continue
        cycle_plan = _validate_cycle_file(
            data,
            path,
            errors,
            reader=reader,
            shared=(trainers, participants),
            partner_slugs=partner_slugs,
            programme_slugs=programme_slugs,
            module_keys=module_keys,
        )
        if cycle_plan is not None:
            plan["people"].extend(cycle_plan.pop("own_people"))
            plan["cycles"].append(cycle_plan)
    return plan


def _validate_cycle_file(
    data, path, errors, *, reader, shared, partner_slugs, programme_slugs, module_keys
) -> dict | None:
    if not isinstance(data, dict):
        errors.add(path, line_of(data), "expected a mapping")
        return None
    plan: dict = {"partners": [], "programme": None, "accounts": [], "sessions": []}
    for item in data.get("partners") or []:
        if (partner := _partner(item, path, errors)) is not None:
            plan["partners"].append(partner)
    partner_slugs = partner_slugs | {p["slug"] for p in plan["partners"]}
    if data.get("programme"):
        plan["programme"] = _programme(data["programme"], path, errors, partner_slugs)
        if plan["programme"]:
            programme_slugs = programme_slugs | {plan["programme"]["slug"]}

    # People: the file's own, or (with `enrol: all`) those of people.yaml.
    own_trainers, own_participants = reader.read_all(data, path)
    plan["own_people"] = own_trainers + own_participants
    shared_trainers, shared_participants = shared
    trainers = own_trainers + shared_trainers
    cycle = data.get("cycle")
    enrol_all = isinstance(cycle, dict) and cycle.get("enrol") == "all"
    plan["participants"] = [
        p["email"] for p in (shared_participants if enrol_all else own_participants)
    ]
    known = {p["email"] for p in trainers} | {p["email"] for p in shared_participants}
    known |= {p["email"] for p in own_participants}

    for item in data.get("accounts") or []:
        if not require_keys(item, ["email", "password"], path, errors):
            continue
        account = {"email": str(item["email"]).lower(), "password": str(item["password"])}
        if "role" in item:
            if item["role"] not in Role.values:
                errors.add(path, line_of(item), f"unknown role '{item['role']}'")
            if item.get("partner") and item["partner"] not in partner_slugs:
                errors.add(path, line_of(item), f"unknown partner '{item['partner']}'")
            account.update(
                role=item["role"],
                partner=item.get("partner"),
                values={f: str(item.get(f, "") or "") for f in ACCOUNT_FIELDS},
            )
        elif account["email"] not in known:
            errors.add(path, line_of(item), f"'{account['email']}' is not one of the demo people")
        plan["accounts"].append(account)

    if not require_keys(
        cycle,
        ["slug", "programme", "number", "title", "start_date", "end_date", "city", "capacity"],
        path,
        errors,
    ):
        return None
    if not isinstance(cycle["start_date"], datetime.date) or not isinstance(
        cycle["end_date"], datetime.date
    ):
        errors.add(path, line_of(cycle), "dates must be written YYYY-MM-DD")
    if cycle.get("status", "draft") not in CycleStatus.values:
        errors.add(path, line_of(cycle), f"unknown status '{cycle.get('status')}'")
    if cycle["programme"] not in programme_slugs:
        errors.add(path, line_of(cycle), f"unknown programme '{cycle['programme']}'")
    plan["cycle"] = {
        "slug": cycle["slug"],
        "programme": cycle["programme"],
        "number": int(cycle["number"]),
        "title": translated(cycle, "title", path, errors),
        "venue": translated(cycle, "venue", path, errors, required=False),
        "city": translated(cycle, "city", path, errors),
        "start_date": cycle["start_date"],
        "end_date": cycle["end_date"],
        "capacity": int(cycle["capacity"]),
        "status": cycle.get("status", "draft"),
        "enrolment_status": cycle.get("enrolment_status", EnrolmentStatus.INVITED),
    }
    trainer_emails = {t["email"] for t in trainers}
    session_keys = set()
    for item in data.get("sessions") or []:
        if not require_keys(item, ["key", "date", "start", "end", "title"], path, errors):
            continue
        session_keys.add(item["key"])
        for key in item.get("modules") or []:
            if key not in module_keys:
                errors.add(path, line_of(item), f"unknown module '{key}'")
        for email in item.get("trainers") or []:
            if email not in trainer_emails:
                errors.add(path, line_of(item), f"'{email}' is not a trainer of the demo people")
        try:
            start = datetime.time.fromisoformat(str(item["start"]))
            end = datetime.time.fromisoformat(str(item["end"]))
        except ValueError:
            errors.add(path, line_of(item), "times must be written HH:MM")
            continue
        plan["sessions"].append(
            {
                "key": item["key"],
                "date": item["date"],
                "start_time": start,
                "end_time": end,
                "room": str(item.get("room", "")),
                "attendance_expected": bool(item.get("attendance", True)),
                "title": translated(item, "title", path, errors),
                "modules": list(item.get("modules") or []),
                "trainers": list(item.get("trainers") or []),
            }
        )
    attendance = data.get("attendance") or {}
    plan["attendance"] = {
        "default": attendance.get("default", AttendanceStatus.PRESENT),
        "recorded_by": attendance.get("recorded_by"),
        "exceptions": [],
    }
    count = len(plan["participants"])
    for item in attendance.get("exceptions") or []:
        index = item.get("participant")
        if not isinstance(index, int) or not 1 <= index <= count:
            errors.add(path, line_of(item), f"participant must be a position from 1 to {count}")
            continue
        if item.get("session") not in session_keys:
            errors.add(path, line_of(item), f"unknown session '{item.get('session')}'")
        if item.get("status") not in AttendanceStatus.values:
            errors.add(path, line_of(item), f"unknown status '{item.get('status')}'")
        plan["attendance"]["exceptions"].append(
            {
                "participant": plan["participants"][index - 1],
                "session": item.get("session"),
                "status": item.get("status"),
            }
        )
    return plan


# --- apply ----------------------------------------------------------------------------------


def _upsert_person(email: str, role: str, values: dict, counts: dict) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, role=role, **values)
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        user.set_unusable_password()
        user.full_clean()
        user.save()
        audit.record_create(actor=None, target=user)
        counts["created"] += 1
        return user
    changes = audit.model_update(instance=user, data=values)
    if changes:
        audit.record(event="user.updated", actor=None, target=user, changes=changes)
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return user


def _apply_account(account: dict, people: dict, counts: dict) -> dict:
    if "role" in account:
        partner = Partner.objects.get(slug=account["partner"]) if account.get("partner") else None
        user = _upsert_person(account["email"], account["role"], account["values"], counts)
        changes = audit.model_update(instance=user, data={"partner": partner})
        if changes:
            audit.record(event="user.updated", actor=None, target=user, changes=changes)
        people[account["email"]] = user
    user = people[account["email"]]
    if not user.check_password(account["password"]):
        user.set_password(account["password"])
        user.save(update_fields=["password"])
        audit.record(
            event=audit.PASSWORD_CHANGED,
            actor=None,
            target=user,
            changes={"password": ["", "set by the demo loader"]},
        )
    return {"email": user.email, "password": account["password"], "role": user.role}


def _apply_partnership(c: dict, counts: dict) -> None:
    partners = upsert_partners(c["partners"], counts)
    prog = c["programme"]
    if prog:
        programme = upsert_programme(prog, counts)
        wanted = [partners.get(s) or Partner.objects.get(slug=s) for s in prog["partners"]]
        if set(programme.partners.all()) != set(wanted):
            programme.partners.set(wanted)


def _apply_cycle(c: dict, people: dict, counts: dict):
    data = c["cycle"]
    values = {
        "programme": Programme.objects.get(slug=data["programme"]),
        "number": data["number"],
        "start_date": data["start_date"],
        "end_date": data["end_date"],
        "capacity": data["capacity"],
        "status": data["status"],
        **translated_values("title", data["title"]),
        **translated_values("venue", data["venue"]),
        **translated_values("city", data["city"]),
    }
    cycle = Cycle.objects.filter(slug=data["slug"]).first()
    # A closed cycle's attendance is locked (services.record_attendance): the demo tells the
    # story in order, taking the attendance while the cycle runs and closing it afterwards.
    closes = data["status"] == CycleStatus.CLOSED and _attendance_missing(c, cycle)
    if closes:
        values["status"] = CycleStatus.RUNNING
    if cycle is None:
        cycle = services.create_cycle(
            programme=values["programme"], slug=data["slug"], data=values, actor=None
        )
        counts["created"] += 1
    elif services.update_cycle(cycle=cycle, data=values, actor=None):
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1

    sessions = {}
    existing = {s.key: s for s in Session.objects.filter(cycle=cycle)}
    for s in c["sessions"]:
        values = {
            "date": s["date"],
            "start_time": s["start_time"],
            "end_time": s["end_time"],
            "room": s["room"],
            "attendance_expected": s["attendance_expected"],
            "modules": list(Module.objects.filter(key__in=s["modules"])),
            "trainers": [people[e] for e in s["trainers"]],
            **translated_values("title", s["title"]),
        }
        session = existing.get(s["key"])
        if session is None:
            session = services.create_session(cycle=cycle, key=s["key"], data=values, actor=None)
            counts["created"] += 1
        elif services.update_session(session=session, data=values, actor=None):
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
        sessions[s["key"]] = session

    enrolled = set(Enrolment.objects.filter(cycle=cycle).values_list("participant_id", flat=True))
    participants = [people[email] for email in c["participants"]]
    for person in participants:
        if person.pk not in enrolled:
            services.enrol(
                cycle=cycle, participant=person, actor=None, status=data["enrolment_status"]
            )
            counts["created"] += 1

    exceptions = {
        (e["participant"], e["session"]): e["status"] for e in c["attendance"]["exceptions"]
    }
    recorder = (
        people.get(c["attendance"]["recorded_by"])
        or User.objects.filter(email=c["attendance"]["recorded_by"]).first()
    )
    existing_records = set(
        Attendance.objects.filter(session__cycle=cycle).values_list("session_id", "participant_id")
    )
    for key, session in sessions.items():
        if not session.attendance_expected:
            continue
        recorded_at = timezone.make_aware(
            datetime.datetime.combine(session.date, session.start_time)
        )
        for person in participants:
            if (session.pk, person.pk) in existing_records:
                continue
            services.record_attendance(
                session=session,
                participant=person,
                status=exceptions.get((person.email, key), c["attendance"]["default"]),
                actor=recorder,
                now=recorded_at,
            )
            counts["created"] += 1
    if closes:
        services.update_cycle(cycle=cycle, data={"status": CycleStatus.CLOSED}, actor=None)
    return cycle, participants


def _attendance_missing(c: dict, cycle) -> bool:
    """Whether some attendance of the file is not recorded yet (always for a new cycle)."""
    if cycle is None:
        return True
    expected = sum(1 for s in c["sessions"] if s["attendance_expected"]) * len(c["participants"])
    recorded = Attendance.objects.filter(
        session__cycle=cycle,
        session__attendance_expected=True,
        participant__email__in=c["participants"],
    ).count()
    return recorded < expected


def apply(plan: dict, context) -> dict:
    """Load the demo people, accounts and cycles; the accounts go to `context.accounts` for the
    command to print. Returns {cycle slug: (cycle, its participants in file order)}."""
    counts = context.counts
    people = {}
    for p in plan["people"]:
        people[p["email"]] = _upsert_person(p["email"], p["role"], p["values"], counts)
    cycles = {}
    for c in plan["cycles"]:
        _apply_partnership(c, counts)
        for account in c["accounts"]:
            context.accounts.append(_apply_account(account, people, counts))
        cycles[c["cycle"]["slug"]] = _apply_cycle(c, people, counts)
    return cycles


DEMO = ContentPack(
    key="demo", validate=validate, apply=apply, depends_on=("curriculum",), demo=True
)
