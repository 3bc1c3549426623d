import datetime as dt

import pytest

from himaya.tools import risk

GROUPS = [
    {
        "key": "red_flags",
        "factors": [{"key": f"r{i}", "red_flag": True} for i in range(5)],
    },
    {"key": "history", "factors": [{"key": f"o{i}", "red_flag": False} for i in range(5)]},
]


def answers(**given):
    return dict(given.items())


@pytest.mark.parametrize(
    "given,level",
    [
        ({}, "moderate"),
        ({"o0": "yes", "o1": "yes"}, "moderate"),
        ({"o0": "yes", "o1": "yes", "o2": "yes"}, "elevated"),
        ({"r0": "yes"}, "high"),
        ({"r0": "yes", "r1": "yes", "o0": "yes", "o1": "yes", "o2": "yes"}, "high"),
        ({"r0": "yes", "r1": "yes", "r2": "yes"}, "severe"),
    ],
)
def test_the_written_rule(given, level):
    assert risk.suggest(answers(**given), GROUPS).level == level


def test_unknown_is_never_no_and_many_unknown_red_flags_make_it_provisional():
    s = risk.suggest({"r0": "no", "r1": "no", "o0": "no"}, GROUPS)
    # r2..r4 were not answered: unknown, counted apart.
    assert s.unknown_red_flags == ["r2", "r3", "r4"]
    assert s.unknown_count == 3 + 4
    assert s.provisional
    assert not risk.suggest({f"r{i}": "no" for i in range(3)}, GROUPS).provisional


def test_the_reason_names_the_counts_and_the_rule():
    s = risk.suggest({"r0": "yes", "r1": "yes"}, GROUPS)
    assert "2" in s.reason()
    assert len(risk.rule_lines()) == 6


def test_level_change_direction():
    assert risk.level_change("high", "high") == "kept"
    assert risk.level_change("high", "severe") == "up"
    assert risk.level_change("elevated", "moderate") == "down"


def test_reassessment_falls_due_at_one_and_three_months():
    first = dt.date(2026, 1, 31)
    assert risk.add_months(first, 1) == dt.date(2026, 2, 28)
    assert risk.next_due(first, first) == dt.date(2026, 2, 28)
    assert risk.next_due(first, dt.date(2026, 3, 1)) == dt.date(2026, 4, 30)
    assert risk.next_due(first, dt.date(2026, 5, 1)) is None
    assert risk.add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
