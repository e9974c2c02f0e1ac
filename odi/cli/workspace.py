"""``python -m odi workspace``: list, rename, duplicate and delete studies; move one as an archive.

Uses the same database as the app (``ODI_DATABASE_URL``, else the SQLite file in the user's
data folder, or ``--database URL``). A database that cannot be reached is a one-line error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from odi.cli.common import write_output
from odi.importers.load import read_file_bytes
from odi.limits import DEFAULT_LIMITS
from odi.storage import open_workspace

__all__ = ["add_arguments"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Add the ``workspace`` actions (``list``, ``rename``, ``duplicate``, ``delete``,
    ``export``, ``import``) to its parser."""
    p.add_argument(
        "--database",
        metavar="URL",
        help="database URL (default: ODI_DATABASE_URL or the local SQLite file)",
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    actions.add_parser("list", help="list the studies").set_defaults(handler=_list)
    r = actions.add_parser("rename", help="rename a study")
    r.add_argument("study", type=int, help="the study's id (see 'workspace list')")
    r.add_argument("name", help="the new name")
    r.set_defaults(handler=_rename)
    d = actions.add_parser("duplicate", help="copy a study with its files, settings and personas")
    d.add_argument("study", type=int, help="the study's id (see 'workspace list')")
    d.add_argument("--name", help="the copy's name (default: the name with ' (copy)')")
    d.set_defaults(handler=_duplicate)
    x = actions.add_parser("delete", help="delete a study with its files and personas")
    x.add_argument("study", type=int, help="the study's id (see 'workspace list')")
    x.add_argument(
        "--yes",
        action="store_true",
        help="confirm: the study, its files and personas are deleted for good",
    )
    x.set_defaults(handler=_delete)
    e = actions.add_parser("export", help="write a study (files, settings, personas) as a zip")
    e.add_argument("study", type=int, help="the study's id (see 'workspace list')")
    e.add_argument("--output", "-o", required=True, metavar="FILE", help="the .zip to write")
    e.set_defaults(handler=_export)
    i = actions.add_parser("import", help="add a study archive to the workspace")
    i.add_argument("archive", help="a .zip written by 'workspace export' or the app")
    i.add_argument(
        "--limit",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="raise a reading limit (member_mib, inflated_mib, ratio, json_depth); see the "
        "README's Limits section",
    )
    i.set_defaults(handler=_import)


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
    write_output(args.output, data)
    print(f"wrote {args.output} ({len(data):,} bytes)", file=sys.stderr)
    return 0


def _import(args: argparse.Namespace) -> int:
    data = read_file_bytes(args.archive)
    with open_workspace(args.database) as ws:
        study = ws.import_study(data, limits=DEFAULT_LIMITS.with_overrides(args.limit))
    print(f"imported {Path(args.archive).name} as study {study.id} ({study.name})", file=sys.stderr)
    return 0


def _rename(args: argparse.Namespace) -> int:
    with open_workspace(args.database) as ws:
        old = ws.get_study(args.study).name
        study = ws.rename_study(args.study, args.name)
    print(f"renamed study {study.id} from {old} to {study.name}", file=sys.stderr)
    return 0


def _duplicate(args: argparse.Namespace) -> int:
    with open_workspace(args.database) as ws:
        study = ws.duplicate_study(args.study, name=args.name)
    print(f"copied study {args.study} as study {study.id} ({study.name})", file=sys.stderr)
    return 0


def _delete(args: argparse.Namespace) -> int:
    with open_workspace(args.database) as ws:
        study = ws.get_study(args.study)
        if not args.yes:
            raise ValueError(
                f"deleting study {study.id} ({study.name}) removes its files and personas for "
                "good; add --yes to confirm (export it first to keep a copy)"
            )
        ws.delete_study(study.id)
    print(f"deleted study {study.id} ({study.name})", file=sys.stderr)
    return 0
