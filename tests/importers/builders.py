"""Fixture builders: survey exports shaped like the real ones, built in code.

One reference study (10 respondents x 6 outcomes, with blanks and N/A answers) is
rendered in every format. Each rendition adds rows that screening must remove (a
preview, an unfinished response, a repeated response id, a speeder, a straight-liner
and a respondent who answered almost nothing) where the format can carry them, so a
test can check both the numbers read and the exclusions.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import openpyxl

from odi.importers.screening import ScreeningOptions

NA = 0  # an N/A answer ("Not applicable", "Don't know", -99) in the reference tables
B = None  # a blank answer

STATEMENTS = (
    "Minimize the time it takes to find a qualified lead",
    "Minimize the likelihood of missing a buying signal",
    "Minimize the time it takes to agree on the pipeline target",
    "Minimize the number of duplicate contacts - across tools",
    "Increase the accuracy of the pipeline forecast",
    "Minimize the time it takes to hand a lead to sales",
)
# Qualtrics recode/statement ids: non-contiguous, as in real exports.
STATEMENT_IDS = (1, 2, 4, 7, 11, 12)
# The satisfaction matrix lists the statements in another order.
SAT_ORDER = (5, 2, 0, 4, 1, 3)

IMPORTANCE: tuple[tuple[int | None, ...], ...] = (
    (5, 4, 5, 3, 2, 5),
    (4, 5, 4, 2, 3, 4),
    (5, 5, 3, 4, B, 5),
    (2, 3, 4, 5, 4, 1),
    (3, 4, NA, 2, 5, 4),
    (5, 2, 4, 1, 3, 3),
    (4, 4, 5, 5, 4, 2),
    (1, 5, 2, 3, 5, 4),
    (5, 3, 1, 4, 2, 5),
    (4, 1, 5, 3, 4, 3),
)
SATISFACTION: tuple[tuple[int | None, ...], ...] = (
    (1, 2, 3, 4, 5, 2),
    (2, 1, 2, 3, 4, 1),
    (3, 2, 1, B, 5, 2),
    (4, 3, 2, 1, NA, 3),
    (1, 1, 4, 2, 3, 2),
    (2, 3, 5, 4, 1, 1),
    (5, 2, 2, 3, 2, 4),
    (1, 4, 3, 5, 2, 2),
    (2, 2, 1, 3, 4, 5),
    (3, 5, 2, 1, 3, 2),
)
ROLES = ("VP", "Manager", "Analyst", "VP", "Manager", "Analyst", "VP", "Manager", "Analyst", "VP")
SIZES = ("1-49", "50-999", "1000+", "1-49", "50-999", "1000+", "1-49", "50-999", "1000+", "1-49")
RESPONSE_IDS = tuple(f"R_{c}x7Kq{i}" for i, c in enumerate("ABCDEFGHIJ"))

IMPORTANCE_LABELS = (
    "Not at all important",
    "Slightly important",
    "Moderately important",
    "Very important",
    "Extremely important",
)
SATISFACTION_LABELS = (
    "Extremely dissatisfied",
    "Somewhat dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Somewhat satisfied",
    "Extremely satisfied",
)
IMP_QUESTION = "How important is each of the following to you when you build pipeline?"
SAT_QUESTION = "How satisfied are you with how well you can do each of the following today?"

# Screening rows: (kind, importance row, satisfaction row).
STRAIGHT = (5, 5, 5, 5, 5, 5)
SPARSE_IMP = (4, B, B, B, B, B)
SPARSE_SAT = (B, B, 2, B, B, B)
#: Every screening rule on, the judgement ones too: excludes all the planted rows.
STRICT = ScreeningOptions(sparse=True, straightliners=True, speeders=True)
EXPECTED_EXCLUSIONS = {
    "previews": 1,
    "unfinished": 1,
    "duplicates": 1,
    "speeders": 1,
    "straightliners": 1,
    "sparse": 1,
}


def reference(side: str) -> np.ndarray:
    """The reference answers as the survey must hold them: floats, NaN for blank or N/A."""
    table = IMPORTANCE if side == "importance" else SATISFACTION
    return np.array([[np.nan if v in (None, NA) else float(v) for v in row] for row in table])


@dataclass
class Respondent:
    """One response row of a rendition."""

    rid: str
    imp: Sequence[int | None]
    sat: Sequence[int | None]
    role: str = "VP"
    size: str = "1-49"
    status: str = "normal"  # normal | preview
    finished: bool = True
    seconds: int = 600
    email: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def respondents(*, screening: bool = True) -> list[Respondent]:
    """The reference respondents, then (optionally) one row per screening rule."""
    rows = [
        Respondent(rid, imp, sat, role, size, seconds=540 + 30 * i, email=f"p{i}@example.com")
        for i, (rid, imp, sat, role, size) in enumerate(
            zip(RESPONSE_IDS, IMPORTANCE, SATISFACTION, ROLES, SIZES, strict=True)
        )
    ]
    if screening:
        rows += [
            Respondent("R_Preview01", IMPORTANCE[0], SATISFACTION[0], status="preview"),
            Respondent("FS_Unfinished", IMPORTANCE[1], SATISFACTION[1], finished=False),
            Respondent(
                RESPONSE_IDS[0], IMPORTANCE[2], SATISFACTION[2], seconds=700, email="p0@example.com"
            ),
            Respondent("R_Speeder0001", IMPORTANCE[3], SATISFACTION[3], seconds=20),
            Respondent("R_Straight001", STRAIGHT, SATISFACTION[4]),
            Respondent("R_Sparse00001", SPARSE_IMP, SPARSE_SAT),
        ]
    return rows


def label(value: int | None, labels: Sequence[str], na: str) -> str:
    if value is None:
        return ""
    return na if value == NA else labels[value - 1]


def number(value: int | None, na: str = "-99") -> str:
    if value is None:
        return ""
    return na if value == NA else str(value)


# ---------------------------------------------------------------- writing


def csv_bytes(
    rows: Sequence[Sequence[str]],
    *,
    delimiter: str = ",",
    newline: str = "\r\n",
    encoding: str = "utf-8",
    quote_all: bool = False,
) -> bytes:
    """Rows as delimited text, quoted like the tools do: a cell holding the delimiter, a
    quote or a line break is quoted (quotes doubled); the rest only with ``quote_all``."""

    def cell(value: str) -> str:
        special = any(ch in value for ch in (delimiter, '"', "\r", "\n"))
        if special or quote_all:
            return '"' + value.replace('"', '""') + '"'
        return value

    text = "".join(delimiter.join(cell(str(v)) for v in row) + newline for row in rows)
    return text.encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    """Rows as the first sheet of a workbook (numbers stored as numbers where they are)."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([_excel_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _excel_value(value: object) -> object:
    if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) < 15:
        return int(value)
    return value if value != "" else None


