"""The ``python -m odi`` command line: a thin router over one module per subcommand.

- ``score PATH``: import any supported export (see :mod:`odi.importers`), screen it,
  score every outcome; the exclusions go to stderr as one ``screening:`` line.
- ``inspect PATH [--json]``: how the file would be imported (format, columns, labels,
  screening), also for a file that cannot be scored.
- ``export PATH --format FORMAT --output FILE``: persona cards, unmet-needs lists, decks and
  score tables (see :mod:`odi.cli.export`).
- ``workspace list|export|import``: the app's studies (see :mod:`odi.cli.workspace`).
- ``lint PATH``: check outcome statements (see :mod:`odi.cli.lint`).
- ``instrument PATH --format FORMAT --output PATH``: the questionnaire (see
  :mod:`odi.cli.instrument`).
- ``compare WAVE1 WAVE2``: two waves side by side (see :mod:`odi.cli.compare`).
- ``segment PATH [--k K] [--seed S] [--output FILE] [--json]``: needs-based segmentation
  (see :mod:`odi.cli.segment`); ``score --segments FILE`` reads its assignment back as an
  attribute for ``--by`` and ``--where``.

``score``, ``inspect``, ``export``, ``compare`` and ``segment`` take the import options
(:mod:`odi.cli.options`: ``--format`` (``--input-format`` for export), ``--scale``,
``--top-box``, ``--na-codes``, ``--label-map``, ``--column-map``, ``--keep-RULE``,
``--no-screen``). Every failure ends with exit code 2 and one line on stderr that begins
``error:``.

Adding a subcommand: write ``odi/cli/NAME.py`` with ``add_arguments(parser)`` (add the
options, then ``parser.set_defaults(handler=run)`` where ``run(args) -> int``) and add one
line to :data:`COMMANDS`. Only the module of the subcommand being run is imported, so
``score`` never loads storage, charts or the persona exports.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import tempfile
import traceback
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import NoReturn

from odi.cli.common import CliError, one_line

__all__ = ["COMMANDS", "build_parser", "main"]

#: Subcommand -> (its module, one line of help). Each module defines ``add_arguments(parser)``.
COMMANDS: dict[str, tuple[str, str]] = {
    "score": ("odi.cli.score", "score every outcome of a survey"),
    "inspect": (
        "odi.cli.inspect",
        "show how a file would be imported: format, columns, labels, screening",
    ),
    "export": ("odi.cli.export", "write persona cards, unmet-needs lists, decks and score tables"),
    "workspace": (
        "odi.cli.workspace",
        "list, rename, duplicate or delete studies; export or import a study archive",
    ),
    "lint": (
        "odi.cli.lint",
        "check outcome statements (direction, metric, one object, no solution, ...)",
    ),
    "instrument": (
        "odi.cli.instrument",
        "write the questionnaire for Qualtrics, Google Forms or print",
    ),
    "compare": (
        "odi.cli.compare",
        "compare two waves: I, S, O per outcome, the change and adjusted tests",
    ),
    "segment": ("odi.cli.segment", "find needs-based segments: k search, stability, profiles"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see 'python -m {self.prog} --help')")


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser, with the options of ``commands`` (default: every subcommand).

    The other subcommands are listed with their help, but their modules are not imported.

    Examples
    --------
    >>> args = build_parser(["inspect"]).parse_args(["inspect", "study.csv", "--json"])
    >>> args.command, args.json
    ('inspect', True)
    """
    chosen = set(COMMANDS if commands is None else commands)
    parser = _Parser(prog="odi", description="ODI Workbench: opportunity scores from surveys.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (module, help_text) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        if name in chosen:
            importlib.import_module(module).add_arguments(p)
    return parser


def _command(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv``: its first word that is not an option."""
    return next((arg for arg in argv if not arg.startswith("-")), None)


def _log_unexpected(exc: BaseException) -> str:
    """Write the traceback of an unexpected error to a log file; return its path."""
    try:
        fd, path = tempfile.mkstemp(prefix="odi-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as log:
            log.write("".join(traceback.format_exception(exc)))
    except OSError:
        return ""
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit code (0 success, 2 any error).

    This is the command line's one error boundary: expected failures (``ValueError`` and
    its kinds: unreadable files, limits, storage errors) are one line naming the file and
    what to do; anything else is "this file could not be read", with the traceback
    written to a log file whose path the line gives.
    """
    args: argparse.Namespace | None = None
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        command = _command(argv)
        parser = build_parser([command] if command in COMMANDS else [])
        args = parser.parse_args(argv)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except (CliError, ValueError) as exc:
        print(f"error: {one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:
        print("error: not enough memory to read this file; try a smaller export", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except Exception as exc:  # never show a traceback to a user
        path = getattr(args, "path", None) or getattr(args, "archive", None)
        name = Path(path).name if path else "the input"
        log = _log_unexpected(exc)
        print(
            f"error: {name} could not be read: {type(exc).__name__}: {one_line(exc)[:200]}"
            f"{f' (details in {log})' if log else ''}. Please report this with the file",
            file=sys.stderr,
        )
        return 2
