"""What an import did: the :class:`ImportReport` and the :class:`ImportResult`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from odi.importers.columns import ColumnMap
from odi.importers.labels import LabelMap
from odi.importers.options import FORMAT_LABELS
from odi.importers.screening import REASONS, flagged_text, summary_line
from odi.scale import Scale
from odi.survey import Survey

__all__ = ["ImportReport", "ImportResult", "PairedOutcome"]


@dataclass(frozen=True, slots=True)
class PairedOutcome:
    """One outcome: its statement and the two columns it was read from."""

    outcome_id: str
    statement: str
    importance_column: str
    satisfaction_column: str


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _describe_scale(scale: Scale | None) -> str:
    if scale is None:
        return ""
    top = scale.top_points
    box = _fmt(top[0]) if len(top) == 1 else f"{_fmt(top[0])}-{_fmt(top[-1])}"
    na = f"; N/A codes {', '.join(_fmt(c) for c in scale.na_codes)}" if scale.na_codes else ""
    return f"{scale} (top box {box}{na})"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Everything the importer decided, for the user to check.

    Attributes
    ----------
    source, format, detail : str
        File name, detected (or forced) format and a variant such as ``choice text``.
    encoding, delimiter : str
        How the text was read (blank for binary formats).
    header_rows : int
        Header rows above the first response.
    respondents_total, respondents_kept : int
        Responses read, and kept after screening.
    excluded : tuple of (str, int)
        Exclusions per screening rule that ran, in rule order.
    flagged : tuple of (str, int)
        Respondents kept but flagged by a switched-off judgement rule (straight-liners,
        speeders, sparse), per rule.
    screening_notes : tuple of str
        Rules that could not run, and why.
    outcomes : tuple of PairedOutcome
        The paired outcomes with their importance and satisfaction columns.
    paired_by : str
        ``statement text``, ``statement id``, ``column names`` or ``column map``.
    questions : int
        Questions found in the file.
    scale : Scale or None
        The rating scale.
    importance_labels, satisfaction_labels : LabelMap or None
        How answers became scale points on each side.
    attributes : tuple of str
        Respondent attribute columns (segments).
    ignored : tuple of (str, str)
        Columns left out of the survey, with the reason.
    columns : ColumnMap
        The role of every column (editable and passed back as an override).
    warnings : tuple of str
        Things to check.
    problem : str
        Why the file cannot be scored (set by :func:`inspect_survey` only).
    exclusions : pandas.DataFrame
        One row per excluded respondent: ``respondent_id``, ``row`` (the response's
        position in the file, 1 for the first response) and ``reason`` (a screening rule).
    flagged_respondents : pandas.DataFrame
        The same columns for the respondents flagged and kept.
    """

    source: str
    format: str
    detail: str = ""
    encoding: str = ""
    delimiter: str = ""
    header_rows: int = 0
    respondents_total: int = 0
    respondents_kept: int = 0
    excluded: tuple[tuple[str, int], ...] = field(default=())
    flagged: tuple[tuple[str, int], ...] = field(default=())
    screening_notes: tuple[str, ...] = field(default=())
    outcomes: tuple[PairedOutcome, ...] = field(default=())
    paired_by: str = ""
    questions: int = 0
    scale: Scale | None = None
    importance_labels: LabelMap | None = None
    satisfaction_labels: LabelMap | None = None
    attributes: tuple[str, ...] = field(default=())
    ignored: tuple[tuple[str, str], ...] = field(default=())
    columns: ColumnMap = field(default_factory=ColumnMap)
    warnings: tuple[str, ...] = field(default=())
    problem: str = ""
    exclusions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["respondent_id", "row", "reason"])
    )
    flagged_respondents: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["respondent_id", "row", "reason"])
    )

    @property
    def respondents_excluded(self) -> int:
        """Responses left out by screening."""
        return self.respondents_total - self.respondents_kept

    @property
    def format_label(self) -> str:
        """The format in words, e.g. ``Qualtrics export (choice text)``."""
        label = FORMAT_LABELS.get(self.format, self.format)
        return f"{label} ({self.detail})" if self.detail else label

    def exclusion_summary(self) -> str:
        """One line: kept of total and the exclusions by reason.

        Examples
        --------
        >>> ImportReport("s.csv", "wide", respondents_total=5, respondents_kept=4,
        ...              excluded=(("previews", 1), ("sparse", 0))).exclusion_summary()
        'kept 4 of 5 respondents; excluded 1: previews, tests and spam 1'
        """
        return summary_line(
            self.respondents_total, self.respondents_kept, self.excluded, self.flagged
        )

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict of the whole report."""
        return {
            "source": self.source,
            "format": self.format,
            "format_label": self.format_label,
            "detail": self.detail,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "header_rows": self.header_rows,
            "respondents": {
                "total": self.respondents_total,
                "kept": self.respondents_kept,
                "excluded": self.respondents_excluded,
                "excluded_by_reason": dict(self.excluded),
                "flagged_kept_by_reason": dict(self.flagged),
            },
            "screening_notes": list(self.screening_notes),
            "questions": self.questions,
            "paired_by": self.paired_by,
            "outcomes": [
                {
                    "outcome_id": o.outcome_id,
                    "statement": o.statement,
                    "importance_column": o.importance_column,
                    "satisfaction_column": o.satisfaction_column,
                }
                for o in self.outcomes
            ],
            "scale": str(self.scale) if self.scale else None,
            "top_box": self.scale.top_box if self.scale else None,
            "na_codes": list(self.scale.na_codes) if self.scale else [],
            "importance_labels": self.importance_labels.to_dict()
            if self.importance_labels
            else None,
            "satisfaction_labels": self.satisfaction_labels.to_dict()
            if self.satisfaction_labels
            else None,
            "attributes": list(self.attributes),
            "ignored": [{"column": c, "reason": r} for c, r in self.ignored],
            "columns": self.columns.to_dict()["columns"],
            "warnings": list(self.warnings),
            "problem": self.problem,
            "excluded_respondents": [
                {"respondent_id": str(rid), "row": int(str(row)), "reason": str(reason)}
                for rid, row, reason in zip(
                    self.exclusions["respondent_id"],
                    self.exclusions["row"],
                    self.exclusions["reason"],
                    strict=True,
                )
            ],
            "flagged_respondents": [
                {"respondent_id": str(rid), "row": int(str(row)), "reason": str(reason)}
                for rid, row, reason in zip(
                    self.flagged_respondents["respondent_id"],
                    self.flagged_respondents["row"],
                    self.flagged_respondents["reason"],
                    strict=True,
                )
            ],
        }

    def to_text(self, *, max_rows: int = 40) -> str:
        """The report as readable lines, for ``python -m odi inspect``."""
        lines = [f"file: {self.source}"]
        how = [f"{self.header_rows} header row{'s' if self.header_rows != 1 else ''}"]
        if self.encoding:
            how.append(f"encoding {self.encoding}")
        if self.delimiter:
            how.append(f"delimiter {'tab' if self.delimiter == chr(9) else repr(self.delimiter)}")
        lines.append(f"format: {self.format_label}; {', '.join(how)}")
        lines.append(f"questions found: {self.questions}")
        lines.append(f"respondents: {self.exclusion_summary()}")
        for rule, n in self.excluded:
            lines.append(f"  {REASONS.get(rule, rule)}: {n}")
        if flagged_text(self.flagged):
            lines.append(f"  {flagged_text(self.flagged)} (switch a rule on to exclude them)")
        for note in self.screening_notes:
            lines.append(f"  not checked: {note}")
        if self.problem:
            lines.append(f"cannot score: {self.problem}")
        if self.outcomes:
            lines.append(f"outcomes: {len(self.outcomes)}, paired by {self.paired_by}")
            for o in self.outcomes[:max_rows]:
                lines.append(
                    f"  {o.outcome_id}: {o.statement}  [importance: {o.importance_column}; "
                    f"satisfaction: {o.satisfaction_column}]"
                )
            if len(self.outcomes) > max_rows:
                lines.append(f"  ... and {len(self.outcomes) - max_rows} more")
        if self.scale is not None:
            lines.append(f"scale: {_describe_scale(self.scale)}")
        for side, labels in (
            ("importance", self.importance_labels),
            ("satisfaction", self.satisfaction_labels),
        ):
            if labels is None:
                continue
            shown = "; ".join(
                f"{label} = {'N/A' if value is None else _fmt(value)}"
                for label, value in labels.entries[:12]
            )
            more = f"; ... {len(labels.entries) - 12} more" if len(labels.entries) > 12 else ""
            lines.append(f"{side} labels ({labels.name or 'caller map'}): {shown}{more}")
        attrs = ", ".join(self.attributes[:max_rows])
        more = (
            f" ... and {len(self.attributes) - max_rows} more"
            if len(self.attributes) > max_rows
            else ""
        )
        lines.append(f"attributes: {attrs or 'none'}{more}")
        if self.ignored:
            reasons: dict[str, int] = {}
            for _, reason in self.ignored:
                reasons[reason] = reasons.get(reason, 0) + 1
            lines.append(
                "ignored columns: " + "; ".join(f"{n} {reason}" for reason, n in reasons.items())
            )
        if self.warnings:
            lines.append("warnings:")
            lines.extend(f"  - {w}" for w in self.warnings)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The survey read from a file and the report of how it was read (picklable)."""

    survey: Survey
    report: ImportReport
