"""Plain text and Markdown: turn bytes of any encoding into the document's original text.

Conflict reports arrive as exports from many systems, so a file may be UTF-8, UTF-16 with
a BOM, or a legacy 8-bit code page such as cp1251 (Russian) or cp1252 (French, Spanish).
Decoding never fails: the last resort replaces undecodable bytes instead of skipping the
file, because a few bad characters must not cost the whole report.

The one change made to the decoded text is line-ending normalisation: ``"\\r\\n"`` and a
lone ``"\\r"`` both become ``"\\n"``. Everything else is kept byte-for-byte as decoded,
since every later offset points into this text.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from pathlib import Path

from charset_normalizer import from_bytes

from conflictkb.model import Document

# Longest BOMs first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset_normalizer often ranks cp1257/cp1250 first for short Western European text,
# where the candidates are near-ties; cp1252 is by far the commonest legacy encoding
# (WHATWG even maps "latin-1" to it), so it wins a tie within this chaos margin.
_WESTERN = "cp1252"
_WESTERN_MARGIN = 0.1
_MD_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$")


def decode_bytes(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; never raises on bad bytes.

    Order: BOM, strict UTF-8, the caller's ``hint`` (an HTML ``<meta charset>``),
    charset_normalizer's best guess, then latin-1, which accepts any byte.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    hinted = _known_codec(hint)
    for encoding in ("utf-8", hinted) if hinted else ("utf-8",):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    guess = _guess_encoding(data)
    if guess is not None:
        try:
            return data.decode(guess), guess
        except UnicodeDecodeError:
            return data.decode(guess, errors="replace"), guess
    return data.decode("latin-1"), "latin-1"


def _known_codec(name: str | None) -> str | None:
    """Return ``name`` if Python knows the codec, else None (hints come from untrusted files)."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # As browsers do (WHATWG): a page labelled latin-1 is really cp1252.
    return _WESTERN if codec == "iso8859-1" else codec


def _guess_encoding(data: bytes) -> str | None:
    """Ask charset_normalizer, preferring cp1252 when it is a near-tie with the best guess."""
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        near_tie = match.chaos <= best.chaos + _WESTERN_MARGIN
        if near_tie and _WESTERN in match.could_be_from_charset:
            return _WESTERN
    return str(best.encoding)


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n`` so offsets do not depend on the OS."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def markdown_title(text: str) -> str | None:
    """The first level-1 ATX heading (``# Title``) outside fenced code, if any."""
    in_fence = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        match = None if in_fence else _MD_TITLE.match(line)
        if match:
            return match.group(1)
    return None


def read_text(path: Path, data: bytes) -> Document:
    """Build a Document from a ``.txt`` or ``.md`` file's bytes."""
    text, encoding = decode_bytes(data)
    text = normalise_newlines(text)
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return Document(
        id=hashlib.sha256(data).hexdigest(),
        path=str(path),
        format=fmt,
        text=text,
        title=markdown_title(text) if fmt == "md" else None,
        encoding=encoding,
        n_bytes=len(data),
    )
