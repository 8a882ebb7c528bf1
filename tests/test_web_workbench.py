"""The workbench's pages over HTTP, as a person's browser would ask for them: search, the events
table's filters, sorting and pages, the event, profile and network pages, the JSON the map and the
network draw from, reviews (POST with a CSRF token) and who may ask (loopback names, or a token)."""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from test_event_queries import downgrade_to_version_3
from test_web import ROOT, Page, cli_env, fetch, free_port, read_page, serving

from conflictkb.kb import KnowledgeBase
from conflictkb.store.event_queries import EventFilter
from conflictkb.web.app import create_app, is_loopback_host
from conflictkb.web.cli import is_loopback

TOKEN = "a-long-enough-test-token-0123456789"


@pytest.fixture(scope="module")
def kb(seed_kb: Path) -> Iterator[KnowledgeBase]:
    opened = KnowledgeBase(seed_kb)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def site(seed_kb: Path) -> Iterator[str]:
    with serving(seed_kb) as base:
        yield base


def page_of(body: str) -> Page:
    page = Page()
    page.feed(body)
    page.close()
    return page


# --- search --------------------------------------------------------------------------------------


def test_search_finds_actors_by_any_alias_evidence_and_documents(site: str, kb: KnowledgeBase) -> None:
    imu = kb.search_names("Islamic Movement of Uzbekistan")[0]
    page = read_page(site, "/search?q=IMU")
    assert (f"/entities/{imu['id']}", "Islamic Movement of Uzbekistan") in set(page.links)
    page = read_page(site, "/search?q=" + urllib.parse.quote('"car bombs" Tashkent'))
    evidence, _ = kb.search_evidence('"car bombs" Tashkent')
    assert evidence and all(f"/events/{e['event_id']}" in page.hrefs() for e in evidence)
    body = fetch(site, "/search?q=Tashkent").body
    assert re.search(r"<mark>Tashkent</mark>", body, re.I)


@pytest.mark.parametrize(
    "query",
    ['"', '""', "*", "NEAR(", "AND OR NOT", "a:b", "'; DROP TABLE documents; --", "\u202e\u200b\u200f", "(((", "^x"],
)
def test_malformed_search_is_never_a_server_error(site: str, kb: KnowledgeBase, query: str) -> None:
    got = fetch(site, "/search?q=" + urllib.parse.quote(query))
    assert got.status == 200, (query, got.status)
    assert kb.counts()["documents"] == 5


def test_overlong_queries_and_pages_are_client_errors(site: str) -> None:
    assert fetch(site, "/search?q=" + "x" * 600).status == 422
    assert fetch(site, "/search?q=x&page=0").status == 422


# --- the events table ------------------------------------------------------------------------------


def _event_rows(page: Page) -> list[list[str]]:
    return [row for row, links in zip(page.rows, page.row_links, strict=True) if links[:1] and "/events/" in links[0]]


def test_events_filter_by_type_country_dates_actor_and_disagreement(site: str, kb: KnowledgeBase) -> None:
    for params, where in [
        ("type=bombing", EventFilter(type="bombing")),
        ("country=UZ", EventFilter(country="UZ")),
        ("from=1999&to=2000", EventFilter(date_from="1999", date_to="2000")),
        ("actor=IMU", EventFilter(actor="IMU")),
        ("conflicting=1", EventFilter(conflicting=True)),
        ("type=&country=&from=&to=&actor=", EventFilter()),
    ]:
        expected, total = kb.event_page(where, limit=50)
        page = read_page(site, f"/events?{params}")
        shown = [href.removeprefix("/events/") for href in page.hrefs() if href.startswith("/events/")]
        assert sorted(shown) == sorted(r["id"] for r in expected), params
        assert f"{total} event" in fetch(site, f"/events?{params}").body
    bombs = _event_rows(read_page(site, "/events?type=bombing"))
    assert bombs and all(row[0].split()[0] == "bombing" for row in bombs)


def test_events_sort_and_paginate_on_the_server(site: str, kb: KnowledgeBase) -> None:
    page = read_page(site, "/events?sort=killed&dir=desc")
    killed = [row[4] for row in _event_rows(page)]
    numbers = [int(k) for k in killed if k]
    assert numbers and numbers == sorted(numbers, reverse=True) and killed[: len(numbers)] == [str(n) for n in numbers]
    total = kb.counts()["events"]
    assert total > 50, "the seeds fill more than one page"
    first = read_page(site, "/events")
    nxt = [href for href, text in first.links if text == "next →"]
    assert nxt == ["/events?sort=date&dir=asc&page=2"]
    second = read_page(site, nxt[0])
    assert len(_event_rows(first)) == 50 and len(_event_rows(second)) == total - 50


