"""Load a survey file into a :class:`~odi.survey.Survey`, whatever its plain layout."""

from __future__ import annotations

from pathlib import Path

from odi.plain import ScaleOptions, detect_layout, frame_from_grid, long_to_survey, wide_to_survey
from odi.survey import Survey
from odi.tabular import read_grid

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
    options: ScaleOptions = ScaleOptions(),
    name: str | None = None,
) -> Survey:
    """Read a plain wide or long file (CSV, TSV, XLSX or JSON Lines) into a survey.

    Parameters
    ----------
    data : bytes
        The file's content.
    source : str
        The file's name, for messages.
    options : ScaleOptions
        The scale, top box and N/A codes, where the caller knows them.
    name : str, optional
        Study name; defaults to the file's stem.

    Examples
    --------
    >>> s = load_survey(b"id,imp_a,sat_a\\n1,5,2\\n2,4,4\\n", source="s.csv")
    >>> s.n_respondents, s.name
    (2, 's')
    """
    grid = read_grid(data, source=source)
    frame = frame_from_grid(grid.cells, source=source)
    layout = detect_layout(frame.columns)
    study = Path(source).stem if name is None else name
    if layout == "long":
        return long_to_survey(frame, source=source, options=options, name=study)
    return wide_to_survey(frame, source=source, options=options, name=study)
