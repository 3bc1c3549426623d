"""The tools' content: complete in three languages, checked against the bench book, and every
article number it writes is one the bench book knows."""

import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from himaya.core import content as packs
from himaya.tools.models import ToolContent

ROOT = Path(settings.BASE_DIR) / "content"
ARTICLE = re.compile(
    r"(?:\barticles?|\bart\.|\bArticles?|الفصلين|الفصول|الفصل|المادتين|المادة|المواد)\s+"
    r"((?:\d+(?:-\d+)*)(?:\s*(?:و|et|and|à|to|إلى|-)\s*\d+(?:-\d+)*)*)"
)


def _texts(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)
    elif isinstance(node, str):
        yield node


def _known_numbers():
    numbers = set()
    for path in (ROOT / "benchbook" / "instruments").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for p in data.get("provisions") or []:
            number = str(p["number"])
            numbers.add(number)
            numbers.add("-".join(reversed(number.split("-"))))
    return numbers


def test_the_content_has_what_the_issue_asks(tools_plan):
    kinds = {}
    for doc in tools_plan:
        kinds.setdefault(doc["kind"], []).append(doc)
    aid = kinds["risk_aid"][0]["data"]
    factors = [f for g in aid["groups"] for f in g["factors"]]
    assert len([f for f in factors if f["red_flag"]]) == 10
    assert len(factors) >= 20
    assert len(kinds["vignette"]) >= 6
    assert len(kinds["checklist"]) == 8
    measures = kinds["measures"][0]["data"]
    provisions = {m["provision"] for m in measures["measures"]}
    assert {
        "ma-penal-code:88-1",
        "ma-penal-code:88-3",
        "ma-criminal-procedure-code:82-5-2",
        "ma-criminal-procedure-code:302",
    } <= provisions
    assert len(measures["comparative"]) >= 4


def test_every_text_exists_in_french_arabic_and_english(tools_plan):
    # The loader requires the three versions of every text; spot-check a deep one.
    for doc in tools_plan:
        for text in _texts(doc["data"]):
            assert "[verified]" not in text and "[recalled]" not in text
            assert "AR text" not in text


def test_every_article_number_written_is_one_the_bench_book_knows(tools_plan):
    known = _known_numbers()
    unknown = set()
    for doc in tools_plan:
        # Other countries' measures cite their own laws (Code civil, LECrim): not ours to check.
        data = {k: v for k, v in doc["data"].items() if k != "comparative"}
        for text in _texts(data):
            for match in ARTICLE.finditer(text):
                for number in re.findall(r"\d+(?:-\d+)*", match.group(1)):
                    if number not in known and len(number) > 1:
                        unknown.add((doc["key"], number))
    assert not unknown, sorted(unknown)


def test_an_invalid_file_is_reported_with_its_line_and_nothing_is_loaded(db, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT, root)
    path = root / "tools" / "measures.yaml"
    text = path.read_text(encoding="utf-8").replace(
        'provision: "ma-penal-code:88-3"', 'provision: "ma-penal-code:88-9"', 1
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(packs.ContentInvalid) as exc:
        packs.load(root)
    assert any(
        m.startswith("tools/measures.yaml:") and "ma-penal-code:88-9" in m
        for m in exc.value.messages
    ), exc.value.messages
    assert not ToolContent.objects.exists()


def test_a_vignette_must_read_every_factor(db, tmp_path):
    root = tmp_path / "content"
    shutil.copytree(ROOT, root)
    path = root / "tools" / "vignettes" / "many-unknowns.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n  strangulation: .*", "", text, count=1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(packs.ContentInvalid) as exc:
        packs.load(root)
    assert any("strangulation" in m for m in exc.value.messages)