@pytest.mark.parametrize(
    "query",
    [
        "country=Uzbekistan",
        "from=99",
        "to=1999-1",
        "sort=evil",
        "dir=sideways",
        "page=0",
        "type=<script>",
        "actor=" + "x" * 300,
    ],
)
def test_bad_filters_are_client_errors(site: str, query: str) -> None:
    got = fetch(site, f"/events?{query}")
    assert got.status == 422, query
    assert "<script>" not in got.body


# --- event, profile and network pages ----------------------------------------------------------


def test_event_page_shows_disagreements_side_by_side(site: str, kb: KnowledgeBase) -> None:
    stored = next(s for s in kb.events(limit=10**6) if kb.contradictions(s.incident_id))
    disagreements = kb.contradictions(stored.incident_id)
    page = read_page(site, f"/events/{stored.id}")
    reports = kb.incident(stored.incident_id)
    body = fetch(site, f"/events/{stored.id}").body
    table = page_of(body.split('<table class="side-by-side">', 1)[1].split("</table>", 1)[0])
    assert table.rows[0][1:] == sorted({r["doc_name"] for rows in disagreements.values() for r in rows})
    assert [row[0] for row in table.rows[1:]] == list(disagreements)
    for prop in disagreements:
        assert any(row and row[0] == prop for row in page.rows), prop
    for report in reports:
        if report.id != stored.id:
            assert f"/events/{report.id}" in page.hrefs()
    for report in reports:
        for span in report.event.evidence:
            assert f"<mark>{_escaped(span.text)}</mark>" in body, "every report's evidence is shown in context"


def _escaped(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;").replace("'", "&#39;")
    )


def test_entity_profile_shows_names_timeline_relations(site: str, kb: KnowledgeBase) -> None:
    imu = kb.search_names("Islamic Movement of Uzbekistan")[0]["id"]
    page = read_page(site, f"/entities/{imu}")
    assert page.h1 == "Islamic Movement of Uzbekistan"
    for name in kb.alias_summary(imu):
        assert any(row and row[0] == name["alias"] and row[1] == str(name["mentions"]) for row in page.rows)
    events, _ = kb.entity_events(imu)
    assert {f"/events/{e['id']}" for e in events} <= page.hrefs()
    for relation in kb.entity_relations(imu):
        other = relation["object_id"] if relation["subject_id"] == imu else relation["subject_id"]
        assert f"/entities/{other}" in page.hrefs()
        assert any(row[1:2] == [relation["relation"]] and row[4] == str(relation["n"]) for row in page.rows)
        example = relation["example"]
        assert f"/documents/{example['doc_id']}?start={example['start']}&end={example['end']}#mark" in page.hrefs()
    assert f"/events?actor={imu}" in page.hrefs()
    assert 'class="bar"' in fetch(site, f"/entities/{imu}").body
    for claim in kb.entity_claims_in_words(imu):  # strengths, aims, renamings: claims whose object is words
        assert any(row[:2] == [claim["property"], claim["claim"]["value"]] for row in page.rows)
        assert f"/documents/{claim['doc_id']}?start={claim['start']}&end={claim['end']}#mark" in page.hrefs()


def test_network_page_and_data(site: str, kb: KnowledgeBase) -> None:
    page = read_page(site, "/network")
    graph = kb.network()
    assert len([r for r in page.rows if r and r[0] != "subject"]) == len(graph["edges"])
    got = fetch(site, "/api/network.json")
    assert got.status == 200 and got.headers.get_content_type() == "application/json"
    import json

    data = json.loads(got.body)
    assert len(data["nodes"]) == len(graph["nodes"]) and len(data["edges"]) == len(graph["edges"])
    assert all(n["url"] == f"/entities/{n['entity']}" for n in data["nodes"])
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    dated = json.loads(fetch(site, "/api/network.json?from=2014&to=2014&dated=1").body)
    assert 0 < len(dated["edges"]) < len(data["edges"])
    assert fetch(site, "/api/network.json?from=x").status == 422


def test_map_data_is_geojson_of_events_with_coordinates(site: str, kb: KnowledgeBase) -> None:
    import json

    got = fetch(site, "/api/map.json")
    assert got.status == 200 and got.headers.get_content_type() == "application/json"
    data = json.loads(got.body)
    _, n_points, n_events = kb.map_points(EventFilter())
    assert data["type"] == "FeatureCollection" and data["points"] == n_points == len(data["features"]) > 0
    assert data["events"] == n_events == sum(f["properties"]["n"] for f in data["features"])
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        props = feature["properties"]
        if props["n"] == 1:
            assert re.fullmatch(r"/events/[0-9a-f]{12}-ev\d+", props["url"])
        else:
            table = read_page(site, props["url"])
            assert len([h for h in table.hrefs() if h.startswith("/events/")]) == props["n"]
    filtered = json.loads(fetch(site, "/api/map.json?country=UZ").body)
    assert filtered["features"] and all(f["properties"]["country"] == "UZ" for f in filtered["features"])
    page = read_page(site, "/map")
    unmapped, n = kb.events_unmapped(EventFilter())
    assert n > 0 and {f"/events/{r['id']}" for r in unmapped} <= page.hrefs()
    body = fetch(site, "/map").body
    assert 'data-countries="/static/vendor/countries-110m.geojson"' in body
    countries = fetch(site, "/static/vendor/countries-110m.geojson")
    assert countries.status == 200 and len(json.loads(countries.body)["features"]) > 150


