"""Import real survey exports: Qualtrics, SurveyMonkey, Google Forms, SPSS and plain tables.

One entry point, :func:`import_survey`, reads any supported file (detected from its
content, never its name) into a :class:`~odi.survey.Survey` plus an
:class:`ImportReport` of everything it decided: the format, how each column was
used, how answer labels became scale points, and which respondents screening left
out and why. :func:`inspect_survey` gives the report even for a file that cannot
be scored. Every automatic decision can be overridden through
:class:`ImportOptions` (a :class:`~odi.importers.labels.LabelMap`, a :class:`ColumnMap`,
screening switches).

Examples
--------
>>> from odi.importers import ImportOptions, import_survey
>>> data = b"id,imp_a,sat_a,imp_b,sat_b\\n1,5,2,4,4\\n2,4,1,5,3\\n"
>>> result = import_survey(data, source="study.csv", options=ImportOptions(scale=(1, 5)))
>>> result.survey.n_outcomes, result.report.exclusion_summary()
(2, 'kept all 2 respondents; none excluded')
"""

from odi.importers.columns import ROLES, ColumnMap, ColumnSpec
from odi.importers.detect import detect_format
from odi.importers.labels import LabelMap
from odi.importers.options import FORMAT_LABELS, FORMATS, ImportOptions
from odi.importers.pipeline import DEFAULT_OPTIONS, import_survey, inspect_survey
from odi.importers.report import ImportReport, ImportResult, PairedOutcome
from odi.importers.screening import ScreeningOptions

__all__ = [
    "DEFAULT_OPTIONS",
    "FORMATS",
    "FORMAT_LABELS",
    "ROLES",
    "ColumnMap",
    "ColumnSpec",
    "ImportOptions",
    "ImportReport",
    "ImportResult",
    "LabelMap",
    "PairedOutcome",
    "ScreeningOptions",
    "detect_format",
    "import_survey",
    "inspect_survey",
]
