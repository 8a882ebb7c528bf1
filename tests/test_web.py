"""The web pages as a person sees them: a real uvicorn server on a real port, fetched over HTTP.

A module-scoped server over the seed knowledge base serves the page tests; a second one serves
a knowledge base built from hostile files (markup in the text, the title and the file name),
whose every page must show that markup as text and never as markup.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path

import pytest
import uvicorn

from conflictkb.engines.local import ingest
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store
from conflictkb.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
# Ask the server directly, whatever proxy the environment names.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
EVIDENCE_LINK = re.compile(r"^/documents/([0-9a-f]{64})\?start=(\d+)&end=(\d+)#mark$")

ATTACK = (
    "On March 3, 2009, militants of the Islamic Movement of Uzbekistan attacked a police post in Kunduz, "
    "killing four officers."
)
HOSTILE_TXT = (
    'Militants strike Kunduz <script>alert("x")</script>\n\n'
    f"{ATTACK} "
    'A spokesman for the <script>alert("x")</script> Front said the group "><img src=x onerror=alert(1)> '
    "claimed the attack.\n"
)
HOSTILE_HTML = f"""<!doctype html>
<html><head><title>Kunduz <b>raid</b> report</title></head>
<body><article>
<p>{ATTACK}</p>
<p>The attackers left a note reading &lt;script&gt;alert("x")&lt;/script&gt; at the gate of the police post in
Kunduz.</p>
<p>A witness wrote &quot;&gt;&lt;img src=x onerror=alert(1)&gt; on a wall near the police post.</p>
</article></body></html>
"""
# File names are shown on the index and the entity pages: make them hostile too.
HOSTILE_TXT_NAME = '"><img src=x onerror=alert(1)><script>alert(1).txt'
HOSTILE_HTML_NAME = "<script><img src=x onerror=alert(1)>report.html"


# --- fetching and reading pages ------------------------------------------------------------------


@dataclass
class Fetched:
    status: int
    headers: Message
    body: str


def fetch(base: str, path: str) -> Fetched:
    """GET ``base + path`` as sent (no normalisation of ``..``); error statuses are returned, not raised."""
    try:
        with OPENER.open(base + path, timeout=10) as resp:
            return Fetched(resp.status, resp.headers, resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return Fetched(exc.code, exc.headers, exc.read().decode("utf-8", "replace"))


@dataclass
class Page(HTMLParser):
    """What a reader of the page sees: links with their text, table rows, the article and its highlight."""

    links: list[tuple[str, str]] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_links: list[list[str]] = field(default_factory=list)  # the hrefs in each of ``rows``
    article: str = ""
    marks: list[tuple[str | None, int, str]] = field(default_factory=list)  # (id, offset in article, text)
    h1: str = ""
    title: str = ""
    _open: dict[str, bool] = field(default_factory=dict)
    _href: str | None = None
    _link_text: str = ""

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open[tag] = True
        if tag == "a":
            self._href, self._link_text = dict(attrs).get("href"), ""
        elif tag == "mark":
            self.marks.append((dict(attrs).get("id"), len(self.article), ""))
        elif tag == "tr":
            self.rows.append([])
            self.row_links.append([])
        elif tag in ("td", "th") and self.rows:
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        self._open[tag] = False
        if tag == "a" and self._href is not None:
            self.links.append((self._href, self._link_text))
            if self._open.get("tr"):
                self.row_links[-1].append(self._href)
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._open.get("a"):
            self._link_text += data
        if self._open.get("article"):
            self.article += data
        if self._open.get("mark"):
            mark_id, offset, text = self.marks[-1]
            self.marks[-1] = (mark_id, offset, text + data)
        if (self._open.get("td") or self._open.get("th")) and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
        if self._open.get("h1"):
            self.h1 += data
        if self._open.get("title"):
            self.title += data

    def hrefs(self) -> set[str]:
        return {href for href, _ in self.links}


def read_page(base: str, path: str) -> Page:
    got = fetch(base, path)
    assert got.status == 200, (path, got.status, got.body[:300])
    assert got.headers.get_content_type() == "text/html"
    page = Page()
    page.feed(got.body)
    page.close()
    return page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The application over ``db`` on a real port in a background thread; yields its base URL."""
    port = free_port()
    config = uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive(), "the server stopped while starting"
        assert time.monotonic() < deadline, "the server did not start within 10 s"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def site(seed_kb: Path) -> Iterator[str]:
    with serving(seed_kb) as base:
        yield base


