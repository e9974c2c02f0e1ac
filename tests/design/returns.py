"""Simulated field returns of generated instruments, in each platform's export shape.

Each reader parses the *generated file* (TXT, QSF, Apps Script, HTML, PDF text), not the
instrument object, so a round trip tests what a researcher would upload. Answers are
simulated with a seeded generator; the writers reuse the Qualtrics metadata columns and CSV
quoting of :mod:`tests.importers.builders`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import numpy as np

from tests.importers.builders import QUALTRICS_META, csv_bytes

NA = -1  # a "Not applicable" answer in the simulated tables


@dataclass
class Form:
    """What a respondent sees: single-choice questions and two matrices."""

    questions: list[tuple[str, str, list[str]]]  # (export name, text, choices)
    matrices: list[dict[str, object]]  # side, question id, tag, text, rows [(code, text)], answers


@dataclass
class Answers:
    attrs: list[dict[str, str]]
    imp: np.ndarray  # respondents x rows, 1..5, NA or 0 (blank)
    sat: np.ndarray


def simulate(n_rows: int, choices: list[list[str]], *, n: int = 40, seed: int = 1) -> Answers:
    """Seeded answers: ratings 1-5, about 5% N/A and 3% blank on each side."""
    rng = np.random.default_rng(seed)

    def side() -> np.ndarray:
        a = rng.integers(1, 6, size=(n, n_rows))
        u = rng.random((n, n_rows))
        a[u < 0.05] = NA
        a[(u >= 0.05) & (u < 0.08)] = 0
        return a

    attrs = [{str(k): str(rng.choice(c)) for k, c in enumerate(choices)} for _ in range(n)]
    return Answers(attrs, side(), side())


# ---------------------------------------------------------------- Qualtrics


def read_qualtrics_txt(text: str) -> Form:
    """Parse the Advanced-format TXT into questions and matrices (by its documented tags)."""
    assert text.startswith("[[AdvancedFormat]]")
    chunks = re.split(r"^\[\[Question:([^\]]+)\]\]\n", text, flags=re.M)
    questions, matrices = [], []
    for qid, (kind, body) in enumerate(zip(chunks[1::2], chunks[2::2], strict=True), 1):
        tag = re.search(r"^\[\[ID:([^\]]+)\]\]$", body, re.M).group(1)
        body = re.split(r"^\[\[(?:PageBreak|Block:[^\]]*)\]\]$", body, flags=re.M)[0]
        qtext = body.split("\n")[1]
        if kind.startswith("MC"):
            choices = body.split("[[Choices]]\n", 1)[1].strip().split("\n")
            questions.append((tag, qtext, choices))
        elif kind == "Matrix":
            rows_part, answers_part = body.split("[[AdvancedChoices]]\n", 1)[1].split(
                "[[AdvancedAnswers]]\n"
            )
            rows = re.findall(r"\[\[Choice:(\d+)\]\]\n(.+)", rows_part)
            found = re.findall(r"\[\[Answer:(\d+)\]\]\n(.+)", answers_part)
            matrices.append(
                {
                    "qid": f"QID{qid}",
                    "tag": tag,
                    "text": qtext,
                    "rows": rows,
                    "answers": [a for _, a in found],
                    "codes": [c for c, _ in found],
                }
            )
    return Form(questions, matrices)


def read_qsf(doc: dict[str, object]) -> Form:
    """Questions and matrices of a QSF, in block order."""
    elements = doc["SurveyElements"]
    by_id = {e["PrimaryAttribute"]: e["Payload"] for e in elements if e["Element"] == "SQ"}
    blocks = next(e for e in elements if e["Element"] == "BL")["Payload"]
    questions, matrices = [], []
    for block in blocks:
        for el in block["BlockElements"]:
            p = by_id[el["QuestionID"]]
            if p["QuestionType"] == "MC":
                choices = [p["Choices"][k]["Display"] for k in p["ChoiceOrder"]]
                questions.append((p["DataExportTag"], p["QuestionText"], choices))
            elif p["QuestionType"] == "Matrix":
                assert p["Randomization"]["Type"] == "All"
                rows = [(k, p["Choices"][k]["Display"]) for k in p["ChoiceOrder"]]
                answers = [p["Answers"][k]["Display"] for k in p["AnswerOrder"]]
                codes = [p["RecodeValues"].get(k, k) for k in p["AnswerOrder"]]
                matrices.append(
                    {
                        "qid": p["QuestionID"],
                        "tag": p["DataExportTag"],
                        "text": p["QuestionText"],
                        "rows": rows,
                        "answers": answers,
                        "codes": codes,
                    }
                )
    return Form(questions, matrices)


def qualtrics_export(form: Form, ans: Answers, *, numeric: bool = False) -> bytes:
    """A current Qualtrics CSV export of the answers: choice text, or recode values."""
    row1 = [m[0] for m in QUALTRICS_META]
    row2 = [m[1] for m in QUALTRICS_META]
    row3 = [m[2] for m in QUALTRICS_META]
    for k, (tag, text, _) in enumerate(form.questions):
        row1.append(tag)
        row2.append(text)
        row3.append(json.dumps({"ImportId": f"QIDq{k}"}, separators=(",", ":")))
    for m in form.matrices:
        qid = m["qid"][3:]
        for code, statement in m["rows"]:
            row1.append(f"{m['tag']}_{code}")
            row2.append(f"{m['text']} - {statement}")
            row3.append(json.dumps({"ImportId": f"QID{qid}_{code}"}, separators=(",", ":")))
        row1.append(f"{m['tag']}_DO")
        row2.append(f"{m['text']} - Display Order")
        row3.append(json.dumps({"ImportId": f"QID{qid}_DO"}, separators=(",", ":")))
    body = []
    for r, attrs in enumerate(ans.attrs):
        meta = ["2026-11-02 09:00:00", "2026-11-02 09:10:00", "IP Address", "203.0.113.9"]
        meta += ["100", str(500 + r), "True", "2026-11-02 09:10:01", f"R_{r:05d}x", ""]
        meta += ["anonymous", "EN"]
        values = [attrs[str(k)] for k in range(len(form.questions))]
        for m, side in zip(form.matrices, (ans.imp, ans.sat), strict=True):
            answers = m["codes"] if numeric else m["answers"]
            for j in range(len(m["rows"])):
                v = int(side[r, j])
                values.append("" if v == 0 else answers[-1] if v == NA else answers[v - 1])
            values.append("|".join(c for c, _ in m["rows"]))
        body.append(meta + values)
    return csv_bytes([row1, row2, row3, *body])


# ---------------------------------------------------------------- Google Forms


def read_apps_script(script: str) -> dict[str, object]:
    """The SURVEY literal of the generated Apps Script."""
    m = re.search(r"^const SURVEY = (\{.*?\});\n", script, re.S | re.M)
    assert m, "the script must define const SURVEY"
    return json.loads(m.group(1).replace("<\\/", "</"))


def google_forms_export(survey: dict[str, object], ans: Answers) -> bytes:
    """A Google Forms response CSV: Timestamp, the questions, ``Grid [Row]`` columns."""
    header = ["Timestamp", *[q["title"] for q in survey["questions"]]]
    for g in survey["grids"]:
        header += [f"{g['title']} [{row}]" for row in survey["rows"]]
    columns = survey["columns"]
    body = []
    for r, attrs in enumerate(ans.attrs):
        line = [f"2026/11/02 {1 + r % 11}:19:08 PM GMT+1"]
        line += [attrs[str(k)] for k in range(len(survey["questions"]))]
        for side in (ans.imp, ans.sat):
            for j in range(len(survey["rows"])):
                v = int(side[r, j])
                line.append("" if v == 0 else columns[-1] if v == NA else columns[v - 1])
        body.append(line)
    return csv_bytes([header, *body], newline="\n")


# ---------------------------------------------------------------- printable


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[str, str]] = []
        self.questions: list[str] = []
        self._cells: list[str] | None = None
        self._id = ""
        self._in_td = False
        self._section = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("data-name"):
            self.questions.append(str(a["data-name"]))
        if tag == "section" and a.get("data-side"):
            self._section = str(a["data-side"])
        if tag == "tr" and a.get("data-id") and self._section == "importance":
            self._id, self._cells = str(a["data-id"]), []
        if tag == "td" and self._cells is not None:
            self._in_td = True
            self._cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_td = False
        if tag == "tr" and self._cells is not None:
            self.rows.append((self._id, self._cells[1]))
            self._cells = None

    def handle_data(self, data: str) -> None:
        if self._in_td and self._cells is not None:
            self._cells[-1] += data


def read_html(page: str) -> tuple[list[str], list[tuple[str, str]]]:
    """Respondent question names and the importance matrix's (id, statement) rows."""
    parser = _Rows()
    parser.feed(page)
    return parser.questions, parser.rows


def keyed_in_long(names: list[str], rows: list[tuple[str, str]], ans: Answers) -> bytes:
    """Paper answers keyed in by the printed ids: one row per respondent x outcome."""
    header = ["respondent_id", *names, "outcome_id", "outcome", "importance", "satisfaction"]
    body = []
    for r, attrs in enumerate(ans.attrs):
        for j, (oid, text) in enumerate(rows):
            cells = []
            for side in (ans.imp, ans.sat):
                v = int(side[r, j])
                cells.append("" if v == 0 else "N/A" if v == NA else str(v))
            body.append(
                [f"P{r:03d}", *[attrs[str(k)] for k in range(len(names))], oid, text, *cells]
            )
    return csv_bytes([header, *body], newline="\n")


def expected(ans: Answers, side: str) -> np.ndarray:
    """What the importer must read: floats, NaN for blank and N/A."""
    a = (ans.imp if side == "importance" else ans.sat).astype(float)
    a[(a == 0) | (a == NA)] = np.nan
    return a
