"""The workbench in a real browser (Debian's Chromium driven by Playwright), as a person uses it:
each page opens on the sample corpus's knowledge base and shows what it should (the overview's
chart has bars, the map has points and popups, a click on a network node opens a profile, a review
shows after a reload and after a re-ingest of the same documents, a hostile document stays text).
No request leaves 127.0.0.1, no page logs an error (a CSP violation is one) and no dialog opens.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright
from test_web import serving
from test_web_hostile import HOSTILE_NAME, build_hostile_kb

from conflictkb.engines.local import ingest
from conflictkb.extract import Extractor
from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store, writer
from conflictkb.store.event_queries import EventFilter

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@dataclass
class Tab:
    """A page of a fresh browser context, with what went wrong on it."""

    page: Page
    base: str
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        self.page.goto(self.base + path, wait_until="load")
        return self.page

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def check(self) -> None:
        assert self.blocked == [], "a page asked for something outside 127.0.0.1"
        assert self.errors == [], "the page logged errors (CSP violations, failed requests, exceptions, dialogs)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for all the browser tests (they are all in this module: module scope, so
    Playwright's event loop stops with them and does not outlive them into other tests). Missing, it
    fails the tests: never skipped, so CI cannot pass without having looked (the README's test
    command installs it)."""
    assert CHROMIUM.exists(), "browser tests need Debian's Chromium at /usr/bin/chromium: apt-get install chromium"
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def seed_copy(seed_kb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the seed knowledge base: the review test writes to it."""
    db = tmp_path_factory.mktemp("browser") / "kb.sqlite"
    shutil.copy(seed_kb, db)
    return db


@pytest.fixture(scope="module")
def site(seed_copy: Path) -> Iterator[str]:
    with serving(seed_copy) as base:
        yield base


@pytest.fixture(scope="module")
def kb(seed_copy: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(seed_copy)
    yield opened
    opened.close()


def _tab(browser: Browser, base: str) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    tab = Tab(page, base)

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            tab.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_loopback)
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: tab.errors.append(f"exception: {e}"))
    page.on("dialog", lambda d: (tab.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield tab
    context.close()


@pytest.fixture
def tab(browser: Browser, site: str) -> Iterator[Tab]:
    yield from _tab(browser, site)


def test_overview_chart_shows_the_events_by_year(tab: Tab, kb: KnowledgeBase) -> None:
    page = tab.open("/")
    assert page.locator("h1").inner_text() == "Knowledge base"
    shown = page.locator("p.counts .count").all_inner_texts()
    assert shown == [f"{n} {name}" for name, n in kb.overview_counts().items()]
    assert kb.overview_counts()["events"] > 0
    bars = page.locator("svg.bars rect.bar")
    years = kb.yearly_counts()
    assert bars.count() == len(years)
    heights = [b["height"] for b in (bars.nth(i).bounding_box() for i in range(bars.count())) if b]
    assert sum(1 for h in heights if h > 1) == sum(1 for _, n in years if n) > 0, "a bar shows for every year"
    busiest = max(years, key=lambda yn: yn[1])
    bar = page.locator(f'svg.bars rect.bar[data-year="{busiest[0]}"]')
    assert bar.locator("title").text_content() == f"{busiest[0]}: {busiest[1]} events"
    assert page.get_by_role("link", name="Islamic Movement of Uzbekistan").first.is_visible()
    tab.shot("overview")
    bar.click()
    page.wait_for_url(f"**/events?from={busiest[0]}&to={busiest[0]}")
    assert page.locator("table.events tbody tr").count() == busiest[1]
    tab.check()


def test_search_from_the_header_finds_an_actor_by_its_alias(tab: Tab) -> None:
    page = tab.open("/")
    page.get_by_label("Search").first.fill("IMU")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=IMU")
    link = page.locator("#names").get_by_role("link", name="Islamic Movement of Uzbekistan")
    assert link.is_visible()
    tab.shot("search")
    link.click()
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text() == "Islamic Movement of Uzbekistan"
    tab.check()


def test_events_table_filters_and_sorts(tab: Tab, kb: KnowledgeBase) -> None:
    page = tab.open("/events")
    page.locator("select[name=country]").select_option("UZ")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/events?*country=UZ*")
    rows = page.locator("table.events tbody tr")
    assert rows.count() == kb.event_page(EventFilter(country="UZ"))[1] > 0
    assert all(t.endswith("(UZ)") for t in rows.locator("td:nth-child(3)").all_inner_texts())
    page.locator("th a.sort", has_text="killed").click()
    page.wait_for_url("**sort=killed&dir=asc*")
    page.locator("th a.sort", has_text="killed").click()
    page.wait_for_url("**sort=killed&dir=desc*")
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("killed")
    tolls = [int(t) for t in rows.locator("td:nth-child(5)").all_inner_texts() if t.strip()]
    assert tolls and tolls == sorted(tolls, reverse=True)
    tab.shot("events")
    tab.check()


def test_event_page_puts_disagreeing_sources_side_by_side(tab: Tab, kb: KnowledgeBase) -> None:
    stored = next(s for s in kb.events(limit=10**6) if kb.contradictions(s.incident_id))
    page = tab.open(f"/events/{stored.id}")
    table = page.locator("table.side-by-side")
    assert table.is_visible()
    names = {r["doc_name"] for rows in kb.contradictions(stored.incident_id).values() for r in rows}
    assert set(table.locator("thead th").all_inner_texts()[1:]) == names
    assert page.locator("article.report mark").count() == sum(
        len(r.event.evidence) for r in kb.incident(stored.incident_id)
    )
    table.scroll_into_view_if_needed()
    tab.shot("event-disagreements")
    tab.check()


def test_map_shows_points_with_popups_linking_to_events(tab: Tab, kb: KnowledgeBase) -> None:
    page = tab.open("/map")
    page.wait_for_selector("#map[data-points]")
    _, n_points, n_events = kb.map_points(EventFilter())
    assert page.locator("#map").get_attribute("data-points") == str(n_points)
    assert page.locator("#map-status").inner_text() == f"{n_events} events at {n_points} places on the map."
    assert page.locator(".leaflet-overlay-pane path").count() > 150, "country borders are drawn"
    assert page.locator(".leaflet-marker-icon").count() > 0
    grouped = sum(int(t) for t in page.locator(".marker-cluster").all_inner_texts())
    pins = [int(t) if t.strip() else 1 for t in page.locator(".event-pin").all_inner_texts()]
    assert grouped + sum(pins) == n_events, "every event is on the map, alone or grouped"
    tab.shot("map")
    # A pin of one event links to it, a pin of several to the events table filtered to its place.
    single = page.locator(".event-pin:not(.many)")
    (single.first if single.count() else page.locator(".event-pin").first).click()
    popup = page.locator(".leaflet-popup-content a")
    popup.wait_for()
    popup.click()
    page.wait_for_url(re.compile(r".*/events(/|\?).+"))
    assert page.locator("h1").is_visible()
    unmapped = page.goto(tab.base + "/map")
    assert unmapped is not None
    assert page.locator("#unmapped tbody tr").count() == kb.events_unmapped(EventFilter())[1]
    tab.check()


def test_clicking_a_network_node_opens_its_profile(tab: Tab, kb: KnowledgeBase) -> None:
    page = tab.open("/network")
    page.wait_for_selector("#network[data-nodes]")
    assert int(page.locator("#network").get_attribute("data-nodes") or 0) == len(kb.network()["nodes"])
    name = "Islamic Movement of Uzbekistan"
    position = page.evaluate(
        "name => { const n = window.conflictkbNetwork.nodes().filter(x => x.data('label') === name)[0];"
        " return n ? n.renderedPosition() : null; }",
        name,
    )
    assert position is not None
    box = page.locator("#network").bounding_box()
    assert box is not None
    tab.shot("network")
    page.mouse.click(box["x"] + position["x"], box["y"] + position["y"])
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text() == name
    tab.check()


def test_profile_shows_names_timeline_and_relations(tab: Tab, kb: KnowledgeBase) -> None:
    imu = kb.search_names("Islamic Movement of Uzbekistan")[0]["id"]
    page = tab.open(f"/entities/{imu}")
    _, n = kb.entity_events(imu)
    assert page.locator("ol.timeline li").count() == n > 0
    assert page.locator("#timeline svg.bars rect.bar").count() > 0
    assert page.locator("#relations tbody tr").count() == len(kb.entity_relations(imu))
    assert page.locator("table.names tbody tr").count() == len(kb.alias_summary(imu))
    page.locator("#timeline").scroll_into_view_if_needed()
    tab.shot("profile")
    tab.check()


def test_document_reader_shows_mentions_and_the_asked_passage(tab: Tab, kb: KnowledgeBase) -> None:
    stored = next(s for s in kb.events(limit=10**6) if s.event.evidence[0].start > 3000)
    span = stored.event.evidence[0]
    page = tab.open(f"/documents/{stored.doc_id}?start={span.start}&end={span.end}#mark")
    mark = page.locator("mark#mark")
    assert mark.inner_text() == span.text
    box = mark.bounding_box()
    assert box is not None and 0 <= box["y"] < 900, "the page opens at the highlighted passage"
    assert page.locator("article.text a.m").count() > 10
    assert page.locator("article.text span.ev").count() > 0
    tab.shot("document")
    tab.check()


def test_a_review_shows_after_reload_and_after_reingest(
    tab: Tab, kb: KnowledgeBase, seed_copy: Path, extractor: Extractor
) -> None:
    sizes = {d["id"]: d["n_bytes"] for d in kb.documents()}
    # An event with a toll from the smallest document: re-extracting it is quickest.
    stored = min((s for s in kb.events(limit=10**6) if s.event.killed is not None), key=lambda s: sizes[s.doc_id])
    page = tab.open(f"/events/{stored.id}")
    row = page.locator('tr[data-review="killed"]')
    row.locator("input[name=value]").fill("99")
    row.locator("input[name=note]").fill("a later report says 99")
    row.get_by_role("button", name="Correct").click()
    page.wait_for_url(f"**/events/{stored.id}#review")
    page.locator('tr[data-review="type"]').get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**/events/{stored.id}#review")
    shown = page.locator('tr[data-field="killed"] td.value')

    def corrected() -> None:
        assert shown.locator("ins").inner_text() == "99"
        assert shown.locator("del").inner_text() == str(stored.event.killed)
        assert "corrected by an analyst" in page.locator('tr[data-field="killed"]').inner_text()
        assert "a later report says 99" in page.locator("ol.history").inner_text()
        confirmed = page.locator('tr[data-field="type"]')
        assert "confirmed by an analyst" in confirmed.inner_text()
        assert confirmed.locator("td.value").inner_text() == stored.event.type, "a confirmed value is kept as it is"

    corrected()
    page.reload()
    corrected()
    with Store(seed_copy) as store:
        with store.transaction():
            writer.delete_document(store, stored.doc_id)
        ingest([SEEDS], store, extractor, show_progress=False)
    with closing(KnowledgeBase(seed_copy)) as fresh:
        again = fresh.event(stored.id)
        assert again is not None and again.event.killed == stored.event.killed, "the document was re-extracted"
    page.reload()
    corrected()
    shown.scroll_into_view_if_needed()
    tab.shot("review")
    tab.check()


def test_a_hostile_document_renders_as_text(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, extractor: Extractor
) -> None:
    db = build_hostile_kb(tmp_path_factory.getbasetemp() / "hostile-workbench", extractor)
    with closing(KnowledgeBase(db)) as hostile:
        (doc,) = hostile.documents()
        (stored,) = hostile.events()
    with serving(db) as base:
        for tab in _tab(browser, base):
            page = tab.open(f"/documents/{doc['id']}")
            assert page.locator("h1").inner_text() == HOSTILE_NAME
            article = page.locator("article.text")
            assert '<script>alert("x")</script>' in (article.text_content() or "")
            assert (
                page.evaluate(
                    "document.querySelectorAll('article img, article svg, article iframe, article script').length"
                )
                == 0
            )
            assert page.evaluate("document.scripts.length") == 0
            tab.shot("hostile-document")
            for path in (f"/events/{stored.id}", "/search?q=%3Cscript%3E", "/", "/events"):
                page = tab.open(path)
                assert page.evaluate("document.querySelectorAll('main img, main iframe, main script').length") == 0
            page = tab.open(f"/events/{stored.id}")
            assert "<script>" in page.locator("body").inner_text()
            tab.shot("hostile-event")
            tab.check()
