"""Questionnaires ready to field, from an outcome list and the respondent questions.

One :class:`Instrument` (outcomes, respondent questions, scale labels) is written as:

- :func:`qualtrics_txt`: Qualtrics' Advanced-format TXT import (``[[AdvancedFormat]]``,
  ``[[Block:...]]``, ``[[Question:Matrix]]`` with ``[[AdvancedChoices]]``/``[[Choice:N]]`` and
  ``[[AdvancedAnswers]]``/``[[Answer:N]]``, ``[[ID:...]]`` export tags, ``[[PageBreak]]``);
- :func:`qualtrics_qsf`: a Qualtrics survey file (JSON) with the same questions, statement
  order randomised in both matrices;
- :func:`google_apps_script`: an Apps Script that creates the Google Form (grids of 1-5 and
  N/A, rows shuffled);
- :func:`questionnaire_html` and :func:`questionnaire_pdf`: a printable questionnaire.

Both matrices list the same statements in the same order; in Qualtrics each statement's
choice id (its recode) is the number in its outcome id (``O07`` -> 7), so the export's
columns are ``importance_7`` / ``satisfaction_7`` (ImportIds ``QID<k>_7``) and the importer
pairs them. The scale labels are ones the importers recognise (:data:`IMPORTANCE_LABELS`,
:data:`SATISFACTION_LABELS`, :data:`NA_LABEL`), so a returned export imports with no label
or column map. :func:`restore_ids` gives an imported survey the instrument's outcome ids back.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from odi.importers.text import statement_key
from odi.personas import ICP, Persona
from odi.survey import Survey

__all__ = [
    "FORMATS",
    "IMPORTANCE_LABELS",
    "IMPORTANCE_QUESTION",
    "NA_LABEL",
    "SATISFACTION_LABELS",
    "SATISFACTION_QUESTION",
    "Instrument",
    "RespondentQuestion",
    "default_questions",
    "google_apps_script",
    "instrument_bytes",
    "qualtrics_qsf",
    "qualtrics_txt",
    "questionnaire_html",
    "questionnaire_pdf",
    "recodes",
    "restore_ids",
]

#: Importance scale, lowest to highest (Qualtrics' library labels).
IMPORTANCE_LABELS: tuple[str, ...] = (
    "Not at all important",
    "Slightly important",
    "Moderately important",
    "Very important",
    "Extremely important",
)
#: Satisfaction scale, lowest to highest.
SATISFACTION_LABELS: tuple[str, ...] = (
    "Extremely dissatisfied",
    "Somewhat dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Somewhat satisfied",
    "Extremely satisfied",
)
#: The "does not apply" column, read as N/A (neither numerator nor denominator).
NA_LABEL = "Not applicable"
#: Answer id (and recode) of the N/A column in Qualtrics: 999, which the importer always
#: reads as N/A, so a numeric-values export needs no ``--na-codes`` either.
NA_ANSWER = 999
IMPORTANCE_QUESTION = "How important is each of the following to you?"
SATISFACTION_QUESTION = (
    "How satisfied are you with how well you can do each of the following today?"
)

#: Format -> (file extension, MIME type, description).
FORMATS: dict[str, tuple[str, str, str]] = {
    "qualtrics-txt": (".txt", "text/plain", "Qualtrics Advanced-format TXT import"),
    "qsf": (".qsf", "application/json", "Qualtrics survey file (.qsf)"),
    "google-apps-script": (".gs", "text/plain", "Google Apps Script that creates the Form"),
    "html": (".html", "text/html", "printable questionnaire (HTML)"),
    "pdf": (".pdf", "application/pdf", "printable questionnaire (PDF)"),
}

_DEFAULT_CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    "role": (
        "Which best describes your role?",
        ("VP Marketing", "Demand Generation Manager", "Marketing Operations", "Other"),
    ),
    "company_size": (
        "How many employees does your company have?",
        ("1-49", "50-249", "250-999", "1000+"),
    ),
    "industry": (
        "Which industry is your company in?",
        ("SaaS", "Professional Services", "Manufacturing", "Fintech", "Other"),
    ),
    "region": (
        "Which region are you based in?",
        ("North America", "EMEA", "APAC", "LATAM"),
    ),
}


@dataclass(frozen=True, slots=True)
class RespondentQuestion:
    """A single-choice question about the respondent (role, company size, ...).

    Attributes
    ----------
    name : str
        The export tag and attribute name (letters, digits, ``_``), e.g. ``company_size``.
    text : str
        The question as shown.
    choices : tuple of str
        The answers, in order.
    """

    name: str
    text: str
    choices: tuple[str, ...]

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", self.name):
            raise ValueError(
                "a respondent question's name must be 1-40 letters, digits or '_' starting "
                f"with a letter (it becomes the export tag); got {self.name!r}"
            )
        if not self.text.strip():
            raise ValueError(f"respondent question {self.name!r} needs a question text")
        choices = tuple(dict.fromkeys(str(c).strip() for c in self.choices if str(c).strip()))
        if not choices:
            raise ValueError(f"respondent question {self.name!r} needs at least one choice")
        object.__setattr__(self, "choices", choices)


@dataclass(frozen=True, slots=True)
class Instrument:
    """What a questionnaire asks: the outcomes and the respondent questions.

    Attributes
    ----------
    outcomes : pandas.DataFrame
        Indexed by outcome id, with a ``statement`` column (``job_step`` optional).
    questions : tuple of RespondentQuestion
    title : str
    intro : str
        Shown before the questions.

    Examples
    --------
    >>> ins = Instrument.from_statements([("O01", "Minimize the time it takes to plan")],
    ...                                  title="Pipeline study")
    >>> recodes(ins)
    {'O01': 1}
    """

    outcomes: pd.DataFrame
    questions: tuple[RespondentQuestion, ...] = ()
    title: str = "Outcome survey"
    intro: str = (
        "Think about how you do this job today. For each statement, first rate how "
        "important it is to you, then how satisfied you are with how well you can do it."
    )

    def __post_init__(self) -> None:
        if "statement" not in self.outcomes.columns or self.outcomes.empty:
            raise ValueError("an instrument needs at least one outcome with a 'statement' column")
        ids = [str(i) for i in self.outcomes.index]
        if len(set(ids)) != len(ids):
            raise ValueError(f"outcome ids must be unique; got {ids}")
        blank = [
            i for i, s in zip(ids, self.outcomes["statement"], strict=True) if not str(s).strip()
        ]
        if blank:
            raise ValueError(f"outcome(s) {', '.join(blank)} have no statement")
        names = [q.name for q in self.questions]
        if len(set(names)) != len(names):
            raise ValueError(f"respondent question names must be unique; got {names}")

    @classmethod
    def from_statements(
        cls,
        statements: Sequence[tuple[str, str]],
        *,
        questions: Sequence[RespondentQuestion] = (),
        title: str = "Outcome survey",
    ) -> Instrument:
        """An instrument from ``(id, statement)`` pairs."""
        frame = pd.DataFrame(
            {"statement": [s for _, s in statements]}, index=[str(i) for i, _ in statements]
        )
        return cls(frame, tuple(questions), title)

    @property
    def statements(self) -> list[tuple[str, str]]:
        """``(id, statement)`` in order."""
        return [
            (str(i), str(s).strip())
            for i, s in zip(self.outcomes.index, self.outcomes["statement"], strict=True)
        ]


def default_questions(
    survey: Survey | None = None,
    *,
    icp: ICP | None = None,
    personas: Sequence[Persona] = (),
    names: Sequence[str] = ("role", "company_size", "industry", "region"),
) -> tuple[RespondentQuestion, ...]:
    """Role, company size, industry and region questions, with choices from the study.

    Choices come, in this order, from the survey's respondent values, the ICP's conditions
    and the personas' segments; a question none of them covers gets generic choices.

    Examples
    --------
    >>> qs = default_questions(icp=ICP({"region": ["EMEA"]}))
    >>> [q.name for q in qs], qs[3].choices
    (['role', 'company_size', 'industry', 'region'], ('EMEA',))
    """
    out = []
    for name in names:
        text, generic = _DEFAULT_CHOICES.get(name, (f"What is your {name.replace('_', ' ')}?", ()))
        found: list[str] = []
        if survey is not None and name in survey.respondents.columns:
            found += sorted(survey.respondents[name].dropna().astype(str).unique())
        if icp is not None:
            found += list(icp.conditions.get(name, ()))
        for p in personas:
            found += list(p.segment.get(name, ()))
        choices = tuple(dict.fromkeys(found)) or generic or ("Other",)
        out.append(RespondentQuestion(name, text, choices))
    return tuple(out)


def recodes(instrument: Instrument) -> dict[str, int]:
    """Outcome id -> its Qualtrics choice id: the number in the id, else its position.

    Positions are used for every outcome when two ids hold the same number or one holds
    none, so recodes are always unique.

    Examples
    --------
    >>> recodes(Instrument.from_statements([("O07", "a b"), ("O12", "c d")]))
    {'O07': 7, 'O12': 12}
    >>> recodes(Instrument.from_statements([("A", "a b"), ("B", "c d")]))
    {'A': 1, 'B': 2}
    """
    ids = [i for i, _ in instrument.statements]
    numbers = []
    for oid in ids:
        m = re.search(r"(\d+)\D*$", oid)
        numbers.append(int(m.group(1)) if m else 0)
    if 0 in numbers or len(set(numbers)) != len(numbers):
        return {oid: k for k, oid in enumerate(ids, 1)}
    return dict(zip(ids, numbers, strict=True))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# ---------------------------------------------------------------- Qualtrics TXT


def qualtrics_txt(instrument: Instrument) -> str:
    """The Qualtrics Advanced-format TXT import.

    Statement order cannot be randomised in this format; switch on "Randomize the order of
    all choices" for both matrices after importing, or use :func:`qualtrics_qsf`.

    Examples
    --------
    >>> txt = qualtrics_txt(Instrument.from_statements([("O3", "Minimize the time to plan")]))
    >>> txt.splitlines()[0], "[[Choice:3]]" in txt, "[[ID:importance]]" in txt
    ('[[AdvancedFormat]]', True, True)
    """
    codes = recodes(instrument)
    lines = ["[[AdvancedFormat]]", ""]
    lines += ["[[Block:Intro]]", "", "[[Question:DB]]", "[[ID:intro]]"]
    lines += [_one_line(instrument.title), "", _one_line(instrument.intro), "", "[[PageBreak]]", ""]
    if instrument.questions:
        lines += ["[[Block:About you]]", ""]
        for q in instrument.questions:
            lines += ["[[Question:MC:SingleAnswer:Vertical]]", f"[[ID:{q.name}]]"]
            lines += [_one_line(q.text), "", "[[Choices]]", *map(_one_line, q.choices), ""]
        lines += ["[[PageBreak]]", ""]
    for block, tag, question, labels in (
        ("Importance", "importance", IMPORTANCE_QUESTION, IMPORTANCE_LABELS),
        ("Satisfaction", "satisfaction", SATISFACTION_QUESTION, SATISFACTION_LABELS),
    ):
        lines += [f"[[Block:{block}]]", "", "[[Question:Matrix]]", f"[[ID:{tag}]]", question, ""]
        lines.append("[[AdvancedChoices]]")
        for oid, text in instrument.statements:
            lines += [f"[[Choice:{codes[oid]}]]", _one_line(text)]
        lines += ["", "[[AdvancedAnswers]]"]
        for k, label in enumerate(labels, 1):
            lines += [f"[[Answer:{k}]]", label]
        lines += [f"[[Answer:{NA_ANSWER}]]", NA_LABEL, ""]
        lines += ["[[PageBreak]]", ""]
    while lines and lines[-1] in ("", "[[PageBreak]]"):
        lines.pop()
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- Qualtrics QSF

_SURVEY_ID = "SV_odiWorkbench01"


def _qsf_question(qid: str, tag: str, text: str, payload: dict[str, object]) -> dict[str, object]:
    return {
        "SurveyID": _SURVEY_ID,
        "Element": "SQ",
        "PrimaryAttribute": qid,
        "SecondaryAttribute": text[:100],
        "TertiaryAttribute": None,
        "Payload": {
            "QuestionText": text,
            "DataExportTag": tag,
            "QuestionDescription": text,
            "QuestionID": qid,
            "Configuration": {"QuestionDescriptionOption": "UseText"},
            "Validation": {
                "Settings": {"ForceResponse": "OFF", "ForceResponseType": "ON", "Type": "None"}
            },
            "Language": [],
            **payload,
        },
    }


def qualtrics_qsf(instrument: Instrument) -> dict[str, object]:
    """A Qualtrics survey file (the JSON of a ``.qsf``): blocks, flow and questions.

    The matrices are Likert single-answer matrices with export tags ``importance`` and
    ``satisfaction``, choice ids equal to :func:`recodes`, answers 1-5 plus "Not applicable"
    (recode 999), and statement order randomised (``Randomization.Type = "All"``).

    Examples
    --------
    >>> qsf = qualtrics_qsf(Instrument.from_statements([("O2", "Minimize the time to plan")]))
    >>> [e["Element"] for e in qsf["SurveyElements"]][:3]
    ['BL', 'FL', 'SO']
    """
    questions, blocks = _qsf_questions(instrument)
    return {
        "SurveyEntry": {
            "SurveyID": _SURVEY_ID,
            "SurveyName": instrument.title,
            "SurveyDescription": None,
            "SurveyLanguage": "EN",
            "SurveyStatus": "Inactive",
        },
        "SurveyElements": [*_qsf_structure(blocks, len(questions)), *questions],
    }


def _qsf_questions(
    instrument: Instrument,
) -> tuple[list[dict[str, object]], list[tuple[str, str, list[str]]]]:
    """The questions (intro, about you, the two matrices) and the blocks that hold them."""
    codes = recodes(instrument)
    questions: list[dict[str, object]] = []
    blocks: list[tuple[str, str, list[str]]] = []
    intro = f"<strong>{html.escape(instrument.title)}</strong><br>{html.escape(instrument.intro)}"
    questions.append(
        _qsf_question("QID1", "intro", intro, {"QuestionType": "DB", "Selector": "TB"})
    )
    blocks.append(("BL_intro", "Intro", ["QID1"]))
    about = []
    for k, q in enumerate(instrument.questions, 2):
        qid = f"QID{k}"
        about.append(qid)
        choices = {str(j): {"Display": c} for j, c in enumerate(q.choices, 1)}
        questions.append(
            _qsf_question(
                qid,
                q.name,
                q.text,
                {
                    "QuestionType": "MC",
                    "Selector": "SAVR",
                    "SubSelector": "TX",
                    "Choices": choices,
                    "ChoiceOrder": [str(j) for j in range(1, len(q.choices) + 1)],
                    "NextChoiceId": len(q.choices) + 1,
                    "NextAnswerId": 1,
                },
            )
        )
    if about:
        blocks.append(("BL_about", "About you", about))
    n = len(instrument.questions) + 2
    for k, (name, tag, text, labels) in enumerate(
        (
            ("Importance", "importance", IMPORTANCE_QUESTION, IMPORTANCE_LABELS),
            ("Satisfaction", "satisfaction", SATISFACTION_QUESTION, SATISFACTION_LABELS),
        )
    ):
        qid = f"QID{n + k}"
        questions.append(_qsf_matrix(instrument, codes, qid, tag, text, labels))
        blocks.append((f"BL_{tag}", name, [qid]))
    return questions, blocks


def _qsf_matrix(
    instrument: Instrument,
    codes: dict[str, int],
    qid: str,
    tag: str,
    text: str,
    labels: tuple[str, ...],
) -> dict[str, object]:
    """One Likert matrix: a row per statement (choice id = its recode), answers 1-5 and N/A."""
    order = [str(codes[oid]) for oid, _ in instrument.statements]
    answers = {str(j): {"Display": label} for j, label in enumerate(labels, 1)}
    answers[str(NA_ANSWER)] = {"Display": NA_LABEL}
    recode = {str(j): str(j) for j in range(1, len(labels) + 1)}
    recode[str(NA_ANSWER)] = str(NA_ANSWER)
    return _qsf_question(
        qid,
        tag,
        text,
        {
            "QuestionType": "Matrix",
            "Selector": "Likert",
            "SubSelector": "SingleAnswer",
            "Choices": {str(codes[oid]): {"Display": s} for oid, s in instrument.statements},
            "ChoiceOrder": order,
            "Answers": answers,
            "AnswerOrder": [*[str(j) for j in range(1, len(labels) + 1)], str(NA_ANSWER)],
            "RecodeValues": recode,
            "ChoiceDataExportTags": False,
            "Randomization": {"Advanced": None, "Type": "All", "TotalRandSubset": ""},
            "NextChoiceId": max(codes.values()) + 1,
            "NextAnswerId": NA_ANSWER + 1,
        },
    )


def _qsf_structure(
    blocks: list[tuple[str, str, list[str]]], n_questions: int
) -> list[dict[str, object]]:
    """The survey elements around the questions: blocks, flow, options and question count."""
    block_payload = [
        {
            "Type": "Default" if i == 0 else "Standard",
            "SubType": "",
            "Description": desc,
            "ID": bid,
            "BlockElements": [{"Type": "Question", "QuestionID": q} for q in qids],
        }
        for i, (bid, desc, qids) in enumerate(blocks)
    ]
    flow = [
        {"ID": bid, "Type": "Block" if i == 0 else "Standard", "FlowID": f"FL_{i + 2}"}
        for i, (bid, _, _) in enumerate(blocks)
    ]
    return [
        {
            "SurveyID": _SURVEY_ID,
            "Element": "BL",
            "PrimaryAttribute": "Survey Blocks",
            "SecondaryAttribute": None,
            "TertiaryAttribute": None,
            "Payload": block_payload,
        },
        {
            "SurveyID": _SURVEY_ID,
            "Element": "FL",
            "PrimaryAttribute": "Survey Flow",
            "SecondaryAttribute": None,
            "TertiaryAttribute": None,
            "Payload": {
                "Flow": flow,
                "Properties": {"Count": len(flow) + 1},
                "FlowID": "FL_1",
                "Type": "Root",
            },
        },
        {
            "SurveyID": _SURVEY_ID,
            "Element": "SO",
            "PrimaryAttribute": "Survey Options",
            "SecondaryAttribute": None,
            "TertiaryAttribute": None,
            "Payload": {"BackButton": "true", "SurveyProtection": "PublicSurvey"},
        },
        {
            "SurveyID": _SURVEY_ID,
            "Element": "QC",
            "PrimaryAttribute": "Survey Question Count",
            "SecondaryAttribute": str(n_questions),
            "TertiaryAttribute": None,
            "Payload": None,
        },
    ]


# ---------------------------------------------------------------- Google Forms


def google_apps_script(instrument: Instrument) -> str:
    """An Apps Script (``.gs``) that creates the Google Form.

    Paste it into script.google.com and run ``createOdiSurvey``: it creates the form with a
    multiple-choice question per respondent question and two grids (importance,
    satisfaction) with columns 1-5 and N/A, the same rows in the same order, and logs the
    form's edit URL. The survey is the JSON literal ``SURVEY`` at the top.

    Examples
    --------
    >>> gs = google_apps_script(Instrument.from_statements([("O1", "Minimize the time")]))
    >>> "function createOdiSurvey()" in gs, "addGridItem" in gs
    (True, True)
    """
    survey = {
        "title": instrument.title,
        "intro": instrument.intro,
        "questions": [{"title": q.text, "choices": list(q.choices)} for q in instrument.questions],
        "grids": [
            {
                "title": IMPORTANCE_QUESTION,
                "help": f"1 = {IMPORTANCE_LABELS[0]}, 5 = {IMPORTANCE_LABELS[-1]}",
            },
            {
                "title": SATISFACTION_QUESTION,
                "help": f"1 = {SATISFACTION_LABELS[0]}, 5 = {SATISFACTION_LABELS[-1]}",
            },
        ],
        "columns": ["1", "2", "3", "4", "5", "N/A"],
        "rows": [s for _, s in instrument.statements],
        "ids": [i for i, _ in instrument.statements],
    }
    literal = json.dumps(survey, indent=2, ensure_ascii=False).replace("</", "<\\/")
    return (
        "// Creates the ODI survey as a Google Form. Generated by the ODI Workbench.\n"
        "// Open script.google.com, paste this file, run createOdiSurvey and authorise it.\n"
        "// Export the responses as CSV (Responses > Download) and import that file as is.\n"
        f"const SURVEY = {literal};\n\n"
        "function createOdiSurvey() {\n"
        "  const form = FormApp.create(SURVEY.title);\n"
        "  form.setDescription(SURVEY.intro);\n"
        "  SURVEY.questions.forEach(function (q) {\n"
        "    form.addMultipleChoiceItem().setTitle(q.title).setChoiceValues(q.choices)"
        ".setRequired(true);\n"
        "  });\n"
        "  SURVEY.grids.forEach(function (g) {\n"
        "    form.addPageBreakItem();\n"
        "    form.addGridItem().setTitle(g.title).setHelpText(g.help)\n"
        "      .setRows(SURVEY.rows).setColumns(SURVEY.columns);\n"
        "  });\n"
        "  form.setShuffleQuestions(false);\n"
        "  Logger.log('Edit the form at ' + form.getEditUrl());\n"
        "  Logger.log('Turn on Settings > Presentation > Shuffle row order for both grids.');\n"
        "  return form.getEditUrl();\n"
        "}\n"
    )


# ---------------------------------------------------------------- printable


def questionnaire_html(instrument: Instrument) -> str:
    """A standalone, print-ready HTML questionnaire (one table per matrix).

    Each statement shows its outcome id, so paper answers can be keyed in as a long table
    (``respondent_id, outcome_id, importance, satisfaction``) that imports with the ids.

    Examples
    --------
    >>> page = questionnaire_html(Instrument.from_statements([("O1", "Minimize the time")]))
    >>> page.startswith("<!DOCTYPE html>"), "Not applicable" in page
    (True, True)
    """
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(instrument.title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em;}table{border-collapse:collapse;"
        "width:100%;margin-bottom:2em;}th,td{border:1px solid #999;padding:4px;font-size:11px;}"
        "td.box{text-align:center;width:6%;}th{background:#eee;}"
        "@media print{.matrix{page-break-before:always;}}</style></head><body>",
        f"<h1>{e(instrument.title)}</h1>",
        f"<p>{e(instrument.intro)}</p>",
    ]
    for q in instrument.questions:
        parts.append(f'<section class="question" data-name="{e(q.name)}">')
        parts.append(f"<h3>{e(q.text)}</h3><ul>")
        parts += [f"<li>&#9744; {e(c)}</li>" for c in q.choices]
        parts.append("</ul></section>")
    for side, question, labels in (
        ("importance", IMPORTANCE_QUESTION, IMPORTANCE_LABELS),
        ("satisfaction", SATISFACTION_QUESTION, SATISFACTION_LABELS),
    ):
        parts.append(f'<section class="matrix" data-side="{side}"><h2>{e(question)}</h2>')
        head = "".join(f"<th>{k}<br>{e(label)}</th>" for k, label in enumerate(labels, 1))
        parts.append(f"<table><thead><tr><th>#</th><th>Statement</th>{head}")
        parts.append(f"<th>{e(NA_LABEL)}</th></tr></thead><tbody>")
        for oid, text in instrument.statements:
            boxes = '<td class="box">&#9744;</td>' * (len(labels) + 1)
            parts.append(f'<tr data-id="{e(oid)}"><td>{e(oid)}</td><td>{e(text)}</td>{boxes}</tr>')
        parts.append("</tbody></table></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def questionnaire_pdf(instrument: Instrument) -> bytes:
    """The printable questionnaire as an A4 PDF (fpdf2, DejaVu Sans from matplotlib).

    Examples
    --------
    >>> questionnaire_pdf(Instrument.from_statements([("O1", "Minimize the time")]))[:5]
    b'%PDF-'
    """
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos
    from matplotlib import get_data_path

    fonts = f"{get_data_path()}/fonts/ttf"
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", f"{fonts}/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", f"{fonts}/DejaVuSans-Bold.ttf")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, instrument.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 5, instrument.intro, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for q in instrument.questions:
        pdf.ln(3)
        pdf.set_font("DejaVu", "B", 10)
        pdf.multi_cell(0, 5, q.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(
            0, 5, "   ".join(f"[ ] {c}" for c in q.choices), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    for question, labels in (
        (IMPORTANCE_QUESTION, IMPORTANCE_LABELS),
        (SATISFACTION_QUESTION, SATISFACTION_LABELS),
    ):
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 6, question, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("DejaVu", "", 8)
        key = "; ".join(f"{k} = {label}" for k, label in enumerate(labels, 1))
        pdf.multi_cell(0, 4, f"{key}; N/A = {NA_LABEL}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
        with pdf.table(col_widths=(12, 100, 9, 9, 9, 9, 9, 11), text_align="LEFT") as table:
            table.row(["#", "Statement", "1", "2", "3", "4", "5", "N/A"])
            for oid, text in instrument.statements:
                table.row([oid, text, *["[ ]"] * 6])
    return bytes(pdf.output())


def instrument_bytes(instrument: Instrument, fmt: str) -> bytes:
    """The instrument in one of :data:`FORMATS`, as the bytes of the file to write.

    Examples
    --------
    >>> ins = Instrument.from_statements([("O1", "Minimize the time")])
    >>> instrument_bytes(ins, "qualtrics-txt")[:18]
    b'[[AdvancedFormat]]'
    """
    if fmt == "qualtrics-txt":
        return qualtrics_txt(instrument).encode("utf-8")
    if fmt == "qsf":
        return json.dumps(qualtrics_qsf(instrument), indent=1, ensure_ascii=False).encode("utf-8")
    if fmt == "google-apps-script":
        return google_apps_script(instrument).encode("utf-8")
    if fmt == "html":
        return questionnaire_html(instrument).encode("utf-8")
    if fmt == "pdf":
        return questionnaire_pdf(instrument)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")


def restore_ids(survey: Survey, instrument: Instrument) -> Survey:
    """The imported survey with the instrument's outcome ids, matched by statement text.

    Raises
    ------
    ValueError
        When an imported statement is not in the instrument (naming it).

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.scale import Scale
    >>> s = Survey.from_frames(
    ...     outcomes=pd.DataFrame({"statement": ["Go far"]}, index=["O01"]),
    ...     importance=pd.DataFrame({"O01": [5.0]}), satisfaction=pd.DataFrame({"O01": [1.0]}),
    ...     scale=Scale.from_range(1, 5))
    >>> restore_ids(s, Instrument.from_statements([("X9", "go far.")])).outcomes.index.tolist()
    ['X9']
    """
    by_text = {statement_key(s): oid for oid, s in instrument.statements}
    new = []
    for oid, text in zip(survey.outcomes.index, survey.outcomes["statement"], strict=True):
        key = statement_key(str(text))
        if key not in by_text:
            raise ValueError(
                f"imported outcome {oid} ({_one_line(text)!r}) is not a statement of the "
                "instrument; was the questionnaire edited after it was generated?"
            )
        new.append(by_text[key])
    rename = dict(zip(survey.outcomes.index, new, strict=True))
    outcomes = survey.outcomes.rename(index=rename)
    return replace(survey, outcomes=outcomes)  # the answer codes follow the outcomes' order