# ---------------------------------------------------------------- Qualtrics

QUALTRICS_META = (
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"America/Denver"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"America/Denver"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
)


def qualtrics_rows(
    *,
    numeric: bool = False,
    screening: bool = True,
    sbs: bool = False,
    extras: bool = True,
    import_style: str = "json",
    imp_labels: Sequence[str] = IMPORTANCE_LABELS,
    sat_labels: Sequence[str] = SATISFACTION_LABELS,
    na_label: str = "Not applicable",
    statement_ids: Sequence[int] = STATEMENT_IDS,
    sat_statements: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    row2_meta: Sequence[str] | None = None,
    people: Sequence[Respondent] | None = None,
) -> list[list[str]]:
    """A current Qualtrics export: row 1 ids, row 2 question text, row 3 ImportIds.

    ``sbs`` puts both sides in one side-by-side question (``QID5#1_k``/``QID5#2_k``);
    otherwise importance is matrix QID1 and satisfaction QID2 (statements in another
    order). ``tags`` replaces the row-1 names of the rating columns (export tags).
    ``extras`` adds display-order, 'other' text, timing, Text iQ and SolutionRevision
    columns, which the importer must ignore.
    """
    people = respondents(screening=screening) if people is None else people
    sat_statements = sat_statements or STATEMENTS
    row1 = [m[0] for m in QUALTRICS_META]
    row2 = list(row2_meta) if row2_meta else [m[1] for m in QUALTRICS_META]
    row3 = [m[2] for m in QUALTRICS_META]
    cells: list[tuple[str, str, str, object]] = []  # (row1, row2, ImportId json, getter)
    cells.append(("Q10", "What is your <b>role</b>?", '{"ImportId":"QID10"}', "role"))
    cells.append(
        (
            "company_size",
            "How many employees\nwork at your company?",
            '{"ImportId":"QID11"}',
            "size",
        )
    )
    imp_q, sat_q = IMP_QUESTION, SAT_QUESTION
    for j, sid in enumerate(statement_ids):
        if sbs:
            cells.append(
                (
                    f"Q5#1_{sid}",
                    f"Rate each outcome - Importance - {STATEMENTS[j]}",
                    f'{{"ImportId":"QID5#1_{sid}"}}',
                    ("imp", j),
                )
            )
        else:
            cells.append(
                (
                    f"Q1_{sid}",
                    f"{imp_q} - {STATEMENTS[j]}",
                    f'{{"ImportId":"QID1_{sid}"}}',
                    ("imp", j),
                )
            )
    if extras and not sbs:
        cells.append(("Q1_DO", f"{imp_q} - Display Order", '{"ImportId":"QID1_DO"}', "do"))
    for j in SAT_ORDER:
        sid = statement_ids[j]
        if sbs:
            cells.append(
                (
                    f"Q5#2_{sid}",
                    f"Rate each outcome - Satisfaction - {STATEMENTS[j]}",
                    f'{{"ImportId":"QID5#2_{sid}"}}',
                    ("sat", j),
                )
            )
        else:
            cells.append(
                (
                    f"Q2_{sid}",
                    f"{sat_q} - {sat_statements[j]}",
                    f'{{"ImportId":"QID2_{sid}"}}',
                    ("sat", j),
                )
            )
    if extras:
        cells += [
            ("Q12", "Which tools do you use? - Selected Choice", '{"ImportId":"QID12"}', "tools"),
            (
                "Q12_4_TEXT",
                "Which tools do you use? - Other - Text",
                '{"ImportId":"QID12_4_TEXT"}',
                "other",
            ),
            (
                "Q13_First Click",
                "Timing - First Click",
                '{"ImportId":"QID13_FIRST_CLICK"}',
                "timing",
            ),
            ("Q14", "Anything else?", '{"ImportId":"QID14_TEXT"}', "comment"),
            ("Q14 - Topics", "Q14 - Topics", '{"ImportId":"QID14_TEXT_abc123Topics"}', "iq"),
            ("SolutionRevision", "SolutionRevision", '{"ImportId":"SolutionRevision"}', "rev"),
        ]
    if tags is not None:
        rating = [i for i, c in enumerate(cells) if isinstance(c[3], tuple)]
        for i, tag in zip(rating, tags, strict=True):
            cells[i] = (tag, *cells[i][1:])
    row1 += [c[0] for c in cells]
    row2 += [c[1] for c in cells]
    row3 += [c[2] for c in cells]
    if import_style == "single":
        row3 = [_single_quoted(c) for c in row3]
    body = []
    for k, p in enumerate(people):
        status = (
            ("1" if numeric else "Survey Preview")
            if p.status == "preview"
            else ("0" if numeric else "IP Address")
        )
        finished = ("1" if numeric else "True") if p.finished else ("0" if numeric else "False")
        meta = [
            "2026-11-02 09:00:00",
            "2026-11-02 09:10:00",
            status,
            "203.0.113.9",
            "100" if p.finished else "40",
            str(p.seconds),
            finished,
            "2026-11-02 09:10:01",
            p.rid,
            "",
            "preview" if p.status == "preview" else "anonymous",
            "EN",
        ]
        values = []
        for c in cells:
            getter = c[3]
            if isinstance(getter, tuple):
                side, j = getter
                v = (p.imp if side == "imp" else p.sat)[j]
                if numeric:
                    values.append(number(v))
                else:
                    values.append(label(v, imp_labels if side == "imp" else sat_labels, na_label))
            elif getter == "role":
                values.append(p.role)
            elif getter == "size":
                values.append(p.size)
            elif getter == "tools":
                values.append("HubSpot,Salesforce" if k % 2 else "Excel")
            elif getter == "comment":
                values.append("Fine, thanks.\nMore later" if k == 0 else "")
            elif getter == "rev":
                values.append("7")
            elif getter == "do":
                values.append("1|2|4|7|11|12")
            else:
                values.append("x" if k == 1 else "")
        body.append(meta + values)
    return [row1, row2, row3, *body]


