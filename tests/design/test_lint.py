"""The outcome-statement linter: every rule with statements that should and should not trip it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from odi.design.lint import (
    MAX_WORDS,
    RULES,
    Finding,
    findings_frame,
    lint_statements,
    read_statement_list,
)

ROOT = Path(__file__).resolve().parents[2]

# (rule, statement that triggers it, statement that does not)
CASES = [
    (
        "direction",
        "The time it takes to find a qualified lead",
        "Minimize the time it takes to find a qualified lead",
    ),
    (
        "direction",
        "Reduce the time it takes to find a qualified lead",
        "Increase the number of qualified leads found per week",
    ),
    (
        "metric",
        "Minimize qualified leads that sales rejects each week",
        "Minimize the likelihood that sales rejects a qualified lead",
    ),
    (
        "solution",
        "Minimize the time it takes to build a report in the dashboard",
        "Minimize the time it takes to reconcile sourced pipeline with the CRM",
    ),
    (
        "solution",
        "Increase the accuracy of the forecast using AI",
        "Increase the accuracy of the quarter's pipeline forecast",
    ),
    (
        "compound",
        "Minimize the likelihood that forms, routing or tracking fail after launch",
        "Minimize the likelihood that marketing and sales use different lead definitions",
    ),
    (
        "compound",
        "Minimize the time it takes to find and qualify new leads",
        "Minimize the likelihood that contact records disagree between the systems and the CRM",
    ),
    (
        "compound",
        "Minimize the time it takes to find the lead and the account owner",
        "Minimize the likelihood that duplicate or outdated records are used",
    ),
    (
        "vague",
        "Minimize the time it takes to easily find a qualified lead",
        "Minimize the time it takes to find a qualified lead",
    ),
    (
        "vague",
        "Increase the number of efficient campaigns launched per quarter",
        "Increase the number of campaigns launched per quarter",
    ),
    (
        "emotion",
        "Minimize the likelihood of feeling frustrated by the weekly report",
        "Minimize the likelihood that the weekly report is late",
    ),
    (
        "emotion",
        "Increase the likelihood that sales is satisfied with lead quality",
        "Increase the likelihood that sales accepts a lead on first review",
    ),
    (
        "question",
        "How long does it take to find a qualified lead?",
        "Minimize the time it takes to find a qualified lead",
    ),
    (
        "first-person",
        "Minimize the time it takes me to find my next lead",
        "Minimize the time it takes to find the next lead",
    ),
    ("length", "Minimize lead time", "Minimize the time it takes to find a lead"),
    (
        "length",
        "Minimize the time it takes to " + " ".join(["agree"] * MAX_WORDS),
        "Minimize the time it takes to agree with sales leadership on the pipeline target",
    ),
]


@pytest.mark.parametrize(
    ("rule", "bad", "good"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_triggers_and_stays_quiet(rule: str, bad: str, good: str) -> None:
    assert rule in RULES
    assert rule in {f.rule for f in lint_statements([("1", bad)])}
    assert rule not in {f.rule for f in lint_statements([("1", good)])}


def test_duplicate() -> None:
    items = [
        ("O1", "Minimize the time it takes to find a qualified lead"),
        ("O2", "Minimize the time it takes to find qualified leads"),
        ("O3", "Minimize the time it takes to hand a lead to sales"),
    ]
    found = [f for f in lint_statements(items) if f.rule == "duplicate"]
    assert [(f.id, "O1" in f.message) for f in found] == [("O2", True)]
    assert not [f for f in lint_statements([items[0], items[2]]) if f.rule == "duplicate"]


def test_reordered_duplicate_is_found() -> None:
    items = [
        ("a", "Minimize the likelihood that sales disputes the pipeline credited to marketing"),
        ("b", "Minimize the likelihood that the pipeline credited to marketing sales disputes"),
    ]
    assert [f.id for f in lint_statements(items) if f.rule == "duplicate"] == ["b"]


def test_empty_step() -> None:
    frame = pd.DataFrame(
        {
            "id": ["1"],
            "statement": ["Minimize the time it takes to find a lead"],
            "job_step": ["Locate"],
        }
    )
    found = lint_statements(frame, steps=["Locate", "Monitor"])
    assert [(f.id, f.rule) for f in found] == [("Monitor", "empty-step")]
    assert lint_statements(frame, steps=["locate"]) == []


@pytest.mark.parametrize(
    ("statement", "rule", "suggestion"),
    [
        ("Reduce the time it takes to plan", "direction", "Minimize the time it takes to plan"),
        (
            "Maximize the accuracy of the forecast",
            "direction",
            "Increase the accuracy of the forecast",
        ),
        (
            "The likelihood of missing a signal",
            "direction",
            "Minimize the likelihood of missing a signal",
        ),
        (
            "Minimize the time it takes to build the list using Excel",
            "solution",
            "Minimize the time it takes to build the list",
        ),
        (
            "Minimize the time it takes to find and qualify leads",
            "compound",
            "Minimize the time it takes to find leads"
            " | Minimize the time it takes to qualify leads",
        ),
        (
            "Minimize the time it takes to quickly find a lead",
            "vague",
            "Minimize the time it takes to find a lead",
        ),
        (
            "Minimize the time it takes to update our forecast",
            "first-person",
            "Minimize the time it takes to update the forecast",
        ),
    ],
    ids=["reduce", "maximize", "no-direction", "using-tool", "two-verbs", "vague", "our"],
)
def test_suggested_rewrites(statement: str, rule: str, suggestion: str) -> None:
    found = {f.rule: f for f in lint_statements([("1", statement)])}
    assert found[rule].suggestion == suggestion
    # A rewrite fixes what it was built for.
    for part in suggestion.split(" | "):
        assert rule not in {f.rule for f in lint_statements([("1", part)])}


def test_demo_statements_are_clean() -> None:
    frame = pd.read_csv(ROOT / "surveys" / "pipeline_demo.csv", dtype=str, keep_default_na=False)
    outcomes = frame.drop_duplicates("outcome_id")
    assert len(outcomes) == 40
    assert (
        lint_statements(list(zip(outcomes["outcome_id"], outcomes["outcome"], strict=True))) == []
    )


def test_findings_frame_and_dict() -> None:
    f = Finding("O1", "vague", "uses 'easy'", "x")
    assert f.to_dict() == {"id": "O1", "rule": "vague", "message": "uses 'easy'", "suggestion": "x"}
    assert findings_frame([f]).to_dict("records") == [f.to_dict()]
    assert findings_frame([]).empty


def test_bad_similarity() -> None:
    with pytest.raises(ValueError, match="duplicate_similarity"):
        lint_statements([], duplicate_similarity=0)


def test_read_csv_with_semicolons_and_bom() -> None:
    listing = read_statement_list(
        "\ufeffid;statement\nA;Minimize the time\n".encode(), source="s.csv"
    )
    assert listing.statements[["id", "statement"]].values.tolist() == [["A", "Minimize the time"]]


@given(st.lists(st.text(max_size=80), max_size=12))
def test_never_crashes_and_every_finding_names_a_known_rule(texts: list[str]) -> None:
    items = [(str(i), t) for i, t in enumerate(texts)]
    for f in lint_statements(items):
        assert f.rule in RULES
        assert f.id in {i for i, _ in items}
        assert f.message
