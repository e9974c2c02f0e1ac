"""Every format, built in code: the reference study must come out the same from each.

Each rendition carries the same 10 respondents x 6 outcomes (blanks and N/A answers
included) plus the screening rows the format can express; the import must detect
the format from the content, read exactly the reference numbers, pair statements by
text or id (never by position: the satisfaction matrix is in another order), and
exclude exactly the planted rows when every screening rule is on. With the default
policy only the platform's record excludes; the judgement rules flag and keep.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from odi.analysis.scoring import score
from odi.importers import ImportOptions, ScreeningOptions, import_survey
from odi.importers.screening import FLAG_RULES
from tests.importers import builders as b

Build = Callable[[Path], bytes]

ALL_RULES = dict(b.EXPECTED_EXCLUSIONS)
NO_META = {"duplicates": 1, "speeders": 1, "straightliners": 1, "sparse": 1}
ALL_ON = ImportOptions(screening=ScreeningOptions(**dict.fromkeys(FLAG_RULES, True)))


def _utf8_bom_lf(_: Path) -> bytes:
    return b"\xef\xbb\xbf" + b.csv_bytes(b.qualtrics_rows(), newline="\n")


RENDITIONS: list[tuple[str, Build, str, dict[str, int]]] = [
    ("qualtrics-choice-text", lambda _: b.csv_bytes(b.qualtrics_rows()), "qualtrics", ALL_RULES),
    (
        "qualtrics-numeric",
        lambda _: b.csv_bytes(b.qualtrics_rows(numeric=True)),
        "qualtrics",
        ALL_RULES,
    ),
    (
        "qualtrics-utf16-tsv",
        lambda _: b.csv_bytes(b.qualtrics_rows(numeric=True), delimiter="\t", encoding="utf-16"),
        "qualtrics",
        ALL_RULES,
    ),
    ("qualtrics-xlsx", lambda _: b.xlsx_bytes(b.qualtrics_rows()), "qualtrics", ALL_RULES),
    (
        "qualtrics-side-by-side",
        lambda _: b.csv_bytes(b.qualtrics_rows(sbs=True)),
        "qualtrics",
        ALL_RULES,
    ),
    (
        "qualtrics-single-quoted-ids",
        lambda _: b.csv_bytes(b.qualtrics_rows(import_style="single")),
        "qualtrics",
        ALL_RULES,
    ),
    (
        "qualtrics-unescaped-ids",
        lambda _: b.unescaped_csv(b.qualtrics_rows()),
        "qualtrics",
        ALL_RULES,
    ),
    ("qualtrics-bom-lf", _utf8_bom_lf, "qualtrics", ALL_RULES),
    (
        "qualtrics-semicolon-bare-cr",
        lambda _: b.csv_bytes(b.qualtrics_rows(), delimiter=";", newline="\r"),
        "qualtrics",
        ALL_RULES,
    ),
    (
        "qualtrics-legacy",
        lambda _: b"\xef\xbb\xbf" + b.csv_bytes(b.qualtrics_legacy_rows()),
        "qualtrics-legacy",
        ALL_RULES,
    ),
    ("surveymonkey-csv", lambda _: b.csv_bytes(b.surveymonkey_rows()), "surveymonkey", NO_META),
    (
        "surveymonkey-legacy-names",
        lambda _: b.csv_bytes(b.surveymonkey_rows(legacy=True)),
        "surveymonkey",
        NO_META,
    ),
    ("surveymonkey-xlsx", lambda _: b.xlsx_bytes(b.surveymonkey_rows()), "surveymonkey", NO_META),
    (
        "surveymonkey-numeric-bare-cr",
        lambda _: b.csv_bytes(b.surveymonkey_rows(numeric=True, legacy=True), newline="\r"),
        "surveymonkey",
        NO_META,
    ),
    (
        "googleforms-csv",
        lambda _: b.csv_bytes(b.googleforms_rows()),
        "googleforms",
        {"duplicates": 1, "straightliners": 1, "sparse": 1},
    ),
    (
        "googleforms-localised-timestamp",
        lambda _: b.csv_bytes(b.googleforms_rows(timestamp="Marca temporal", emails=False)),
        "googleforms",
        {"straightliners": 1, "sparse": 1},
    ),
    ("spss-sav-reversed-codes", lambda tmp: b.sav_bytes(tmp), "spss", ALL_RULES),
    ("wide-csv", lambda _: b.csv_bytes(b.wide_rows()), "wide", {}),
    ("wide-tsv", lambda _: b.csv_bytes(b.wide_rows(), delimiter="\t"), "wide", {}),
    ("wide-xlsx", lambda _: b.xlsx_bytes(b.wide_rows()), "wide", {}),
    ("wide-jsonl", lambda _: b.jsonl_bytes(b.wide_rows()), "wide", {}),
    ("long-csv", lambda _: b.csv_bytes(b.long_rows()), "long", {}),
    ("long-xlsx", lambda _: b.xlsx_bytes(b.long_rows()), "long", {}),
    ("long-jsonl", lambda _: b.jsonl_bytes(b.long_rows()), "long", {}),
]


@pytest.mark.parametrize(
    ("build", "fmt", "excluded"),
    [r[1:] for r in RENDITIONS],
    ids=[r[0] for r in RENDITIONS],
)
def test_every_rendition_reads_the_reference_study(tmp_path, build, fmt, excluded):
    data = build(tmp_path)
    # A misleading extension: detection must look at the content only.
    result = import_survey(data, source="export.txt", options=ALL_ON)
    survey, report = result.survey, result.report
    assert report.format == fmt
    np.testing.assert_array_equal(survey.importance.to_numpy(), b.reference("importance"))
    np.testing.assert_array_equal(survey.satisfaction.to_numpy(), b.reference("satisfaction"))
    assert list(survey.outcomes["statement"]) == list(b.STATEMENTS)
    assert str(survey.scale) == "1-5"
    role = next(a for a in survey.attributes if "role" in a.casefold())
    assert tuple(survey.respondents[role]) == b.ROLES
    counts = {rule: n for rule, n in report.excluded if n}
    assert counts == excluded
    assert report.respondents_total == 10 + sum(excluded.values())
    assert report.respondents_kept == 10
    assert len(report.exclusions) == sum(excluded.values())
    # The default policy excludes only by the platform's record; the rest are flagged, kept.
    default = import_survey(data, source="export.txt").report
    applied = {r: n for r, n in excluded.items() if r not in FLAG_RULES}
    assert {rule: n for rule, n in default.excluded if n} == applied
    assert {rule: n for rule, n in default.flagged if n} == {
        r: n for r, n in excluded.items() if r in FLAG_RULES
    }
    assert default.respondents_kept == 10 + sum(excluded.values()) - sum(applied.values())
    assert len(default.flagged_respondents) == sum(excluded.values()) - sum(applied.values())


def test_hand_checked_scores_of_the_reference_study():
    survey = import_survey(b.csv_bytes(b.qualtrics_rows()), source="q.csv", options=ALL_ON).survey
    table = score(survey, bootstrap=0).table.set_index("outcome")
    first = table.loc[b.STATEMENTS[0]]
    # importance 5,4,5,2,3,5,4,1,5,4: seven of ten in 4-5 -> 7.0
    # satisfaction 1,2,3,4,1,2,5,1,2,3: two of ten in 4-5 -> 2.0; O = 7 + 5 = 12
    assert (first["importance"], first["satisfaction"], first["opportunity"]) == (7.0, 2.0, 12.0)
    fifth = table.loc[b.STATEMENTS[4]]
    # importance 2,3,blank,4,5,3,4,5,2,4: five of nine; satisfaction has one N/A: 9 valid,
    # 5,4,5,3,1,2,2,4,3 -> four of nine
    assert fifth["n_importance"] == 9
    assert fifth["n_satisfaction"] == 9
    assert fifth["importance"] == pytest.approx(50 / 9)
    assert fifth["satisfaction"] == pytest.approx(40 / 9)


@pytest.mark.slow
def test_all_renditions_score_identically(tmp_path):
    tables = {}
    for name, build, _, _ in RENDITIONS:
        survey = import_survey(build(tmp_path), source=f"{name}.dat", options=ALL_ON).survey
        tables[name] = (
            score(survey, bootstrap=0)
            .table.set_index("outcome")[
                ["importance", "satisfaction", "opportunity", "n_importance", "n_satisfaction"]
            ]
            .sort_index()
        )
    first = next(iter(tables.values()))
    for name, table in tables.items():
        assert table.equals(first), name
