"""Time importing a large Qualtrics choice-text export against pandas' fastest CSV read.

The case issue 3 asks for: a 100,000-respondent x 150-outcome Qualtrics export in
"choice text" mode (3 header rows, 17 metadata columns, an importance and a
satisfaction matrix of answer labels with blanks and N/A answers, a few previews and
unfinished responses, a display-order column per statement, two segment questions).
It is written to a temporary folder, then, in the same run:

- **odi**: ``odi.importers.import_survey(path.read_bytes(), ...)``, the whole import
  (detection, header parsing, label mapping, screening, building the Survey);
- **baseline**: ``pandas.read_csv(path, engine="pyarrow")``, which only parses the
  file into string columns.

Each measurement runs in a fresh process, so the peak memory (the process's peak
resident set size above what it held before, from ``/proc``) is its own. The best
of ``repeats`` runs is reported, and the ratio odi / baseline (issue 3 aims for at
most 2x).

Run ``python benchmarks/bench_import.py`` (``--quick`` for 20,000 respondents), or
call :func:`run` and :func:`report` (``benchmarks/run.py`` calls :func:`main_report`).
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

IMPORTANCE = (
    "Not at all important",
    "Slightly important",
    "Moderately important",
    "Very important",
    "Extremely important",
)
SATISFACTION = (
    "Extremely dissatisfied",
    "Somewhat dissatisfied",
    "Neither satisfied nor dissatisfied",
    "Somewhat satisfied",
    "Extremely satisfied",
)
METADATA = (
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
)


@dataclass(frozen=True)
class ImportBenchmark:
    """The numbers of one benchmark run."""

    respondents: int
    outcomes: int
    file_mib: float
    seconds: float
    peak_mib: float
    baseline_seconds: float
    baseline_peak_mib: float
    respondents_kept: int

    @property
    def ratio(self) -> float:
        """odi time / baseline time (the aim is at most 2)."""
        return self.seconds / self.baseline_seconds

    def as_dict(self) -> dict[str, float]:
        """The numbers as a plain dict."""
        return {
            "respondents": self.respondents,
            "outcomes": self.outcomes,
            "file_mib": self.file_mib,
            "seconds": self.seconds,
            "peak_mib": self.peak_mib,
            "baseline_seconds": self.baseline_seconds,
            "baseline_peak_mib": self.baseline_peak_mib,
            "ratio": self.ratio,
            "respondents_kept": self.respondents_kept,
        }


def write_qualtrics_export(
    path: Path, *, respondents: int = 100_000, outcomes: int = 150, seed: int = 0
) -> Path:
    """Write a Qualtrics choice-text export shaped like the real ones (CRLF, 3 header rows).

    Matrix Q1 asks importance and Q2 satisfaction, over the same statements in a
    different order. About 3% of answers are blank and 1% are "Don't know"; 1% of the
    responses are previews and 1% unfinished.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    n, k = respondents, outcomes
    statements = [
        f"Minimize the time it takes to complete step {i + 1} of the job" for i in range(k)
    ]
    sat_order = rng.permutation(k)
    names: list[str] = [m[0] for m in METADATA]
    texts: list[str] = [m[1] for m in METADATA]
    ids: list[str] = [f'{{"ImportId":"{m[2]}"}}' for m in METADATA]
    q_imp = "How important is each of the following to you when you do the job?"
    q_sat = "How satisfied are you with how well you can do each of the following today?"
    for i in range(k):
        names.append(f"Q1_{i + 1}")
        texts.append(f"{q_imp} - {statements[i]}")
        ids.append(f'{{"ImportId":"QID1_{i + 1}"}}')
    for i in sat_order:
        names.append(f"Q2_{i + 1}")
        texts.append(f"{q_sat} - {statements[i]}")
        ids.append(f'{{"ImportId":"QID2_{i + 1}"}}')
    names += ["Q3", "Q4", "Q1_DO", "SolutionRevision"]
    texts += [
        "What is your role?",
        "How many employees does your company have?",
        f"{q_imp} - Display Order",
        "SolutionRevision",
    ]
    ids += [
        '{"ImportId":"QID3"}',
        '{"ImportId":"QID4"}',
        '{"ImportId":"QID1_DO"}',
        '{"ImportId":"SolutionRevision"}',
    ]
    header = io.StringIO()
    writer = csv.writer(header, lineterminator="\r\n")
    for row in (names, texts, ids):
        writer.writerow(row)

    def labels(options: tuple[str, ...]) -> pa.Array:
        codes = rng.choice(
            len(options) + 2, size=n, p=[0.96 / len(options)] * len(options) + [0.03, 0.01]
        )
        dictionary = pa.array([*options, "", "Don't know"])
        return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int8)), dictionary).cast(
            pa.string()
        )

    status = np.where(rng.random(n) < 0.01, "Survey Preview", "IP Address")
    finished = np.where(rng.random(n) < 0.01, "False", "True")
    columns: dict[str, pa.Array] = {
        "StartDate": pa.array(np.full(n, "2026-11-02 09:14:03")),
        "EndDate": pa.array(np.full(n, "2026-11-02 09:31:40")),
        "Status": pa.array(status),
        "IPAddress": pa.array(np.full(n, "203.0.113.7")),
        "Progress": pa.array(np.where(finished == "True", "100", "63")),
        "Duration (in seconds)": pa.array(rng.integers(300, 1800, n).astype(str)),
        "Finished": pa.array(finished),
        "RecordedDate": pa.array(np.full(n, "2026-11-02 09:31:41")),
        "ResponseId": pa.array(np.char.add("R_", np.arange(n).astype(str))),
    }
    for name, _, _ in METADATA[9:]:
        columns[name] = pa.array(np.full(n, ""))
    columns["LocationLatitude"] = pa.array(np.full(n, "40.7128"))
    columns["LocationLongitude"] = pa.array(np.full(n, "-74.0060"))
    columns["DistributionChannel"] = pa.array(np.full(n, "anonymous"))
    columns["UserLanguage"] = pa.array(np.full(n, "EN"))
    for i in range(k):
        columns[f"Q1_{i + 1}"] = labels(IMPORTANCE)
    for i in sat_order:
        columns[f"Q2_{i + 1}"] = labels(SATISFACTION)
    columns["Q3"] = pa.array(rng.choice(["Marketing Manager", "Sales Director", "Analyst"], n))
    columns["Q4"] = pa.array(rng.choice(["1-49", "50-999", "1000+"], n))
    columns["Q1_DO"] = pa.array(np.full(n, "1|2|3"))
    columns["SolutionRevision"] = pa.array(np.full(n, "12"))
    table = pa.table({f"c{j}": columns[name] for j, name in enumerate(names)})
    with path.open("wb") as out:
        out.write(header.getvalue().encode("utf-8"))
        pacsv.write_csv(
            table,
            out,
            write_options=pacsv.WriteOptions(
                include_header=False, quoting_style="none", eol="\r\n"
            ),
        )
    return path


