"""The entry point: results, reports, options, overrides, caching and the load wrapper."""

from __future__ import annotations

import dataclasses
import json
import pickle

import numpy as np
import pandas as pd
import pytest

from odi.importers import (
    ColumnMap,
    ColumnSpec,
    ImportOptions,
    LabelMap,
    ScreeningOptions,
    import_survey,
    inspect_survey,
    pipeline,
)
from odi.importers.load import load_survey
from odi.importers.plain import ScaleOptions
from tests.importers import builders as b

QUALTRICS = b.csv_bytes(b.qualtrics_rows())
STRICT = ImportOptions(screening=b.STRICT)


def test_result_is_frozen_and_picklable():
    result = import_survey(QUALTRICS, source="q.csv")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.survey = None  # type: ignore[misc]
    back = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(back.survey.importance, result.survey.importance)
    assert back.report.to_dict() == result.report.to_dict()


def test_report_is_complete_and_json_ready():
    report = import_survey(QUALTRICS, source="q.csv", options=STRICT).report
    data = json.loads(json.dumps(report.to_dict()))
    assert data["format"] == "qualtrics"
    assert data["respondents"] == {
        "total": 16,
        "kept": 10,
        "excluded": 6,
        "excluded_by_reason": b.EXPECTED_EXCLUSIONS,
        "flagged_kept_by_reason": {},
    }
    assert {r["reason"] for r in data["excluded_respondents"]} == set(b.EXPECTED_EXCLUSIONS)
    assert data["scale"] == "1-5"
    assert data["importance_labels"]["labels"]["Extremely important"] == 5
    assert data["importance_labels"]["labels"]["Not applicable"] is None
    text = report.to_text()
    for needle in (
        "format: Qualtrics export (choice text); 3 header rows",
        "respondents: kept 10 of 16",
        "outcomes: 6, paired by statement text",
        "scale: 1-5 (top box 4-5)",
        "attributes: What is your role?",
        "ignored columns:",
    ):
        assert needle in text


def test_exclusions_name_each_respondent():
    exclusions = import_survey(QUALTRICS, source="q.csv", options=STRICT).report.exclusions
    assert exclusions.set_index("respondent_id")["reason"].to_dict() == {
        "R_Preview01": "previews",
        "FS_Unfinished": "unfinished",
        b.RESPONSE_IDS[0]: "duplicates",
        "R_Speeder0001": "speeders",
        "R_Straight001": "straightliners",
        "R_Sparse00001": "sparse",
    }
    assert exclusions["row"].tolist() == [11, 12, 13, 14, 15, 16]


def test_options_round_trip_through_json():
    options = ImportOptions(
        format="qualtrics",
        scale=(1, 5),
        top_box=4,
        na_codes=(0, 6),
        screening=ScreeningOptions(speeders=False, speeder_fraction=0.25),
        label_map=LabelMap.from_dict({"labels": {"Yes": 5, "No": 1, "Skip": None}}),
        column_map=ColumnMap((ColumnSpec("Q10", "ignore"),)),
        name="Study",
    )
    assert ImportOptions.from_dict(json.loads(json.dumps(options.to_dict()))) == options
    with pytest.raises(ValueError, match="format must be one of"):
        ImportOptions(format="typeform")


