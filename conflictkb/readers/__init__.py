"""Readers: turn one file of a supported format into a Document, or say why not.

``read`` is the single entry point: it checks size and readability once, hashes the
bytes for the document id, and dispatches on the suffix. Every problem with the input
becomes a SkipFile carrying a short reason for the user, so a batch over thousands of
files reports the bad ones and carries on.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from conflictkb.model import Document, SkipFile
from conflictkb.readers.docx import read_docx
from conflictkb.readers.html import read_html
from conflictkb.readers.pdf import read_pdf
from conflictkb.readers.text import decode_bytes, read_text
from conflictkb.readers.walk import SUPPORTED_SUFFIXES, iter_inputs

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SUPPORTED_SUFFIXES",
    "decode_bytes",
    "iter_inputs",
    "read",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

Reader = Callable[[Path, bytes], Document]
_READERS: dict[str, Reader] = {
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def _load(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, after refusing what is not a regular, readable, non-empty file."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise SkipFile("not a regular file")
        if info.st_size > max_bytes:
            raise SkipFile(f"too large: {info.st_size} bytes > {max_bytes}; use --max-bytes to raise the limit")
        data = path.read_bytes()
    except OSError as exc:
        raise SkipFile(f"cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise SkipFile("empty file")
    return data


def read(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document; raise SkipFile with a reason for anything unusable."""
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        raise SkipFile(f"unsupported format: {suffix or path.name}")
    data = _load(path, max_bytes)
    try:
        document = reader(path, data)
    except SkipFile:
        raise
    except Exception as exc:  # last line of defence: bad input must never stop a batch
        reason = f"{type(exc).__name__}: {exc}"[:120]
        raise SkipFile(f"cannot parse {suffix[1:]}: {reason}") from exc
    if not document.text.strip():
        raise SkipFile("no text")
    return document
