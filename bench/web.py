"""Latency of the workbench's pages on a large knowledge base: the figures recorded in docs/web.md.

    CONFLICTKB_CACHE_DIR=/tmp/ckcache .venv/bin/python bench/web.py [--docs 10000] [--db PATH] [--requests 40]

Builds (once; it is kept at --db and reused) a knowledge base of --docs documents synthesised
from the sample corpus's extracted facts: the five seed documents go through the real pipeline
once, then each synthetic document is a seed's text with a distinct suffix (a distinct id) and
its facts varied (event dates shifted by whole years, tolls varied, places drawn from 3,000
points around the seeds' places, a fifth of the events reporting an incident already reported,
sometimes with another toll, so that sources disagree),
written with conflictkb.store.writer as ingest writes them. Then serves it with uvicorn on
127.0.0.1 and asks every page --requests times (ids drawn at random per request), one request at
a time, and prints p50, p95 and the slowest per page. A benchmark, not a test.

    .venv/bin/python bench/web.py --load 2000 [--concurrency 8] [--docs N | --db PATH]

instead runs ``conflictkb serve`` as its own process and sends it 2,000 GETs of every page, 8 at
a time: the statuses, whether any said "database is locked", throughput, latency and the server's
resident memory before and after (issue 9; figures in docs/reliability.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.model import Document, DocumentFacts, Event, Place, Relation
from conflictkb.readers import read
from conflictkb.store import Store, writer
from conflictkb.store.event_queries import EventFilter

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
TARGET_P95_MS = 300.0
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _shift(value: str | None, years: int) -> str | None:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) moved by whole years; other text unchanged."""
    if not value or not value[:4].isdigit():
        return value
    return f"{int(value[:4]) + years:04d}{value[4:]}"


def _places(seeds: list[DocumentFacts], rng: random.Random, n: int = 3000) -> list[Place]:
    """``n`` distinct points around the seeds' places (within about a degree): a corpus of this
    size names a few thousand places, each event at one of them."""
    base = [e.place for f in seeds for e in f.events if e.place and e.place.lat is not None and e.place.lon is not None]
    out = []
    for _ in range(n):
        place = rng.choice(base)
        assert place.lat is not None and place.lon is not None
        lat, lon = place.lat + rng.uniform(-1, 1), place.lon + rng.uniform(-1, 1)
        out.append(dataclasses.replace(place, lat=round(lat, 4), lon=round(lon, 4)))
    return out


def _vary_place(place: Place | None, rng: random.Random, pool: list[Place]) -> Place | None:
    if place is None or place.lat is None or place.lon is None:
        return place
    return rng.choice(pool)


def _variant(facts: DocumentFacts, k: int, rng: random.Random, pool: list[Place]) -> DocumentFacts:
    """Copy ``k`` of one seed document's facts: a new id and name, dates, tolls and places varied."""
    years = rng.randint(-12, 10)
    doc = facts.document
    suffix = f"\n\n[synthetic copy {k}]\n"
    text = doc.text + suffix
    document = Document(
        id=f"{k:08x}{doc.id[8:56]}{rng.getrandbits(32):08x}",
        path=f"/bench/synthetic-{k:05d}-{doc.name}",
        format=doc.format,
        text=text,
        title=f"{doc.title or doc.name} (copy {k})",
        published=_shift(doc.published, years),
        published_basis=doc.published_basis,
        encoding=doc.encoding,
        n_bytes=len(text.encode()),
    )
    events: list[Event] = []
    for event in facts.events:
        killed = event.killed
        if killed is not None and rng.random() < 0.3:
            killed = max(0, killed + rng.randint(-3, 5))
        events.append(
            dataclasses.replace(
                event,
                date=_shift(event.date, years),
                killed=killed,
                place=_vary_place(event.place, rng, pool),
                spans=dict(event.spans),
                perpetrators=list(event.perpetrators),
            )
        )
    relations: list[Relation] = [dataclasses.replace(r, date=_shift(r.date, years)) for r in facts.relations]
    return dataclasses.replace(facts, document=document, events=events, relations=relations)