def test_document_reader_links_mentions_and_marks_evidence(site: str, kb: KnowledgeBase) -> None:
    doc = max(kb.documents(), key=lambda d: d["n_events"])
    text = kb.document(doc["id"])["text"]  # type: ignore[index]
    page = read_page(site, f"/documents/{doc['id']}")
    assert page.article == text and page.marks == []
    mention_links = {(href, t) for href, t in page.links if href.startswith("/entities/")}
    mentions = kb.mentions(doc["id"])
    shown = {(f"/entities/{m['entity_id']}", m["text"]) for m in mentions}
    assert len(shown & mention_links) >= 0.9 * len(shown), "nearly every mention links to its entity"
    body = fetch(site, f"/documents/{doc['id']}").body
    assert body.count('<span class="ev"') >= 1


def test_vendored_assets_are_served_from_the_package(site: str) -> None:
    for path, kind in [
        ("/static/vendor/leaflet/leaflet.js", "text/javascript"),
        ("/static/vendor/leaflet/leaflet.css", "text/css"),
        ("/static/vendor/leaflet.markercluster/leaflet.markercluster.js", "text/javascript"),
        ("/static/vendor/cytoscape/cytoscape.min.js", "text/javascript"),
        ("/static/js/map.js", "text/javascript"),
        ("/static/js/network.js", "text/javascript"),
    ]:
        got = fetch(site, path)
        assert got.status == 200 and got.headers.get_content_type() in (kind, "application/javascript"), path
    for path in ("/map", "/network", "/"):
        body = fetch(site, path).body
        assert "<script>" not in body and " style=" not in body, "no inline script or style"
        assert not re.search(r'(src|href)="(https?:)?//', body), "no asset from another host"


