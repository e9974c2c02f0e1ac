"""Hostile and huge inputs of issue 12 at full size: each is refused or read within 1.5 GiB
of peak memory and 30 s, with one line on stderr; the largest real-world files still import.

Each case is written to a temporary folder, then run through the CLI
(``python -m odi inspect`` or ``workspace import``) in a fresh process; the process's peak
resident set size is its own ``VmHWM``, written at exit (``wait4``'s ``ru_maxrss`` would also
count the parent's memory at the fork, which after the other benchmarks is gigabytes), and
the time is wall-clock. Cases:

- the 1.6 MB xlsx whose shared strings inflate to 1.5 GiB;
- the ~200 KB study archive listing one 190 MiB member 60 times;
- a 3,000,000-row xlsx (7 MB: every row numbered, so the ratio limit does not stop it and the
  row count must) with no declared dimension;
- 20,000 columns (CSV), refused by the column limit;
- acceptance side: the 100,000 x 150 Qualtrics export of ``bench_import`` (321
  columns) and a 10,000 x 150 Qualtrics-shaped xlsx, both imported and scored.

Run ``python benchmarks/bench_hostile.py`` (``--quick`` skips the two large accepted files).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.hostile import files  # noqa: E402

GIB = 1 << 30


@dataclass(frozen=True)
class Run:
    """One case: the file, what the CLI said, its peak memory and time."""

    case: str
    file_bytes: int
    exit_code: int
    stderr: str
    peak_mib: float
    seconds: float
    cpu_seconds: float

    @property
    def ok(self) -> bool:
        """Hostile: refused or read in one line within 1.5 GiB and 30 s; real: imported."""
        if self.case.startswith("accept"):
            return self.exit_code == 0
        lines = self.stderr.strip().splitlines()
        one_line = self.exit_code == 0 or (len(lines) == 1 and lines[0].startswith("error:"))
        return (
            one_line
            and "unexpected" not in self.stderr
            and self.peak_mib * (1 << 20) < 1.5 * GIB
            and self.seconds < 30
        )


#: Runs ``python -m odi`` and, at exit, writes the process's peak resident set (``VmHWM``,
#: of its own memory since ``exec``) in KiB to the file named by its first argument.
_PEAK_WRAPPER = """
import atexit, runpy, sys
out = sys.argv.pop(1)
def peak():
    with open("/proc/self/status") as status, open(out, "w") as f:
        f.write(next(line for line in status if line.startswith("VmHWM")).split()[1])
atexit.register(peak)
sys.argv[0] = "odi"
runpy.run_module("odi", run_name="__main__", alter_sys=True)
"""


def measure(case: str, path: Path, args: list[str]) -> Run:
    """Run ``python -m odi ARGS`` in a fresh process; its own peak RSS and CPU time."""
    peak_file = path.with_name(f"{path.name}.peak")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", _PEAK_WRAPPER, str(peak_file), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    size = path.stat().st_size
    peak_mib = int(peak_file.read_text()) / 1024
    return Run(case, size, proc.returncode, stderr, peak_mib, seconds, cpu)


def _qualtrics_xlsx(path: Path, respondents: int) -> Path:
    """The bench_import Qualtrics export, saved as xlsx (what Qualtrics' Excel export gives)."""
    import openpyxl
    import pyarrow.csv as pacsv
    from bench_import import write_qualtrics_export

    csv_path = write_qualtrics_export(path.with_suffix(".csv"), respondents=respondents)
    table = pacsv.read_csv(csv_path, read_options=pacsv.ReadOptions(autogenerate_column_names=True))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for batch in table.to_batches(10_000):
        for row in zip(*(c.to_pylist() for c in batch.columns), strict=True):
            sheet.append(row)
    book.save(path)
    csv_path.unlink()
    return path


def run(*, quick: bool = False) -> list[Run]:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = f"sqlite:///{folder / 'w.db'}"

        bomb = folder / "bomb.xlsx"
        bomb.write_bytes(files.xlsx_string_bomb(1_536))
        runs.append(measure("xlsx bomb (1.5 GiB shared strings)", bomb, ["inspect", str(bomb)]))

        archive = folder / "bomb.zip"
        archive.write_bytes(files.archive_bomb(190, listed=60))
        runs.append(
            measure(
                "archive bomb (190 MiB x 60)",
                archive,
                ["workspace", "--database", db, "import", str(archive)],
            )
        )

        rows = folder / "rows.xlsx"
        rows.write_bytes(files.xlsx_many_rows(3_000_000))
        runs.append(measure("xlsx of 3,000,000 rows", rows, ["inspect", str(rows)]))

        wide = folder / "wide.csv"
        wide.write_bytes(
            (",".join(f"imp_{i}" for i in range(20_000)) + "\n").encode()
            + (",".join("3" for _ in range(20_000)) + "\n").encode() * 50
        )
        runs.append(measure("CSV of 20,000 columns", wide, ["inspect", str(wide)]))

        if not quick:
            from bench_import import write_qualtrics_export

            big = write_qualtrics_export(folder / "qualtrics_100k.csv", respondents=100_000)
            runs.append(
                measure(
                    "accept: Qualtrics CSV 100,000 x 150",
                    big,
                    ["score", str(big), "--bootstrap", "0"],
                )
            )
            big.unlink()
            book = _qualtrics_xlsx(folder / "qualtrics_10k.xlsx", 10_000)
            runs.append(
                measure(
                    "accept: Qualtrics XLSX 10,000 x 150",
                    book,
                    ["score", str(book), "--bootstrap", "0"],
                )
            )
    return runs


def report(runs: list[Run]) -> str:
    lines = [
        "| case | file | exit | peak MiB | seconds | CPU s | ok (hostile: one line within "
        "1.5 GiB and 30 s; accept: imported) | stderr |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in runs:
        message = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
        lines.append(
            f"| {r.case} | {r.file_bytes / 1e6:,.2f} MB | {r.exit_code} | {r.peak_mib:,.0f} | "
            f"{r.seconds:,.1f} | {r.cpu_seconds:,.1f} | {'yes' if r.ok else 'NO'} | "
            f"{message[:140]} |"
        )
    return "\n".join(lines)


def main_report(*, quick: bool = False) -> str:
    return report(run(quick=quick))


if __name__ == "__main__":
    print(main_report(quick="--quick" in sys.argv))
