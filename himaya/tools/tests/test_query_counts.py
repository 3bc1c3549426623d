"""The tools' pages read a fixed number of queries whatever the number of records or answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from himaya.tools import services

from .helpers import a_round

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_files_page(client, tools_content, participant):
    client.force_login(participant)
    url = reverse("tools:my_records")
    services.create_assessment(author=participant, label="a", round_=a_round())
    few = _queries(client, url)
    for i in range(10):
        services.create_assessment(author=participant, label=f"b{i}", round_=a_round())
    assert _queries(client, url) == few


def test_exercise_results_page(client, tools_content, session, trainer, enrol_many):
    tool = services.add_session_tool(
        actor=trainer, session=session, kind="vignette", key="many-unknowns"
    )
    services.set_exercise_open(actor=trainer, tool=tool, is_open=True)
    case = services.vignette_case(
        {
            "context": {
                "stage": "investigation",
                "offence": "ma-penal-code:404",
                "relationship": "spouse",
                "children": True,
                "victim_request": False,
            }
        }
    )
    people = enrol_many(20)
    for person in people[:5]:
        services.answer_exercise(participant=person, tool=tool, round_=a_round(case=case))
    client.force_login(trainer)
    url = reverse("tools:exercise_results", args=[tool.pk])
    few = _queries(client, url)
    for person in people[5:]:
        services.answer_exercise(participant=person, tool=tool, round_=a_round(case=case))
    assert _queries(client, url) == few