def _rss_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _measure(task: str, path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """In a fresh process: reset the peak RSS, run one task, report time and peak."""
    import pandas as pd

    from odi.importers import import_survey

    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset the peak resident set size (Linux >= 4.0)
        before = _rss_kib("VmRSS:")
    except OSError:
        before = 0
    start = time.perf_counter()
    if task == "odi":
        result = import_survey(Path(path).read_bytes(), source=Path(path).name)
        kept = result.survey.n_respondents
    else:
        frame = pd.read_csv(path, engine="pyarrow")
        kept = len(frame)
    seconds = time.perf_counter() - start
    peak = max(_rss_kib("VmHWM:") - before, 0) / 1024 if before else float("nan")
    queue.put((seconds, peak, kept))


def _in_process(task: str, path: Path) -> tuple[float, float, int]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    proc = context.Process(target=_measure, args=(task, str(path), queue))
    proc.start()
    while True:
        try:
            result = queue.get(timeout=1)
            break
        except Empty:
            if not proc.is_alive():
                raise RuntimeError(
                    f"the {task} measurement process died (exit code {proc.exitcode})"
                ) from None
    proc.join()
    return result  # type: ignore[no-any-return]


def run(
    *, respondents: int = 100_000, outcomes: int = 150, repeats: int = 2, seed: int = 0
) -> ImportBenchmark:
    """Generate the export in a temporary folder and time both readers on it."""
    with tempfile.TemporaryDirectory(prefix="odi-bench-import-") as tmp:
        path = write_qualtrics_export(
            Path(tmp) / "qualtrics_export.csv",
            respondents=respondents,
            outcomes=outcomes,
            seed=seed,
        )
        size = path.stat().st_size / 2**20
        ours = [_in_process("odi", path) for _ in range(repeats)]
        base = [_in_process("baseline", path) for _ in range(repeats)]
    return ImportBenchmark(
        respondents=respondents,
        outcomes=outcomes,
        file_mib=size,
        seconds=min(r[0] for r in ours),
        peak_mib=max(r[1] for r in ours),
        baseline_seconds=min(r[0] for r in base),
        baseline_peak_mib=max(r[1] for r in base),
        respondents_kept=ours[0][2],
    )


def report(result: ImportBenchmark) -> str:
    """A small Markdown table of the run."""
    r = result
    return "\n".join(
        [
            f"Qualtrics choice-text export: {r.respondents:,} respondents x {r.outcomes} "
            f"outcomes, {r.file_mib:,.0f} MiB, {os.cpu_count()} CPU(s)",
            "",
            "| reader | time (s) | peak memory (MiB) |",
            "| --- | ---: | ---: |",
            f"| odi import_survey (full import) | {r.seconds:.2f} | {r.peak_mib:,.0f} |",
            f"| pandas.read_csv(engine='pyarrow') | {r.baseline_seconds:.2f} | "
            f"{r.baseline_peak_mib:,.0f} |",
            "",
            f"ratio odi / pandas: {r.ratio:.2f}x (aim: at most 2x); respondents kept after "
            f"screening: {r.respondents_kept:,}",
        ]
    )


def main_report(*, quick: bool = False) -> str:
    """Run and report; ``quick`` uses 20,000 respondents and one repeat."""
    if quick:
        return report(run(respondents=20_000, repeats=1))
    return report(run())


if __name__ == "__main__":
    print(main_report(quick="--quick" in sys.argv))
