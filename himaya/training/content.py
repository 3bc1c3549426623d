"""The curriculum content pack (content/curriculum) and the demo pack (content/demo).

`validate_*` reads and checks files, reporting 'file:line: message'; `apply_*` upserts by
stable key inside the caller's transaction, so a second load changes nothing."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.utils import timezone

from himaya.accounts.choices import Function, Gender, Region, Role
from himaya.accounts.models import User
from himaya.core import audit
from himaya.core.content import (
    LANGUAGES,
    ContentErrors,
    line_of,
    read_yaml,
    require_keys,
    translated,
    translated_values,
    upsert,
)

from .models import (
    Attendance,
    AttendanceStatus,
    Axis,
    Cycle,
    CycleStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    Partner,
    Programme,
    Session,
)

SAFE_LINK_SCHEMES = ("http", "https", "mailto")
# Browsers drop these before reading a scheme ("java\tscript:" runs), so a link holding them
# is never checked as written: refuse it.
_LINK_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


def safe_link(url: str) -> str:
    """`url` if it is an http(s), mailto or relative link, else "" (javascript:, data:, …).

    Used when a content pack is loaded and again when a page shows the link."""
    url = (url or "").strip()
    if not url or _LINK_FORBIDDEN.search(url):
        return ""
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return ""
    if scheme and scheme not in SAFE_LINK_SCHEMES:
        return ""
    if not scheme and ":" in url.split("/", 1)[0]:
        return ""  # "javascript&colon;…"-like oddities that some parser might read as a scheme
    return url


# --- curriculum ---------------------------------------------------------------------------


def validate_curriculum(root: Path, errors: ContentErrors) -> dict | None:
    folder = root / "curriculum"
    path = folder / "programme.yaml"
    data = read_yaml(path, errors)
    if data is None:
        return None
    plan: dict = {"partners": [], "programme": None, "modules": []}
    if not require_keys(data, ["partners", "programme"], path, errors):
        return None
    for item in data["partners"] or []:
        if not require_keys(item, ["slug", "name"], path, errors):
            continue
        plan["partners"].append(
            {
                "slug": item["slug"],
                "name": translated(item, "name", path, errors),
                "short_name": translated(item, "short_name", path, errors, required=False),
                "description": translated(item, "description", path, errors, required=False),
                "website": item.get("website", ""),
            }
        )
    partner_slugs = {p["slug"] for p in plan["partners"]}
    prog = data["programme"]
    if require_keys(prog, ["slug", "title", "partners", "axes"], path, errors):
        for slug in prog["partners"]:
            if slug not in partner_slugs:
                errors.add(path, line_of(prog), f"unknown partner '{slug}'")
        axes = []
        for axis in prog["axes"]:
            if require_keys(axis, ["key", "order", "title"], path, errors):
                axes.append(
                    {
                        "key": axis["key"],
                        "order": int(axis["order"]),
                        "title": translated(axis, "title", path, errors),
                        "description": translated(
                            axis, "description", path, errors, required=False
                        ),
                    }
                )
        plan["programme"] = {
            "slug": prog["slug"],
            "title": translated(prog, "title", path, errors),
            "description": translated(prog, "description", path, errors, required=False),
            "partners": list(prog["partners"]),
            "axes": axes,
        }
    axis_keys = {a["key"] for a in (plan["programme"] or {}).get("axes", [])}
    seen_keys: dict[str, Path] = {}
    for module_path in sorted((folder / "modules").glob("*.yaml")):
        module = _validate_module(module_path, errors, axis_keys)
        if module is None:
            continue
        if module["key"] in seen_keys:
            errors.add(
                module_path,
                1,
                f"module key '{module['key']}' also used by {seen_keys[module['key']].name}",
            )
        seen_keys[module["key"]] = module_path
        plan["modules"].append(module)
    return plan


def _validate_module(path: Path, errors: ContentErrors, axis_keys: set[str]) -> dict | None:
    data = read_yaml(path, errors)
    if data is None:
        return None
    if not require_keys(
        data, ["key", "axis", "order", "title", "content", "objectives"], path, errors
    ):
        return None
    if data["key"] != path.stem:
        errors.add(
            path, line_of(data), f"key '{data['key']}' must match the file name '{path.stem}'"
        )
    if data["axis"] not in axis_keys:
        errors.add(
            path,
            line_of(data),
            f"unknown axis '{data['axis']}' (known: {', '.join(sorted(axis_keys))})",
        )
    duration = data.get("duration_minutes", 90)
    if not isinstance(duration, int) or not 1 <= duration <= 600:
        errors.add(path, line_of(data), "'duration_minutes' must be a whole number from 1 to 600")
        duration = 90
    objectives = translated(data, "objectives", path, errors, kind=list)
    for language in LANGUAGES:
        if not all(isinstance(o, str) and o.strip() for o in objectives[language]):
            errors.add(
                path,
                line_of(data.get("objectives")),
                f"objectives.{language} must be a list of sentences",
            )
    resources = data.get("resources") or []
    for resource in resources:
        if not isinstance(resource, dict) or not resource.get("title"):
            errors.add(path, line_of(resource, line_of(data)), "each resource needs a 'title'")
        elif resource.get("url") and not safe_link(str(resource["url"])):
            errors.add(
                path,
                line_of(resource, line_of(data)),
                f"resource '{resource['title']}': the url must be an http(s), mailto or relative "
                f"link (got '{resource['url']}')",
            )
    sources = data.get("sources") or []
    if not sources:
        errors.add(path, line_of(data), "a module cites its sources ('sources' is empty)")
    return {
        "key": data["key"],
        "axis": data["axis"],
        "order": int(data["order"]),
        "duration_minutes": duration,
        "title": translated(data, "title", path, errors),
        "summary": translated(data, "summary", path, errors, required=False),
        "objectives": {k: "\n".join(v) for k, v in objectives.items()},
        "content": translated(data, "content", path, errors),
        "resources": [
            {"title": str(r.get("title", "")), "url": str(r.get("url", "") or "")}
            for r in resources
            if isinstance(r, dict)
        ],
        "sources": [str(s) for s in sources],
        "to_verify": [str(s) for s in (data.get("to_verify") or [])],
    }


def apply_curriculum(plan: dict, counts: dict) -> None:
    partners = {}
    for p in plan["partners"]:
        partners[p["slug"]] = upsert(
            Partner,
            {"slug": p["slug"]},
            {
                **translated_values("name", p["name"]),
                **translated_values("short_name", p["short_name"]),
                **translated_values("description", p["description"]),
                "website": p["website"],
            },
            counts,
        )
    prog = plan["programme"]
    programme = upsert(
        Programme,
        {"slug": prog["slug"]},
        {
            **translated_values("title", prog["title"]),
            **translated_values("description", prog["description"]),
        },
        counts,
    )
    programme.partners.add(*[partners[s] for s in prog["partners"]])
    axes = {}
    for a in prog["axes"]:
        axes[a["key"]] = upsert(
            Axis,
            {"programme": programme, "key": a["key"]},
            {
                "order": a["order"],
                **translated_values("title", a["title"]),
                **translated_values("description", a["description"]),
            },
            counts,
        )
    for m in plan["modules"]:
        upsert(
            Module,
            {"key": m["key"]},
            {
                "axis": axes[m["axis"]],
                "order": m["order"],
                "duration_minutes": m["duration_minutes"],
                **translated_values("title", m["title"]),
                **translated_values("summary", m["summary"]),
                **translated_values("objectives", m["objectives"]),
                **translated_values("content", m["content"]),
                "resources": m["resources"],
                "sources": m["sources"],
                "to_verify": m["to_verify"],
            },
            counts,
        )


# --- demo ---------------------------------------------------------------------------------

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "first_name_ar",
    "last_name_ar",
    "gender",
    "preferred_language",
]


def validate_demo(root: Path, errors: ContentErrors, curriculum: dict | None) -> dict | None:
    folder = root / "demo"
    people_path = folder / "people.yaml"
    cycle_path = folder / "cycle-casablanca-2024.yaml"
    people = read_yaml(people_path, errors)
    data = read_yaml(cycle_path, errors)
    if people is None or data is None:
        return None
    plan: dict = {"trainers": [], "participants": [], "accounts": [], "cycle": None, "sessions": []}
    emails: set[str] = set()

    def person(item, path, role):
        if not require_keys(item, ["email", "first_name", "last_name", "gender"], path, errors):
            return None
        email = str(item["email"]).lower()
        if email in emails:
            errors.add(path, line_of(item), f"e-mail '{email}' appears twice")
        emails.add(email)
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

    for item in people.get("trainers") or []:
        if (p := person(item, people_path, Role.TRAINER)) is not None:
            plan["trainers"].append(p)
    for item in people.get("participants") or []:
        if (p := person(item, people_path, Role.PARTICIPANT)) is not None:
            plan["participants"].append(p)

    partner_slugs = {p["slug"] for p in (curriculum or {}).get("partners", [])}
    for item in data.get("accounts") or []:
        if not require_keys(item, ["email", "password"], cycle_path, errors):
            continue
        account = {"email": str(item["email"]).lower(), "password": str(item["password"])}
        if "role" in item:
            if item["role"] not in Role.values:
                errors.add(cycle_path, line_of(item), f"unknown role '{item['role']}'")
            if item.get("partner") and item["partner"] not in partner_slugs:
                errors.add(cycle_path, line_of(item), f"unknown partner '{item['partner']}'")
            account.update(
                role=item["role"],
                partner=item.get("partner"),
                values={
                    f: str(item.get(f, "") or "")
                    for f in ("first_name", "last_name", "first_name_ar", "last_name_ar")
                },
            )
        elif account["email"] not in emails:
            errors.add(cycle_path, line_of(item), f"'{account['email']}' is not in people.yaml")
        plan["accounts"].append(account)

    cycle = data.get("cycle")
    if require_keys(
        cycle,
        ["slug", "programme", "number", "title", "start_date", "end_date", "city", "capacity"],
        cycle_path,
        errors,
    ):
        if not isinstance(cycle["start_date"], datetime.date) or not isinstance(
            cycle["end_date"], datetime.date
        ):
            errors.add(cycle_path, line_of(cycle), "dates must be written YYYY-MM-DD")
        if cycle.get("status", "draft") not in CycleStatus.values:
            errors.add(cycle_path, line_of(cycle), f"unknown status '{cycle.get('status')}'")
        plan["cycle"] = {
            "slug": cycle["slug"],
            "programme": cycle["programme"],
            "number": int(cycle["number"]),
            "title": translated(cycle, "title", cycle_path, errors),
            "venue": translated(cycle, "venue", cycle_path, errors, required=False),
            "city": translated(cycle, "city", cycle_path, errors),
            "start_date": cycle["start_date"],
            "end_date": cycle["end_date"],
            "capacity": int(cycle["capacity"]),
            "status": cycle.get("status", "draft"),
            "enrolment_status": cycle.get("enrolment_status", EnrolmentStatus.INVITED),
        }
    module_keys = {m["key"] for m in (curriculum or {}).get("modules", [])}
    trainer_emails = {t["email"] for t in plan["trainers"]}
    session_keys = set()
    for item in data.get("sessions") or []:
        if not require_keys(item, ["key", "date", "start", "end", "title"], cycle_path, errors):
            continue
        session_keys.add(item["key"])
        for key in item.get("modules") or []:
            if key not in module_keys:
                errors.add(cycle_path, line_of(item), f"unknown module '{key}'")
        for email in item.get("trainers") or []:
            if email not in trainer_emails:
                errors.add(cycle_path, line_of(item), f"'{email}' is not a trainer of people.yaml")
        try:
            start = datetime.time.fromisoformat(str(item["start"]))
            end = datetime.time.fromisoformat(str(item["end"]))
        except ValueError:
            errors.add(cycle_path, line_of(item), "times must be written HH:MM")
            continue
        plan["sessions"].append(
            {
                "key": item["key"],
                "date": item["date"],
                "start_time": start,
                "end_time": end,
                "room": str(item.get("room", "")),
                "attendance_expected": bool(item.get("attendance", True)),
                "title": translated(item, "title", cycle_path, errors),
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
    for item in attendance.get("exceptions") or []:
        index = item.get("participant")
        if not isinstance(index, int) or not 1 <= index <= len(plan["participants"]):
            errors.add(
                cycle_path,
                line_of(item),
                f"participant must be a position from 1 to {len(plan['participants'])}",
            )
            continue
        if item.get("session") not in session_keys:
            errors.add(cycle_path, line_of(item), f"unknown session '{item.get('session')}'")
        if item.get("status") not in AttendanceStatus.values:
            errors.add(cycle_path, line_of(item), f"unknown status '{item.get('status')}'")
        plan["attendance"]["exceptions"].append(
            {
                "participant": plan["participants"][index - 1]["email"],
                "session": item.get("session"),
                "status": item.get("status"),
            }
        )
    return plan


def _upsert_person(email: str, role: str, values: dict, counts: dict) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, role=role, **values)
        if role == Role.ADMIN:
            user.is_staff = user.is_superuser = True
        if role == Role.COORDINATOR:
            user.is_staff = True
        user.set_unusable_password()
        user.save()
        audit.record_create(actor=None, target=user)
        counts["created"] += 1
        return user
    before = audit.snapshot(user)
    for k, v in values.items():
        setattr(user, k, v)
    if audit.record_update(actor=None, target=user, before=before):
        user.save()
        counts["updated"] += 1
    else:
        counts["unchanged"] += 1
    return user


def apply_demo(plan: dict, counts: dict) -> list[dict]:
    """Load the demo cycle and its people; returns the demo accounts to print."""
    people = {}
    for p in plan["trainers"] + plan["participants"]:
        people[p["email"]] = _upsert_person(p["email"], p["role"], p["values"], counts)
    demo_accounts = []
    for account in plan["accounts"]:
        if "role" in account:
            partner = (
                Partner.objects.get(slug=account["partner"]) if account.get("partner") else None
            )
            user = _upsert_person(account["email"], account["role"], account["values"], counts)
            if user.partner_id != (partner.pk if partner else None):
                user.partner = partner
                user.save(update_fields=["partner"])
            people[account["email"]] = user
        user = people[account["email"]]
        if not user.check_password(account["password"]):
            user.set_password(account["password"])
            user.save(update_fields=["password"])
        demo_accounts.append(
            {"email": user.email, "password": account["password"], "role": user.role}
        )
    _ensure_coordinator_group(people)

    c = plan["cycle"]
    programme = Programme.objects.get(slug=c["programme"])
    cycle = Cycle.objects.filter(slug=c["slug"]).first()
    values = {
        "programme": programme,
        "number": c["number"],
        "start_date": c["start_date"],
        "end_date": c["end_date"],
        "capacity": c["capacity"],
        "status": c["status"],
        **translated_values("title", c["title"]),
        **translated_values("venue", c["venue"]),
        **translated_values("city", c["city"]),
    }
    cycle = upsert(Cycle, {"slug": c["slug"]}, values, counts)
    sessions = {}
    for s in plan["sessions"]:
        session = upsert(
            Session,
            {"cycle": cycle, "key": s["key"]},
            {
                "date": s["date"],
                "start_time": s["start_time"],
                "end_time": s["end_time"],
                "room": s["room"],
                "attendance_expected": s["attendance_expected"],
                **translated_values("title", s["title"]),
            },
            counts,
        )
        session.modules.set(Module.objects.filter(key__in=s["modules"]))
        session.trainers.set([people[e] for e in s["trainers"]])
        sessions[s["key"]] = session
    for p in plan["participants"]:
        enrolment, created = Enrolment.objects.get_or_create(
            cycle=cycle, participant=people[p["email"]], defaults={"status": c["enrolment_status"]}
        )
        if created:
            audit.record_create(actor=None, target=enrolment)
            counts["created"] += 1
    exceptions = {
        (e["participant"], e["session"]): e["status"] for e in plan["attendance"]["exceptions"]
    }
    recorder = (
        people.get(plan["attendance"]["recorded_by"])
        or User.objects.filter(email=plan["attendance"]["recorded_by"]).first()
    )
    existing = set(
        Attendance.objects.filter(session__cycle=cycle).values_list("session_id", "participant_id")
    )
    for key, session in sessions.items():
        if not session.attendance_expected:
            continue
        recorded_at = timezone.make_aware(
            datetime.datetime.combine(session.date, session.start_time)
        )
        for p in plan["participants"]:
            user = people[p["email"]]
            if (session.pk, user.pk) in existing:
                continue
            record = Attendance.objects.create(
                session=session,
                participant=user,
                status=exceptions.get((p["email"], key), plan["attendance"]["default"]),
                recorded_by=recorder,
                recorded_at=recorded_at,
            )
            audit.record_create(actor=recorder, target=record)
            counts["created"] += 1
    return demo_accounts


def _ensure_coordinator_group(people) -> None:
    """Coordinators use the Django admin: give them the training models' permissions."""
    from django.contrib.auth.models import Group, Permission

    group, _created = Group.objects.get_or_create(name="Coordinators")
    perms = Permission.objects.filter(
        content_type__app_label="training",
        content_type__model__in=[
            "programme",
            "axis",
            "module",
            "cycle",
            "session",
            "enrolment",
            "attendance",
            "participantimport",
        ],
    ) | Permission.objects.filter(
        content_type__app_label="accounts", codename__in=["view_user", "change_user"]
    )
    group.permissions.set(perms)
    for user in User.objects.filter(role=Role.COORDINATOR):
        user.groups.add(group)
