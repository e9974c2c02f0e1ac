"""The intermediate every format reader produces, and the helpers they share.

A format reader (Qualtrics, SurveyMonkey, ...) turns a file into a :class:`Parsed`:
the response rows as text, and a :class:`ColumnMap` saying what each column is.
The pipeline then applies the caller's overrides, converts labels to numbers,
screens respondents and builds the :class:`~odi.survey.Survey`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from odi.importers.columns import ColumnMap, ColumnSpec
from odi.importers.pairing import Candidate, pair_candidates
from odi.importers.plain import normalise_name
from odi.importers.text import clean_text, is_cryptic_id, unique_names

if TYPE_CHECKING:
    from odi.importers.tabular import Body, Table

__all__ = [
    "META_KINDS",
    "Parsed",
    "Settled",
    "answers_in_words",
    "attribute_name",
    "codes_of",
    "distinct_values",
    "finish",
    "from_table",
    "ignore_empty_attributes",
    "meta_kind",
]

#: Normalised metadata column names of the survey tools, and their kind.
META_KINDS: dict[str, str] = {
    "startdate": "start",
    "enddate": "end",
    "status": "status",
    "ipaddress": "info",
    "progress": "progress",
    "durationinseconds": "duration",
    "finished": "finished",
    "recordeddate": "info",
    "recipientlastname": "info",
    "recipientfirstname": "info",
    "recipientemail": "email",
    "externalreference": "info",
    "externaldatareference": "info",
    "locationlatitude": "info",
    "locationlongitude": "info",
    "locationaccuracy": "info",
    "distributionchannel": "channel",
    "userlanguage": "info",
    "responseset": "info",
    "emailaddress": "email",
    "collectorid": "info",
    "firstname": "info",
    "lastname": "info",
}

#: Normalised names of response-id columns.
ID_NAMES: frozenset[str] = frozenset({"responseid", "respondentid", "recordid"})


def meta_kind(name: str) -> str | None:
    """The metadata kind of a column name, or ``None``.

    Examples
    --------
    >>> meta_kind("Duration (in seconds)"), meta_kind("Duration__in_seconds_"), meta_kind("Q1")
    ('duration', 'duration', None)
    """
    return META_KINDS.get(normalise_name(name))


@dataclass(frozen=True, slots=True)
class Parsed:
    """A file read into response rows and an automatic column map.

    Attributes
    ----------
    body : pandas.DataFrame
        One row per response (file order), columns keyed like the column map,
        every cell text (categoricals from the fast reader).
    columns : ColumnMap
        The automatic role of every column.
    questions : int
        How many questions the file has (for messages).
    paired_by : str
        How the automatic pairing was made.
    pairing_error : str
        Why automatic pairing failed ("" if it did not).
    value_labels : mapping
        SPSS value labels: column -> code text -> label.
    numeric_recodes : bool
        Numbers in rating cells are the tool's recode values (Qualtrics,
        SurveyMonkey), so only 1..k is accepted without a label map.
    plain_ids : bool
        Use the outcome keys as outcome ids where they are short (plain files).
    first_row : int
        The file line (or sheet row) of the first response.
    """

    source: str
    format: str
    body: pd.DataFrame
    columns: ColumnMap
    detail: str = ""
    encoding: str = ""
    delimiter: str = ""
    header_rows: int = 1
    questions: int = 0
    paired_by: str = ""
    pairing_error: str = ""
    warnings: tuple[str, ...] = field(default=())
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    numeric_recodes: bool = False
    plain_ids: bool = False
    first_row: int = 1


def codes_of(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes (``-1`` for missing) and the distinct texts they index.

    Categoricals from the fast reader give theirs for free; anything else is factorised.

    Examples
    --------
    >>> import pandas as pd
    >>> codes, values = codes_of(pd.Series(["b", "a", "b"]))
    >>> codes.tolist(), values
    ([0, 1, 0], ['b', 'a'])
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        cat = series.cat
        values = cat.categories.to_numpy(dtype=object).tolist()
        return cat.codes.to_numpy(), [v if isinstance(v, str) else str(v) for v in values]
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    return np.asarray(codes), [str(v) for v in np.asarray(uniques, dtype=object).tolist()]


def distinct_values(series: pd.Series) -> list[str]:
    """The distinct texts of a column (cheap for categoricals).

    Examples
    --------
    >>> import pandas as pd
    >>> distinct_values(pd.Series(["x", "y", "x"], dtype="category"))
    ['x', 'y']
    """
    return (
        codes_of(series)[1]
        if isinstance(series.dtype, pd.CategoricalDtype)
        else [str(v) for v in pd.unique(series.dropna())]
    )


def attribute_name(header: str, question: str) -> str:
    """An attribute's name: the header, unless it is a tool id; then the question text.

    Examples
    --------
    >>> attribute_name("Q3", "What type of user are you?"), attribute_name("role", "Your role?")
    ('What type of user are you?', 'role')
    """
    text = clean_text(question)
    if header and not is_cryptic_id(header):
        return header.strip()
    if text and len(text) <= 120:
        return text
    return header.strip() or text[:120]


class Settled(NamedTuple):
    """Every column's role, settled by :func:`finish`, and how the pairing went."""

    columns: ColumnMap
    paired_by: str = ""
    pairing_error: str = ""
    warnings: tuple[str, ...] = ()


