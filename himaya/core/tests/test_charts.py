"""The bar charts: HTML text (never SVG <text>), mirrored in right-to-left pages, named for screen
readers, with the same figures in a table."""

import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from django.utils.html import format_html

from himaya.core import charts

LONG_LABEL = "Assistante sociale de la cellule de prise en charge des femmes victimes de violence"


def parse(html) -> ET.Element:
    return ET.fromstring(str(html))


def bars(figure: ET.Element) -> list[ET.Element]:
    """The coloured rect of each bar (the first rect of a bar is its grey track)."""
    return [svg.findall("rect")[1] for svg in figure.iter("svg")]


def test_labels_and_values_are_html_text_not_svg_text():
    with translation.override("ar"):
        html = str(charts.hbar([("قاضي النيابة العامة", 6), ("قاض", 8)], title="حسب الوظيفة"))
    assert "<text" not in html and "font-size" not in html
    figure = parse(html)
    labels = [e.text for e in figure.iter("span") if e.get("class") == "chart-label"]
    assert labels == ["قاضي النيابة العامة", "قاض"]


def test_long_labels_are_whole_never_cut():
    figure = parse(charts.hbar([(LONG_LABEL, 3)], title="Par fonction"))
    label = next(e for e in figure.iter("span") if e.get("class") == "chart-label")
    assert label.text == LONG_LABEL


@pytest.mark.parametrize(("language", "rtl"), [("fr", False), ("en", False), ("ar", True)])
def test_bars_start_on_the_reading_side(language, rtl):
    with translation.override(language):
        figure = parse(charts.hbar([("a", 25), ("b", 100)], maximum=100))
    quarter, full = bars(figure)
    assert quarter.get("width") == "25.0%" and full.get("width") == "100.0%"
    assert quarter.get("x") == ("75.0%" if rtl else "0.0%")


def test_paired_bars_are_mirrored_in_arabic_and_keep_missing_values_empty():
    with translation.override("ar"):
        figure = parse(charts.paired_bars([("المحور", 40.0, None)], title="قبلي وبعدي"))
    before, after = bars(figure)
    assert (before.get("x"), before.get("width")) == ("60.0%", "40.0%")
    assert after.get("width") == "0.0%"
    cells = [td.text for td in figure.iter("td")]
    assert cells == ["40", "–"]


def test_each_chart_has_an_accessible_name_from_its_title():
    figure = parse(charts.hbar([("Juge", 8)], title="Par fonction"))
    image = next(e for e in figure.iter() if e.get("role") == "img")
    name = next(e for e in figure.iter() if e.get("id") == image.get("aria-labelledby"))
    assert name.text == "Par fonction"


def test_without_a_title_the_name_is_the_figures():
    figure = parse(charts.hbar([("1", 0), ("5", 12)], label_width=30))
    image = next(e for e in figure.iter() if e.get("role") == "img")
    name = next(e for e in figure.iter() if e.get("id") == image.get("aria-labelledby"))
    assert name.text == "1: 0; 5: 12"
    assert "chart-compact" in image.get("class")


def test_two_charts_on_a_page_have_different_ids():
    first = parse(charts.hbar([("a", 1)], title="A"))
    second = parse(charts.paired_bars([("a", 1, 2)], title="B"))
    ids = [e.get("id") for f in (first, second) for e in f.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 2


def test_the_data_table_gives_the_same_figures():
    with translation.override("fr"):
        figure = parse(
            charts.hbar(
                [("Juge", 8), ("Greffier", 3)], title="Par fonction", value_header="Participants"
            )
        )
    table = next(figure.iter("table"))
    assert [th.text for th in table.iter("th")] == [
        "Par fonction",
        "Participants",
        "Juge",
        "Greffier",
    ]
    assert [td.text for td in table.iter("td")] == ["8", "3"]
    shown = [e.text for e in figure.iter("span") if e.get("class") == "chart-value"]
    assert shown == ["8", "3"]
    region = next(e for e in figure.iter("div") if e.get("class") == "table-wrap")
    assert region.get("tabindex") == "0" and region.get("aria-label") == "Par fonction"


def test_paired_bars_table_and_legend_name_both_series():
    with translation.override("en"):
        figure = parse(charts.paired_bars([("Overall", 56.5, 81.6)], title="Pre and post"))
    assert [th.text for th in next(figure.iter("thead")).iter("th")] == [
        "Pre and post",
        "Pre-test",
        "Post-test",
    ]
    assert [td.text for td in figure.iter("td")] == ["56", "82"]
    legend = next(e for e in figure.iter("p") if "chart-legend" in e.get("class"))
    assert "".join(legend.itertext()).split() == ["Pre-test", "Post-test"]


def test_a_page_with_its_own_table_can_leave_the_chart_table_out():
    html = str(charts.hbar([("a", 1)], title="A", data_table=False))
    assert "<table" not in html and 'role="img"' in html


def test_labels_are_escaped_unless_safe():
    html = str(charts.hbar([("<script>alert(1)</script>", 1)], title="<b>x</b>"))
    assert "<script>" not in html and "&lt;script&gt;" in html and "<b>" not in html
    safe = format_html('<bdi dir="ltr">{}</bdi> {}', "05/12", "Séance")
    figure = parse(charts.hbar([(safe, 1)]))
    assert "".join(next(figure.iter("bdi")).itertext()) == "05/12"
    image = next(e for e in figure.iter() if e.get("role") == "img")
    name = next(e for e in figure.iter() if e.get("id") == image.get("aria-labelledby"))
    assert name.text == "05/12 Séance: 1"


def test_law_numbers_in_labels_never_break():
    figure = parse(charts.hbar([("La loi 103.13 et le Code pénal", 96)], maximum=100))
    assert next(e for e in figure.iter("span") if e.get("class") == "nobreak").text == "103.13"


def test_values_are_localised_whole_numbers():
    with translation.override("fr"):
        html = str(charts.hbar([("a", 95.6)], maximum=100, unit="\u202f%"))
    assert "96\u202f%" in html