def _single_quoted(cell: str) -> str:
    """The 2016 'Insights' style: Python-dict quoting and hyphenated ids."""
    obj = json.loads(cell)
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in obj.items()) + "}"


def unescaped_csv(rows: Sequence[Sequence[str]]) -> bytes:
    """Like some tools write: every cell quoted, row 3's JSON quotes left undoubled."""
    lines = []
    for i, row in enumerate(rows):
        if i == 2:
            ids = [json.loads(c)["ImportId"] for c in row]
            lines.append(",".join(f'"{{"ImportId":"{c}"}}"' for c in ids))
        else:
            lines.append(csv_bytes([row], quote_all=True).decode().rstrip("\r\n"))
    return ("\r\n".join(lines) + "\r\n").encode()


def qualtrics_legacy_rows(*, screening: bool = True) -> list[list[str]]:
    """The legacy exporter: V1..V10, row 2 names, '-' matrix separator, a trailing comma."""
    people = respondents(screening=screening)
    row1 = [f"V{i}" for i in range(1, 11)]
    row2 = [
        "ResponseID",
        "ResponseSet",
        "Name",
        "ExternalDataReference",
        "EmailAddress",
        "IPAddress",
        "Status",
        "StartDate",
        "EndDate",
        "Finished",
    ]
    for j, sid in enumerate(STATEMENT_IDS):
        row1.append(f"Q1_{sid}")
        row2.append(f"How important is each of these...-{STATEMENTS[j]}")
    for j in SAT_ORDER:
        row1.append(f"Q2_{STATEMENT_IDS[j]}")
        row2.append(f"How satisfied are you with each...-{STATEMENTS[j]}")
    row1 += ["Q3", "LocationLatitude", ""]
    row2 += ["What is your role?", "LocationLatitude", ""]
    body = []
    for p in people:
        end = 10 * 60 if p.seconds >= 60 else 1
        body.append(
            [
                p.rid,
                "Default Response Set",
                "Anonymous",
                "",
                "",
                "203.0.113.9",
                "1" if p.status == "preview" else "0",
                "2016-05-27 11:00:00",
                f"2016-05-27 11:{end // 60:02d}:{end % 60:02d}"
                if p.seconds >= 60
                else "2016-05-27 11:00:20",
                "1" if p.finished else "0",
            ]
            + [number(p.imp[j]) for j in range(6)]
            + [number(p.sat[j]) for j in SAT_ORDER]
            + [p.role, "42.4", ""]
        )
    return [row1, row2, *body]


