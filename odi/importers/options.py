"""What the caller can say about an import: format, scale, screening and overrides."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from odi.importers.columns import ColumnMap
from odi.importers.labels import LabelMap
from odi.importers.plain import ScaleOptions
from odi.importers.screening import ScreeningOptions
from odi.limits import DEFAULT_LIMITS, Limits

__all__ = ["FORMATS", "FORMAT_LABELS", "ImportOptions"]

#: Formats the importer knows, as accepted by ``ImportOptions(format=...)``.
FORMATS: tuple[str, ...] = (
    "qualtrics",
    "qualtrics-legacy",
    "surveymonkey",
    "googleforms",
    "spss",
    "wide",
    "long",
)

#: A readable name for each format.
FORMAT_LABELS: dict[str, str] = {
    "qualtrics": "Qualtrics export",
    "qualtrics-legacy": "Qualtrics legacy export",
    "surveymonkey": "SurveyMonkey export",
    "googleforms": "Google Forms export",
    "spss": "SPSS .sav",
    "wide": "plain wide table",
    "long": "plain long table",
}

_ALIASES = {
    "auto": None,
    "": None,
    "qualtrics-csv": "qualtrics",
    "legacy": "qualtrics-legacy",
    "qualtrics_legacy": "qualtrics-legacy",
    "monkey": "surveymonkey",
    "survey-monkey": "surveymonkey",
    "google": "googleforms",
    "google-forms": "googleforms",
    "forms": "googleforms",
    "sav": "spss",
    "generic": "wide",
}


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """Settings for :func:`odi.importers.import_survey`; everything has a sensible default.

    Attributes
    ----------
    format : str or None
        Force a format from :data:`FORMATS` instead of detecting it.
    scale : tuple of int or None
        The rating scale, e.g. ``(1, 5)``; inferred from labels or answers if ``None``.
    top_box : float or None
        Lowest top-box point; the top two points by default.
    na_codes : tuple of float
        Numeric answers meaning "not applicable" (``-99`` and ``999`` always do).
    screening : ScreeningOptions
        Which data-quality rules run.
    label_map : LabelMap or None
        Replaces the built-in answer label sets for both sides.
    column_map : ColumnMap or None
        Overrides the automatic role of the columns it lists.
    name : str or None
        Study name; defaults to the file's stem.
    limits : Limits
        How large a file may be read (rows, columns, cells, zip sizes, ...); not saved
        with the study's settings.

    Examples
    --------
    >>> o = ImportOptions(format="google", scale=(1, 5))
    >>> o.format, ImportOptions.from_dict(o.to_dict()) == o
    ('googleforms', True)
    """

    format: str | None = None
    scale: tuple[int, int] | None = None
    top_box: float | None = None
    na_codes: tuple[float, ...] = ()
    screening: ScreeningOptions = field(default_factory=ScreeningOptions)
    label_map: LabelMap | None = None
    column_map: ColumnMap | None = None
    name: str | None = None
    limits: Limits = field(default=DEFAULT_LIMITS, compare=False)

    def __post_init__(self) -> None:
        if self.format is not None:
            raw = self.format.strip().casefold()
            fmt = _ALIASES.get(raw, raw)
            if fmt is not None and fmt not in FORMATS:
                raise ValueError(
                    f"format must be one of {', '.join(FORMATS)} (or auto); got {self.format!r}"
                )
            object.__setattr__(self, "format", fmt)
        if self.scale is not None:
            object.__setattr__(self, "scale", (int(self.scale[0]), int(self.scale[1])))
            if not all(abs(point) <= 1000 for point in self.scale):
                raise ValueError(f"scale must run between -1000 and 1000; got {self.scale}")
        object.__setattr__(self, "na_codes", tuple(sorted(float(c) for c in self.na_codes)))
        numbers = [*self.na_codes, *([] if self.top_box is None else [float(self.top_box)])]
        if not all(math.isfinite(v) for v in numbers):
            raise ValueError(f"top_box and na_codes must be finite numbers; got {numbers}")

    @classmethod
    def from_scale_options(cls, options: ScaleOptions, **changes: object) -> ImportOptions:
        """Import options with the scale settings of a core :class:`ScaleOptions`."""
        return cls(
            scale=options.scale,
            top_box=options.top_box,
            na_codes=tuple(options.na_codes),
            **changes,  # type: ignore[arg-type]
        )

    @property
    def scale_options(self) -> ScaleOptions:
        """The scale settings as the core's :class:`ScaleOptions`."""
        return ScaleOptions(scale=self.scale, top_box=self.top_box, na_codes=self.na_codes)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (label and column maps included)."""
        return {
            "format": self.format,
            "scale": list(self.scale) if self.scale else None,
            "top_box": self.top_box,
            "na_codes": list(self.na_codes),
            "screening": self.screening.to_dict(),
            "label_map": self.label_map.to_dict() if self.label_map else None,
            "column_map": self.column_map.to_dict() if self.column_map else None,
            "name": self.name,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ImportOptions:
        """Build from :meth:`to_dict` output; missing keys take their defaults."""
        known = {
            "format",
            "scale",
            "top_box",
            "na_codes",
            "screening",
            "label_map",
            "column_map",
            "name",
        }
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"import options must be among {sorted(known)}; got {unknown}")
        scale = data.get("scale")
        screening = data.get("screening") or {}
        label_map = data.get("label_map")
        column_map = data.get("column_map")
        top_box = data.get("top_box")
        na_codes = data.get("na_codes") or ()
        return cls(
            format=str(data["format"]) if data.get("format") else None,
            scale=(int(scale[0]), int(scale[1])) if isinstance(scale, (list, tuple)) else None,
            top_box=float(top_box) if isinstance(top_box, (int, float, str)) else None,
            na_codes=tuple(float(c) for c in na_codes)
            if isinstance(na_codes, (list, tuple))
            else (),
            screening=ScreeningOptions.from_dict(dict(screening))
            if isinstance(screening, Mapping)
            else ScreeningOptions(),
            label_map=LabelMap.from_dict(label_map) if isinstance(label_map, Mapping) else None,
            column_map=ColumnMap.from_dict(column_map) if isinstance(column_map, Mapping) else None,
            name=str(data["name"]) if data.get("name") else None,
        )
