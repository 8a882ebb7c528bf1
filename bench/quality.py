"""Quality and speed on a gold set: the figures recorded in docs/quality.md.

    .venv/bin/python bench/quality.py ../shared/gold/seeds.yaml --docs examples/seeds [--markdown]

Runs the real pipeline (ingest into a fresh store) and prints, per document and overall, event
precision/recall/F1, field accuracy, incident merging, alias recall and merge precision, and
place resolution (right country, within 50 km), then throughput and peak memory. A benchmark,
not a test: it takes as long as the pipeline takes.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import time
from datetime import date
from pathlib import Path

from conflictkb.eval import evaluate, report_table
from conflictkb.readers import read


def _commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)  # noqa: S607  # git from PATH is the point
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", type=Path)
    parser.add_argument("--docs", type=Path, default=None)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown section for docs/quality.md")
    args = parser.parse_args()
    docs = args.docs or args.gold.parent
    started = time.perf_counter()
    report = evaluate(args.gold, docs)
    seconds = time.perf_counter() - started
    files = [docs / name for name in report.documents]
    characters = sum(len(read(f).text) for f in files if f.exists())
    header, rows = report_table(report)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speed = (
        f"{len(files)} documents, {characters:,} characters in {seconds:.1f} s "
        f"({len(files) / seconds:.2f} documents/s, {characters / seconds:,.0f} characters/s, models and "
        f"gazetteer loading included); peak memory {peak_mb:.0f} MB"
    )
    p, r, f1 = report.merge
    merge = f"incident merging (pairwise, across documents): P {p:.2f} R {r:.2f} F1 {f1:.2f}"
    if args.markdown:
        print(f"### {date.today().isoformat()}, commit {_commit()}\n")
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        print(f"\n{merge}\n\n{speed}\n")
        return
    width = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, width, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, width, strict=True)))
    print(merge)
    print(speed)


if __name__ == "__main__":
    main()