@pytest.fixture(scope="module")
def kb(seed_kb: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(seed_kb)
    yield opened
    opened.close()


def entity_named(kb: KnowledgeBase, name: str) -> dict[str, object]:
    found = [e for e in kb.entities(limit=10_000) if e["name"] == name]
    assert len(found) == 1, f"expected one entity named {name!r}, found {found}"
    return found[0]


# --- the seed knowledge base ---------------------------------------------------------------------


def event_pages(site: str) -> list[Page]:
    """Every page of the events table, following its "next" links."""
    pages, path = [], "/events"
    while path:
        page = read_page(site, path)
        pages.append(page)
        path = next((href for href, text in page.links if text == "next →"), "")
        assert len(pages) < 100
    return pages


def test_overview_lists_documents_groups_and_a_chart(site: str, kb: KnowledgeBase) -> None:
    page = read_page(site, "/")
    links = set(page.links)
    documents = kb.documents()
    assert len(documents) == 5
    for doc in documents:
        assert (f"/documents/{doc['id']}", doc["name"]) in links
    imu = entity_named(kb, "Islamic Movement of Uzbekistan")
    assert (f"/entities/{imu['id']}", "Islamic Movement of Uzbekistan") in links
    assert ("/events", "Events") in links and ("/map", "Map") in links and ("/network", "Network") in links
    body = fetch(site, "/").body
    bars = re.findall(r'<rect class="bar"[^>]*data-year="(\d{4})" data-count="(\d+)"', body)
    assert sum(int(n) for _, n in bars) == sum(n for _, n in kb.yearly_counts()) > 0


def test_events_table_lists_every_event_once(site: str, kb: KnowledgeBase) -> None:
    event_links = [href for page in event_pages(site) for href, _ in page.links if href.startswith("/events/")]
    assert sorted(event_links) == sorted(f"/events/{s.id}" for s in kb.events())
    assert len(event_links) == kb.counts()["events"] > 0


def test_every_event_row_links_to_its_highlighted_evidence(site: str, kb: KnowledgeBase) -> None:
    events = {s.id: s for s in kb.events()}
    assert all(s.event.evidence for s in events.values()), "every seed event has evidence"
    event_rows = [
        links for page in event_pages(site) for links in page.row_links if links and links[0].startswith("/events/")
    ]
    assert len(event_rows) == len(events)
    evidence_links = []
    for links in event_rows:
        stored = events[links[0].removeprefix("/events/")]
        first = stored.event.evidence[0]
        assert [h for h in links if h.startswith("/documents/")] == [
            f"/documents/{stored.doc_id}?start={first.start}&end={first.end}#mark"
        ]
        assert {h for h in links[1:] if not h.startswith("/documents/")} == {
            f"/entities/{p.entity}" for p in stored.event.perpetrators if p.entity
        }
        evidence_links.append(next(h for h in links if h.startswith("/documents/")))
    texts = {d["id"]: kb.document(d["id"])["text"] for d in kb.documents()}  # type: ignore[index]
    spans = {
        (s.doc_id, s.event.evidence[0].start, s.event.evidence[0].end): s.event.evidence[0] for s in events.values()
    }
    for href in evidence_links:
        match = EVIDENCE_LINK.match(href)
        assert match, href
        doc_id, start, end = match[1], int(match[2]), int(match[3])
        shown = read_page(site, href)
        evidence = spans[(doc_id, start, end)]
        assert [(mark_id, text) for mark_id, _, text in shown.marks] == [("mark", evidence.text)]
        assert shown.marks[0][1] == start, "the highlight sits at the evidence's offset"
        assert shown.article == texts[doc_id], "the whole document is shown around the highlight"
        assert shown.article[start:end] == evidence.text


def test_event_page_shows_evidence_and_statements(site: str, kb: KnowledgeBase) -> None:
    stored = next(s for s in kb.events() if len(s.event.evidence) > 1 and s.event.killed is not None)
    page = read_page(site, f"/events/{stored.id}")
    assert page.h1.startswith(stored.event.type)
    links = set(page.links)
    for span in stored.event.evidence:
        assert (f"/documents/{stored.doc_id}?start={span.start}&end={span.end}#mark", span.text) in links
    citations = kb.citations(f"event:{stored.id}")
    assert {c["property"] for c in citations} >= {"type", "killed"}
    for c in citations:
        assert [c["property"], c["value"], c["quote"] or "", c["doc_name"]] in page.rows
    killed = next(c for c in citations if c["property"] == "killed")
    quoted = read_page(site, f"/documents/{killed['doc_id']}?start={killed['start']}&end={killed['end']}")
    assert [text for _, _, text in quoted.marks] == [killed["quote"]]
    assert killed["value"] == str(stored.event.killed) and "kill" in killed["quote"].lower()


@pytest.mark.parametrize("name", ["Islamic Movement of Uzbekistan", "Taliban"])
def test_entity_page_shows_aliases_with_documents(site: str, kb: KnowledgeBase, name: str) -> None:
    entity = entity_named(kb, name)
    page = read_page(site, f"/entities/{entity['id']}")
    assert page.h1 == name
    aliases = kb.aliases(int(str(entity["id"])))
    assert aliases
    for alias in aliases:
        assert [alias["alias"], str(alias["count"]), alias["doc_name"]] in page.rows
        assert (f"/documents/{alias['doc_id']}", alias["doc_name"]) in set(page.links)
    assert len({a["doc_id"] for a in aliases}) == entity["documents"]


def test_unknown_ids_are_404(site: str) -> None:
    for path in ("/documents/" + "0" * 64, "/events/000000000000-ev1", "/entities/999999", "/no-such-page"):
        got = fetch(site, path)
        assert got.status == 404, path
        assert got.headers.get_content_type() == "text/html"


@pytest.mark.parametrize(
    "path",
    [
        "/documents/xyz",
        "/documents/" + "A" * 64,
        "/documents/<script>",
        "/events/../../etc/passwd",
        "/events/xyz",
        "/events/%00",
        "/entities/-1",
        "/entities/0",
        "/entities/abc",
        "/entities/99999999999999999999999999",
        "/documents/{doc}?start=abc&end=5",
        "/documents/{doc}?start=-1&end=5",
        "/documents/{doc}?start=1&end=" + "9" * 5000,
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/static/../../kb.py",
    ],
)
def test_malformed_requests_are_client_errors(site: str, kb: KnowledgeBase, path: str) -> None:
    got = fetch(site, path.format(doc=kb.documents()[0]["id"]))
    assert 400 <= got.status < 500, (path, got.status)
    assert "def create_app" not in got.body and "import" not in got.body
    assert "<script>" not in got.body


def test_odd_highlight_ranges_still_show_the_document(site: str, kb: KnowledgeBase) -> None:
    doc = kb.documents()[0]
    text = kb.document(doc["id"])["text"]  # type: ignore[index]
    for query, marks in [
        ("?start=5&end=3", []),
        ("?start=5", []),
        ("?start=3&end=3", []),
        (f"?start={len(text) - 4}&end=99999999999", [text[-4:]]),
        ("?start=99999999999&end=999999999999", []),
    ]:
        page = read_page(site, f"/documents/{doc['id']}{query}")
        assert page.article == text, query
        assert [t for _, _, t in page.marks] == marks, query


def test_static_files_are_served(site: str) -> None:
    index = fetch(site, "/")
    css = re.search(r'<link rel="stylesheet" href="([^"]+)">', index.body)
    assert css and css[1] == "/static/style.css", "assets are linked by path, not by the Host header"
    got = fetch(site, css[1])
    assert got.status == 200 and got.headers.get_content_type() == "text/css"
    assert "mark {" in got.body


def test_every_response_carries_security_headers(site: str, kb: KnowledgeBase) -> None:
    stored = kb.events()[0]
    paths = [
        "/",
        f"/documents/{stored.doc_id}",
        f"/events/{stored.id}",
        f"/entities/{kb.entities()[0]['id']}",
        "/static/style.css",
        "/no-such-page",
        "/entities/abc",
        "/static/../app.py",
    ]
    for path in paths:
        got = fetch(site, path)
        csp = got.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, (path, csp)
        assert got.headers.get("X-Content-Type-Options") == "nosniff", path
        assert got.headers.get("X-Frame-Options") == "DENY", path


def test_a_vanished_store_is_a_503_not_a_crash(tmp_path: Path, seed_kb: Path) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copy(seed_kb, db)
    with serving(db) as base:
        assert fetch(base, "/").status == 200
        db.unlink()
        got = fetch(base, "/")
        assert got.status == 503
        assert "no knowledge base at" in got.body


# --- hostile documents ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_kb(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / HOSTILE_TXT_NAME).write_text(HOSTILE_TXT, encoding="utf-8")
    (folder / HOSTILE_HTML_NAME).write_text(HOSTILE_HTML, encoding="utf-8")
    path = tmp_path_factory.mktemp("hostile-kb") / "hostile.sqlite"
    with Store(path) as store:
        ingest([folder], store, extractor, show_progress=False)
    return path


@pytest.fixture(scope="module")
def hostile_site(hostile_kb: Path) -> Iterator[str]:
    with serving(hostile_kb) as base:
        yield base


def hostile_paths(db: Path) -> list[str]:
    """Every page of the hostile knowledge base: the index, each document (plain and highlighted),
    each event and each entity."""
    kb = KnowledgeBase(db)
    try:
        paths = ["/"]
        paths += [f"/documents/{d['id']}" for d in kb.documents()]
        for stored in kb.events():
            paths.append(f"/events/{stored.id}")
            paths += [f"/documents/{stored.doc_id}?start={e.start}&end={e.end}" for e in stored.event.evidence]
        paths += [f"/entities/{e['id']}" for e in kb.entities()]
        return paths
    finally:
        kb.close()


def test_hostile_knowledge_base_holds_the_markup_as_text(hostile_kb: Path) -> None:
    """The premise of the next tests: the markup really is in the stored text, title and names."""
    kb = KnowledgeBase(hostile_kb)
    try:
        documents = kb.documents()
        assert {d["name"] for d in documents} == {HOSTILE_TXT_NAME, HOSTILE_HTML_NAME}
        texts = [kb.document(d["id"])["text"] for d in documents]  # type: ignore[index]
        assert all('<script>alert("x")</script>' in t for t in texts)
        assert all('"><img src=x onerror=alert(1)>' in t for t in texts)
        assert any(d["title"] == "Kunduz <b>raid</b> report" for d in documents)
        events = kb.events()
        assert len(events) >= 2 and all(s.event.evidence[0].text == ATTACK for s in events)
        assert any("<script>" in e.text for s in events for e in s.event.evidence)
        assert entity_named(kb, "Islamic Movement of Uzbekistan")["documents"] == 2
    finally:
        kb.close()


def test_hostile_markup_is_never_served_as_markup(hostile_site: str, hostile_kb: Path) -> None:
    paths = hostile_paths(hostile_kb)
    kinds = {p.split("/")[1] for p in paths[1:]}
    assert kinds == {"documents", "events", "entities"}
    for path in paths:
        got = fetch(hostile_site, path)
        assert got.status == 200, path
        body = got.body.lower()
        assert "<script" not in body, path
        assert "<img" not in body, path
        assert "<b>raid" not in body, path
        assert "&lt;script&gt;" in body, path
        assert "&lt;img src=x onerror=alert(1)&gt;" in body, path


def test_hostile_text_is_shown_as_written(hostile_site: str, hostile_kb: Path) -> None:
    kb = KnowledgeBase(hostile_kb)
    try:
        for doc in kb.documents():
            page = read_page(hostile_site, f"/documents/{doc['id']}")
            assert page.article == kb.document(doc["id"])["text"]  # type: ignore[index]
            assert page.h1 == (doc["title"] or doc["name"])
        index = read_page(hostile_site, "/")
        assert {text for _, text in index.links} >= {HOSTILE_TXT_NAME, HOSTILE_HTML_NAME}
        assert [row[1] for row in index.rows if row and row[0] == HOSTILE_HTML_NAME] == ["Kunduz <b>raid</b> report"]
        stored = next(s for s in kb.events() if any("<script>" in e.text for e in s.event.evidence))
        event_page = read_page(hostile_site, f"/events/{stored.id}")
        for span in stored.event.evidence:
            link = f"/documents/{stored.doc_id}?start={span.start}&end={span.end}#mark"
            assert (link, span.text) in set(event_page.links)
            shown = read_page(hostile_site, link)
            assert [text for _, _, text in shown.marks] == [span.text]
    finally:
        kb.close()


# --- the serve command ---------------------------------------------------------------------------


def cli_env() -> dict[str, str]:
    """The environment for the CLI: no COLUMNS, so error lines are as wide as the program makes them."""
    return {k: v for k, v in os.environ.items() if k != "COLUMNS"}


def test_serve_binds_loopback_by_default(seed_kb: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conflictkb.cli", "serve", "--db", str(seed_kb), "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(),
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                got = fetch(f"http://127.0.0.1:{port}", "/")
                break
            except (ConnectionError, urllib.error.URLError):
                assert time.monotonic() < deadline, "conflictkb serve did not answer within 20 s"
                time.sleep(0.1)
        assert got.status == 200
        assert "Knowledge base" in got.body and "Islamic Movement of Uzbekistan" in got.body
        other = _non_loopback_address()
        if other is not None:
            with socket.socket() as sock, pytest.raises(OSError):
                sock.settimeout(2)
                sock.connect((other, port))
    finally:
        proc.terminate()
        _, stderr = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in stderr
    assert "Traceback" not in stderr


def _non_loopback_address() -> str | None:
    """An address of this machine other than loopback, when it has one (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        except OSError:
            return None
        address: str = sock.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address  # noqa: S104


def test_serve_missing_db_exits_2_with_one_line_and_no_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "conflictkb.cli", "serve", "--db", "/nonexistent.sqlite", "--port", str(free_port())],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=cli_env(),
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: no knowledge base at /nonexistent.sqlite")
    assert result.stdout == ""