# ---------------------------------------------------------------- SurveyMonkey


def surveymonkey_rows(
    *,
    legacy: bool = False,
    screening: bool = True,
    numeric: bool = False,
    na_label: str = "N/A",
) -> list[list[str]]:
    """Row 1: metadata and each question once over blanks; row 2: the statements."""
    people = [p for p in respondents(screening=screening) if p.status != "preview" and p.finished]
    meta = (
        [
            "RespondentID",
            "CollectorID",
            "StartDate",
            "EndDate",
            "IP Address",
            "Email Address",
            "First Name",
            "LastName",
            "Custom Data",
        ]
        if legacy
        else [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
        ]
    )
    row1 = [*meta, "What is your role?", "Company size"]
    row2 = [""] * len(meta) + ["Response", "Response"]
    # The importance matrix: its question once, over blanks; an 'other' comment column.
    row1 += [f"<strong>{IMP_QUESTION}</strong>", *[""] * 5, ""]
    row2 += [*STATEMENTS, "Other (please specify)"]
    row1 += ["Comments"]
    row2 += ["Open-Ended Response"]
    row1 += [SAT_QUESTION, *[""] * 5]
    row2 += [STATEMENTS[j] for j in SAT_ORDER]
    body = []
    for k, p in enumerate(people):
        start_min = 10 + k
        end_sec = p.seconds
        body.append(
            [
                str(1_140_000_000 + k) if p.rid != RESPONSE_IDS[0] else "1140000000",
                "405000001",
                f"11/02/2026 9:{start_min:02d}:00 AM",
                f"11/02/2026 {9 + (start_min * 60 + end_sec) // 3600}:"
                f"{((start_min * 60 + end_sec) // 60) % 60:02d}:{end_sec % 60:02d} AM",
                "203.0.113.9",
                "",
                "",
                "",
                "",
                p.role,
                p.size,
            ]
            + [number(v) if numeric else label(v, IMPORTANCE_LABELS, na_label) for v in p.imp]
            + ["", "Good survey" if k == 0 else ""]
            + [
                number(p.sat[j]) if numeric else label(p.sat[j], SATISFACTION_LABELS, na_label)
                for j in SAT_ORDER
            ]
        )
    return [row1, row2, *body]


# ---------------------------------------------------------------- Google Forms


def googleforms_rows(
    *, timestamp: str = "Timestamp", screening: bool = True, emails: bool = True
) -> list[list[str]]:
    """One header row: timestamp, email, segment questions and ``Question [Row]`` grids."""
    people = [
        p
        for p in respondents(screening=screening)
        if p.status != "preview" and p.finished and p.seconds >= 60
    ]
    if not emails:  # without emails a repeated response cannot be told apart
        people = [p for i, p in enumerate(people) if not (i >= 10 and p.rid in RESPONSE_IDS)]
    header = [
        timestamp,
        *(["Email address"] if emails else []),
        "What is your role?",
        "Company size",
    ]
    header += [f"How important is each of these to you? [{s}]" for s in STATEMENTS]
    header += [f"How satisfied are you today? [{STATEMENTS[j]}]" for j in SAT_ORDER]
    header += ["Which tools do you use?"]
    body = []
    for k, p in enumerate(people):
        body.append(
            [
                f"2026/11/02 {1 + k % 11}:19:08 PM GMT+1",
                *([p.email] if emails else []),
                p.role,
                p.size,
            ]
            + [number(v, na="Not applicable") for v in p.imp]
            + [number(p.sat[j], na="Not applicable") for j in SAT_ORDER]
            + ["HubSpot;Salesforce"]
        )
    return [header, *body]