# --- reviews -------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Browser:
    """A client with a cookie jar that does not follow redirects: enough to fill in a form."""

    base: str
    jar: http.cookiejar.CookieJar

    @classmethod
    def at(cls, base: str) -> Browser:
        return cls(base, http.cookiejar.CookieJar())

    def _opener(self) -> urllib.request.OpenerDirector:
        return urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, Message, str]:
        req = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310  # http only
        try:
            with self._opener().open(req, timeout=10) as resp:
                return resp.status, resp.headers, resp.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.headers, exc.read().decode("utf-8", "replace")

    def csrf(self, path: str) -> str:
        status, _, body = self.request(path)
        assert status == 200
        found = re.search(r'name="csrf" value="([0-9a-f]{64})"', body)
        assert found, "every review form carries a CSRF token"
        return found[1]

    def post(self, path: str, fields: dict[str, str], headers: dict[str, str] | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(fields).encode()
        all_headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        status, resp_headers, body = self.request(path, data, all_headers)
        return status, resp_headers.get("Location") or body


@pytest.fixture
def review_site(seed_kb: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    with serving(db) as base:
        yield base, db


def test_a_correction_is_stored_apart_and_shown_as_such(review_site: tuple[str, Path]) -> None:
    base, db = review_site
    with closing(KnowledgeBase(db)) as kb:
        stored = next(s for s in kb.events(limit=10**6) if s.event.killed is not None)
    browser = Browser.at(base)
    path = f"/events/{stored.id}"
    token = browser.csrf(path)
    status, where = browser.post(
        f"{path}/review", {"csrf": token, "property": "killed", "action": "correct", "value": "99", "note": "<b>x</b>"}
    )
    assert (status, where) == (303, f"{path}#review")
    _, _, body = browser.request(path)
    assert f'<del title="extracted">{stored.event.killed}</del> <ins title="analyst">99</ins>' in body
    assert "corrected by an analyst" in body and "&lt;b&gt;x&lt;/b&gt;" in body
    with closing(sqlite3.connect(db)) as raw:
        extracted = raw.execute(
            "SELECT value FROM statements WHERE subject = ? AND property = 'killed'", (f"event:{stored.id}",)
        ).fetchone()[0]
        assert extracted == str(stored.event.killed), "the extracted statement is left as it was"
    _, _, table = browser.request(f"/events?type={stored.event.type}")
    assert "corrected" in table
    status, _ = browser.post(f"{path}/review", {"csrf": token, "property": "event", "action": "reject", "note": "dup"})
    assert status == 303
    _, _, body = browser.request(path)
    assert "rejected by an analyst" in body
    imu_id = KnowledgeBase(db).search_names("Islamic Movement of Uzbekistan")[0]["id"]
    status, where = browser.post(f"/entities/{imu_id}/review", {"csrf": token, "alias": "IMT", "action": "reject"})
    assert (status, where) == (303, f"/entities/{imu_id}#names")
    _, _, body = browser.request(f"/entities/{imu_id}")
    assert "<del>IMT</del>" in body


def test_reviews_without_a_valid_csrf_token_are_refused(review_site: tuple[str, Path]) -> None:
    base, db = review_site
    with closing(KnowledgeBase(db)) as kb:
        stored = kb.events()[0]
    path = f"/events/{stored.id}/review"
    fields = {"property": "killed", "action": "correct", "value": "5"}
    browser = Browser.at(base)
    token = browser.csrf(f"/events/{stored.id}")
    assert browser.post(path, fields)[0] == 403, "no token"
    assert browser.post(path, {**fields, "csrf": "0" * 64})[0] == 403, "a wrong token"
    assert Browser.at(base).post(path, {**fields, "csrf": token})[0] == 403, "a token without its session cookie"
    assert browser.post(path, {**fields, "csrf": token}, {"Origin": "http://evil.example"})[0] == 403
    status, _ = browser.post(path, {**fields, "csrf": token}, {"Content-Type": "application/json"})
    assert status == 415
    assert browser.post(path, {**fields, "csrf": token, "value": "lots"})[0] == 400
    assert browser.post(path, {**fields, "csrf": token, "property": "colour"})[0] == 400
    assert browser.post("/events/000000000000-ev1/review", {**fields, "csrf": token})[0] == 404
    assert browser.post(path, {**fields, "csrf": token, "note": "x" * 20_000})[0] == 413
    assert browser.request(path)[0] == 405, "a review is never a GET"
    with closing(sqlite3.connect(db)) as raw:
        assert raw.execute("SELECT count(*) FROM corrections").fetchone()[0] == 0


# --- who may ask ---------------------------------------------------------------------------------


def test_only_loopback_host_names_are_answered_without_a_token(site: str) -> None:
    browser = Browser.at(site)
    for host in ("evil.example", "evil.example:80", "10.0.0.1", "192.168.1.2:8000"):
        status, _, body = browser.request("/", headers={"Host": host})
        assert status == 400 and "Islamic" not in body, host
    for host in ("localhost", "127.0.0.1:1", "[::1]:8000"):
        assert browser.request("/", headers={"Host": host})[0] == 200, host
    assert is_loopback_host("127.0.0.2:9") and not is_loopback_host("127.0.0.1.evil.example")


def test_a_token_is_required_when_one_is_set(seed_kb: Path) -> None:
    import threading
    import time

    import uvicorn

    port = free_port()
    config = uvicorn.Config(create_app(seed_kb, token=TOKEN), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive()
        time.sleep(0.01)
    base = f"http://127.0.0.1:{port}"
    try:
        for path in ("/", "/events", "/static/style.css", "/api/map.json"):
            got = fetch(base, path)
            assert got.status == 401 and "Islamic" not in got.body, path
            assert "default-src 'self'" in got.headers.get("Content-Security-Policy", "")
        assert Browser.at(base).request("/", headers={"Authorization": f"Bearer {TOKEN}"})[0] == 200
        assert Browser.at(base).request("/", headers={"Authorization": "Bearer wrong"})[0] == 401
        assert fetch(base, "/?token=wrong").status == 401
        browser = Browser.at(base)
        status, headers, _ = browser.request(f"/events?type=bombing&token={TOKEN}")
        assert status == 303 and headers["Location"] == "/events?type=bombing"
        assert "HttpOnly" in headers["Set-Cookie"] and "samesite=strict" in headers["Set-Cookie"].lower()
        assert browser.request("/events?type=bombing")[0] == 200, "the cookie carries the token from now on"
        assert browser.request("/", headers={"Host": "example.org"})[0] == 200, "with a token, any host name"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_serve_refuses_a_non_loopback_address_without_a_token(seed_kb: Path) -> None:
    for args, message in [
        (["--host", "0.0.0.0"], "give --token"),  # noqa: S104
        (["--host", "0.0.0.0", "--token", "short"], "at least 16"),  # noqa: S104
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "conflictkb.cli", "serve", "--db", str(seed_kb), "--port", str(free_port()), *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            env={k: v for k, v in cli_env().items() if k != "CONFLICTKB_TOKEN"},
            cwd=ROOT,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")  # noqa: S104


def test_an_older_store_is_migrated_when_served(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "v3.sqlite"
    shutil.copy(seed_kb, db)
    with closing(sqlite3.connect(db)) as raw:
        downgrade_to_version_3(raw)
    with serving(db) as base:
        assert read_page(base, "/events").rows
