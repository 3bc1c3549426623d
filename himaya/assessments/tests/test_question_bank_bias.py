"""Cues a guesser could use on the pre/post-test question bank (content/assessments/questions).

A test-wise participant who has not followed the course should score no better than chance. The
classic cues are measured here, per language, and the test fails when one of them is too strong:

- single choice: how often the right option is the longest one, and how much longer it is than
  the distractors on average (ratio of its length to the mean distractor length);
- single choice: how often the right option sits at each position on the paper (options are shown
  in the order of the file);
- multiple choice: ratio of the mean length of the right options to that of the wrong ones;
- true/false: share of statements keyed "true".

Every failure message carries all the figures, so a failing run says what to rewrite.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from statistics import mean

import yaml
from django.conf import settings

LANGUAGES = ("fr", "ar", "en")

# Thresholds. A bank with no cue at all sits near 25 % (four options), 1.0 and 50 %.
MAX_LONGEST_IS_KEY = 0.40  # share of single-choice items whose right option is the longest
MAX_KEY_LENGTH_RATIO = 1.30  # mean of (right option length / mean distractor length)
MAX_OUT_OF_BAND = 0.25  # share of single-choice items whose key is off the ±25 % band
MAX_POSITION_SHARE = 0.45  # share of single-choice items keyed at any one position
MAX_MULTIPLE_RATIO = 1.30  # multiple choice: mean right length / mean wrong length
TRUE_SHARE = (0.35, 0.65)  # true/false: share keyed "true"


def bank_root() -> Path:
    return Path(settings.BASE_DIR) / "content"


def load_items(root: Path) -> list[dict]:
    """Every answerable item of the bank (plain questions and vignette sub-questions), each with
    its form, kind and choices in paper order."""
    items = []
    for path in sorted((root / "assessments" / "questions").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for node in data["questions"]:
            leaves = node.get("items") if node["kind"] == "vignette" else [node]
            for leaf in leaves or []:
                key = node["key"] if leaf is node else f"{node['key']}.{leaf['key']}"
                items.append(
                    {
                        "key": key,
                        "form": node.get("form"),
                        "kind": leaf["kind"],
                        "choices": leaf.get("choices") or [],
                    }
                )
    return items


def _length(choice: dict, language: str) -> int:
    return len(" ".join(str(choice["text"][language]).split()))


def figures(items: list[dict]) -> dict:
    """The cue figures of these items: per language for lengths, once for keys."""
    singles = [i for i in items if i["kind"] == "single"]
    multiples = [i for i in items if i["kind"] == "multiple"]
    true_false = [i for i in items if i["kind"] == "true_false"]
    result: dict = {"singles": len(singles), "languages": {}}
    for language in LANGUAGES:
        longest = out_of_band = 0
        ratio_values = []
        for item in singles:
            lengths = [_length(c, language) for c in item["choices"]]
            right = [n for n, c in zip(lengths, item["choices"], strict=True) if c.get("correct")]
            wrong = [
                n for n, c in zip(lengths, item["choices"], strict=True) if not c.get("correct")
            ]
            key = right[0]
            if key >= max(wrong):
                longest += 1
            ratio_values.append(key / mean(wrong))
            if abs(key - mean(lengths)) > 0.25 * mean(lengths):
                out_of_band += 1
        multiple_ratios = []
        for item in multiples:
            lengths = [(_length(c, language), bool(c.get("correct"))) for c in item["choices"]]
            right = [n for n, ok in lengths if ok]
            wrong = [n for n, ok in lengths if not ok]
            if right and wrong:
                multiple_ratios.append(mean(right) / mean(wrong))
        result["languages"][language] = {
            "longest_is_key": longest / len(singles) if singles else 0.0,
            "key_ratio": mean(ratio_values) if ratio_values else 1.0,
            "max_key_ratio": max(ratio_values) if ratio_values else 1.0,
            "out_of_band": out_of_band / len(singles) if singles else 0.0,
            "multiple_ratio": mean(multiple_ratios) if multiple_ratios else 1.0,
        }
    positions = Counter(
        next(p for p, c in enumerate(i["choices"]) if c.get("correct")) for i in singles
    )
    result["positions"] = {p: positions.get(p, 0) / len(singles) for p in range(4)}
    result["true_false"] = len(true_false)
    result["true_share"] = _true_share(true_false)
    for form in ("A", "B"):
        result[f"true_share_{form}"] = _true_share([i for i in true_false if i["form"] == form])
    return result


def _true_share(items: list[dict]) -> float:
    keyed_true = [
        i for i in items if any(c.get("correct") for c in i["choices"] if c["key"] == "true")
    ]
    return len(keyed_true) / len(items) if items else 0.5


def report(found: dict) -> str:
    lines = [f"{found['singles']} single-choice items, {found['true_false']} true/false items"]
    for language, f in found["languages"].items():
        lines.append(
            f"[{language}] right option longest: {f['longest_is_key']:.0%}; "
            f"mean key/distractor length ratio: {f['key_ratio']:.2f} (max {f['max_key_ratio']:.2f}); "
            f"key off the ±25 % band: {f['out_of_band']:.0%}; "
            f"multiple choice right/wrong length ratio: {f['multiple_ratio']:.2f}"
        )
    shares = ", ".join(f"{'abcd'[p]} {s:.0%}" for p, s in found["positions"].items())
    lines.append(f"key position (single choice): {shares}")
    lines.append(
        f"true/false keyed true: {found['true_share']:.0%} "
        f"(form A {found['true_share_A']:.0%}, form B {found['true_share_B']:.0%})"
    )
    return "\n".join(lines)


def problems(found: dict) -> list[str]:
    wrong = []
    for language, f in found["languages"].items():
        if f["longest_is_key"] > MAX_LONGEST_IS_KEY:
            wrong.append(f"[{language}] the right option is the longest too often")
        if f["key_ratio"] > MAX_KEY_LENGTH_RATIO:
            wrong.append(f"[{language}] right options are longer than distractors on average")
        if f["out_of_band"] > MAX_OUT_OF_BAND:
            wrong.append(f"[{language}] too many right options far from the mean length")
        if f["multiple_ratio"] > MAX_MULTIPLE_RATIO:
            wrong.append(f"[{language}] right options of multiple-choice items are longer")
    if max(found["positions"].values()) > MAX_POSITION_SHARE:
        wrong.append("one position holds the right option too often")
    low, high = TRUE_SHARE
    if not low <= found["true_share"] <= high:
        wrong.append("true/false statements are keyed one way too often")
    return wrong


def test_the_question_bank_gives_a_guesser_no_cue():
    found = figures(load_items(bank_root()))
    assert not problems(found), "\n".join(problems(found)) + "\n\n" + report(found)


def test_the_figures_catch_the_classic_cues():
    """The measure itself: a bank whose key is always the first and longest option, and whose
    true/false items are all false, fails on every count."""
    biased = [
        {
            "key": f"q{n}",
            "form": "A",
            "kind": "single",
            "choices": [
                {"key": "a", "text": dict.fromkeys(LANGUAGES, "x" * 90), "correct": True},
                *({"key": k, "text": dict.fromkeys(LANGUAGES, "y" * 30)} for k in "bcd"),
            ],
        }
        for n in range(4)
    ] + [
        {
            "key": f"t{n}",
            "form": "B",
            "kind": "true_false",
            "choices": [
                {"key": "true", "text": dict.fromkeys(LANGUAGES, "True")},
                {"key": "false", "text": dict.fromkeys(LANGUAGES, "False"), "correct": True},
            ],
        }
        for n in range(2)
    ]
    found = figures(biased)
    assert found["languages"]["en"]["longest_is_key"] == 1.0
    assert found["languages"]["en"]["key_ratio"] == 3.0
    assert found["positions"][0] == 1.0
    assert found["true_share"] == 0.0
    assert len(problems(found)) == 3 * len(LANGUAGES) + 2
