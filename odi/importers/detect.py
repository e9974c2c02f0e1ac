"""Tell the survey formats apart from a file's content, never from its name."""

from __future__ import annotations

import re

from odi.importers.googleforms import looks_like_googleforms
from odi.importers.plain import detect_layout, normalise_name
from odi.importers.qualtrics import is_import_id_row
from odi.importers.surveymonkey import looks_like_surveymonkey
from odi.importers.tabular import Table

__all__ = ["detect_format"]

_QUALTRICS_ROW1 = frozenset(
    {
        "startdate",
        "enddate",
        "status",
        "ipaddress",
        "progress",
        "durationinseconds",
        "finished",
        "recordeddate",
        "responseid",
        "distributionchannel",
        "userlanguage",
    }
)
_RESPONSE_ID = re.compile(r"^(?:R|FS)_[A-Za-z0-9]+$")


def detect_format(table: Table, *, source: str) -> str:
    """The format of an opened table (one of :data:`odi.importers.options.FORMATS`).

    Checks, in order: Qualtrics' ImportId row 3; the legacy ``V1..V10`` header;
    SurveyMonkey's respondent id over a blank row-2 cell; a Qualtrics header whose
    other header rows were deleted (an error); Google Forms' timestamp column; else
    the plain long or wide layout.

    Raises
    ------
    ValueError
        For a Qualtrics export with its question-text header row deleted.

    Examples
    --------
    >>> from odi.importers.tabular import read_table
    >>> detect_format(read_table(b"id,imp_a,sat_a\\n1,5,2\\n", source="s.csv"), source="s.csv")
    'wide'
    >>> detect_format(read_table(b"V1,V2,V3,V4,V5,V6,V7,V8,V9,V10,Q1\\nResponseID,a,b,c,d,e,f,"
    ...     b"g,h,i,Q\\n", source="l.csv"), source="l.csv")
    'qualtrics-legacy'
    """
    head = table.head
    if len(head) >= 3 and is_import_id_row(head[2]):
        return "qualtrics"
    first = [c.strip().lstrip("\ufeff") for c in head[0][:10]]
    if first == [f"V{i}" for i in range(1, 11)]:
        return "qualtrics-legacy"
    if looks_like_surveymonkey(head):
        return "surveymonkey"
    row1 = [normalise_name(c) for c in head[0]]
    if len(set(row1) & _QUALTRICS_ROW1) >= 3:
        if len(head) >= 2 and is_import_id_row(head[1]):
            raise ValueError(
                f"{source} looks like a Qualtrics export whose second header row (the question "
                "text) was deleted, so its importance and satisfaction questions cannot be "
                "recognised. Export the responses again and upload the file unedited"
            )
        if "responseid" in row1 and len(head) >= 2:
            rid = head[1][row1.index("responseid")].strip()
            if _RESPONSE_ID.match(rid):
                raise ValueError(
                    f"{source} looks like a Qualtrics export whose header rows 2 and 3 (question "
                    f"text and ImportIds) were deleted: row 2 already holds the response {rid!r}. "
                    "Without the question text the importance and satisfaction questions cannot "
                    "be recognised. Export the responses again and upload the file unedited, or "
                    "import it as a plain table (--format wide) with a column map"
                )
            return "qualtrics"
    if looks_like_googleforms(head):
        return "googleforms"
    try:
        layout = detect_layout(head[0])
    except ValueError:  # e.g. two columns for one side: the wide reader explains
        layout = "wide"
    return "long" if layout == "long" else "wide"
