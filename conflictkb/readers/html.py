"""HTML pages: keep the article, drop the navigation, menus and scripts around it.

Saved news pages are mostly boilerplate; extracting events from menus and cookie banners
would invent noise, so trafilatura picks the main text. Short pages defeat trafilatura's
heuristics, so when it finds nothing the whole ``<body>`` is read with the standard
library parser instead. Paragraphs are separated by a blank line (``"\\n\\n"``) in both
paths, the same convention as the PDF and DOCX readers, so later stages see one shape.
The publication date comes from the page's own metadata, never from the network. Bytes that
decode to control characters are binary data under an HTML suffix and refused before parsing.
"""

from __future__ import annotations

import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import htmldate
import trafilatura

from conflictkb.model import Document, SkipFile
from conflictkb.readers.text import check_text, decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe"})
# Tags that end one paragraph and start the next in the fallback's output.
# fmt: off
_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "td",
    "th", "tr", "ul",
})
# fmt: on


class _BodyText(HTMLParser):
    """Collect visible text as paragraphs, plus the ``<title>``, skipping scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.title_parts: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "body":  # an unclosed <head> must not hide the whole page
            self._skip_depth = 0
        elif tag in _SKIP_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag in _SKIP_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif self._skip_depth == 0:
            self._current.append(data)

    def _flush(self) -> None:
        paragraph = " ".join("".join(self._current).split())
        if paragraph:
            self.paragraphs.append(paragraph)
        self._current = []

    def close(self) -> None:
        super().close()
        self._flush()


def _fallback(html: str) -> tuple[str, str | None]:
    """Plain ``<body>`` text and ``<title>`` for pages trafilatura gives up on."""
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    title = " ".join("".join(parser.title_parts).split()) or None
    return "\n\n".join(parser.paragraphs), title


def _main_text(html: str) -> tuple[str, str | None]:
    """Main text and title from trafilatura, falling back to the whole body."""
    try:
        result = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=True,
            favor_recall=True,
            with_metadata=True,
        )
    # trafilatura/lxml raise assorted errors on malformed markup; the fallback copes.
    except Exception:  # noqa: BLE001
        result = None
    text = getattr(result, "text", None) or ""
    title = getattr(result, "title", None) or None
    lines = [line.rstrip() for line in text.split("\n") if line.strip()]
    if lines:
        return "\n\n".join(lines), title
    body, fallback_title = _fallback(html)
    return body, title or fallback_title


def _published(html: str) -> str | None:
    """The page's own publication date as ``YYYY-MM-DD``, from its metadata only."""
    try:
        found = htmldate.find_date(html, original_date=True, extensive_search=False)
    # htmldate raises assorted errors on odd markup; a missing date is not fatal.
    except Exception:  # noqa: BLE001
        return None
    return found if isinstance(found, str) and _ISO_DAY.match(found) else None


def read_html(path: Path, data: bytes) -> Document:
    """Build a Document from an HTML file's bytes; SkipFile if the page has no text."""
    declared = _META_CHARSET.search(data[:4096])
    html, encoding = decode_bytes(data, declared.group(1).decode("ascii") if declared else None)
    check_text(html)
    text, title = _main_text(html)
    if not text.strip():
        raise SkipFile("no text")
    published = _published(html)
    return Document(
        id=hashlib.sha256(data).hexdigest(),
        path=str(path),
        format="html",
        text=text,
        title=title,
        published=published,
        published_basis="html metadata" if published else None,
        encoding=encoding,
        n_bytes=len(data),
    )
