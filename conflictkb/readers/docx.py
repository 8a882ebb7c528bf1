"""Word documents (``.docx``): body paragraphs and table cells, via python-docx.

A DOCX is a zip archive, and a zip can declare gigabytes of content in a few kilobytes
(a "zip bomb"). The central directory is checked before python-docx inflates anything.
A zip may lie about its sizes, and ``ZipFile.read`` inflates a whole entry before cutting
it to the declared size, so every entry is then streamed through in small chunks, which
stops at the declared size (a lie ends in a CRC error) before python-docx reads it. An XML
part is also capped on its own, since its parsed tree costs several times its size in
memory. lxml refuses entity expansion ("billion laughs") by itself. Blocks (paragraphs,
table rows) are separated by a blank line (``"\\n\\n"``), the cells of a row by a tab.
Headers, footers, footnotes and text boxes
are not read: reports keep their substance in the body.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from conflictkb.model import Document, SkipFile

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_XML_PART = 50 * 1024 * 1024
MAX_RATIO = 100
_LARGE_ENTRY = 1024 * 1024  # small XML parts compress very well and are harmless
_CHUNK = 64 * 1024
_BOMB = "refused: suspicious compression (zip bomb?)"


def check_zip(data: bytes) -> None:
    """SkipFile unless ``data`` is a zip whose declared sizes are plausible for a DOCX."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            _check_sizes(entries)
            for entry in entries:
                _stream(archive, entry)
    # zipfile's errors for a broken archive, an encrypted entry (RuntimeError), an unknown method
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, RuntimeError, EOFError) as exc:
        raise SkipFile(f"not a valid DOCX: {exc}") from exc


def _stream(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Inflate ``entry`` chunk by chunk, in bounded memory, so that its CRC is checked."""
    with archive.open(entry) as handle:
        while handle.read(_CHUNK):
            pass


def _check_sizes(entries: list[zipfile.ZipInfo]) -> None:
    """SkipFile if the declared sizes are implausible for a DOCX."""
    if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED:
        raise SkipFile(_BOMB)
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > _LARGE_ENTRY and ratio > MAX_RATIO:
            raise SkipFile(_BOMB)
        if entry.filename.endswith((".xml", ".rels")) and entry.file_size > MAX_XML_PART:
            raise SkipFile(f"refused: {entry.filename} inflates to {entry.file_size} bytes (over {MAX_XML_PART})")


def _row_text(row_cells: list[str]) -> str:
    """One table row as tab-separated cells; merged cells appear once."""
    unique = [cell for i, cell in enumerate(row_cells) if i == 0 or cell != row_cells[i - 1]]
    return "\t".join(unique)


def _table_blocks(table: Table) -> list[str]:
    """Each non-empty row of the table as one block."""
    rows = (_row_text([cell.text for cell in row.cells]) for row in table.rows)
    return [row for row in rows if row.strip()]


def _body_text(document: DocxDocument) -> str:
    """Paragraphs and table rows in document order, joined with a blank line."""
    blocks: list[str] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            if item.text.strip():
                blocks.append(item.text)
        elif isinstance(item, Table):
            blocks.extend(_table_blocks(item))
    return "\n\n".join(blocks)


def read_docx(path: Path, data: bytes) -> Document:
    """Build a Document from a DOCX file's bytes; SkipFile if broken or a zip bomb."""
    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        text = _body_text(document)
        properties = document.core_properties
        title = (properties.title or "").strip() or None
        created = properties.created
    except Exception as exc:  # python-docx raises KeyError, lxml errors, OPC errors...
        raise SkipFile(f"not a valid DOCX: {str(exc)[:120] or type(exc).__name__}") from exc
    if not text.strip():
        raise SkipFile("no text")
    published = created.date().isoformat() if created else None
    return Document(
        id=hashlib.sha256(data).hexdigest(),
        path=str(path),
        format="docx",
        text=text,
        title=title,
        published=published,
        published_basis="docx metadata" if published else None,
        n_bytes=len(data),
    )
