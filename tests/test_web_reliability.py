"""The web server under stress (issue 9): malformed query parameters are the asker's error (4xx),
never the server's (5xx); a bounded load on loopback is served without an error and without
memory growing; and ``conflictkb serve`` answers, and stores reviews, while ``conflictkb ingest``
writes into the same store, with no "database is locked" reaching anyone.

The load and concurrency tests run ``conflictkb serve`` as its own process (its memory is its
own); the 2,000-request run is in bench/web.py (``--load``)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_web import ROOT, cli_env, fetch, free_port, serving
from test_web_workbench import Browser

from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store
from conflictkb.store.corrections import add_correction

SEEDS = ROOT / "examples" / "seeds"
LOAD_REQUESTS = 300
LOAD_THREADS = 8
# How much the server's resident memory may grow over the load, once warm (it holds no cache).
MAX_GROWTH_MB = 40


@pytest.fixture(scope="module")
def kb(seed_kb: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(seed_kb)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def site(seed_kb: Path) -> Iterator[str]:
    with serving(seed_kb) as base:
        yield base


# --- malformed query parameters --------------------------------------------------------------------

MALFORMED = [
    # bad integers
    "/events?page=abc",
    "/events?page=-1",
    "/events?page=1.5",
    "/events?page=1e3",
    "/events?page=99999999999999999999999999",
    "/documents?page=%20",
    "/entities?page=0x10",
    "/search?q=IMU&page=-3",
    "/documents/{doc}?part=-1",
    "/documents/{doc}?part=99999999999999999999",
    "/documents/{doc}?start=1.5&end=3",
    "/documents/{doc}?start=1&end=99999999999999999999999",
    "/entities/1.5",
    "/network?dated=maybe",
    "/events?conflicting=2",
    # bad dates
    "/events?from=2001-13",
    "/events?from=2001-02-30",
    "/events?to=20011",
    "/events?to=2001-1-1",
    "/events?from=%EF%BC%92%EF%BC%90%EF%BC%90%EF%BC%91",  # full-width digits
    "/map?from=1999-00",
    "/api/map.json?to=yesterday",
    "/network?from=2001-02-29",
    "/api/network.json?to=2001-12-32",
    # unknown ids
    "/events/000000000000-ev1",
    "/events/000000000000-ev9999999",
    "/entities/999999",
    "/entities/4611686018427387905",
    "/documents/" + "0" * 64,
    "/documents/" + "0" * 65,
    # huge page numbers
    "/events?page=1000000",
    "/events?page=1000001",
    "/documents?page=999999",
    "/entities?kind=person&page=5000",
    "/search?q=Tashkent&page=100000",
    # odd unicode where only codes are allowed
    "/events?type=%E2%80%AEbombing",
    "/events?type=bomb%00ing",
    "/events?country=%C3%9CZ",
    "/events?country=uz",
    "/events?sort=d%C4%B1te",
    "/events?dir=%F0%9F%94%BC",
    "/entities?kind=%E2%80%8Bperson",
    "/map?country=U%00",
    "/events?type=%FF%FE",
]


@pytest.mark.parametrize("path", MALFORMED)
def test_malformed_query_parameters_are_client_errors(site: str, kb: KnowledgeBase, path: str) -> None:
    got = fetch(site, path.format(doc=kb.documents()[0]["id"]))
    assert 400 <= got.status < 500, (path, got.status, got.body[:200])
    assert got.headers.get_content_type() == "text/html", "an error is a page a person can read"
    assert "Traceback" not in got.body


@pytest.mark.parametrize(
    "path",
    [
        "/events?actor=%E2%80%AE%E2%80%8B%D8%A7%D9%84%D9%82%D8%A7%D8%B9%D8%AF%D8%A9",
        "/events?actor=%00",
        "/events?place=%F0%9F%92%A3",
        "/search?q=%ED%A0%80",  # a lone surrogate's bytes: not UTF-8 at all
        "/search?q=%00%01%02",
        "/search?q=%E2%80%AE%E2%80%8F%E2%80%8B",
        "/events?actor=999999999999999999",
    ],
)
def test_odd_text_in_free_text_parameters_is_a_search_that_finds_nothing(site: str, path: str) -> None:
    """Free text (an actor's name, a place, a search) may be anything: it is looked up, not refused."""
    got = fetch(site, path)
    assert got.status == 200, (path, got.status)
    assert re.search(r"\b0 events\b|No (documents|evidence|names)|nothing", got.body, re.I), path


ROUTES = [
    "/",
    "/search",
    "/events",
    "/map",
    "/api/map.json",
    "/network",
    "/api/network.json",
    "/documents",
    "/entities",
]
PARAMS = ["q", "page", "actor", "type", "country", "from", "to", "conflicting", "place", "sort", "dir", "dated", "kind"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(ROUTES),
    params=st.lists(st.tuples(st.sampled_from(PARAMS), st.text(max_size=30)), max_size=4),
)
def test_no_query_string_makes_a_server_error(site: str, route: str, params: list[tuple[str, str]]) -> None:
    query = urllib.parse.urlencode(params, encoding="utf-8", errors="surrogatepass")
    got = fetch(site, f"{route}?{query}")
    assert got.status < 500, (route, query, got.status, got.body[:300])


# --- a bounded load on loopback ----------------------------------------------------------------------


@contextmanager
def serve_process(db: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``conflictkb serve`` over ``db`` in its own process, answering on 127.0.0.1."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflictkb.cli", "serve", "--db", str(db), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                fetch(base, "/static/style.css")
                break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline, "conflictkb serve did not answer within 30 s"
                time.sleep(0.1)
        yield base, proc
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
        assert "Traceback" not in stderr and "locked" not in stderr, stderr


def rss_mb(pid: int) -> tuple[float, float]:
    """A process's resident memory now and at its peak (MiB), from /proc."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    now = re.search(r"VmRSS:\s+(\d+) kB", status)
    peak = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert now and peak
    return int(now[1]) / 1024, int(peak[1]) / 1024


def page_mix(kb: KnowledgeBase) -> list[str]:
    """Every kind of page, with the seed knowledge base's real ids."""
    events = [s.id for s in kb.events(limit=20)]
    docs = [d["id"] for d in kb.documents()]
    actors = [a["id"] for a in kb.top_actors(None, 5)]
    return [
        "/",
        "/search?q=Tashkent",
        "/search?q=IMU+bombing",
        "/events",
        "/events?country=UZ&from=1999&to=2001",
        "/events?actor=IMU&sort=killed&dir=desc",
        "/events?conflicting=1",
        "/map",
        "/api/map.json",
        "/network",
        "/api/network.json?from=1995&to=2005",
        "/documents",
        "/entities",
        *(f"/events/{i}" for i in events[:5]),
        *(f"/entities/{i}" for i in actors),
        *(f"/documents/{i}" for i in docs[:3]),
    ]


def hammer(base: str, paths: list[str], n: int, threads: int) -> Counter[int]:
    """``n`` GETs of ``paths`` in turn from ``threads`` threads at once: how many of each status."""

    def one(i: int) -> int:
        got = fetch(base, paths[i % len(paths)])
        assert "database is locked" not in got.body
        return got.status

    with ThreadPoolExecutor(threads) as pool:
        return Counter(pool.map(one, range(n)))


def test_a_bounded_load_is_served_without_errors_or_growing_memory(seed_kb: Path, kb: KnowledgeBase) -> None:
    paths = page_mix(kb)
    with serve_process(seed_kb) as (base, proc):
        assert hammer(base, paths, 2 * len(paths), LOAD_THREADS) == Counter({200: 2 * len(paths)}), "warm-up"
        warm, _ = rss_mb(proc.pid)
        started = time.monotonic()
        statuses = hammer(base, paths, LOAD_REQUESTS, LOAD_THREADS)
        elapsed = time.monotonic() - started
        after, peak = rss_mb(proc.pid)
    assert statuses == Counter({200: LOAD_REQUESTS}), statuses
    assert after - warm < MAX_GROWTH_MB, f"memory grew from {warm:.0f} to {after:.0f} MiB over {LOAD_REQUESTS} requests"
    assert peak < 500, f"peak resident memory {peak:.0f} MiB"
    assert elapsed < 120, f"{LOAD_REQUESTS} requests took {elapsed:.0f} s"


# --- serving while an ingest writes ------------------------------------------------------------------


def changed_copies(folder: Path, count: int) -> Path:
    """The ``count`` smallest seed documents with a line added: new bytes, so an ingest writes them."""
    folder.mkdir()
    for path in sorted(SEEDS.glob("*.txt"), key=lambda p: p.stat().st_size)[:count]:
        text = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(text + "\n\nA later edition of this report.\n", encoding="utf-8")
    return folder


def test_serve_answers_and_stores_reviews_while_an_ingest_writes(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    with closing(KnowledgeBase(db)) as before:
        paths = page_mix(before)
        n_docs = before.counts()["documents"]
        stored = before.events()[0]
    new = changed_copies(tmp_path / "new", 2)
    with serve_process(db) as (base, _):
        browser = Browser.at(base)
        token = browser.csrf(f"/events/{stored.id}")
        ingest = subprocess.Popen(
            [sys.executable, "-m", "conflictkb.cli", "ingest", str(new), "--db", str(db), "--quiet"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(),
            cwd=ROOT,
        )
        statuses: Counter[int] = Counter()
        reviews: Counter[int] = Counter()
        while ingest.poll() is None:
            statuses += hammer(base, paths, 2 * 4, 4)
            fields = {"csrf": token, "property": "killed", "action": "correct", "value": str(sum(reviews.values()))}
            status, answer = browser.post(f"/events/{stored.id}/review", fields)
            assert "locked" not in answer
            reviews[status] += 1
        _, stderr = ingest.communicate(timeout=10)
        assert ingest.returncode == 0, stderr
        after = fetch(base, "/")
    assert statuses and set(statuses) == {200}, statuses
    assert set(reviews) == {303}, reviews
    assert f"<b>{n_docs + 2}</b> documents" in after.body, "the new documents show once written"
    with closing(KnowledgeBase(db)) as kb:
        assert len(kb.corrections(f"event:{stored.id}")) == sum(reviews.values()), "every review was stored"


def test_a_long_write_transaction_delays_a_review_and_never_a_page(seed_kb: Path, tmp_path: Path) -> None:
    """Readers never wait for a writer (WAL); a review waits for the writer (busy timeout), not fails."""
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    with closing(KnowledgeBase(db)) as kb:
        stored = kb.events()[0]
    with serving(db) as base:
        browser = Browser.at(base)
        token = browser.csrf(f"/events/{stored.id}")
        held, release = threading.Event(), threading.Event()

        def writer() -> None:
            with Store(db) as store, store.transaction():
                add_correction(store, f"event:{stored.id}", "date", "correct", "2001")
                held.set()
                release.wait(10)

        thread = threading.Thread(target=writer)
        thread.start()
        assert held.wait(10)
        started = time.monotonic()
        assert fetch(base, f"/events/{stored.id}").status == 200
        assert time.monotonic() - started < 2, "a page is not held up by a writer"
        result: list[tuple[int, str]] = []
        poster = threading.Thread(
            target=lambda: result.append(
                browser.post(f"/events/{stored.id}/review", {"csrf": token, "property": "type", "action": "confirm"})
            )
        )
        poster.start()
        time.sleep(1)
        assert not result, "the review waits while another writer holds the store"
        release.set()
        thread.join(10)
        poster.join(10)
    assert result and result[0][0] == 303, result
    with closing(KnowledgeBase(db)) as kb:
        assert [c["property"] for c in kb.corrections(f"event:{stored.id}")] == ["date", "type"]
