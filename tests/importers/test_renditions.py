"""The demo study in surveys/: the generic file and its Qualtrics, SurveyMonkey and Google
Forms renditions must score identically once screening has removed each rendition's junk.

By default only the platform's record excludes: previews and unfinished responses (on
SurveyMonkey and Google Forms, abandoned ones, recognised by their blank tail). The
straight-liner planted in the Forms rendition is flagged and kept unless its rule is on."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from odi.analysis.scoring import score
from odi.importers import ImportOptions, import_survey
from tests.importers.builders import STRICT

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
GENERIC = "pipeline_demo.csv"
RENDITIONS = {
    "qualtrics": "pipeline_demo_qualtrics.csv",
    "surveymonkey": "pipeline_demo_surveymonkey.csv",
    "googleforms": "pipeline_demo_googleforms.csv",
}
REASONS = {
    "preview": "previews",
    "unfinished": "unfinished",
    "incomplete": "unfinished",
    "straight-liner": "straightliners",
    "fewer than half answered": "unfinished",
}
FLAGGED = {"straightliners"}


def scores(name: str) -> pd.DataFrame:
    options = ImportOptions(screening=STRICT)
    result = import_survey((SURVEYS / name).read_bytes(), source=name, options=options)
    table = score(result.survey, bootstrap=0).table
    return table.set_index("outcome")[
        ["importance", "satisfaction", "opportunity", "n_importance", "n_satisfaction", "zone"]
    ].sort_index()


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((SURVEYS / "pipeline_demo_truth.json").read_text())


def test_the_generic_file_loses_nobody():
    report = import_survey((SURVEYS / GENERIC).read_bytes(), source=GENERIC).report
    assert report.format == "long"
    assert report.respondents_excluded == 0
    assert len(report.outcomes) == 40


@pytest.mark.parametrize("fmt", sorted(RENDITIONS))
def test_each_rendition_scores_like_the_generic_file(fmt):
    expected = scores(GENERIC)
    got = scores(RENDITIONS[fmt])
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("fmt", sorted(RENDITIONS))
def test_screening_removes_exactly_the_planted_junk(fmt, truth):
    name = RENDITIONS[fmt]
    report = import_survey((SURVEYS / name).read_bytes(), source=name).report
    assert report.format == fmt
    junk = truth["renditions"][fmt]["junk"]
    want: dict[str, int] = {}
    for row in junk:
        want[REASONS[row["reason"]]] = want.get(REASONS[row["reason"]], 0) + 1
    assert {rule: n for rule, n in report.excluded if n} == {
        r: n for r, n in want.items() if r not in FLAGGED
    }
    assert {rule: n for rule, n in report.flagged if n} == {
        r: n for r, n in want.items() if r in FLAGGED
    }
    if fmt != "googleforms":  # Forms has no response id; its rows are numbered
        assert sorted(report.exclusions["respondent_id"]) == sorted(r["id"] for r in junk)
