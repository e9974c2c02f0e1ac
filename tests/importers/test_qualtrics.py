"""Qualtrics pitfalls (survey-formats.md section 9) with code-built exports."""

from __future__ import annotations

import numpy as np
import pytest

from odi.importers import ImportOptions, import_survey, inspect_survey
from tests.importers import builders as b


def imported(rows: list[list[str]], **options: object):
    return import_survey(
        b.csv_bytes(rows),
        source="q.csv",
        options=ImportOptions(**{"screening": b.STRICT, **options}),
    )


def test_statement_ids_not_positions_and_the_report_names_both_columns():
    result = imported(b.qualtrics_rows())
    report = result.report
    assert report.paired_by == "statement text"
    assert report.header_rows == 3
    assert report.detail == "choice text"
    pairs = {o.statement: (o.importance_column, o.satisfaction_column) for o in report.outcomes}
    # Statement 4 is recode 7 in both matrices, though it is the 6th satisfaction column.
    assert pairs[b.STATEMENTS[3]] == ("Q1_7", "Q2_7")
    assert [o.outcome_id for o in report.outcomes] == ["O01", "O02", "O03", "O04", "O05", "O06"]


def test_pairs_by_id_when_each_column_is_its_own_question():
    rows = b.qualtrics_rows(screening=False, extras=False)
    for i, name in enumerate(rows[0]):
        if name.startswith("Q1_"):
            j = b.STATEMENT_IDS.index(int(name[3:]))
            rows[1][i] = f"How important is it to {b.STATEMENTS[j].lower()}?"
        elif name.startswith("Q2_"):
            j = b.STATEMENT_IDS.index(int(name[3:]))
            rows[1][i] = f"How satisfied are you right now when you {b.STATEMENTS[j].lower()}?"
    result = imported(rows)
    assert result.report.paired_by == "statement id"
    assert result.survey.outcomes["statement"].iloc[0] == b.STATEMENTS[0]
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))
    np.testing.assert_array_equal(
        result.survey.satisfaction.to_numpy(), b.reference("satisfaction")
    )


def test_duplicate_and_retagged_row1_names_are_kept_apart_by_import_ids():
    # Export tags reused across questions: row 1 says 1..6 twice; only row 3 tells them apart.
    tags = [str(k) for k in range(1, 7)] + [str(k) for k in range(1, 7)]
    result = imported(b.qualtrics_rows(tags=tags))
    columns = result.report.columns
    keys = [s.column for s in columns.specs]
    assert len(keys) == len(set(keys))
    assert "1 [QID1_1]" in keys
    assert "1 [QID2_12]" in keys
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))


def test_ignored_columns_are_reported_with_reasons():
    report = imported(b.qualtrics_rows()).report
    ignored = dict(report.ignored)
    assert ignored == {
        "Q1_DO": "display order",
        "Q12_4_TEXT": "text typed into an 'other' option",
        "Q13_First Click": "timing",
        "Q14 - Topics": "Text iQ topics or sentiment",
        "SolutionRevision": "SolutionRevision (export metadata)",
    }
    # Every other column is the id, metadata, a rating or an attribute: none dropped.
    assert len(report.columns) == len(b.qualtrics_rows()[0])


def test_attributes_are_named_readably_with_html_and_newlines_removed():
    survey = imported(b.qualtrics_rows()).survey
    assert survey.attributes == [
        "What is your role?",
        "company_size",
        "Which tools do you use? - Selected Choice",
        "Anything else?",
    ]
    assert survey.respondents["Which tools do you use? - Selected Choice"].iloc[1] == (
        "HubSpot,Salesforce"
    )


def test_localised_row_two_does_not_hide_the_metadata():
    german = [
        "Anfangsdatum",
        "Enddatum",
        "Antworttyp",
        "IP-Adresse",
        "Aktueller Stand",
        "Dauer (in Sekunden)",
        "Beendet",
        "Erfassungsdatum",
        "Antwort-ID",
        "Externe Datenreferenz",
        "Verteilungskanal",
        "Benutzersprache",
    ]
    report = imported(b.qualtrics_rows(row2_meta=german)).report
    assert dict(report.excluded)["previews"] == 1
    assert dict(report.excluded)["unfinished"] == 1


def test_side_by_side_pairs_the_two_column_sets():
    report = imported(b.qualtrics_rows(sbs=True)).report
    assert report.outcomes[0].importance_column == "Q5#1_1"
    assert report.outcomes[0].satisfaction_column == "Q5#2_1"


def test_loop_and_merge_columns_become_attributes():
    rows = b.qualtrics_rows(screening=False, extras=False)
    rows[0].append("1_Q20")
    rows[1].append("1 - What did you try?")
    rows[2].append('{"ImportId":"1_QID20_TEXT"}')
    for row in rows[3:]:
        row.append("a webinar")
    survey = imported(rows).survey
    assert "1 - What did you try?" in survey.attributes