def test_column_map_override_pairs_columns_the_names_do_not():
    data = b"id,role,Q1: speed,Q2: speed,status\n1,VP,5,2,ok\n2,AE,4,4,test\n3,VP,5,1,ok\n"
    with pytest.raises(ValueError, match="no importance/satisfaction column pairs"):
        import_survey(data, source="w.csv")
    auto = inspect_survey(data, source="w.csv").columns
    frame = auto.to_frame()
    frame.loc[frame["column"] == "Q1: speed", ["role", "outcome"]] = ["importance", "speed"]
    frame.loc[frame["column"] == "Q2: speed", ["role", "outcome"]] = ["satisfaction", "speed"]
    frame.loc[frame["column"] == "status", ["role", "detail"]] = ["metadata", "status"]
    options = ImportOptions(column_map=ColumnMap.from_frame(frame))
    result = import_survey(data, source="w.csv", options=options)
    assert result.report.paired_by == "column map"
    assert result.survey.importance["speed"].tolist() == [5.0, 5.0]
    assert dict(result.report.excluded)["previews"] == 1  # the status column now screens


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        (ColumnMap((ColumnSpec("nope", "ignore"),)), "does not have"),
        (ColumnMap((ColumnSpec("Q1_1", "importance", outcome="x"),)), "only one side"),
        (
            ColumnMap((ColumnSpec("Q2_1", "importance", outcome=b.STATEMENTS[0]),)),
            "two columns give the importance",
        ),
        (ColumnMap((ColumnSpec("Q2_1", "importance"),)), "an importance rating without"),
    ],
    ids=["unknown-column", "one-sided", "two-for-one-side", "no-outcome-key"],
)
def test_bad_column_maps(override, needle):
    with pytest.raises(ValueError, match=needle):
        import_survey(QUALTRICS, source="q.csv", options=ImportOptions(column_map=override))


def test_column_map_is_complete_and_round_trips():
    columns = import_survey(QUALTRICS, source="q.csv").report.columns
    assert len(columns) == len(b.qualtrics_rows()[0])
    assert ColumnMap.from_dict(json.loads(json.dumps(columns.to_dict()))) == columns
    assert ColumnMap.from_frame(columns.to_frame()) == columns
    with pytest.raises(ValueError, match="role must be one of"):
        ColumnSpec("x", "segment")


def test_parsing_is_cached_per_content_so_repeated_calls_are_cheap(monkeypatch):
    first = import_survey(QUALTRICS, source="q.csv", options=STRICT)
    calls = []
    monkeypatch.setattr(pipeline, "_parse", lambda *a, **k: calls.append(a) or None)
    again = import_survey(
        QUALTRICS, source="q.csv", options=ImportOptions(screening=ScreeningOptions.none())
    )
    assert calls == []
    assert again.survey.n_respondents == 16
    assert f"{b.RESPONSE_IDS[0]} (2)" in again.survey.respondents.index  # numbered, not dropped
    assert first.survey.n_respondents == 10


def test_the_input_bytes_are_not_modified():
    data = bytearray(QUALTRICS)
    before = bytes(data)
    import_survey(bytes(data), source="q.csv")
    assert bytes(data) == before


def test_load_survey_is_a_thin_wrapper():
    survey = load_survey(QUALTRICS, source="study.csv", options=ScaleOptions(top_box=5))
    assert survey.n_respondents == 13  # the default policy: previews, unfinished, duplicates
    assert survey.scale.top_box == 5.0
    assert survey.name == "study"
    named = load_survey(b"id,imp_a,sat_a\n1,5,2\n", source="s.csv", name="Mine")
    assert named.name == "Mine"
    full = load_survey(
        QUALTRICS, source="q.csv", options=ImportOptions(screening=ScreeningOptions.none())
    )
    assert full.n_respondents == 16


def test_top_box_and_na_codes_apply_to_vendor_exports():
    rows = b.qualtrics_rows(numeric=True, screening=False)
    column = rows[0].index("Q1_1")
    rows[3][column] = "6"  # a 'not applicable' answer recoded 6
    result = import_survey(
        b.csv_bytes(rows), source="q.csv", options=ImportOptions(top_box=5, na_codes=(6,))
    )
    assert result.survey.scale.top_box == 5.0
    assert np.isnan(result.survey.importance.iloc[0, 0])
    # 6 is top box on 1-7, which the answers also fit: inference asks for the scale and
    # never suggests dropping 6 as not-applicable.
    with pytest.raises(ValueError, match=r"ambiguous.*6 would be a top-box answer") as info:
        import_survey(b.csv_bytes(rows), source="q.csv")
    assert "--na-codes" not in str(info.value)
