"""Fuzzing, bounded in time: offsets through the whole pipeline, and every reader on hostile bytes.

The offsets property is the promise citations rest on: for any text, every span the pipeline
reports (mentions, event evidence and per-field spans, relation evidence) is the exact slice of
the original text, and a store holding the result passes ``conflictkb check``. Texts are built from
the seeds' sentences (so that events and relations are found) joined and broken by what real files
hold: hard wraps, hyphenated breaks, soft hyphens, CRLF, zero-width and non-Latin characters.

Each reader is called directly, without ``read``'s last-resort catch-all, on random bytes and on
valid files of its format with bytes flipped and tails cut: it must return a document or raise
``SkipFile``, never anything else. ``max_examples`` bounds every test, so the file takes seconds.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# reportlab ships no type hints and no stubs package is installed; tests only.
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from conflictkb.engines.local import write_facts
from conflictkb.extract import Extractor
from conflictkb.model import Document, DocumentFacts, SkipFile, Span
from conflictkb.readers.docx import read_docx
from conflictkb.readers.html import read_html
from conflictkb.readers.pdf import read_pdf
from conflictkb.readers.text import read_text
from conflictkb.store import Store
from conflictkb.store.check import check_store

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
SENTENCES = [
    s.strip()
    for path in sorted(SEEDS.iterdir())
    for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8"))
    if 20 < len(s.strip()) < 300
]
BREAKS = [" ", "\n", "\n\n", "\r\n", "-\n", "\u00ad", "\u200b", "  \n  ", "\t", " \u00a0"]
NOISE = st.text(alphabet=st.sampled_from(list("ab -\n\r\t\u00ad\u200b\u00a0\ufeffЖ中é.,\"'()")), max_size=6)
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def report_texts(draw: st.DrawFn) -> str:
    """Seed sentences, some cut at a random point, joined by breaks and noise."""
    parts: list[str] = []
    for sentence in draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=6)):
        cut = draw(st.integers(len(sentence) // 2, len(sentence)))
        parts.append(sentence[:cut] + draw(st.sampled_from(BREAKS)) + draw(NOISE))
    return "".join(parts)


def spans_of(facts: DocumentFacts) -> list[tuple[str, int, int, str]]:
    """Every (what, start, end, text) the pipeline reports against the original text."""
    out = [("mention", m.start, m.end, m.text) for m in facts.mentions]
    for event in facts.events:
        spans: list[Span] = [*event.evidence, *event.spans.values()]
        out += [(f"event {event.id}", s.start, s.end, s.text) for s in spans]
    for relation in facts.relations:
        out += [(f"relation {relation.id}", s.start, s.end, s.text) for s in relation.evidence]
    return out


def document(text: str, name: str = "fuzz.txt") -> Document:
    return Document(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), name, "txt", text)


@FAST
@given(report_texts())
def test_every_span_of_any_text_is_its_original_slice(extractor: Extractor, text: str) -> None:
    facts = extractor(document(text))
    for what, start, end, quoted in spans_of(facts):
        assert 0 <= start <= end <= len(text), what
        assert text[start:end] == quoted, what
    for sentence in facts.sentences:
        assert 0 <= sentence.start <= sentence.end <= len(text)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(report_texts(), min_size=1, max_size=3))
def test_a_store_of_any_texts_passes_check(extractor: Extractor, texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "kb.sqlite"
        with Store(db) as store:
            for i, text in enumerate(texts):
                facts = extractor(document(text, f"fuzz{i}.txt"))
                if facts.document.id not in {row[0] for row in store.conn.execute("SELECT id FROM documents")}:
                    write_facts(store, f"{folder}/fuzz{i}.txt", facts)
        assert [f.rule for f in check_store(db) if not f.ok] == []


# --- Readers -------------------------------------------------------------------------------------------------


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Militants attacked a checkpoint near Khujand, killing two soldiers.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Osh"
    table.rows[0].cells[1].text = "1999"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _pdf() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True, pageCompression=1)
    pdf.drawString(72, 750, "Militants attacked a checkpoint near Khujand, killing two soldiers.")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


VALID: dict[str, bytes] = {
    ".txt": "Militants attacked a checkpoint near Khujand.\r\nBoевики — café.".encode("cp1251", "replace"),
    ".md": "# Report\n\nMilitants attacked a checkpoint near Khujand.".encode("utf-16"),
    ".html": b"<html><head><meta charset='latin-1'><title>R</title></head><body><p>Attack near Osh.</p>"
    b"<p>Two soldiers were killed.</p></body></html>",
    ".pdf": _pdf(),
    ".docx": _docx(),
}
READERS: dict[str, Callable[[Path, bytes], Document]] = {
    ".txt": read_text,
    ".md": read_text,
    ".html": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
}


def outcome(suffix: str, data: bytes) -> Document | SkipFile:
    """The reader's document, or its SkipFile; any other exception fails the test."""
    try:
        doc = READERS[suffix](Path(f"fuzz{suffix}"), data)
    except SkipFile as skip:
        assert skip.reason
        return skip
    assert isinstance(doc.text, str) and doc.n_bytes == len(data)
    assert "\r" not in doc.text or suffix not in (".txt", ".md")
    return doc


@st.composite
def mutated(draw: st.DrawFn, suffix: str) -> bytes:
    """A valid file of the format with a few bytes flipped, a slice dropped or its tail cut."""
    data = bytearray(VALID[suffix])
    for _ in range(draw(st.integers(0, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        start = draw(st.integers(0, len(data)))
        del data[start : start + draw(st.integers(0, 64))]
    return bytes(data[: draw(st.integers(0, len(data)))]) if draw(st.booleans()) else bytes(data)


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_reads_its_valid_sample(suffix: str) -> None:
    assert isinstance(outcome(suffix, VALID[suffix]), Document)


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_readers_survive_random_bytes(suffix: str) -> None:
    @settings(max_examples=40, deadline=None)
    @given(st.binary(max_size=2048))
    def run(data: bytes) -> None:
        outcome(suffix, data)

    run()


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_readers_survive_damaged_files(suffix: str) -> None:
    @settings(max_examples=60, deadline=None)
    @given(mutated(suffix))
    def run(data: bytes) -> None:
        outcome(suffix, data)

    run()


@settings(max_examples=100, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200),
    st.sampled_from(["utf-8", "utf-16", "utf-32"]),
)
def test_text_in_a_unicode_encoding_reads_back_exactly(text: str, encoding: str) -> None:
    """Any text without control characters, in UTF-8 or with a UTF-16/32 BOM, is read back as written."""
    if encoding == "utf-8" and text.startswith("\ufeff"):
        text = text[1:] or "x"  # a leading U+FEFF in UTF-8 is the BOM, and is dropped
    result = outcome(".txt", text.encode(encoding))
    if isinstance(result, SkipFile):
        assert not text.strip() or result.reason.startswith("binary data")
        return
    assert result.text == text