# ---------------------------------------------------------------- SPSS


def sav_bytes(
    tmp: Path, *, reverse_codes: bool = True, screening: bool = True, labels: bool = True
) -> bytes:
    """A Qualtrics-style .sav: sanitised names, value labels, numeric codes.

    With ``reverse_codes`` the importance codes run 1 = Extremely important ... 5 = Not
    at all important, which only the value labels reveal.
    """
    import pandas as pd
    import pyreadstat

    people = respondents(screening=screening)
    data: dict[str, list[object]] = {
        "StartDate": ["2026-11-02 09:00:00"] * len(people),
        "Status": [1.0 if p.status == "preview" else 0.0 for p in people],
        "Finished": [1.0 if p.finished else 0.0 for p in people],
        "Duration__in_seconds_": [float(p.seconds) for p in people],
        "ResponseId": [p.rid for p in people],
        "Q10": [float(["VP", "Manager", "Analyst"].index(p.role) + 1) for p in people],
    }
    column_labels = [
        "Start Date",
        "Response Type",
        "Finished",
        "Duration (in seconds)",
        "Response ID",
        "What is your role?",
    ]
    value_labels: dict[str, dict[float, str]] = {
        "Status": {0.0: "IP Address", 1.0: "Survey Preview", 2.0: "Survey Test"},
        "Finished": {0.0: "False", 1.0: "True"},
        "Q10": {1.0: "VP", 2.0: "Manager", 3.0: "Analyst"},
    }

    def code(v: int | None, reverse: bool) -> float:
        if v is None:
            return float("nan")
        if v == NA:
            return -99.0
        return float(6 - v) if reverse else float(v)

    for j, sid in enumerate(STATEMENT_IDS):
        name = f"QID5_1_{sid}"  # sanitised from QID5#1_sid
        data[name] = [code(p.imp[j], reverse_codes) for p in people]
        column_labels.append(f"Rate each outcome - Importance - {STATEMENTS[j]}")
        imp = {float(6 - i if reverse_codes else i): IMPORTANCE_LABELS[i - 1] for i in range(1, 6)}
        value_labels[name] = imp if labels else {float(i): f"option{i}" for i in range(1, 6)}
    for j in SAT_ORDER:
        name = f"QID5_2_{STATEMENT_IDS[j]}"
        data[name] = [code(p.sat[j], False) for p in people]
        column_labels.append(f"Rate each outcome - Satisfaction - {STATEMENTS[j]}")
        value_labels[name] = (
            {float(i): SATISFACTION_LABELS[i - 1] for i in range(1, 6)}
            if labels
            else {float(i): f"option{i}" for i in range(1, 6)}
        )
    frame = pd.DataFrame(data)
    path = tmp / "study.sav"
    pyreadstat.write_sav(
        frame, str(path), column_labels=column_labels, variable_value_labels=value_labels
    )
    return path.read_bytes()


# ---------------------------------------------------------------- plain files


def wide_rows(*, screening: bool = False) -> list[list[str]]:
    people = respondents(screening=screening)
    header = ["respondent_id", "role", "company_size"]
    header += [f"Importance: {s}" for s in STATEMENTS]
    header += [f"Satisfaction: {STATEMENTS[j]}" for j in SAT_ORDER]
    body = [
        [p.rid, p.role, p.size]
        + [number(v, na="N/A") for v in p.imp]
        + [number(p.sat[j], na="N/A") for j in SAT_ORDER]
        for p in people
    ]
    return [header, *body]


def long_rows() -> list[list[str]]:
    header = [
        "respondent_id",
        "role",
        "company_size",
        "outcome_id",
        "outcome",
        "importance",
        "satisfaction",
    ]
    body = []
    for p in respondents(screening=False):
        for j in range(6):
            body.append(
                [
                    p.rid,
                    p.role,
                    p.size,
                    f"o{j + 1}",
                    STATEMENTS[j],
                    number(p.imp[j], na="N/A"),
                    number(p.sat[j], na="N/A"),
                ]
            )
    return [header, *body]


def jsonl_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    header, *body = rows
    return "\n".join(json.dumps(dict(zip(header, r, strict=True))) for r in body).encode()
