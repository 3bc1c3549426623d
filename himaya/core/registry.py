"""Where apps appear on each other's pages without the lower app naming them.

`training` draws the cycle page and the participant's home; the apps above it (assessments,
certificates, reports, and later tools and the case library) register, in their AppConfig.ready,
the links they add to a cycle and the panels they add to a home page, each gated by their own
rules. Providers receive every cycle of the page at once, so that a page's query count does not
grow with its cycles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    style: str = "secondary"  # "primary" or "secondary" button
    id: str = ""


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


# where -> [(order, provider)]; a provider is provider(user, cycles) -> {cycle.pk: [Link, …]}
_LINKS: dict[str, list[tuple[int, Callable]]] = {}
# where -> [(order, provider)]; a provider is provider(request, cycles) -> Panel | None
_PANELS: dict[str, list[tuple[int, Callable]]] = {}

CYCLE_PAGE = "cycle_page"  # the buttons of a cycle's page
MY_CYCLE = "my_cycle"  # the buttons of each cycle on a participant's home
PARTICIPANT_HOME = "participant_home"  # panels above a participant's cycles
MY_PROFILE = "my_profile"  # a person's documents of each cycle on their profile (certificates)


def add_cycle_links(where: str, provider: Callable, *, order: int = 50) -> None:
    entries = _LINKS.setdefault(where, [])
    if all(p is not provider for _o, p in entries):
        entries.append((order, provider))
        entries.sort(key=lambda e: e[0])


def cycle_links(where: str, user, cycles) -> dict[int, list[Link]]:
    cycles = list(cycles)
    links: dict[int, list[Link]] = {c.pk: [] for c in cycles}
    for _order, provider in _LINKS.get(where, []):
        for pk, items in (provider(user, cycles) or {}).items():
            links.setdefault(pk, []).extend(items)
    return links


def add_panel(where: str, provider: Callable, *, order: int = 50) -> None:
    entries = _PANELS.setdefault(where, [])
    if all(p is not provider for _o, p in entries):
        entries.append((order, provider))
        entries.sort(key=lambda e: e[0])


def panels(where: str, request, cycles) -> list[Panel]:
    cycles = list(cycles)
    found = []
    for _order, provider in _PANELS.get(where, []):
        panel = provider(request, cycles)
        if panel is not None:
            found.append(panel)
    return found


@dataclass(frozen=True)
class Columns:
    """Columns an app adds to a cycle's participant export: `values` maps a participant's id
    to one value per header cell; people it does not name get empty cells."""

    header: list[str]
    values: dict

    @property
    def empty(self) -> list[str]:
        return [""] * len(self.header)


# [(order, provider)]; a provider is provider(cycle, participant_ids) -> Columns | None
_PARTICIPANT_COLUMNS: list[tuple[int, Callable]] = []


def add_participant_columns(provider: Callable, *, order: int = 50) -> None:
    if all(p is not provider for _o, p in _PARTICIPANT_COLUMNS):
        _PARTICIPANT_COLUMNS.append((order, provider))
        _PARTICIPANT_COLUMNS.sort(key=lambda e: e[0])


def participant_columns(cycle, participant_ids) -> list[Columns]:
    """The columns the apps above training add to this cycle's participant export, each
    provider reading all the participants at once."""
    ids = list(participant_ids)
    found = []
    for _order, provider in _PARTICIPANT_COLUMNS:
        columns = provider(cycle, ids)
        if columns is not None:
            found.append(columns)
    return found


# --- links on one object's page, and in the main navigation ------------------------------------

PROVISION_PAGE = "provision_page"  # a bench-book provision's page: the tools that use it
MODULE_PAGE = "module_page"  # a training module's page: the tools that use it

# where -> [(order, provider)]; a provider is provider(user, obj) -> [Link, …]
_OBJECT_LINKS: dict[str, list[tuple[int, Callable]]] = {}
# [(order, provider)]; a provider is provider(user) -> [Link, …]
_NAV: list[tuple[int, Callable]] = []


def add_object_links(where: str, provider: Callable, *, order: int = 50) -> None:
    entries = _OBJECT_LINKS.setdefault(where, [])
    if all(p is not provider for _o, p in entries):
        entries.append((order, provider))
        entries.sort(key=lambda e: e[0])


def object_links(where: str, user, obj) -> list[Link]:
    found: list[Link] = []
    for _order, provider in _OBJECT_LINKS.get(where, []):
        found.extend(provider(user, obj) or [])
    return found


def add_nav(provider: Callable, *, order: int = 50) -> None:
    if all(p is not provider for _o, p in _NAV):
        _NAV.append((order, provider))
        _NAV.sort(key=lambda e: e[0])


def nav_links(user) -> list[Link]:
    found: list[Link] = []
    for _order, provider in _NAV:
        found.extend(provider(user) or [])
    return found


# --- what apps add to each session of an agenda ------------------------------------------------

# [(order, provider)]; a provider is provider(user, sessions) -> {session.pk: [Link, …]}
_SESSION_ITEMS: list[tuple[int, Callable]] = []


def add_session_items(provider: Callable, *, order: int = 50) -> None:
    if all(p is not provider for _o, p in _SESSION_ITEMS):
        _SESSION_ITEMS.append((order, provider))
        _SESSION_ITEMS.sort(key=lambda e: e[0])


def session_items(user, sessions) -> dict[int, list[Link]]:
    """The items the apps above training put into these sessions' agenda (a practice vignette,
    a checklist), each provider reading every session at once."""
    sessions = list(sessions)
    items: dict[int, list[Link]] = {s.pk: [] for s in sessions}
    for _order, provider in _SESSION_ITEMS:
        for pk, links in (provider(user, sessions) or {}).items():
            items.setdefault(pk, []).extend(links)
    return items
