"""A hostile document through every page of the workbench: markup, event handlers, javascript:
links, SQL fragments, right-to-left and zero-width characters and a 5 MB single line, ingested by
the real pipeline. Every page that shows it must load (no server error) and show it as text: no
element, attribute or URL of the page may come from the document."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_web import fetch, read_page, serving

from conflictkb.engines.local import ingest
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store

RLO, RLM, ZWSP, ZWJ, BOM = "\u202e", "\u200f", "\u200b", "\u200d", "\ufeff"
# One "word" of 5 MB on a single line, like a base64 blob pasted into a page. It avoids the letters
# and digits of conflictkb/data/ocr.yaml's confusions and lower-case runs: on such a word the OCR
# repair stage (conflictkb/ocr.py) runs out of memory or time today (see docs/web.md).
BIG_LINE = "PHNJCSBHGVYDCGXKTWVCPHNJCSBHGVYDCGXK" * 140_000
HOSTILE = (
    f'Kunduz raid <script>alert("x")</script> report {RLO}gpj.exe{RLM}\n\n'  # noqa: S608  # a document's text, not SQL
    "On March 3, 2009, militants of the Islamic Movement of Uzbekistan attacked a police post in Kunduz, "
    "killing four officers.\n\n"
    'A spokesman said "><img src=x onerror=alert(1)> <svg onload=alert(2)> <iframe src="//evil.example"></iframe> '
    '<a href="javascript:alert(3)">details</a> <body onload=alert(4)> <style>*{display:none}</style>\n\n'
    "Records read Robert'); DROP TABLE documents;-- and ' OR '1'='1' UNION SELECT * FROM corrections; --\n\n"
    f"The group, in Arabic الحركة الإسلامية لأوزبكستان and in Hebrew התנועה, wrote I{ZWSP}M{ZWJ}U {BOM}"
    f"\u2066isolated\u2069 {RLO}reversed text{RLM}.\n\n" + BIG_LINE + "\n"
)
HOSTILE_NAME = f"<svg onload=alert(1)>{RLO}txt.exe.txt"
# Tags the workbench's templates use; anything else would have come from a document.
OUR_TAGS = {
    "html", "head", "meta", "title", "link", "body", "header", "nav", "form", "input", "button", "main", "h1", "h2",
    "h3", "h4", "p", "span", "b", "small", "code", "a", "table", "thead", "tbody", "tr", "th", "td", "section",
    "article", "mark", "ul", "ol", "li", "br", "del", "ins", "time", "div", "label", "select", "option", "datalist",
    "figure", "figcaption", "svg", "line", "text", "rect", "script",
}  # fmt: skip


def build_hostile_kb(folder: Path, extractor: Extractor) -> Path:
    """The hostile knowledge base in ``folder``, built once per test session and shared."""
    db = folder / "hostile.sqlite"
    if not db.exists():
        docs = folder / "docs"
        docs.mkdir(parents=True, exist_ok=True)
        (docs / HOSTILE_NAME).write_text(HOSTILE, encoding="utf-8")
        partial = folder / "building.sqlite"
        with Store(partial) as store:
            ingest([docs], store, extractor, show_progress=False)
        partial.rename(db)
    return db


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    return build_hostile_kb(tmp_path_factory.getbasetemp() / "hostile-workbench", extractor)


@pytest.fixture(scope="module")
def hostile_site(hostile_db: Path) -> Iterator[str]:
    with serving(hostile_db) as base:
        yield base


class Audit(HTMLParser):
    """Every element, attribute and URL of a page that did not come from our templates."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in OUR_TAGS:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                self.problems.append(f"attribute {name} on <{tag}>")
            if name in ("href", "src", "action") and value is not None:
                url = value.strip().lower()
                if not (url.startswith("/") and not url.startswith("//")) and not url.startswith("#"):
                    self.problems.append(f"{name}={value[:60]!r} on <{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append("a script that is not one of ours")


def audit(body: str) -> list[str]:
    parser = Audit()
    parser.feed(body)
    parser.close()
    return parser.problems


def hostile_pages(db: Path) -> list[str]:
    with closing(KnowledgeBase(db)) as kb:
        (doc,) = kb.documents()
        events = kb.events()
        entities = [e["id"] for e in kb.entities(limit=10**6)]
    paths = ["/", "/documents", "/entities", "/events", "/map", "/network", f"/documents/{doc['id']}"]
    paths += ["/events?type=armed_assault", "/events?conflicting=1", "/events?actor=" + urllib.parse.quote("I\u200bMU")]
    for stored in events:
        paths.append(f"/events/{stored.id}")
        paths += [f"/documents/{stored.doc_id}?start={e.start}&end={e.end}" for e in stored.event.evidence]
    paths += [f"/entities/{e}" for e in entities]
    for query in ["Kunduz", "<script>", "onerror", "'; DROP TABLE documents;--", "PHNJCSBHGV*", RLO + "gpj", "Arabic"]:
        paths.append("/search?q=" + urllib.parse.quote(query))
    return paths


def test_the_hostile_document_is_ingested_whole(hostile_db: Path) -> None:
    with closing(KnowledgeBase(hostile_db)) as kb:
        (doc,) = kb.documents()
        assert doc["name"] == HOSTILE_NAME
        text = kb.document(doc["id"])["text"]  # type: ignore[index]
        assert BIG_LINE in text and '<script>alert("x")</script>' in text and ZWSP in text and RLO in text
        assert len(text) > 5_000_000
        assert [s.event.type for s in kb.events()] == ["armed_assault"]
        assert kb.counts()["documents"] == 1


def test_every_page_that_shows_it_loads_and_shows_it_as_text(hostile_site: str, hostile_db: Path) -> None:
    paths = hostile_pages(hostile_db)
    assert len(paths) > 15
    for path in paths:
        got = fetch(hostile_site, path)
        assert got.status == 200, (path, got.status, got.body[:300])
        assert got.headers.get_content_type() == "text/html", path
        assert audit(got.body) == [], path
    with closing(KnowledgeBase(hostile_db)) as kb:
        (doc,) = kb.documents()
        text = kb.document(doc["id"])["text"]  # type: ignore[index]
    shown, path = "", f"/documents/{doc['id']}"
    while path:
        page = read_page(hostile_site, path)
        assert page.h1 == doc["name"]
        shown += page.article
        path = next((href for href, label in page.links if label == "next part →"), "")
    assert shown == text, "part after part, the reader shows the whole text as written"
    last = read_page(hostile_site, f"/documents/{doc['id']}?start={len(text) - 10}&end={len(text) - 2}")
    assert [t for _, _, t in last.marks] == [text[-10:-2]], "a passage opens the part that holds it"
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in fetch(hostile_site, f"/documents/{doc['id']}").body


def test_search_for_sql_fragments_leaves_the_store_as_it_was(hostile_site: str, hostile_db: Path) -> None:
    for query in ["'; DROP TABLE documents;--", "' OR '1'='1", '" OR 1=1 --', "UNION SELECT * FROM corrections"]:
        assert fetch(hostile_site, "/search?q=" + urllib.parse.quote(query)).status == 200
    with closing(KnowledgeBase(hostile_db)) as kb:
        assert kb.counts()["documents"] == 1


def test_json_for_the_map_and_network_carries_it_as_data(hostile_site: str, hostile_db: Path) -> None:
    for path in ("/api/map.json", "/api/network.json"):
        got = fetch(hostile_site, path)
        assert got.status == 200 and got.headers.get_content_type() == "application/json"
        assert got.headers.get("X-Content-Type-Options") == "nosniff"
        json.loads(got.body)
    points = json.loads(fetch(hostile_site, "/api/map.json").body)["features"]
    assert [p["properties"]["place"] for p in points] == ["Kunduz"]
