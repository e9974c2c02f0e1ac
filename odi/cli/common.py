"""What every subcommand shares: one-line messages and writing the output file.

Kept free of heavy imports, so that :mod:`odi.cli.main` can load it for every run.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["CliError", "one_line", "write_output"]


class CliError(Exception):
    """An error to report on one line, with exit code 2."""


def one_line(message: object) -> str:
    """``message`` as one line, its runs of white space collapsed.

    Examples
    --------
    >>> one_line("a\\n  b")
    'a b'
    """
    return " ".join(str(message).split())


def write_output(path: str | Path, payload: bytes) -> None:
    """Write ``payload`` to ``path``; a failure is a ``ValueError`` naming the file."""
    try:
        Path(path).write_bytes(payload)
    except OSError as exc:
        raise ValueError(f"could not write {path} ({exc.strerror})") from None
