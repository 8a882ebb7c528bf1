"""Plain text and Markdown: turn bytes of any encoding into the document's original text.

Conflict reports arrive as exports from many systems, so a file may be UTF-8, UTF-16 with
a BOM, or a legacy 8-bit code page such as cp1251 (Russian) or cp1252 (French, Spanish).
Decoding never fails: the last resort replaces undecodable bytes instead of skipping the
file, because a few bad characters must not cost the whole report. A half-downloaded UTF-8
file cut inside a character is still UTF-8 (the cut character becomes U+FFFD), not mojibake.
What decodes only to control characters is binary data under a text suffix (a PDF renamed
``.txt``, random bytes): ``check_text`` refuses it rather than store noise as a document.

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

from conflictkb.model import Document, SkipFile

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
# Control characters other than whitespace, and U+FFFD: real text has next to none; any 8-bit
# decoding of random bytes has over 10% (0x00-0x1F alone are 27 of 256 byte values).
_NOT_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_MAX_NOT_TEXT = 0.05
_SAMPLE_CHARS = 1_000_000  # binary data shows in the first megabyte; no need to scan 50 MB
# Typographic punctuation a Western cp1252 text may hold beside its accented letters.
_WESTERN_PUNCTUATION = frozenset("\u00a0«»°§£€¿¡·–—‘’‚“”„…•‹›™©®´¨ºª")
_WESTERN_MAX_ACCENTED = 0.3


def decode_bytes(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``; never raises on bad bytes.

    Order: BOM, UTF-8 (UTF-16 without a BOM when that UTF-8 is mostly control characters),
    the caller's ``hint`` (an HTML ``<meta charset>``), Western cp1252 when the text looks like
    it, charset_normalizer's best guess, then latin-1, which accepts any byte.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    utf8 = _utf8(data)
    if utf8 is not None:
        return _wide_unless_text(data, utf8)
    hinted = _known_codec(hint)
    if hinted:
        try:
            return data.decode(hinted), hinted
        except UnicodeDecodeError:
            pass
    if _looks_western(data):
        return data.decode(_WESTERN), _WESTERN
    guess = _guess_encoding(data)
    if guess is not None:
        try:
            return data.decode(guess), guess
        except UnicodeDecodeError:
            return data.decode(guess, errors="replace"), guess
    return data.decode("latin-1"), "latin-1"


def _utf8(data: bytes) -> str | None:
    """``data`` as UTF-8, tolerating only a character cut off at the very end (a truncated
    download); None if it is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.end == len(data) and exc.reason == "unexpected end of data":
            return data.decode("utf-8", errors="replace")
        return None


def _wide_unless_text(data: bytes, utf8: str) -> tuple[str, str]:
    """UTF-8 as decoded, unless it is control characters that UTF-16 without a BOM reads as text:
    UTF-16 of ASCII or Cyrillic is valid UTF-8 full of NULs and 0x04 bytes."""
    if not_text_share(utf8) <= _MAX_NOT_TEXT:
        return utf8, "utf-8"
    for encoding in _wide_order(data):
        try:
            wide = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not_text_share(wide) <= _MAX_NOT_TEXT:
            return wide, encoding
    return utf8, "utf-8"


def _wide_order(data: bytes) -> tuple[str, str]:
    """UTF-16 byte orders, likelier first: the high byte of each unit (0x00 for ASCII, 0x04 for
    Cyrillic) is a control byte, at odd offsets in little-endian and even ones in big-endian."""
    sample = data[:_SAMPLE_CHARS]
    odd = sum(1 for byte in sample[1::2] if byte < 0x20)
    even = sum(1 for byte in sample[0::2] if byte < 0x20)
    return ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")


def not_text_share(text: str) -> float:
    """The share of control characters (other than whitespace) and U+FFFD in the text's start."""
    sample = text[:_SAMPLE_CHARS]
    return sum(1 for _ in _NOT_TEXT.finditer(sample)) / len(sample) if sample else 0.0


def check_text(text: str) -> None:
    """SkipFile if decoded ``text`` is binary data under a text suffix, not text."""
    share = not_text_share(text)
    if share > _MAX_NOT_TEXT:
        raise SkipFile(f"binary data, not text ({share:.0%} control or undecodable characters)")


def _looks_western(data: bytes) -> bool:
    """True for mostly-ASCII text whose other bytes are, in cp1252, letters or typographic
    punctuation: French, Spanish, German... Short texts defeat statistical detectors ("café"
    came out as mac_latin2), while Cyrillic or Greek in their code pages is mostly non-ASCII."""
    try:
        text = data.decode(_WESTERN)
    except UnicodeDecodeError:
        return False
    accented = [c for c in text if ord(c) > 127]
    if not accented or any(not c.isalpha() and c not in _WESTERN_PUNCTUATION for c in accented):
        return False
    letters = sum(1 for c in text if c.isalpha())
    return sum(1 for c in accented if c.isalpha()) <= _WESTERN_MAX_ACCENTED * letters


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
    check_text(text)
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
