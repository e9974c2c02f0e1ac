"""Load a survey file into a :class:`~odi.survey.Survey`, whatever its format."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from odi.importers import ImportOptions, import_survey
from odi.importers.plain import ScaleOptions
from odi.survey import Survey

__all__ = ["load_survey", "read_file_bytes"]


def read_file_bytes(path: str | Path) -> bytes:
    """Read a file, turning OS errors into messages that say what to do.

    Examples
    --------
    >>> read_file_bytes("no/such/file.csv")
    Traceback (most recent call last):
    ...
    ValueError: no/such/file.csv does not exist; check the path
    """
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{path} does not exist; check the path")
    if p.is_dir():
        raise ValueError(f"{path} is a folder; give the path of a survey file")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise ValueError(
            f"{path} could not be read ({exc.strerror}); check its permissions"
        ) from None


def load_survey(
    data: bytes,
    *,
    source: str,
    options: ScaleOptions | ImportOptions = ScaleOptions(),
    name: str | None = None,
) -> Survey:
    """Read any supported survey file into a survey (a thin wrapper of the importer).

    Goes through :func:`odi.importers.import_survey`, so the format is detected from
    the content (Qualtrics, SurveyMonkey, Google Forms, SPSS, or a plain wide or long
    table) and the default data-quality screening runs. Use ``import_survey`` to get
    the report of what was read and excluded.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file's name, for messages.
    options : ScaleOptions or ImportOptions
        The scale, top box and N/A codes, where the caller knows them, or the full
        import options.
    name : str, optional
        Study name; defaults to the file's stem.

    Examples
    --------
    >>> s = load_survey(b"id,imp_a,sat_a\\n1,5,2\\n2,4,4\\n", source="s.csv")
    >>> s.n_respondents, s.name
    (2, 's')
    """
    if isinstance(options, ScaleOptions):
        options = ImportOptions.from_scale_options(options)
    if name is not None:
        options = replace(options, name=name)
    return import_survey(data, source=source, options=options).survey