def test_statement_sets_that_differ_are_listed():
    other = list(b.STATEMENTS)
    other[1] = "Minimize the likelihood of missing a renewal"
    rows = b.qualtrics_rows(sat_statements=other, statement_ids=(1, 2, 4, 7, 11, 12))
    # Different ids too, so neither text nor id pairs every statement.
    for i, name in enumerate(rows[0]):
        if name == "Q2_2":
            rows[0][i] = "Q2_3"
            rows[2][i] = '{"ImportId":"QID2_3"}'
    with pytest.raises(ValueError, match="list different statements") as info:
        imported(rows)
    message = str(info.value)
    assert f"only rated for importance: '{b.STATEMENTS[1]}'" in message
    assert "only rated for satisfaction: 'Minimize the likelihood of missing a renewal'" in message


def test_a_survey_without_pairs_says_how_many_questions_it_found():
    rows = b.qualtrics_rows(screening=False)
    for i, text in enumerate(rows[1]):
        rows[1][i] = text.replace("How important", "How often").replace("How satisfied", "How sure")
    with pytest.raises(ValueError, match=r"found 6 questions, none of them importance/"):
        imported(rows)
    report = inspect_survey(b.csv_bytes(rows), source="q.csv")
    assert "none of them importance/satisfaction pairs" in report.problem
    assert report.respondents_total == 10


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (lambda rows: [rows[0], *rows[3:]], "header rows 2 and 3"),
        (lambda rows: [rows[0], rows[2], *rows[3:]], "second header row"),
        (lambda rows: rows[:3], "no responses"),
    ],
    ids=["rows-2-and-3-deleted", "row-2-deleted", "only-header-rows"],
)
def test_edited_headers_and_empty_exports(edit, needle):
    rows = edit(b.qualtrics_rows())
    with pytest.raises(ValueError, match=needle):
        import_survey(b.csv_bytes(rows), source="q.csv", options=ImportOptions(screening=b.STRICT))


def test_import_id_row_deleted_still_reads_with_a_warning():
    rows = b.qualtrics_rows()
    result = import_survey(
        b.csv_bytes([rows[0], rows[1], *rows[3:]]),
        source="q.csv",
        options=ImportOptions(screening=b.STRICT),
    )
    assert result.report.header_rows == 2
    assert any("ImportIds" in w for w in result.report.warnings)
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))


def test_unknown_answer_labels_are_listed_with_counts():
    rows = b.qualtrics_rows(screening=False)
    rows[3][rows[0].index("Q1_1")] = "Kinda important"
    rows[4][rows[0].index("Q1_1")] = "Kinda important"
    with pytest.raises(ValueError, match=r"'Kinda important' \(2\)"):
        imported(rows)


def test_numeric_values_export_warns_about_the_assumed_direction():
    result = imported(b.qualtrics_rows(numeric=True))
    assert result.report.detail == "numeric values"
    assert any("1 the lowest and 5 the highest" in w for w in result.report.warnings)


def test_seen_but_unanswered_999_is_missing():
    rows = b.qualtrics_rows(numeric=True, screening=False)
    for row in rows[3:]:
        row[:] = ["999" if v == "-99" else v for v in row]
    result = imported(rows)
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))


def test_the_2016_insights_header():
    # Row 1 'ResponseID', row 3 Python-dict quoting with hyphenated ids ('QID1-7').
    rows = b.qualtrics_rows(import_style="single")
    rows[0][rows[0].index("ResponseId")] = "ResponseID"
    rows[2] = [c.replace("_recordId", "responseId") for c in rows[2]]
    rows[2] = [c.replace("QID1_", "QID1-").replace("QID2_", "QID2-") for c in rows[2]]
    result = import_survey(
        b.csv_bytes(rows), source="insights.csv", options=ImportOptions(screening=b.STRICT)
    )
    assert result.report.columns.get("ResponseID").role == "respondent_id"
    assert result.report.columns.get("Q1_7").import_id == "QID1-7"
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))
    assert dict(result.report.excluded)["duplicates"] == 1


def test_meta_info_and_fraud_score_columns_are_not_attributes():
    rows = b.qualtrics_rows(screening=False)
    extra = [
        ("Q15_Browser", "Browser Meta Info - Browser", '{"ImportId":"QID15_BROWSER"}', "Chrome"),
        ("Q_RecaptchaScore", "Q_RecaptchaScore", '{"ImportId":"Q_RecaptchaScore"}', "0.9"),
    ]
    for name, text, iid, value in extra:
        rows[0].append(name)
        rows[1].append(text)
        rows[2].append(iid)
        for row in rows[3:]:
            row.append(value)
    report = import_survey(
        b.csv_bytes(rows), source="q.csv", options=ImportOptions(screening=b.STRICT)
    ).report
    assert report.columns.get("Q15_Browser").detail == "browser meta info"
    assert report.columns.get("Q_RecaptchaScore").role == "metadata"
    assert "Q_RecaptchaScore" not in report.attributes
