"""Generated questionnaires: their structure, and a round trip through each platform's export."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from odi.design.instrument import (
    IMPORTANCE_LABELS,
    NA_LABEL,
    SATISFACTION_LABELS,
    Instrument,
    RespondentQuestion,
    default_questions,
    google_apps_script,
    instrument_bytes,
    qualtrics_qsf,
    qualtrics_txt,
    questionnaire_html,
    recodes,
    restore_ids,
)
from odi.importers import import_survey
from odi.importers.load import load_survey
from odi.personas import ICP
from tests.design import returns

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_instrument() -> Instrument:
    frame = pd.read_csv(ROOT / "surveys" / "pipeline_demo.csv", dtype=str, keep_default_na=False)
    outcomes = frame.drop_duplicates("outcome_id").set_index("outcome_id")
    outcomes = outcomes.rename(columns={"outcome": "statement"})[["statement", "job_step"]]
    return Instrument(outcomes, default_questions(), "Generate qualified pipeline")


SPARSE = Instrument.from_statements(
    [
        ("O03", "Minimize the time it takes to find a qualified lead"),
        ("O10", "Minimize the likelihood of missing a buying signal"),
        ("O7", "Increase the accuracy of the pipeline forecast"),
    ],
    questions=[RespondentQuestion("role", "Which best describes your role?", ("VP", "Ops"))],
    title="Sparse ids",
)


@pytest.fixture(params=["demo", "sparse"], ids=["demo-40-outcomes", "non-contiguous-ids"])
def instrument(request: pytest.FixtureRequest, demo_instrument: Instrument) -> Instrument:
    return demo_instrument if request.param == "demo" else SPARSE


def _check(imported, instrument: Instrument, ans: returns.Answers, *, row_ids=None) -> None:
    """Every outcome pairs back to its id, with the simulated answers."""
    survey = restore_ids(imported.survey, instrument)
    ids = [oid for oid, _ in instrument.statements]
    assert list(survey.outcomes.index) == ids
    assert list(survey.outcomes["statement"]) == [s for _, s in instrument.statements]
    order = ids if row_ids is None else row_ids
    for side in ("importance", "satisfaction"):
        got = getattr(survey, side)[order].to_numpy()
        np.testing.assert_array_equal(got, returns.expected(ans, side))
    assert survey.n_respondents == len(ans.attrs)


def _choices(instrument: Instrument) -> list[list[str]]:
    return [list(q.choices) for q in instrument.questions]


@pytest.mark.parametrize("numeric", [False, True], ids=["choice-text", "numeric-values"])
def test_qualtrics_txt_round_trip(instrument: Instrument, numeric: bool) -> None:
    form = returns.read_qualtrics_txt(qualtrics_txt(instrument))
    assert [m["tag"] for m in form.matrices] == ["importance", "satisfaction"]
    imp, sat = form.matrices
    assert imp["rows"] == sat["rows"]  # same statements, same order
    assert imp["answers"] == [*IMPORTANCE_LABELS, NA_LABEL]
    assert sat["answers"] == [*SATISFACTION_LABELS, NA_LABEL]
    codes = recodes(instrument)
    assert [int(c) for c, _ in imp["rows"]] == [codes[o] for o, _ in instrument.statements]
    ans = returns.simulate(len(imp["rows"]), _choices(instrument))
    export = returns.qualtrics_export(form, ans, numeric=numeric)
    imported = import_survey(export, source="returned.csv")
    assert imported.survey.respondents.columns.tolist() == [q.name for q in instrument.questions]
    # Qualtrics columns carry the recode: importance_7 is outcome O7.
    for paired in imported.report.outcomes:
        code = int(paired.importance_column.rsplit("_", 1)[1])
        assert paired.satisfaction_column == f"satisfaction_{code}"
        oid = next(o for o, c in codes.items() if c == code)
        assert dict(instrument.statements)[oid] == paired.statement
    _check(imported, instrument, ans)


@pytest.mark.parametrize("numeric", [False, True], ids=["choice-text", "numeric-values"])
def test_qsf_round_trip(instrument: Instrument, numeric: bool) -> None:
    doc = json.loads(instrument_bytes(instrument, "qsf"))
    form = returns.read_qsf(doc)
    ans = returns.simulate(len(form.matrices[0]["rows"]), _choices(instrument), seed=2)
    export = returns.qualtrics_export(form, ans, numeric=numeric)
    imported = import_survey(export, source="returned.csv")
    assert imported.report.format.startswith("qualtrics")
    _check(imported, instrument, ans)


def test_google_forms_round_trip(instrument: Instrument) -> None:
    script = google_apps_script(instrument)
    assert "addGridItem" in script
    assert "setColumns(SURVEY.columns)" in script
    survey = returns.read_apps_script(script)
    assert survey["columns"] == ["1", "2", "3", "4", "5", "N/A"]
    ans = returns.simulate(len(survey["rows"]), _choices(instrument), seed=3)
    imported = import_survey(returns.google_forms_export(survey, ans), source="form.csv")
    assert imported.report.format == "googleforms"
    _check(imported, instrument, ans)


def test_printable_html_round_trip(instrument: Instrument) -> None:
    names, rows = returns.read_html(questionnaire_html(instrument))
    assert rows == instrument.statements
    ans = returns.simulate(len(rows), _choices(instrument), seed=4)
    imported = import_survey(returns.keyed_in_long(names, rows, ans), source="paper.csv")
    # Keyed-in ids are kept as they are: no renaming needed.
    assert list(imported.survey.outcomes.index) == [oid for oid, _ in instrument.statements]
    _check(imported, instrument, ans)


def test_printable_pdf_round_trip(instrument: Instrument) -> None:
    reader = PdfReader(io.BytesIO(instrument_bytes(instrument, "pdf")))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    ids = [oid for oid, _ in instrument.statements]
    for oid, statement in instrument.statements:
        assert text.count(f"{oid} ") >= 2, oid  # once per matrix
        assert " ".join(statement.split()[:4]) in text
    rows = [(oid, s) for oid, s in instrument.statements if re.search(rf"\b{oid}\b", text)]
    assert [r[0] for r in rows] == ids
    names = [q.name for q in instrument.questions]
    ans = returns.simulate(len(rows), _choices(instrument), seed=5)
    imported = import_survey(returns.keyed_in_long(names, rows, ans), source="paper.csv")
    _check(imported, instrument, ans)


def test_qsf_randomises_both_matrices_in_the_same_order(demo_instrument: Instrument) -> None:
    doc = qualtrics_qsf(demo_instrument)
    matrices = [
        e["Payload"]
        for e in doc["SurveyElements"]
        if e["Element"] == "SQ" and e["Payload"]["QuestionType"] == "Matrix"
    ]
    assert [m["DataExportTag"] for m in matrices] == ["importance", "satisfaction"]
    assert matrices[0]["ChoiceOrder"] == matrices[1]["ChoiceOrder"]
    assert all(m["Randomization"]["Type"] == "All" for m in matrices)
    assert all(m["RecodeValues"]["999"] == "999" for m in matrices)
    assert matrices[0]["ChoiceOrder"][:3] == ["1", "2", "3"]


def test_default_questions_take_choices_from_the_study(demo_instrument: Instrument) -> None:
    survey = load_survey((ROOT / "surveys" / "pipeline_demo.csv").read_bytes(), source="d.csv")
    qs = default_questions(survey, icp=ICP({"region": ["Antarctica"]}))
    by = {q.name: q for q in qs}
    assert "VP Marketing" in by["role"].choices
    assert by["region"].choices[-1] == "Antarctica"
    assert set(by["industry"].choices) == set(survey.respondents["industry"].dropna())


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        (["O1", "O2"], [1, 2]),
        (["A", "B"], [1, 2]),
        (["O1", "X1"], [1, 2]),
        (["Q12", "Q4"], [12, 4]),
    ],
    ids=["numbered", "no-numbers", "clashing-numbers", "out-of-order"],
)
def test_recodes(ids: list[str], expected: list[int]) -> None:
    ins = Instrument.from_statements([(i, f"Minimize the time {i}") for i in ids])
    assert list(recodes(ins).values()) == expected


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "1role", "text": "x", "choices": ("a",)}, "export tag"),
        ({"name": "role", "text": " ", "choices": ("a",)}, "question text"),
        ({"name": "role", "text": "x", "choices": ("",)}, "at least one choice"),
    ],
    ids=["bad-name", "no-text", "no-choices"],
)
def test_bad_respondent_questions(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        RespondentQuestion(**kwargs)  # type: ignore[arg-type]


def test_restore_ids_names_a_foreign_statement() -> None:
    ans = returns.simulate(3, [["VP", "Ops"]])
    form = returns.read_qualtrics_txt(qualtrics_txt(SPARSE))
    imported = import_survey(returns.qualtrics_export(form, ans), source="r.csv")
    other = Instrument.from_statements([("X", "Minimize something else entirely here")])
    with pytest.raises(ValueError, match="not a statement of the instrument"):
        restore_ids(imported.survey, other)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="format must be one of"):
        instrument_bytes(SPARSE, "docx")