def build(db: Path, n_docs: int, seed: int = 7) -> None:
    """Write ``n_docs`` synthetic documents into a fresh store at ``db``."""
    extractor = Extractor.load()
    seeds = [extractor(read(path)) for path in sorted(SEEDS.glob("*.txt"))]
    rng = random.Random(seed)  # noqa: S311  # reproducible variation, not secrecy
    pool = _places(seeds, rng)
    partial = db.with_suffix(".building")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    with Store(partial) as store:
        entity_ids: dict[tuple[str, str], int] = {}
        previous: dict[tuple[int, str], int] = {}  # (seed, local event id) -> the incident of the last copy
        for k in range(n_docs):
            which = k % len(seeds)
            facts = _variant(seeds[which], k, rng, pool)
            if k % 200 == 0:
                store.conn.execute("BEGIN IMMEDIATE")
            local: dict[str, int] = {}
            for entity in facts.entities:
                key = (entity.name, entity.kind)
                if key not in entity_ids:
                    entity_ids[key] = writer.create_entity(store, entity.name, entity.kind, entity.ref)
                local[entity.id] = entity_ids[key]
            incidents: dict[str, int] = {}
            for event in facts.events:
                earlier = previous.get((which, event.id))
                if earlier is not None and rng.random() < 0.2:
                    incidents[event.id] = earlier
                else:
                    incidents[event.id] = writer.create_incident(store)
                previous[(which, event.id)] = incidents[event.id]
            writer.insert_facts(store, facts, local, incidents)
            writer.point_source(store, facts.document.path, facts.document.id)
            writer.record_file(store, facts.document.path, "ingested", None, facts.document.id)
            if k % 200 == 199 or k == n_docs - 1:
                store.conn.execute("COMMIT")
            if k % 1000 == 999:
                print(f"  {k + 1} documents written ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        store.conn.execute("PRAGMA optimize")
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(db)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pages(kb: KnowledgeBase, rng: random.Random) -> dict[str, list[str]]:
    """For each page, the paths to ask (ids drawn at random)."""
    events = [r["id"] for r in kb.event_page(EventFilter(), limit=5000)[0]]
    docs = [d["id"] for d in kb.document_list(limit=5000)[0]]
    actors = [a["id"] for a in kb.top_actors(None, 30)]
    entities = [e["id"] for e in kb.entity_list(limit=2000)[0]]
    n = 400
    counts = kb.counts()
    last = {k: max(1, -(-counts[k] // 50)) for k in ("events", "documents", "entities")}  # pages of 50

    def pick(values: list[object], template: str) -> list[str]:
        return [template.format(rng.choice(values)) for _ in range(n)]

    return {
        "overview /": ["/"],
        "search ?q=Tashkent": ["/search?q=Tashkent"],
        "search ?q=IMU bombing": ["/search?q=IMU+bombing"],
        "events (first page)": ["/events"],
        "events filtered (type, country, dates)": ["/events?type=armed_assault&country=UZ&from=1995&to=2005"],
        "events ?actor=IMU": ["/events?actor=IMU"],
        "events ?conflicting=1": ["/events?conflicting=1"],
        "events sorted by toll, page 100": [f"/events?sort=killed&dir=desc&page={min(100, last['events'])}"],
        "event page": pick(events, "/events/{}"),
        "actor profile (most active)": pick(actors[:3], "/entities/{}"),
        "entity profile (any)": pick(entities, "/entities/{}"),
        "actors list": ["/entities", "/entities?kind=armed_group", f"/entities?page={min(20, last['entities'])}"],
        "documents list": ["/documents", f"/documents?page={min(100, last['documents'])}"],
        "document reader": pick(docs, "/documents/{}"),
        "map page": ["/map"],
        "map data /api/map.json": ["/api/map.json", "/api/map.json?type=armed_assault"],
        "network page": ["/network"],
        "network data /api/network.json": ["/api/network.json", "/api/network.json?from=1995&to=2005"],
    }


def measure(db: Path, requests: int, seed: int = 11) -> list[tuple[str, float, float, float, float, int]]:
    import uvicorn

    from conflictkb.web.app import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(seed)  # noqa: S311  # reproducible variation, not secrecy
    kb = KnowledgeBase(db)
    try:
        pages = _pages(kb, rng)
    finally:
        kb.close()
    results = []
    try:
        for name, paths in pages.items():
            cold = 0.0
            for path in paths[:2]:  # warm the page cache and the code path; the first is the cold figure
                t0 = time.perf_counter()
                with OPENER.open(base + path, timeout=60) as resp:
                    resp.read()
                cold = cold or (time.perf_counter() - t0) * 1000
            times, size = [], 0
            for i in range(requests):
                path = paths[i % len(paths)] if len(paths) < requests else rng.choice(paths)
                t0 = time.perf_counter()
                with OPENER.open(base + path, timeout=60) as resp:
                    body = resp.read()
                    assert resp.status == 200, (path, resp.status)
                times.append((time.perf_counter() - t0) * 1000)
                size = max(size, len(body))
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            results.append((name, cold, statistics.median(times), p95, times[-1], size))
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    return results


@contextmanager
def serve_process(db: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``conflictkb serve`` over ``db`` in its own process (its memory is its own)."""
    port = _free_port()
    command = [sys.executable, "-m", "conflictkb.cli", "serve", "--db", str(db), "--port", str(port)]
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, cwd=ROOT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # an older store is migrated first
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"conflictkb serve exited with {proc.returncode}")
            try:
                with OPENER.open(base + "/static/style.css", timeout=5) as resp:
                    resp.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("conflictkb serve did not answer") from None
                time.sleep(0.2)
        yield base, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _rss_mb(pid: int) -> tuple[float, float]:
    """Resident memory now and at its peak (MiB), from /proc."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    values = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.M))
    return int(values["VmRSS"]) / 1024, int(values["VmHWM"]) / 1024


def _get(base: str, path: str) -> tuple[int, float, bool]:
    """Status, milliseconds, and whether the body says the database was locked."""
    t0 = time.perf_counter()
    try:
        with OPENER.open(base + path, timeout=120) as resp:
            status, body = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read()
    return status, (time.perf_counter() - t0) * 1000, b"database is locked" in body


def load(db: Path, requests: int, concurrency: int, seed: int = 13) -> dict[str, Any]:
    """``requests`` GETs of every page (ids drawn at random), ``concurrency`` at a time, to
    ``conflictkb serve``: statuses, latency, throughput and the server's memory."""
    rng = random.Random(seed)  # noqa: S311  # reproducible variation, not secrecy
    kb = KnowledgeBase(db)
    try:
        pages = _pages(kb, rng)
    finally:
        kb.close()
    paths = [rng.choice(rng.choice(list(pages.values()))) for _ in range(requests)]
    with serve_process(db) as (base, proc):
        for path in [p for ps in pages.values() for p in ps[:1]]:  # warm every page once
            _get(base, path)
        warm, _ = _rss_mb(proc.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            results = list(pool.map(lambda p: _get(base, p), paths))
        elapsed = time.perf_counter() - started
        after, peak = _rss_mb(proc.pid)
    times = sorted(ms for _, ms, _ in results)
    return {
        "requests": requests,
        "concurrency": concurrency,
        "statuses": dict(Counter(status for status, _, _ in results)),
        "locked": sum(1 for *_, locked in results if locked),
        "seconds": elapsed,
        "per_second": requests / elapsed,
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "max": times[-1],
        "rss_warm": warm,
        "rss_after": after,
        "rss_peak": peak,
    }


def print_load(db: Path, docs: int, figures: dict[str, Any]) -> None:
    print(f"## Load ({date.today().isoformat()}, {docs} documents, {db.stat().st_size / 2**20:.0f} MiB store)\n")
    n, at_once = figures["requests"], figures["concurrency"]
    print(f"{n:,} GETs of every page, {at_once} at a time, to `conflictkb serve` on 127.0.0.1:")
    print(f"statuses {figures['statuses']}, 'database is locked' {figures['locked']} times;")
    print(
        f"{figures['seconds']:.0f} s ({figures['per_second']:.1f} requests/s), latency p50 {figures['p50']:.0f} ms, "
        f"p95 {figures['p95']:.0f} ms, max {figures['max']:.0f} ms;"
    )
    print(
        f"server memory {figures['rss_warm']:.0f} MiB warm, {figures['rss_after']:.0f} MiB after, "
        f"peak {figures['rss_peak']:.0f} MiB."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=None, help="where the synthetic store is kept (built if missing)")
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    parser.add_argument("--load", type=int, default=0, help="instead: this many requests, --concurrency at a time")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"conflictkb-bench-web-{args.docs}.sqlite"
    if not db.exists():
        print(f"building {db} ({args.docs} documents)…", file=sys.stderr)
        t0 = time.perf_counter()
        build(db, args.docs)
        print(f"built in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    Store(db).close()  # an older store is migrated once, here, not timed
    kb = KnowledgeBase(db)
    try:
        counts = kb.counts()
    finally:
        kb.close()
    if args.load:
        print_load(db, args.docs, load(db, args.load, args.concurrency))
        return
    results = measure(db, args.requests)
    print(f"## Page latency ({date.today().isoformat()}, {args.docs} documents)\n")
    print(", ".join(f"{v:,} {k}" for k, v in counts.items()) + f"; {db.stat().st_size / 2**20:.0f} MiB.\n")
    print(f"{args.requests} requests per page, one at a time, on 127.0.0.1; target p95 < {TARGET_P95_MS:.0f} ms.\n")
    print("| page | first (cold) ms | p50 ms | p95 ms | max ms | largest response |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, cold, p50, p95, worst, size in results:
        flag = "" if p95 < TARGET_P95_MS else " ⚠"
        print(f"| {name} | {cold:.0f} | {p50:.0f} | {p95:.0f}{flag} | {worst:.0f} | {size / 1024:.0f} KiB |")


if __name__ == "__main__":
    main()
