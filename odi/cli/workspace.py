"""``python -m odi workspace``: list the workspace's studies, and move a study as an archive.

Uses the same database as the app (``ODI_DATABASE_URL``, else the SQLite file in the user's
data folder, or ``--database URL``). A database that cannot be reached is a one-line error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from odi.importers.load import read_file_bytes
from odi.storage import open_workspace

__all__ = ["add_workspace_parser"]


def add_workspace_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``workspace`` subcommand (``list``, ``export``, ``import``)."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "workspace", help="list studies, export a study as an archive, import an archive"
    )
    p.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: ODI_DATABASE_URL or the local SQLite file)",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    actions.add_parser("list", help="list the studies").set_defaults(handler=_list)
    e = actions.add_parser("export", help="write a study (files, settings, personas) as a zip")
    e.add_argument("study", type=int, help="the study's id (see 'workspace list')")
    e.add_argument("--output", "-o", required=True, metavar="FILE", help="the .zip to write")
    e.set_defaults(handler=_export)
    i = actions.add_parser("import", help="add a study archive to the workspace")
    i.add_argument("archive", help="a .zip written by 'workspace export' or the app")
    i.set_defaults(handler=_import)
    return p


def _list(args: argparse.Namespace) -> int:
    with open_workspace(args.database) as ws:
        print("id\tname\tfiles\tpersonas\tupdated")
        for s in ws.list_studies():
            files = len(ws.list_files(s.id))
            personas = len(ws.list_personas(s.id))
            print(f"{s.id}\t{s.name}\t{files}\t{personas}\t{s.updated_at:%Y-%m-%d %H:%M}")
    return 0


def _export(args: argparse.Namespace) -> int:
    with open_workspace(args.database) as ws:
        data = ws.export_study(args.study)
    try:
        Path(args.output).write_bytes(data)
    except OSError as exc:
        raise ValueError(f"could not write {args.output} ({exc.strerror})") from None
    print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    data = read_file_bytes(args.archive)
    with open_workspace(args.database) as ws:
        study = ws.import_study(data)
    print(f"imported {Path(args.archive).name} as study {study.id} ({study.name})", file=sys.stderr)
    return 0
