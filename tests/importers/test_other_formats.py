"""SurveyMonkey, Google Forms, SPSS and plain-file specifics beyond the shared reference."""

from __future__ import annotations

import numpy as np
import pytest

from odi.importers import ImportOptions, import_survey, inspect_survey
from tests.importers import builders as b

# ---------------------------------------------------------------- SurveyMonkey


def test_surveymonkey_columns():
    result = import_survey(b.csv_bytes(b.surveymonkey_rows()), source="sm.csv")
    report = result.report
    assert report.header_rows == 2
    assert report.detail == "actual answer text"
    roles = {s.column: (s.role, s.detail) for s in report.columns.specs}
    assert roles["Respondent ID"] == ("respondent_id", "")
    assert roles["Start Date"] == ("metadata", "start")
    imp_q = b.IMP_QUESTION
    assert roles[f"{imp_q} - Other (please specify)"] == (
        "ignore",
        "comment typed next to a rating question",
    )
    assert roles[f"{imp_q} - {b.STATEMENTS[0]}"][0] == "importance"
    assert result.survey.attributes == ["What is your role?", "Company size", "Comments"]
    assert report.paired_by == "statement text"


def test_surveymonkey_legacy_names_and_na_column():
    rows = b.surveymonkey_rows(legacy=True, na_label="Unfamiliar (N/A)")
    result = import_survey(
        b.csv_bytes(rows), source="sm.csv", options=ImportOptions(screening=b.STRICT)
    )
    assert result.report.detail.startswith("legacy metadata names")
    np.testing.assert_array_equal(
        result.survey.satisfaction.to_numpy(), b.reference("satisfaction")
    )


@pytest.mark.parametrize(
    ("resave", "needle", "encoding"),
    [
        (lambda text: text.encode("cp1252"), "Windows-1252", "cp1252"),
        (lambda text: text.encode("utf-8").decode("cp1252").encode("utf-8"), "mojibake", "utf-8"),
    ],
    ids=["saved-as-cp1252", "utf8-read-as-cp1252-and-saved-again"],
)
def test_surveymonkey_after_an_excel_resave(resave, needle, encoding):
    rows = b.surveymonkey_rows(numeric=True)
    rows[0][9] = "Which role – best describes you?"
    data = resave(b.csv_bytes(rows, newline="\r").decode())
    result = import_survey(data, source="StarWars.csv", options=ImportOptions(screening=b.STRICT))
    assert result.report.encoding == encoding
    assert any(needle in w for w in result.report.warnings)
    assert any("numeric-values export" in w for w in result.report.warnings)
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))


# ---------------------------------------------------------------- Google Forms


def test_google_forms_columns():
    result = import_survey(b.csv_bytes(b.googleforms_rows()), source="Form responses 1.csv")
    report = result.report
    roles = {s.column: (s.role, s.detail) for s in report.columns.specs}
    assert roles["Timestamp"] == ("metadata", "timestamp")
    assert roles["Email address"] == ("metadata", "email")
    assert report.outcomes[0].importance_column == (
        f"How important is each of these to you? [{b.STATEMENTS[0]}]"
    )
    # A checkbox answer joined with ';' stays one value.
    assert set(result.survey.respondents["Which tools do you use?"]) == {"HubSpot;Salesforce"}
    assert result.survey.respondents.index[0] == "1"


def test_bracketed_columns_without_a_timestamp_are_not_google_forms():
    rows = [["id", "Speed [a]", "Cost [b]"], ["1", "x", "y"]]
    report = inspect_survey(b.csv_bytes(rows), source="lime.csv")
    assert report.format == "wide"


# ---------------------------------------------------------------- SPSS


def test_spss_value_labels_give_the_direction(tmp_path):
    data = b.sav_bytes(tmp_path, reverse_codes=True)
    result = import_survey(data, source="study.sav", options=ImportOptions(screening=b.STRICT))
    report = result.report
    assert report.format == "spss"
    assert report.importance_labels is not None
    assert report.importance_labels.name == "importance, 5-point"
    # Codes ran 5..1 for importance; the labels put them the right way round.
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))
    assert tuple(result.survey.respondents["What is your role?"]) == b.ROLES
    assert report.outcomes[0].importance_column == "QID5_1_1"


def test_spss_without_meaningful_labels_uses_one_to_k_codes(tmp_path):
    data = b.sav_bytes(tmp_path, reverse_codes=False, labels=False)
    result = import_survey(data, source="study.sav", options=ImportOptions(screening=b.STRICT))
    assert any("value labels are not a known scale" in w for w in result.report.warnings)
    np.testing.assert_array_equal(result.survey.importance.to_numpy(), b.reference("importance"))


def test_a_damaged_sav_is_an_error():
    with pytest.raises(ValueError, match=r"SPSS \.sav file but could not be read"):
        import_survey(b"$FL2@(#) SPSS DATA FILE" + bytes(40), source="x.sav")
    with pytest.raises(ValueError, match="not an SPSS"):
        import_survey(
            b"id,imp_a,sat_a\n1,5,2\n", source="x.csv", options=ImportOptions(format="spss")
        )


# ---------------------------------------------------------------- plain files


def test_plain_wide_keeps_its_short_outcome_ids_and_errors():
    result = import_survey(
        b"id,role,imp_a,sat_a\n1,VP,5,2\n2,AE,4,\n",
        source="w.csv",
        options=ImportOptions(screening=b.STRICT),
    )
    assert list(result.survey.outcomes.index) == ["a"]
    assert result.report.paired_by == "column names"
    with pytest.raises(ValueError, match="only one side: 'imp_b'"):
        import_survey(
            b"id,imp_a,sat_a,imp_b\n1,5,4,3\n",
            source="w.csv",
            options=ImportOptions(screening=b.STRICT),
        )
    with pytest.raises(ValueError, match="no importance/satisfaction column pairs"):
        import_survey(b"id,age\n1,30\n", source="w.csv", options=ImportOptions(screening=b.STRICT))
    with pytest.raises(ValueError, match="appears twice"):
        import_survey(
            b"id,imp_a,sat_a,imp_a\n1,5,4,3\n",
            source="w.csv",
            options=ImportOptions(screening=b.STRICT),
        )


def test_plain_wide_with_labels_and_duplicate_ids():
    data = (
        b"id,imp_a,sat_a\n1,Very important,Somewhat satisfied\n"
        b"1,Extremely important,Extremely satisfied\n2,Not applicable,Neutral\n"
    )
    result = import_survey(data, source="w.csv", options=ImportOptions(screening=b.STRICT))
    np.testing.assert_array_equal(result.survey.importance["a"].to_numpy(), [4.0, np.nan])
    assert dict(result.report.excluded)["duplicates"] == 1


def test_plain_long_with_job_steps():
    data = (
        b"respondent,outcome_id,statement,job step,importance,satisfaction\n"
        b"r1,o1,Find leads,Locate,5,1\nr1,o2,Qualify,Confirm,3,4\n"
        b"r2,o1,Find leads,Locate,4,2\nr2,o2,Qualify,Confirm,5,5\n"
    )
    result = import_survey(data, source="l.csv", options=ImportOptions(screening=b.STRICT))
    outcomes = result.survey.outcomes
    assert outcomes["statement"].tolist() == ["Find leads", "Qualify"]
    assert outcomes["job_step"].tolist() == ["Locate", "Confirm"]
    assert result.report.outcomes[0].importance_column == "importance"