def finish(
    specs: Sequence[ColumnSpec],
    candidates: Sequence[Candidate],
    *,
    questions: int,
    source: str,
) -> Settled:
    """Pair the candidates and settle every column's role.

    Paired columns get their side and outcome key; one-column questions without a
    partner become attributes (with a warning); attribute names are made unique.
    Returns the column map, how the pairing was made, the pairing error (if any)
    and warnings.
    """
    pairing = pair_candidates(candidates, questions=questions, source=source)
    warnings: list[str] = []
    single = {c.column for c in pairing.unpaired_singles if c.single}
    if not pairing.error:
        for c in pairing.unpaired_singles:
            if c.single:
                warnings.append(
                    f"{source}: column {c.column!r} asks about {c.side} but has no "
                    f"{'satisfaction' if c.side == 'importance' else 'importance'} partner; "
                    "it is kept as a respondent attribute"
                )
    out: list[ColumnSpec] = []
    for spec in specs:
        if spec.column in pairing.outcome:
            spec = replace(spec, outcome=pairing.outcome[spec.column])
        elif spec.column in single and not pairing.error:
            spec = replace(spec, role="attribute")
        out.append(spec)
    attrs = [i for i, s in enumerate(out) if s.role == "attribute"]
    names = unique_names(
        [out[i].name or out[i].column for i in attrs], [out[i].column for i in attrs]
    )
    for i, name in zip(attrs, names, strict=True):
        out[i] = replace(out[i], name=name)
    return Settled(ColumnMap(tuple(out)), pairing.basis, pairing.error, tuple(warnings))


def from_table(
    table: Table,
    body: Body,
    keys: Sequence[str],
    settled: Settled,
    *,
    format: str,
    questions: int = 0,
    header_rows: int = 1,
    notes: Sequence[str] = (),
    numeric_recodes: bool = False,
    plain_ids: bool = False,
) -> Parsed:
    """The :class:`Parsed` of a reader of delimited text or a sheet.

    The body's columns are named by ``keys``. The warnings are the table's and the body's, then
    the reader's ``notes``, how many blank rows were skipped, and the pairing's warnings.

    Examples
    --------
    >>> from odi.importers.tabular import read_table
    >>> table = read_table(b"a,b\\n1,2\\n,\\n3,4\\n", source="t.csv")
    >>> columns = ColumnMap((ColumnSpec("x", "attribute"), ColumnSpec("y", "attribute")))
    >>> p = from_table(table, table.body(1), ["x", "y"], Settled(columns), format="wide")
    >>> list(p.body.columns), p.warnings, p.first_row
    (['x', 'y'], ('t.csv: skipped 1 blank row(s)',), 2)
    """
    source = table.source
    frame = body.frame.copy(deep=False)
    frame.columns = list(keys)
    blank = [f"{source}: skipped {body.blank_rows} blank row(s)"] if body.blank_rows else []
    return Parsed(
        source=source,
        format=format,
        body=frame,
        columns=settled.columns,
        encoding=body.encoding or table.encoding,
        delimiter=table.delimiter,
        header_rows=header_rows,
        questions=questions,
        paired_by=settled.paired_by,
        pairing_error=settled.pairing_error,
        warnings=(*table.warnings, *body.warnings, *notes, *blank, *settled.warnings),
        numeric_recodes=numeric_recodes,
        plain_ids=plain_ids,
        first_row=body.first_line,
    )


def answers_in_words(frame: pd.DataFrame, ratings: Sequence[str]) -> bool | None:
    """Whether the rating cells hold answer words rather than numbers (how the file was
    exported: Qualtrics' choice text, SurveyMonkey's actual answer text).

    Looks at the first 20 rating columns: ``True`` if any answer is not a number, ``False`` if
    every answer is one, ``None`` if no cell is answered.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": ["5", ""], "b": ["Very important", "4"], "c": ["", ""]})
    >>> [answers_in_words(frame, ratings) for ratings in (["a", "b"], ["a"], ["c"])]
    [True, False, None]
    """
    answered = False
    for column in ratings[:20]:
        values = pd.Series(distinct_values(frame[column])).str.strip()
        values = values[values.ne("")]
        if len(values) and pd.to_numeric(values, errors="coerce").isna().any():
            return True
        answered = answered or bool(len(values))
    return False if answered else None


def ignore_empty_attributes(parsed: Parsed) -> Parsed:
    """Attributes that no response answered are reported as ignored, not offered as segments.

    Examples
    --------
    >>> import pandas as pd
    >>> from odi.importers.columns import ColumnMap, ColumnSpec
    >>> p = Parsed("s.csv", "wide", pd.DataFrame({"a": ["x", ""], "b": ["", " "]}),
    ...            ColumnMap((ColumnSpec("a", "attribute"), ColumnSpec("b", "attribute"))))
    >>> [(s.column, s.role) for s in ignore_empty_attributes(p).columns.specs]
    [('a', 'attribute'), ('b', 'ignore')]
    """
    if parsed.body.empty:
        return parsed
    specs = []
    changed = False
    for spec in parsed.columns.specs:
        if spec.role == "attribute" and spec.column in parsed.body.columns:
            codes, values = codes_of(parsed.body[spec.column])
            used = np.unique(codes[codes >= 0])
            if not any(values[i].strip() for i in used):
                spec = replace(spec, role="ignore", name="", detail="no answers in any response")
                changed = True
        specs.append(spec)
    return replace(parsed, columns=ColumnMap(tuple(specs))) if changed else parsed
