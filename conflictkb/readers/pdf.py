"""PDF files: the embedded text layer, page by page, via pypdf.

Many conflict reports are PDFs; scanned ones have no text layer and need OCR, which is out of
scope, so they are skipped with a message that says so ("no text; needs OCR") instead of
yielding an empty document. pypdf caps how far it inflates a compressed stream (about 75 MB), so
a decompression bomb costs bounded memory and is refused as such. Pages are joined with a blank
line (``"\\n\\n"``) so that no sentence runs across a page break. Malformed files raise a wide
range of errors deep inside pypdf; all of them become a SkipFile so one bad file never stops a
batch.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import LimitReachedError

from conflictkb.model import Document, SkipFile

# pypdf logs every oddity of a malformed file to stderr; the reader's SkipFile reason already
# tells the user what matters, so only pypdf's errors are let through.
logging.getLogger("pypdf").setLevel(logging.ERROR)

T = TypeVar("T")
# Tools write these when the author set no title; they would only mislead a reader.
_PLACEHOLDER_TITLES = frozenset({"untitled", "untitled document"})


def _open(data: bytes) -> PdfReader:
    """Parse the PDF and unlock it if it only has an owner password."""
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, ...)
        raise SkipFile(f"not a valid PDF: {_short(exc)}") from exc
    if encrypted:
        try:
            unlocked = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except Exception as exc:  # unsupported algorithm or missing crypto dependency
            raise SkipFile(f"encrypted PDF: cannot decrypt: {_short(exc)}") from exc
        if not unlocked:
            raise SkipFile("encrypted PDF: needs a password")
    return reader


def _pages_text(reader: PdfReader) -> str:
    """Every page's text joined with a blank line; SkipFile on a page pypdf cannot parse."""
    try:
        pages = list(reader.pages)
    except Exception as exc:  # a broken page tree fails while listing the pages
        raise SkipFile(f"not a valid PDF: {_short(exc)}") from exc
    texts: list[str] = []
    for number, page in enumerate(pages, start=1):
        try:
            text = page.extract_text()
            if not text.strip():
                _check_contents(page)
        except LimitReachedError as exc:
            raise SkipFile(f"refused: page {number} inflates past pypdf's limit (decompression bomb?)") from exc
        except Exception as exc:  # a broken content stream on this page
            raise SkipFile(f"not a valid PDF: page {number}: {_short(exc)}") from exc
        texts.append(text)
    return "\n\n".join(texts)


def _check_contents(page: PageObject) -> None:
    """Inflate a textless page's content stream (bounded by pypdf) to tell a bomb from a scan:
    ``extract_text`` swallows the LimitReachedError of a bomb and returns an empty string."""
    contents = page.get_contents()
    if contents is not None:
        contents.get_data()


def _quietly(get: Callable[[], T]) -> T | None:
    """``get()``, or None if the malformed value it reads raises anything at all."""
    try:
        return get()
    # Metadata is optional: a broken info dictionary or date costs only that field.
    except Exception:  # noqa: BLE001
        return None


def _metadata(reader: PdfReader) -> tuple[str | None, str | None]:
    """Title and creation day (``YYYY-MM-DD``) from the info dictionary, if readable."""
    info = _quietly(lambda: reader.metadata)
    if info is None:
        return None, None
    title = _quietly(lambda: (info.title or "").strip() or None)
    if title and title.lower() in _PLACEHOLDER_TITLES:
        title = None
    created = _quietly(lambda: info.creation_date)
    return title, created.date().isoformat() if created else None


def _short(exc: Exception) -> str:
    """A one-line reason for the user, not a traceback."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return message[:120] or type(exc).__name__


def read_pdf(path: Path, data: bytes) -> Document:
    """Build a Document from a PDF's bytes; SkipFile if encrypted, broken or scanned."""
    reader = _open(data)
    text = _pages_text(reader)
    if not text.strip():
        raise SkipFile("no text; needs OCR (the PDF has no text layer)")
    title, published = _metadata(reader)
    return Document(
        id=hashlib.sha256(data).hexdigest(),
        path=str(path),
        format="pdf",
        text=text,
        title=title,
        published=published,
        published_basis="pdf metadata" if published else None,
        n_bytes=len(data),
    )
