"""Lint desired-outcome statements against the ODI statement grammar.

A well-formed statement has a **direction** (Minimize or Increase), a **metric** (the time it
takes to, the likelihood of, the number of, ...), an **object of control** and optionally a
**contextual clarifier**: "Minimize the time it takes to reconcile marketing-sourced pipeline
with the CRM". :func:`lint_statements` checks a list of statements and returns one
:class:`Finding` per problem, each with a rule id (:data:`RULES`), a message saying what to
change and, where one can be built, a suggested rewrite.

The checks are word lists and patterns, not a parser: they are meant to catch the common
mistakes before a survey is fielded (a named solution, two outcomes in one statement, a
vague qualifier), and every rule can be read in :data:`RULES`.

Examples
--------
>>> findings = lint_statements(
...     [("O1", "Minimize the time it takes to find a qualified lead"),
...      ("O2", "Quickly find leads in the CRM dashboard")])
>>> [(f.id, f.rule) for f in findings]
[('O2', 'direction'), ('O2', 'solution'), ('O2', 'vague')]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

import pandas as pd
from rapidfuzz import fuzz

__all__ = [
    "DUPLICATE_SIMILARITY",
    "MAX_WORDS",
    "MIN_WORDS",
    "RULES",
    "Finding",
    "StatementList",
    "findings_by_id",
    "findings_frame",
    "lint_statements",
    "read_statement_list",
]

#: Rule id -> what it checks.
RULES: dict[str, str] = {
    "direction": "starts with a direction: Minimize or Increase",
    "metric": "names a metric after the direction: the time it takes to, the likelihood, "
    "the number, the frequency, the amount, ...",
    "solution": "names no solution, product or technology",
    "compound": "measures one object of control, not two joined by 'and'/'or'",
    "vague": "has no vague qualifier (easy, quickly, better, efficient, user-friendly, ...)",
    "emotion": "states an outcome, not a feeling or a satisfaction",
    "question": "is a statement, not a question",
    "first-person": "is written without first-person words (I, my, we, our)",
    "length": "is neither too short nor too long to read in a matrix",
    "duplicate": "is not a near-duplicate of another statement in the list",
    "empty-step": "every job step given has at least one outcome",
}

#: Fewest and most words a statement may have.
MIN_WORDS = 6
MAX_WORDS = 25
#: Similarity (0-100, rapidfuzz) at or above which two statements are near-duplicates.
DUPLICATE_SIMILARITY = 88.0

_DIRECTIONS = ("minimize", "increase")
# Unusual directions and the standard one they become.
_UNUSUAL: dict[str, str] = {
    "reduce": "Minimize",
    "decrease": "Minimize",
    "lower": "Minimize",
    "minimise": "Minimize",
    "eliminate": "Minimize",
    "avoid": "Minimize",
    "prevent": "Minimize",
    "limit": "Minimize",
    "shorten": "Minimize",
    "maximize": "Increase",
    "maximise": "Increase",
    "improve": "Increase",
    "raise": "Increase",
    "boost": "Increase",
    "enhance": "Increase",
    "ensure": "Increase",
    "optimize": "Increase",
}
_METRICS = (
    "time",
    "likelihood",
    "number",
    "frequency",
    "amount",
    "cost",
    "effort",
    "risk",
    "chance",
    "probability",
    "accuracy",
    "share",
    "percentage",
    "proportion",
    "rate",
    "variability",
    "occurrence",
    "occurrences",
    "incidence",
    "degree",
    "extent",
)
_ARTICLES = r"(?:the|a|an)"
_METRIC_RE = re.compile(rf"^{_ARTICLES}\s+(?:\w+\s+){{0,1}}({'|'.join(_METRICS)})\b", re.I)
# Product, solution and technology words (the CRM is a system of record, allowed).
_SOLUTIONS = (
    "app",
    "apps",
    "application",
    "software",
    "platform",
    "tool",
    "tools",
    "dashboard",
    "dashboards",
    "spreadsheet",
    "spreadsheets",
    "excel",
    "salesforce",
    "hubspot",
    "marketo",
    "slack",
    "chatbot",
    "ai",
    "artificial intelligence",
    "machine learning",
    "algorithm",
    "plugin",
    "plug-in",
    "feature",
    "button",
    "api",
    "widget",
    "blockchain",
    "website",
    "portal",
)
_SOLUTION_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _SOLUTIONS) + r")\b", re.I)
_USING_RE = re.compile(r",?\s+\b(?:using|by using|with the help of|via|through the)\b.*$", re.I)
_VAGUE = (
    "easy",
    "easily",
    "easier",
    "quick",
    "quickly",
    "fast",
    "faster",
    "better",
    "best",
    "efficient",
    "efficiently",
    "user-friendly",
    "simple",
    "simply",
    "seamless",
    "seamlessly",
    "intuitive",
    "effective",
    "effectively",
    "good",
    "nice",
    "optimal",
)
_VAGUE_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in _VAGUE) + r")\b", re.I)
_EMOTIONS = (
    "satisfied",
    "satisfaction",
    "satisfying",
    "happy",
    "happier",
    "happiness",
    "frustrated",
    "frustration",
    "frustrating",
    "feel",
    "feels",
    "feeling",
    "enjoy",
    "love",
    "annoyed",
    "annoying",
    "stress",
    "stressed",
    "delight",
    "delighted",
    "pleased",
    "worry",
    "worried",
    "anxious",
    "anxiety",
    "confident",
    "comfortable",
)
_EMOTION_RE = re.compile(r"\b(" + "|".join(_EMOTIONS) + r")\b", re.I)
_QUESTION_START = re.compile(
    r"^(?:how|what|why|when|where|which|who|do|does|did|can|could|would|should|is|are)\b", re.I
)
_FIRST_PERSON_RE = re.compile(r"\b(i|me|my|mine|we|us|our|ours|myself|ourselves)\b", re.I)
_FIRST_TO_NEUTRAL = {
    "i": "one",
    "me": "one",
    "my": "the",
    "mine": "one's",
    "we": "the team",
    "us": "the team",
    "our": "the",
    "ours": "the team's",
    "myself": "oneself",
    "ourselves": "the team",
}
# Two objects: "X, Y or Z"; "and/or" + a determiner; "to <verb> and <verb>"; "time and cost".
_CONJ = r"(?:and|or|and/or|&)"
_COMPOUND_PATTERNS = (
    re.compile(rf"\b\w[\w'-]*,\s+[\w'-]+(?:,\s+[\w'-]+)*,?\s+{_CONJ}\s+\w", re.I),
    re.compile(rf"\s{_CONJ}\s+(?:the|a|an|its|their|each|every|to)\s", re.I),
    re.compile(rf"\bto\s+\w+\s+{_CONJ}\s+\w+", re.I),
    re.compile(rf"\b({'|'.join(_METRICS)})\s+{_CONJ}\s+(?:the\s+)?({'|'.join(_METRICS)})\b", re.I),
)
_BETWEEN_RE = re.compile(r"\bbetween\b[^,]*?\band\b", re.I)
_WORD_RE = re.compile(r"[\w'’-]+")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one statement (or a job step).

    Attributes
    ----------
    id : str
        The statement's id (or the job step's name for ``empty-step``).
    rule : str
        A key of :data:`RULES`.
    message : str
        What is wrong and what to change.
    suggestion : str
        A suggested rewrite, or ``""`` when none can be built.
    """

    id: str
    rule: str
    message: str
    suggestion: str = ""

    def to_dict(self) -> dict[str, str]:
        """``{"id", "rule", "message", "suggestion"}``."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class StatementList:
    """Statements read from a file: ``id``, ``statement`` and ``job_step`` columns.

    Attributes
    ----------
    statements : pandas.DataFrame
        One row per statement (columns ``id``, ``statement``, ``job_step``; ``job_step`` is
        ``""`` when not given).
    steps : tuple of str
        The job steps the file declares (rows with a step and no statement, and the steps of
        the statements), in order; empty when the file has no ``job_step`` column.
    """

    statements: pd.DataFrame
    steps: tuple[str, ...] = ()


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    return _cap(text.rstrip(" ,;:"))


def _check_direction(text: str) -> tuple[str, str] | None:
    words = _words(text)
    first = words[0].casefold() if words else ""
    if first in _DIRECTIONS:
        return None
    if first in _UNUSUAL:
        rest = text.split(None, 1)[1] if " " in text.strip() else ""
        return (
            f"starts with {words[0]!r}, an unusual direction; start with "
            f"{_UNUSUAL[first]!r} so every statement is rated the same way",
            _tidy(f"{_UNUSUAL[first]} {rest}"),
        )
    body = text.strip()
    if _METRIC_RE.match(body) or re.match(rf"^({'|'.join(_METRICS)})\b", body, re.I):
        guess = (
            "Increase" if re.match(r"^(?:the\s+)?(accuracy|share)\b", body, re.I) else "Minimize"
        )
        lead = "" if body.lower().startswith(("the ", "a ", "an ")) else "the "
        return (
            "has no direction; start with 'Minimize' or 'Increase'",
            _tidy(f"{guess} {lead}{body[:1].lower()}{body[1:]}"),
        )
    return ("has no direction; start with 'Minimize' or 'Increase' followed by a metric", "")


def _check_metric(text: str) -> str | None:
    words = text.strip().split(None, 1)
    if len(words) < 2 or words[0].casefold() not in (*_DIRECTIONS, *_UNUSUAL):
        return None  # reported as a missing direction
    if _METRIC_RE.match(words[1]):
        return None
    return (
        f"names no metric after {words[0]!r}; say what is measured, e.g. 'the time it takes "
        "to', 'the likelihood that', 'the number of'"
    )


def _rewrite_without(text: str, pattern: re.Pattern[str]) -> str:
    return _tidy(pattern.sub("", text))


def _compound_rewrite(text: str) -> str:
    """One statement per object, joined by ``" | "``, for a list or two verbs; else ``""``."""
    items = re.search(rf"\b([\w'-]+(?:,\s+[\w'-]+)+,?\s+{_CONJ}\s+[\w'-]+)", text, re.I)
    if items:
        parts = [p for p in re.split(rf",\s*(?:{_CONJ}\s+)?|\s+{_CONJ}\s+", items.group(1)) if p]
        return " | ".join(_tidy(text[: items.start()] + p + text[items.end() :]) for p in parts)
    verbs = re.search(rf"\bto\s+(\w+)\s+{_CONJ}\s+(\w+)", text, re.I)
    if verbs:
        return " | ".join(
            _tidy(text[: verbs.start()] + "to " + v + text[verbs.end() :])
            for v in (verbs.group(1), verbs.group(2))
        )
    return ""


def _check_compound(text: str) -> tuple[str, str] | None:
    probe = _BETWEEN_RE.sub("between", text)
    if not any(p.search(probe) for p in _COMPOUND_PATTERNS):
        return None
    return (
        "joins two objects with 'and'/'or'; split it into one statement per object so each "
        "is rated on its own",
        _compound_rewrite(text),
    )


def _statement_findings(oid: str, text: str) -> list[Finding]:
    stripped = text.strip()
    if not stripped:
        return [Finding(oid, "length", "is empty; write the outcome or remove the row")]
    out: list[Finding] = []
    question = stripped.endswith("?") or bool(_QUESTION_START.match(stripped))
    if question:
        out.append(
            Finding(
                oid,
                "question",
                "is a question; write it as a statement, e.g. 'Minimize the time it takes to ...'",
                "",
            )
        )
    direction = _check_direction(stripped)
    checks: tuple[tuple[str, tuple[str, str] | str | None], ...] = (
        ("direction", None if question else direction),
        ("metric", _check_metric(stripped)),
        ("solution", _check_solution(stripped)),
        ("compound", _check_compound(stripped)),
        ("vague", _check_vague(stripped, rewrite=not direction)),
        ("emotion", _check_emotion(stripped)),
        ("first-person", _check_first_person(stripped)),
        ("length", _check_length(stripped)),
    )
    for check, found in checks:
        if isinstance(found, str):
            out.append(Finding(oid, check, found))
        elif found:
            out.append(Finding(oid, check, *found))
    return out


def _check_solution(text: str) -> tuple[str, str] | None:
    sol = _SOLUTION_RE.search(text)
    if not sol:
        return None
    fixed = _USING_RE.sub("", text)
    return (
        f"names a solution or technology ({sol.group(1)!r}); describe the outcome the "
        "person wants, which stays stable whatever tool delivers it",
        _tidy(fixed) if fixed != text and not _SOLUTION_RE.search(fixed) else "",
    )


def _check_vague(text: str, *, rewrite: bool) -> tuple[str, str] | None:
    vague = sorted({m.group(1).casefold() for m in _VAGUE_RE.finditer(text)})
    if not vague:
        return None
    return (
        f"uses vague wording ({', '.join(map(repr, vague))}); respondents read it "
        "differently, so measure it: the time it takes, the likelihood, the number",
        _rewrite_without(text, _VAGUE_RE) if rewrite else "",
    )


def _check_emotion(text: str) -> str | None:
    emotion = sorted({m.group(1).casefold() for m in _EMOTION_RE.finditer(text)})
    if not emotion:
        return None
    return (
        f"names a feeling or satisfaction ({', '.join(map(repr, emotion))}); an outcome "
        "is a measurable result of the job, and satisfaction is what the survey asks"
    )


def _check_first_person(text: str) -> tuple[str, str] | None:
    first = sorted({m.group(1).casefold() for m in _FIRST_PERSON_RE.finditer(text)})
    if not first:
        return None
    neutral = _FIRST_PERSON_RE.sub(lambda m: _FIRST_TO_NEUTRAL[m.group(1).casefold()], text)
    return (
        f"uses first-person wording ({', '.join(map(repr, first))}); write it without "
        "a person so it reads the same to every respondent",
        _tidy(neutral),
    )


def _check_length(text: str) -> str | None:
    n = len(_words(text))
    if n < MIN_WORDS:
        return f"has {n} words, under {MIN_WORDS}; add the metric and the object of control"
    if n > MAX_WORDS:
        return (
            f"has {n} words, over {MAX_WORDS}; shorten it or move detail into the "
            "contextual clarifier"
        )
    return None


def _normal(text: str) -> str:
    return " ".join(w.casefold() for w in _words(text))


def _duplicates(items: Sequence[tuple[str, str]], threshold: float) -> list[Finding]:
    out: list[Finding] = []
    normal = [_normal(t) for _, t in items]
    for j in range(len(items)):
        if not normal[j]:
            continue
        for i in range(j):
            if not normal[i]:
                continue
            sim = max(fuzz.ratio(normal[i], normal[j]), fuzz.token_sort_ratio(normal[i], normal[j]))
            if sim >= threshold:
                out.append(
                    Finding(
                        items[j][0],
                        "duplicate",
                        f"is nearly the same as {items[i][0]} ({sim:.0f}% similar); keep one, "
                        "or make the difference explicit",
                    )
                )
                break
    return out


def lint_statements(
    statements: Iterable[tuple[str, str]] | pd.DataFrame,
    *,
    steps: Sequence[str] = (),
    duplicate_similarity: float = DUPLICATE_SIMILARITY,
) -> list[Finding]:
    """Check outcome statements; return the findings, grouped by statement in list order.

    Parameters
    ----------
    statements : iterable of (id, statement), or DataFrame
        The statements. A DataFrame needs ``id`` (or its index) and ``statement`` columns,
        and may have ``job_step``.
    steps : sequence of str
        Job steps that must each have at least one statement (rule ``empty-step``); a
        DataFrame's ``job_step`` column says which step each statement belongs to.
    duplicate_similarity : float
        Similarity (0-100) at or above which two statements are near-duplicates.

    Returns
    -------
    list of Finding

    Examples
    --------
    >>> lint_statements([("1", "Minimize the likelihood of missing a buying signal")])
    []
    >>> f = lint_statements([("1", "Reduce the time it takes to hand a lead to sales")])
    >>> f[0].rule, f[0].suggestion
    ('direction', 'Minimize the time it takes to hand a lead to sales')
    """
    if not 0 < duplicate_similarity <= 100:
        raise ValueError(f"duplicate_similarity must be in (0, 100]; got {duplicate_similarity}")
    step_of: dict[str, str] = {}
    if isinstance(statements, pd.DataFrame):
        frame = statements
        if "statement" not in frame.columns:
            raise ValueError(f"statements need a 'statement' column; got {list(frame.columns)}")
        ids = frame["id"] if "id" in frame.columns else frame.index.to_series()
        items = [(str(i), str(t)) for i, t in zip(ids, frame["statement"], strict=True)]
        if "job_step" in frame.columns:
            step_of = {str(i): str(s) for i, s in zip(ids, frame["job_step"], strict=True)}
    else:
        items = [(str(i), "" if t is None else str(t)) for i, t in statements]
    findings: dict[str, list[Finding]] = {oid: [] for oid, _ in items}
    for oid, text in items:
        findings[oid].extend(_statement_findings(oid, text))
    for f in _duplicates(items, duplicate_similarity):
        findings[f.id].append(f)
    out = [f for oid in findings for f in findings[oid]]
    used = {s.strip().casefold() for s in step_of.values() if s.strip()}
    for step in dict.fromkeys(s.strip() for s in steps if s.strip()):
        if step.casefold() not in used:
            out.append(
                Finding(
                    step,
                    "empty-step",
                    f"the job step {step!r} has no outcome statements; write the outcomes of "
                    "this step, or drop the step if the job does not have it",
                )
            )
    return out


def findings_frame(findings: Sequence[Finding]) -> pd.DataFrame:
    """The findings as a table: ``id, rule, message, suggestion``.

    Examples
    --------
    >>> findings_frame([Finding("O1", "vague", "uses 'easy'")]).columns.tolist()
    ['id', 'rule', 'message', 'suggestion']
    """
    return pd.DataFrame(
        [f.to_dict() for f in findings], columns=["id", "rule", "message", "suggestion"]
    )


_ID_NAMES = ("id", "outcome_id", "outcomeid", "outcome id")
_TEXT_NAMES = ("statement", "outcome", "outcome_statement", "text", "outcome statement")
_STEP_NAMES = ("job_step", "step", "job step", "jobstep")


def _column(frame: pd.DataFrame, names: Sequence[str]) -> str | None:
    for col in frame.columns:
        if str(col).strip().casefold() in names:
            return str(col)
    return None


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data[:4096]:
        raise ValueError(
            f"{source} is a binary file, not a statement list; give a CSV or XLSX with 'id' "
            "and 'statement' columns, or a text file with one statement a line"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(f"{source} is not UTF-8 or Windows-1252 text")  # pragma: no cover


def _from_table(frame: pd.DataFrame, source: str) -> StatementList:
    frame = frame.fillna("").astype(str)
    text_col = _column(frame, _TEXT_NAMES)
    id_col = _column(frame, _ID_NAMES)
    if text_col is None:
        raise ValueError(
            f"{source} has no 'statement' column (columns: {', '.join(map(str, frame.columns))}); "
            "name the statements' column 'statement' and the ids' column 'id'"
        )
    step_col = _column(frame, _STEP_NAMES)
    ids = (
        frame[id_col].str.strip()
        if id_col
        else pd.Series([str(i + 2) for i in range(len(frame))], index=frame.index)
    )
    steps = frame[step_col].str.strip() if step_col else pd.Series("", index=frame.index)
    texts = frame[text_col].str.strip()
    has_text = texts.ne("")
    missing = has_text & ids.eq("")
    if missing.any():
        row = int(missing.to_numpy().argmax()) + 2
        raise ValueError(f"{source} row {row}: the statement has no id; give every statement one")
    dup = ids[has_text & ids.duplicated(keep=False) & ids.ne("")]
    if not dup.empty:
        first = dup.iloc[0]
        raise ValueError(
            f"{source}: ids must be unique; {first!r} is used {int(dup.eq(first).sum())} times"
        )
    statements = pd.DataFrame(
        {"id": ids[has_text], "statement": texts[has_text], "job_step": steps[has_text]}
    ).reset_index(drop=True)
    if statements.empty:
        raise ValueError(f"{source} has no statements; the 'statement' column is empty")
    declared = tuple(dict.fromkeys(s for s in steps if s)) if step_col else ()
    return StatementList(statements, declared)


def read_statement_list(data: bytes, *, source: str) -> StatementList:
    """Read statements from a CSV or XLSX (``id``, ``statement``, optional ``job_step``) or a
    text file with one statement a line (ids are then the line numbers).

    A CSV is recognised by a header holding a ``statement`` column. A row with a job step and
    no statement declares a step (for rule ``empty-step``).

    Examples
    --------
    >>> read_statement_list(b"Minimize the time\\n\\nIncrease the number\\n",
    ...                     source="s.txt").statements["id"].tolist()
    ['1', '3']
    >>> sl = read_statement_list(b"id,statement,job_step\\nA,Go,Define\\n,,Locate\\n",
    ...                          source="s.csv")
    >>> sl.statements["id"].tolist(), sl.steps
    (['A'], ('Define', 'Locate'))
    """
    if not data.strip():
        raise ValueError(f"{source} is empty; give one statement a line, or id,statement columns")
    if data[:4] == b"PK\x03\x04":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
        except Exception as exc:  # a damaged workbook: one clear line
            raise ValueError(f"{source} could not be read as an XLSX workbook ({exc})") from None
        return _from_table(frame, source)
    text = _decode(data, source)
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    header = [c.strip().strip('"').casefold() for c in re.split(r"[,;\t]", first)]
    if any(h in _TEXT_NAMES for h in header) and len(header) > 1:
        try:
            frame = pd.read_csv(
                io.StringIO(text), dtype=str, keep_default_na=False, sep=None, engine="python"
            )
        except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
            raise ValueError(f"{source} could not be read as a CSV table ({exc})") from None
        return _from_table(frame, source)
    rows = [(str(n), line.strip()) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
    return StatementList(
        pd.DataFrame(
            {"id": [r[0] for r in rows], "statement": [r[1] for r in rows], "job_step": ""}
        )
    )


def findings_by_id(findings: Sequence[Finding]) -> dict[str, str]:
    """Each statement's findings in one line, ``"rule: message; rule: message"``.

    Examples
    --------
    >>> findings_by_id([Finding("O1", "vague", "uses 'easy'"), Finding("O1", "length", "short")])
    {'O1': "vague: uses 'easy'; length: short"}
    """
    out: dict[str, list[str]] = {}
    for f in findings:
        out.setdefault(f.id, []).append(f"{f.rule}: {f.message}")
    return {k: "; ".join(v) for k, v in out.items()}
