"""Answer labels: normalising, built-in sets, N/A answers, unknown labels, label maps."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from odi.importers import ImportOptions, LabelMap, import_survey
from odi.importers.labels import (
    LABEL_SETS,
    is_na_label,
    label_number,
    normalise_label,
    resolve_labels,
)
from tests.importers import builders as b


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Extremely important", "extremely important"),
        ("  EXTREMELY   Important ", "extremely important"),
        ("Extremely\u00a0important", "extremely important"),
        ("<strong>Extremely</strong> important", "extremely important"),
        ("Extremely &amp; truly important", "extremely & truly important"),
        ("5 - Extremely important", "extremely important"),
        ("5 = Extremely important", "extremely important"),
        ("(5) Extremely important", "extremely important"),
        ("Extremely important (5)", "extremely important"),
        ("Extremely important - 5", "extremely important"),
        ("Extremely important.", "extremely important"),
        ("Don’t know", "don't know"),
        ("5.00", "5"),
        ("-99", "-99"),
    ],
    ids=[
        "plain",
        "case-and-spaces",
        "nbsp",
        "html",
        "entity",
        "prefix-dash",
        "prefix-equals",
        "prefix-parens",
        "suffix-parens",
        "suffix-dash",
        "full-stop",
        "curly-quote",
        "decimal-number",
        "negative-number",
    ],
)
def test_normalise_label(raw, key):
    assert normalise_label(raw) == key


def test_label_number():
    assert label_number("1 - Not at all important") == 1.0
    assert label_number("Extremely important (5)") == 5.0
    assert label_number("Very important") is None


@pytest.mark.parametrize(
    "text",
    [
        "Not applicable",
        "N/A",
        "(N/A)",
        "n/a",
        "Don't know",
        "Do not know",
        "Unfamiliar (N/A)",
        "-99",
        "999",
        "",
        "Prefer not to say",
        "Not applicable to my role",
    ],
)
def test_na_labels(text):
    assert is_na_label(text)


@pytest.mark.parametrize("text", ["Very important", "5", "Neutral", "Not important"])
def test_not_na_labels(text):
    assert not is_na_label(text)


@pytest.mark.parametrize("label_set", LABEL_SETS, ids=[s.name for s in LABEL_SETS])
def test_every_built_in_set_maps_its_labels_low_to_high(label_set):
    side = "satisfaction" if label_set.kind == "satisfaction" else "importance"
    counts = {
        # The first label of each point, written the way exports vary it.
        f"{i} - {labels[0].upper()}" if i % 2 else f"{labels[0]} ({i})": 1
        for i, labels in enumerate(label_set.points, start=1)
    }
    result = resolve_labels(counts, side=side, source="s.csv", scale_size=label_set.size)
    assert list(result.values.values()) == [float(i) for i in range(1, label_set.size + 1)]
    assert result.scale_size == label_set.size


def test_synonyms_within_a_set():
    result = resolve_labels(
        {"Somewhat important": 2, "Not very important": 1, "Extremely important": 1},
        side="importance",
        source="s.csv",
    )
    assert result.values == {
        "Somewhat important": 3.0,
        "Not very important": 2.0,
        "Extremely important": 5.0,
    }


def test_two_different_answers_never_share_a_point():
    # 'Agree' and 'Somewhat agree' are one point on the 5-point set, so it is the 7-point set.
    labels = [
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ]
    result = resolve_labels(dict.fromkeys(labels, 1), side="importance", source="s.csv")
    assert result.scale_size == 7
    assert [result.values[x] for x in labels] == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]


def test_unknown_labels_are_all_listed_with_counts():
    counts = {"Very important": 10, "Kinda important": 3, "Meh": 2, "Whatever": 1}
    with pytest.raises(ValueError, match="not on a known") as info:
        resolve_labels(counts, side="importance", source="s.csv")
    message = str(info.value)
    for needle in ("'Kinda important' (3)", "'Meh' (2)", "'Whatever' (1)", "s.csv"):
        assert needle in message
    assert "'Very important'" not in message


def test_numbers_and_na_codes():
    result = resolve_labels(
        {"5": 2, "1.0": 1, "-99": 4, "999": 1, "": 9}, side="importance", source="s.csv"
    )
    assert result.kind == "numbers"
    assert result.values["5"] == 5.0
    assert result.values["1.0"] == 1.0
    assert math.isnan(result.values["-99"])
    assert math.isnan(result.values["999"])
    assert result.na_answers == 5


def test_label_map_replaces_the_built_in_sets():
    mapping = LabelMap.from_dict({"Crucial": 5, "Nice to have": 3, "Irrelevant": 1, "Skip": None})
    result = resolve_labels(
        {"crucial": 4, "Nice to have": 2, "Skip": 1},
        side="importance",
        source="s.csv",
        label_map=mapping,
    )
    assert result.values["crucial"] == 5.0
    assert math.isnan(result.values["Skip"])
    with pytest.raises(ValueError, match="'Wow' \\(1\\)"):
        resolve_labels({"Wow": 1}, side="importance", source="s.csv", label_map=mapping)


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"labels": {"a": 1, "A ": 2}}, "two values"),
        ({"labels": {"a": "high"}}, "must be a number"),
        ({"labels": ["a"]}, "must be"),
    ],
    ids=["conflicting", "not-a-number", "not-a-mapping"],
)
def test_bad_label_maps(data, needle):
    with pytest.raises(ValueError, match=needle):
        LabelMap.from_dict(data)


@settings(deadline=None)
@given(
    st.dictionaries(
        st.text(alphabet="abcdefgh XYZ", min_size=1, max_size=10)
        .filter(lambda t: normalise_label(t) != "" and not is_na_label(t))
        .map(str.strip)
        .filter(bool),
        st.one_of(st.none(), st.integers(min_value=-3, max_value=12).map(float)),
        max_size=8,
    )
)
def test_label_map_round_trips(entries):
    keys: dict[str, str] = {}
    for label in entries:  # one label per normalised key, as a real map has
        keys.setdefault(normalise_label(label), label)
    m = LabelMap(tuple((label, entries[label]) for label in keys.values()), name="mine")
    assert LabelMap.from_dict(m.to_dict()) == m
    frame_back = LabelMap.from_frame(m.to_frame(), name="mine")
    assert frame_back.entries == m.entries


# ---------------------------------------------------------------- through the importer


def test_label_variants_in_a_choice_text_export():
    imp = [
        "1 - Not at all important",
        "Slightly Important",
        "MODERATELY important",
        "Very\u00a0important",
        "Extremely important (5)",
    ]
    sat = [f"<span>{x}</span>" for x in b.SATISFACTION_LABELS]
    data = b.csv_bytes(b.qualtrics_rows(imp_labels=imp, sat_labels=sat, na_label="(N/A)"))
    survey = import_survey(data, source="q.csv", options=ImportOptions(screening=b.STRICT)).survey
    np.testing.assert_array_equal(survey.importance.to_numpy(), b.reference("importance"))
    np.testing.assert_array_equal(survey.satisfaction.to_numpy(), b.reference("satisfaction"))


def test_seven_point_labels_give_a_seven_point_scale():
    imp7 = [
        "Not at all important",
        "Low importance",
        "Slightly important",
        "Neutral",
        "Moderately important",
        "Very important",
        "Extremely important",
    ]
    sat7 = [
        "Extremely dissatisfied",
        "Moderately dissatisfied",
        "Slightly dissatisfied",
        "Neither satisfied nor dissatisfied",
        "Slightly satisfied",
        "Moderately satisfied",
        "Extremely satisfied",
    ]
    # Points 1..5 of the reference spread over a 7-point scale: 1,2,3 -> 1,3,5; 4,5 -> 6,7.
    spread = {1: 1, 2: 3, 3: 5, 4: 6, 5: 7}
    imp = [imp7[spread[i] - 1] for i in range(1, 6)]
    sat = [sat7[spread[i] - 1] for i in range(1, 6)]
    result = import_survey(
        b.csv_bytes(b.qualtrics_rows(imp_labels=imp, sat_labels=sat)),
        source="q.csv",
        options=ImportOptions(screening=b.STRICT),
    )
    assert str(result.survey.scale) == "1-7"
    assert result.survey.scale.top_box == 6.0
    assert result.report.importance_labels is not None
    assert result.report.importance_labels.points == tuple(float(p) for p in range(1, 8))
    reference = b.reference("importance")
    expected = np.full_like(reference, np.nan)
    for old, new in spread.items():
        expected[reference == old] = new
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), expected)


def test_a_label_map_through_the_options():
    imp = ["Irrelevant", "Minor", "Useful", "Key", "Crucial"]
    data = b.csv_bytes(b.qualtrics_rows(imp_labels=imp))
    with pytest.raises(ValueError, match="'Crucial'"):
        import_survey(data, source="q.csv", options=ImportOptions(screening=b.STRICT))
    entries = {label: i for i, label in enumerate(imp, start=1)}
    entries.update({label: i for i, label in enumerate(b.SATISFACTION_LABELS, start=1)})
    entries["Not applicable"] = None
    options = ImportOptions(screening=b.STRICT, label_map=LabelMap.from_dict({"labels": entries}))
    survey = import_survey(data, source="q.csv", options=options).survey
    np.testing.assert_array_equal(survey.importance.to_numpy(), b.reference("importance"))


@pytest.mark.parametrize(
    ("recodes", "ok"),
    [
        ({1: "1", 2: "2", 3: "3", 4: "4", 5: "5"}, True),
        ({1: "10", 2: "11", 3: "12", 4: "13", 5: "14"}, False),
        ({1: "-2", 2: "-1", 3: "0", 4: "1", 5: "2"}, False),
    ],
    ids=["one-to-k", "ten-to-fourteen", "minus-two-to-two"],
)
def test_numeric_recodes_are_not_assumed(recodes, ok):
    rows = b.qualtrics_rows(numeric=True)
    start = len(b.QUALTRICS_META)
    ratings = [
        i for i, name in enumerate(rows[0]) if name[:3] in ("Q1_", "Q2_") and name != "Q1_DO"
    ]
    for row in rows[3:]:
        for i in ratings:
            if row[i] not in ("", "-99"):
                row[i] = recodes[int(row[i])]
    assert start < min(ratings)
    data = b.csv_bytes(rows)
    if ok:
        result = import_survey(data, source="q.csv", options=ImportOptions(screening=b.STRICT))
        assert any("numeric-values export" in w for w in result.report.warnings)
        return
    with pytest.raises(ValueError, match="recode values") as info:
        import_survey(data, source="q.csv", options=ImportOptions(screening=b.STRICT))
    assert "label map" in str(info.value)
    mapping = LabelMap.from_dict({"labels": {v: k for k, v in recodes.items()}})
    survey = import_survey(
        data, source="q.csv", options=ImportOptions(screening=b.STRICT, label_map=mapping)
    ).survey
    np.testing.assert_array_equal(survey.importance.to_numpy(), b.reference("importance"))


def test_label_map_frame_for_editing():
    m = LabelMap.from_dict({"labels": {"Low": 1, "High": 2, "N/A": None}})
    frame = m.to_frame()
    assert list(frame.columns) == ["label", "value"]
    assert frame["value"].isna().tolist() == [False, False, True]
    edited = frame.assign(value=[2.0, 1.0, np.nan])
    assert LabelMap.from_frame(edited).value_of("low") == 2.0
    with pytest.raises(ValueError, match="columns label and value"):
        LabelMap.from_frame(pd.DataFrame({"text": ["a"]}))
