"""The demo study's Qualtrics, SurveyMonkey and Google Forms renditions.

The project's importers for these formats are written separately, so these tests read each
rendition with a small parser of their own (plain ``csv``), drop the rows the screening rules
must drop, and check that what is left is exactly the generic file: the same respondents in
the same order, the same attributes and the same answers (blank stays blank, N/A stays N/A),
hence the same scores. They also pin the byte-level shape each tool really exports.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from odi.analysis.scoring import score
from odi.scale import Scale
from odi.survey import Survey

SURVEYS = Path(__file__).resolve().parents[2] / "surveys"
ATTRIBUTES = ["role", "company_size", "industry", "region"]
BLANK, NA = 0, -1  # answer codes in this module: 1..5, 0 blank, -1 N/A

QUALTRICS_LABELS = {
    "Extremely important": 5,
    "Very important": 4,
    "Moderately important": 3,
    "Slightly important": 2,
    "Not at all important": 1,
    "Extremely satisfied": 5,
    "Somewhat satisfied": 4,
    "Neither satisfied nor dissatisfied": 3,
    "Somewhat dissatisfied": 2,
    "Extremely dissatisfied": 1,
    "Not applicable": NA,
    "": BLANK,
}
SURVEYMONKEY_LABELS = {
    "Extremely important": 5,
    "Very important": 4,
    "Somewhat important": 3,
    "Not so important": 2,
    "Not at all important": 1,
    "Very satisfied": 5,
    "Satisfied": 4,
    "Neither satisfied nor dissatisfied": 3,
    "Dissatisfied": 2,
    "Very dissatisfied": 1,
    "N/A": NA,
    "": BLANK,
}
NUMBER_LABELS = {"5": 5, "4": 4, "3": 3, "2": 2, "1": 1, "N/A": NA, "": BLANK}


@dataclass(frozen=True)
class Parsed:
    """Respondents of one file: ids, attributes and answer codes (columns = outcome ids)."""

    ids: list[str]
    attributes: pd.DataFrame
    importance: pd.DataFrame
    satisfaction: pd.DataFrame


def _codes(cells: list[list[str]], labels: dict[str, int], columns: list[str]) -> pd.DataFrame:
    unknown = {c for row in cells for c in row} - set(labels)
    assert not unknown, f"labels outside the scale: {sorted(unknown)}"
    return pd.DataFrame([[labels[c] for c in row] for row in cells], columns=columns)


def _rows(data: bytes, *, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


@pytest.fixture(scope="module")
def statements() -> dict[str, str]:
    """Statement text -> outcome id, from the generic file."""
    frame = pd.read_csv(SURVEYS / "pipeline_demo.csv", dtype=str, keep_default_na=False)
    pairs = frame.drop_duplicates("outcome_id")
    return dict(zip(pairs["outcome"], pairs["outcome_id"], strict=True))


@pytest.fixture(scope="module")
def generic() -> Parsed:
    frame = pd.read_csv(SURVEYS / "pipeline_demo.csv", dtype=str, keep_default_na=False)
    ids = list(dict.fromkeys(frame["respondent_id"]))
    outcomes = list(dict.fromkeys(frame["outcome_id"]))
    attrs = frame.drop_duplicates("respondent_id")[ATTRIBUTES].reset_index(drop=True)
    k = len(outcomes)
    matrices = [
        _codes(frame[side].to_numpy().reshape(-1, k).tolist(), NUMBER_LABELS, outcomes)
        for side in ("importance", "satisfaction")
    ]
    return Parsed(ids, attrs, *matrices)


# --- the three test-local parsers ---------------------------------------------------------


def parse_qualtrics(data: bytes, statements: dict[str, str]) -> tuple[Parsed, pd.DataFrame]:
    """Kept respondents, and the metadata of the rows screening drops."""
    rows = _rows(data, encoding="utf-8")
    ids_row, text_row, import_row = rows[:3]
    import_ids = [json.loads(cell)["ImportId"] for cell in import_row]
    side_cols: dict[str, dict[str, int]] = {"1": {}, "2": {}}
    for i, iid in enumerate(import_ids):
        m = re.fullmatch(r"QID([12])_(\d+)", iid)
        if m:  # a matrix statement; pair by the statement text, never by position
            statement = text_row[i].split(" - ", 1)[1]
            side_cols[m.group(1)][statements[statement]] = i
    outcomes = sorted(side_cols["1"])
    assert sorted(side_cols["2"]) == outcomes
    body = pd.DataFrame(rows[3:], columns=ids_row)
    keep = (body["Status"] == "IP Address") & (body["Finished"] == "True")
    kept = [r for r, k in zip(rows[3:], keep, strict=True) if k]
    parsed = Parsed(
        ids=list(body.loc[keep, "ResponseId"]),
        attributes=body.loc[keep, ATTRIBUTES].reset_index(drop=True),
        importance=_codes(
            [[r[side_cols["1"][o]] for o in outcomes] for r in kept], QUALTRICS_LABELS, outcomes
        ),
        satisfaction=_codes(
            [[r[side_cols["2"][o]] for o in outcomes] for r in kept], QUALTRICS_LABELS, outcomes
        ),
    )
    return parsed, body.loc[~keep].reset_index(drop=True)


def _half_answered(imp: pd.DataFrame, sat: pd.DataFrame) -> pd.Series:
    answered = (imp > 0).sum(axis=1) + (sat > 0).sum(axis=1)
    return answered >= (imp.shape[1] + sat.shape[1]) / 2


def parse_surveymonkey(data: bytes, statements: dict[str, str]) -> tuple[Parsed, list[str]]:
    """Kept respondents and the ids of the dropped (mostly blank) ones."""
    rows = _rows(data, encoding="utf-8-sig")
    questions, subs = rows[:2]
    filled = list(pd.Series(questions).replace("", np.nan).ffill())
    attr_cols = [i for i, s in enumerate(subs) if s == "Response"]
    imp_cols = {statements[subs[i]]: i for i, q in enumerate(filled) if "important" in q}
    sat_cols = {statements[subs[i]]: i for i, q in enumerate(filled) if "satisfied" in q}
    outcomes = sorted(imp_cols)
    assert sorted(sat_cols) == outcomes
    body = rows[2:]
    imp = _codes([[r[imp_cols[o]] for o in outcomes] for r in body], SURVEYMONKEY_LABELS, outcomes)
    sat = _codes([[r[sat_cols[o]] for o in outcomes] for r in body], SURVEYMONKEY_LABELS, outcomes)
    keep = _half_answered(imp, sat).to_numpy()
    attrs = pd.DataFrame([[r[i] for i in attr_cols] for r in body], columns=ATTRIBUTES)
    parsed = Parsed(
        ids=[r[0] for r, k in zip(body, keep, strict=True) if k],
        attributes=attrs[keep].reset_index(drop=True),
        importance=imp[keep].reset_index(drop=True),
        satisfaction=sat[keep].reset_index(drop=True),
    )
    return parsed, [r[0] for r, k in zip(body, keep, strict=True) if not k]


def parse_googleforms(data: bytes, statements: dict[str, str]) -> tuple[Parsed, list[str]]:
    """Kept respondents and the timestamps of the dropped ones (straight-lined, near-empty)."""
    rows = _rows(data, encoding="utf-8")
    header, body = rows[0], rows[1:]
    grid = {i: re.fullmatch(r"(.+) \[(.+)\]", h) for i, h in enumerate(header)}
    imp_cols = {
        statements[m.group(2)]: i for i, m in grid.items() if m and "important" in m.group(1)
    }
    sat_cols = {
        statements[m.group(2)]: i for i, m in grid.items() if m and "satisfied" in m.group(1)
    }
    outcomes = sorted(imp_cols)
    assert sorted(sat_cols) == outcomes
    imp = _codes([[r[imp_cols[o]] for o in outcomes] for r in body], NUMBER_LABELS, outcomes)
    sat = _codes([[r[sat_cols[o]] for o in outcomes] for r in body], NUMBER_LABELS, outcomes)
    straight = imp.where(imp > 0).nunique(axis=1) == 1
    keep = (_half_answered(imp, sat) & ~straight).to_numpy()
    attrs = pd.DataFrame([r[1:5] for r in body], columns=ATTRIBUTES)
    parsed = Parsed(
        ids=[r[0] for r, k in zip(body, keep, strict=True) if k],
        attributes=attrs[keep].reset_index(drop=True),
        importance=imp[keep].reset_index(drop=True),
        satisfaction=sat[keep].reset_index(drop=True),
    )
    return parsed, [r[0] for r, k in zip(body, keep, strict=True) if not k]


def _read(name: str) -> bytes:
    return (SURVEYS / name).read_bytes()


@pytest.fixture(scope="module")
def renditions(statements: dict[str, str]) -> dict[str, tuple[Parsed, Any]]:
    return {
        "qualtrics": parse_qualtrics(_read("pipeline_demo_qualtrics.csv"), statements),
        "surveymonkey": parse_surveymonkey(_read("pipeline_demo_surveymonkey.csv"), statements),
        "googleforms": parse_googleforms(_read("pipeline_demo_googleforms.csv"), statements),
    }


TOOLS = ["qualtrics", "surveymonkey", "googleforms"]


# --- same respondents, same answers -------------------------------------------------------


@pytest.mark.parametrize("tool", TOOLS, ids=TOOLS)
def test_screened_rendition_holds_exactly_the_generic_respondents(
    renditions, generic: Parsed, tool
):
    parsed, _ = renditions[tool]
    assert len(parsed.ids) == len(generic.ids) == 600
    assert len(set(parsed.ids)) == len(parsed.ids)
    pd.testing.assert_frame_equal(parsed.attributes, generic.attributes)
    pd.testing.assert_frame_equal(parsed.importance, generic.importance)
    pd.testing.assert_frame_equal(parsed.satisfaction, generic.satisfaction)


@pytest.mark.parametrize("tool", TOOLS, ids=TOOLS)
def test_truth_file_maps_every_respondent_to_its_rendition_id(
    renditions, generic: Parsed, truth, tool
):
    parsed, _ = renditions[tool]
    ids = truth["renditions"][tool]["ids"]
    assert [ids[g] for g in generic.ids] == parsed.ids


def _survey(parsed: Parsed) -> Survey:
    def points(codes: pd.DataFrame) -> pd.DataFrame:
        return codes.where(codes > 0).astype(float).set_axis(parsed.ids)

    return Survey.from_frames(
        outcomes=pd.DataFrame(
            {"statement": parsed.importance.columns}, index=parsed.importance.columns
        ),
        importance=points(parsed.importance),
        satisfaction=points(parsed.satisfaction),
        respondents=parsed.attributes.set_axis(parsed.ids),
        scale=Scale.from_range(1, 5),
    )


@pytest.mark.parametrize("tool", TOOLS, ids=TOOLS)
def test_all_renditions_score_identically(renditions, survey: Survey, tool):
    ours = score(_survey(renditions[tool][0]), by="role", bootstrap=0).table
    theirs = score(survey, by="role", bootstrap=0).table
    columns = [
        "segment",
        "outcome_id",
        "n_importance",
        "n_satisfaction",
        "importance",
        "satisfaction",
        "opportunity",
        "zone",
    ]
    key = ["segment", "outcome_id"]
    pd.testing.assert_frame_equal(
        ours[columns].sort_values(key).reset_index(drop=True),
        theirs[columns].sort_values(key).reset_index(drop=True),
    )


def test_renditions_contain_na_answers_and_blanks(renditions):
    for parsed, _ in renditions.values():
        codes = pd.concat([parsed.importance, parsed.satisfaction]).to_numpy()
        assert (codes == NA).sum() > 100
        assert (codes == BLANK).sum() > 100


# --- Qualtrics ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qualtrics_bytes() -> bytes:
    return _read("pipeline_demo_qualtrics.csv")


def test_qualtrics_bytes_are_shaped_like_a_real_export(qualtrics_bytes: bytes):
    data = qualtrics_bytes
    assert data.startswith(
        b"StartDate,EndDate,Status,IPAddress,Progress,Duration (in seconds),"
        b"Finished,RecordedDate,ResponseId,"
    )
    assert data.endswith(b"\r\n")
    assert b"\r" not in data.replace(b"\r\n", b"")
    # Row 3 holds ImportId JSON with CSV-doubled quotes, as Qualtrics writes it.
    assert b'"{""ImportId"":""startDate"",""timeZone"":""America/New_York""}"' in data
    rows = _rows(data, encoding="utf-8")
    assert len({len(r) for r in rows}) == 1
    assert all(json.loads(c) for c in rows[2])
    # The only bare LFs are the embedded newlines of the satisfaction question (row 2).
    bare_lf = data.replace(b"\r\n", b"").count(b"\n")
    assert bare_lf == sum(c.count("\n") for c in rows[1]) > 0
    assert rows[0][-1] == "SolutionRevision"
    assert any("_DO_" in c for c in rows[0])
    responses = [r[8] for r in rows[3:]]
    assert all(re.fullmatch(r"R_[A-Za-z0-9]{15}", r) for r in responses)


def test_qualtrics_statement_ids_are_not_positions(qualtrics_bytes: bytes, statements):
    rows = _rows(qualtrics_bytes, encoding="utf-8")
    imp = [c for c in rows[0] if re.fullmatch(r"Q1_\d+", c)]
    sat = [c for c in rows[0] if re.fullmatch(r"Q2_\d+", c)]
    recodes = [int(c.split("_")[1]) for c in imp]
    assert len(imp) == len(sat) == 40
    assert recodes != list(range(1, 41))  # non-contiguous
    # the satisfaction matrix lists the statements in another order, so pairing the
    # k-th importance column with the k-th satisfaction column would be wrong
    text = dict(zip(rows[0], rows[1], strict=True))
    imp_statements = [text[c].split(" - ", 1)[1] for c in imp]
    sat_statements = [text[c].split(" - ", 1)[1] for c in sat]
    assert sorted(imp_statements) == sorted(sat_statements)
    assert sum(a != b for a, b in zip(imp_statements, sat_statements, strict=True)) >= 30
    assert {s.replace("Q1_", "Q2_") for s in imp} == set(sat)


def test_qualtrics_junk_rows_are_previews_and_unfinished(renditions, truth):
    _, dropped = renditions["qualtrics"]
    previews = dropped[dropped["Status"] == "Survey Preview"]
    unfinished = dropped[dropped["Finished"] == "False"]
    assert len(previews) == 2
    assert (previews["DistributionChannel"] == "preview").all()
    assert len(unfinished) == 3
    assert (unfinished["Progress"].astype(int) < 100).all()
    assert len(dropped) == 5
    junk = truth["renditions"]["qualtrics"]["junk"]
    assert [j["id"] for j in junk] == list(dropped["ResponseId"])


# --- SurveyMonkey -------------------------------------------------------------------------


def test_surveymonkey_bytes_are_shaped_like_a_real_export():
    data = _read("pipeline_demo_surveymonkey.csv")
    assert data.startswith(
        b"\xef\xbb\xbfRespondent ID,Collector ID,Start Date,End Date,IP Address,"
        b"Email Address,First Name,Last Name,Custom Data 1,"
    )
    assert b"\n" not in data.replace(b"\r\n", b"")
    rows = _rows(data, encoding="utf-8-sig")
    assert len({len(r) for r in rows}) == 1
    questions, subs = rows[:2]
    assert subs[:9] == [""] * 9
    # each matrix question shows its text once, over blank cells
    blocks = [q for q in questions[13:] if q]
    assert len(blocks) == 2
    assert questions.count("") == 2 * 39
    assert all(re.fullmatch(r"\d{11,12}", r[0]) for r in rows[2:])
    assert all(re.fullmatch(r"\d\d/\d\d/2026 \d\d:\d\d:\d\d [AP]M", r[2]) for r in rows[2:])


def test_surveymonkey_junk_rows_are_incomplete(renditions, truth):
    _, dropped = renditions["surveymonkey"]
    assert len(dropped) == 4
    assert [j["id"] for j in truth["renditions"]["surveymonkey"]["junk"]] == dropped


# --- Google Forms -------------------------------------------------------------------------


def test_googleforms_bytes_are_shaped_like_a_real_export():
    data = _read("pipeline_demo_googleforms.csv")
    assert data.startswith(b"Timestamp,")
    assert b"\r" not in data
    rows = _rows(data, encoding="utf-8")
    assert len({len(r) for r in rows}) == 1
    stamps = [r[0] for r in rows[1:]]
    assert all(re.fullmatch(r"2026/10/\d\d \d{1,2}:\d\d:\d\d [AP]M GMT\+1", s) for s in stamps)
    assert len(set(stamps)) == len(stamps)
    grid = [h for h in rows[0] if h.endswith("]")]
    assert len(grid) == 80


def test_googleforms_junk_rows_are_a_test_submission_and_an_empty_one(renditions, truth):
    _, dropped = renditions["googleforms"]
    junk = truth["renditions"]["googleforms"]["junk"]
    assert [j["id"] for j in junk] == dropped
    assert {j["reason"] for j in junk} == {"straight-liner", "fewer than half answered"}


# --- the kept respondents survive every screening rule -----------------------------------


def test_no_kept_respondent_is_a_speeder_or_a_duplicate(renditions):
    rows = _rows(_read("pipeline_demo_qualtrics.csv"), encoding="utf-8")
    body = pd.DataFrame(rows[3:], columns=rows[0])
    duration = body["Duration (in seconds)"].astype(int)
    kept = body["ResponseId"].isin(renditions["qualtrics"][0].ids)
    assert duration[kept].min() >= duration.median() / 2
    assert body["ResponseId"].is_unique

    rows = _rows(_read("pipeline_demo_surveymonkey.csv"), encoding="utf-8-sig")
    body = pd.DataFrame(rows[2:], columns=[f"c{i}" for i in range(len(rows[0]))])
    fmt = "%m/%d/%Y %I:%M:%S %p"
    seconds = (
        pd.to_datetime(body["c3"], format=fmt) - pd.to_datetime(body["c2"], format=fmt)
    ).dt.total_seconds()
    kept = body["c0"].isin(renditions["surveymonkey"][0].ids)
    assert seconds[kept].min() >= seconds.median() / 2
    assert body["c0"].is_unique
