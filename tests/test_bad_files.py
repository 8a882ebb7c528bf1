"""Bad input never stops a run: every kind of broken, hostile or odd file is reported with its reason.

Each file is generated here, in tmp_path: empty, truncated and random-bytes files under every
supported suffix, encrypted and scanned PDFs, decompression bombs (PDF and DOCX, in several
shapes), HTML without a body, a 200 MB sparse text file, symlink loops, a named pipe, unreadable
files and folders, and text in cp1251, UTF-16 and latin-1. The readers are tested in this process
(memory measured with tracemalloc), then the whole corpus goes through ``conflictkb ingest`` as a
user runs it, and the summary and ``conflictkb status`` must name every file with its reason.
"""

from __future__ import annotations

import ctypes
import io
import os
import random
import re
import sqlite3
import struct
import subprocess
import sys
import tracemalloc
import warnings
import zipfile
import zlib
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

# reportlab ships no type hints and no stubs package is installed; tests only.
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from conflictkb.engines.local import ingest, plan
from conflictkb.extract import Extractor
from conflictkb.model import SkipFile
from conflictkb.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, iter_inputs, read
from conflictkb.readers.docx import MAX_XML_PART, check_zip
from conflictkb.store import Store

RUSSIAN = "Боевики атаковали деревню в понедельник, убив пятерых мирных жителей."
FRENCH = "Le café était fermé."  # short: statistical detectors call it mac_latin2
REPORT = (
    "Militants of the Islamic Movement of Uzbekistan attacked a checkpoint near Khujand on 3 May 2001, "
    "killing two soldiers, officials said. The army sent reinforcements to the valley."
)
SUFFIXES = sorted(SUPPORTED_SUFFIXES)
MB = 1024 * 1024
MAX_BYTES = 2 * MB  # the corpus's --max-bytes


def skip_reason(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    with pytest.raises(SkipFile) as info:
        read(path, max_bytes=max_bytes)
    return info.value.reason


def peak_bytes(call: Callable[[], object]) -> int:
    """The peak of Python allocations while ``call`` runs (bytes objects and strings included)."""
    tracemalloc.start()
    try:
        call()
    except SkipFile:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# --- Generators: a good file of each format, then damaged and hostile ones -----------------------------------


def pdf_bytes(pages: list[str], *, draw_only: bool = False) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=True)
    for text in pages:
        if draw_only:  # a scan: shapes and no text layer
            pdf.rect(100, 100, 200, 300, fill=1)
        else:
            pdf.drawString(72, 750, text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def html_bytes(paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>Report</title></head><body>{body}</body></html>".encode()


def good_bytes(suffix: str) -> bytes:
    paragraphs = [f"{REPORT} Paragraph {i}." for i in range(6)]
    if suffix == ".pdf":
        return pdf_bytes(paragraphs)
    if suffix == ".docx":
        return docx_bytes(paragraphs)
    if suffix in (".html", ".htm"):
        return html_bytes(paragraphs)
    return "\n\n".join(paragraphs).encode()


def random_bytes(seed: int, size: int = 4096) -> bytes:
    return random.Random(seed).randbytes(size)  # noqa: S311 -- reproducible junk, not a secret


def encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Secret content."]))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_flate_bomb() -> bytes:
    """A one-page PDF whose content stream inflates from 100 kB to 100 MB (pypdf stops at 75 MB)."""
    payload = b"BT /F1 12 Tf 72 750 Td (x) Tj ET\n" + b" " * (100 * MB)
    stream = zlib.compress(payload, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def zip_bomb_one_entry(path: Path) -> Path:
    """300 MB of zeros in word/document.xml, streamed: about 1.4 MB on disk."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as entry,
    ):
        for _ in range(300):
            entry.write(bytes(MB))
    return path


def zip_bomb_many_entries(path: Path) -> Path:
    """210 parts of 1 MB each: no part looks suspicious, together they pass the 200 MB cap."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for i in range(210):
            archive.writestr(f"word/media/part{i}.bin", bytes(MB))
    return path


def _patch_sizes(data: bytearray, name: str, *, size: int, compressed: int | None = None) -> None:
    """Make the zip's local and central headers of ``name`` declare other sizes than the truth."""
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len] == name.encode():
            local = struct.unpack_from("<I", data, pos + 42)[0]
            struct.pack_into("<I", data, pos + 24, size)
            struct.pack_into("<I", data, local + 22, size)
            if compressed is not None:
                struct.pack_into("<I", data, pos + 20, compressed)
                struct.pack_into("<I", data, local + 18, compressed)
            return
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(f"{name} not in the zip")


def zip_bomb_lying_sizes() -> bytes:
    """A real DOCX whose document.xml declares 2,000 bytes but inflates to 100 MB."""
    good = zipfile.ZipFile(io.BytesIO(docx_bytes(["Body."])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, good.read(info.filename))
        with archive.open("word/document.xml", "w") as entry:
            for _ in range(100):
                entry.write(b" " * MB)
    data = bytearray(buffer.getvalue())
    _patch_sizes(data, "word/document.xml", size=2000)
    return bytes(data)


def billion_laughs_docx() -> bytes:
    """A DOCX whose document.xml defines nested entities that would expand to gigabytes."""
    entities = '<!ENTITY lol "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">' for i in range(1, 10)
    )
    good = zipfile.ZipFile(io.BytesIO(docx_bytes(["Militants attacked."])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in good.infolist():
            data = good.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode()
                body = xml[xml.index("?>") + 2 :].replace("Militants", "&lol9; Militants", 1)
                data = f'<?xml version="1.0"?>\n<!DOCTYPE lolz [{entities}]>\n{body}'.encode()
            archive.writestr(info, data)
    return buffer.getvalue()


# --- Readers, in this process ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_empty_file_under_every_suffix(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert skip_reason(path) == "empty file"


RANDOM_REASON = {
    ".txt": "binary data, not text",
    ".md": "binary data, not text",
    ".html": "binary data, not text",
    ".htm": "binary data, not text",
    ".pdf": "not a valid PDF",
    ".docx": "not a valid DOCX",
}


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_random_bytes_under_every_suffix(tmp_path: Path, suffix: str) -> None:
    for seed in range(5):
        path = tmp_path / f"junk{seed}{suffix}"
        path.write_bytes(random_bytes(seed))
        assert skip_reason(path).startswith(RANDOM_REASON[suffix]), (seed, suffix)


def test_binary_under_a_text_suffix_says_how_much_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "renamed.txt"
    path.write_bytes(docx_bytes([REPORT]))  # a zip archive renamed .txt (ReportLab's PDFs are ASCII85: text)
    assert skip_reason(path).startswith("binary data, not text (")


def test_truncated_utf8_text_stays_utf8(tmp_path: Path) -> None:
    """A download cut inside a character: UTF-8 with one U+FFFD, not mojibake of another code page."""
    data = f"{REPORT} {RUSSIAN}".encode()
    for cut in (1, 2, 3, 5):  # Cyrillic letters are 2 bytes: some cuts split one
        path = tmp_path / f"cut{cut}.txt"
        path.write_bytes(data[:-cut])
        doc = read(path)
        assert doc.encoding == "utf-8"
        assert doc.text.rstrip("\ufffd") == data[:-cut].decode("utf-8", errors="ignore")
        assert RUSSIAN[:20] in doc.text


def test_truncated_pdf_and_docx_are_skipped(tmp_path: Path) -> None:
    for suffix, reason in ((".pdf", "not a valid PDF"), (".docx", "not a valid DOCX")):
        data = good_bytes(suffix)
        for fraction in (0.1, 0.5, 0.9):
            path = tmp_path / f"cut{fraction}{suffix}"
            path.write_bytes(data[: int(len(data) * fraction)])
            assert skip_reason(path).startswith(reason), (suffix, fraction)


def test_truncated_html_keeps_what_arrived(tmp_path: Path) -> None:
    data = good_bytes(".html")
    cut = data.index(b"Paragraph 3") + 4
    path = tmp_path / "cut.html"
    path.write_bytes(data[:cut])
    text = read(path).text
    assert "Paragraph 2." in text and "Paragraph 4" not in text
    (tmp_path / "head.htm").write_bytes(data[: data.index(b"<body>")])
    assert skip_reason(tmp_path / "head.htm") == "no text"


def test_html_without_body_is_no_text(tmp_path: Path) -> None:
    for i, html in enumerate(
        [b"<html><head><title>Only a title</title></head></html>", b"<html><head></head><body>  </body></html>"]
    ):
        (tmp_path / f"nobody{i}.html").write_bytes(html)
        assert skip_reason(tmp_path / f"nobody{i}.html") == "no text"


def test_encrypted_pdf_needs_a_password(tmp_path: Path) -> None:
    (tmp_path / "locked.pdf").write_bytes(encrypted_pdf())
    assert skip_reason(tmp_path / "locked.pdf") == "encrypted PDF: needs a password"


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(pdf_bytes(["", ""], draw_only=True))
    assert skip_reason(tmp_path / "scan.pdf").startswith("no text; needs OCR")


def test_pdf_decompression_bomb_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(pdf_flate_bomb())
    assert path.stat().st_size < MB
    assert "decompression bomb" in skip_reason(path)
    assert peak_bytes(lambda: read(path)) < 200 * MB  # pypdf's 75 MB cap, and a copy of it


def test_docx_zip_bombs_are_refused_before_inflating(tmp_path: Path) -> None:
    one = zip_bomb_one_entry(tmp_path / "one.docx")
    many = zip_bomb_many_entries(tmp_path / "many.docx")
    for path in (one, many):
        assert path.stat().st_size < 2 * MB
        assert skip_reason(path) == "refused: suspicious compression (zip bomb?)"
        assert peak_bytes(lambda path=path: read(path)) < 3 * MB + path.stat().st_size  # the bytes, no more


def test_docx_lying_about_its_sizes_inflates_only_what_it_declares(tmp_path: Path) -> None:
    path = tmp_path / "liar.docx"
    path.write_bytes(zip_bomb_lying_sizes())
    reason = skip_reason(path)
    assert reason.startswith("not a valid DOCX") and "CRC" in reason
    assert peak_bytes(lambda: read(path)) < 3 * MB + path.stat().st_size


def test_docx_with_a_huge_xml_part_is_refused_from_the_directory_alone() -> None:
    data = bytearray(docx_bytes(["Body."]))
    _patch_sizes(data, "word/document.xml", size=MAX_XML_PART + 1, compressed=MAX_XML_PART // 50)
    with pytest.raises(SkipFile, match=re.escape("refused: word/document.xml inflates to")):
        check_zip(bytes(data))


def test_docx_billion_laughs_is_refused(tmp_path: Path) -> None:
    (tmp_path / "laughs.docx").write_bytes(billion_laughs_docx())
    assert "entity amplification" in skip_reason(tmp_path / "laughs.docx")


def test_huge_text_file_is_refused_without_being_read(tmp_path: Path) -> None:
    """200 MB (sparse: no disk used) over the 50 MB default: refused from its size, in kilobytes of memory,
    both by the reader and by the engine's plan (which hashes files before reading them)."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(200 * MB)
    reason = skip_reason(path)
    assert reason == f"too large: {200 * MB} bytes > {DEFAULT_MAX_BYTES}; use --max-bytes to raise the limit"
    assert peak_bytes(lambda: read(path)) < MB
    with Store(tmp_path / "kb.sqlite") as store:
        assert peak_bytes(lambda: plan(store, path)) < MB


def test_a_file_one_byte_over_the_default_limit_is_skipped_by_ingest(tmp_path: Path, extractor: Extractor) -> None:
    """The default path, with no --max-bytes: one byte over 50 MB is refused (sparse: no disk, never read)."""
    root = tmp_path / "corpus"
    root.mkdir()
    _write(root, "report.txt", REPORT.encode())
    with (root / "over.txt").open("wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)
    with Store(tmp_path / "kb.sqlite") as store:
        summary = ingest([root], store, extractor, show_progress=False)
    assert summary.outcomes["ingested"] == 1
    assert summary.problems == [
        (
            str(root / "over.txt"),
            "skipped",
            f"too large: {DEFAULT_MAX_BYTES + 1} bytes > {DEFAULT_MAX_BYTES}; use --max-bytes to raise the limit",
        )
    ]


@pytest.mark.parametrize(
    ("data", "text", "encodings"),
    [
        (RUSSIAN.encode("cp1251"), RUSSIAN, {"cp1251"}),
        (RUSSIAN.encode("utf-16"), RUSSIAN, {"utf-16"}),
        (RUSSIAN.encode("utf-16-le"), RUSSIAN, {"utf-16-le"}),  # no BOM: valid UTF-8 full of 0x04 bytes
        (REPORT.encode("utf-16-be"), REPORT, {"utf-16-be"}),
        (FRENCH.encode("latin-1"), FRENCH, {"cp1252"}),
        ("Ataque en Cádiz: murió un niño, según la policía.".encode("latin-1"), None, {"cp1252"}),
        (f"{REPORT} — «{FRENCH}»".encode("cp1252"), None, {"cp1252"}),
    ],
)
def test_encodings_are_read_correctly(tmp_path: Path, data: bytes, text: str | None, encodings: set[str]) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(data)
    doc = read(path)
    assert doc.text == (text if text is not None else data.decode("cp1252"))
    assert doc.encoding in encodings


# --- The folder walk ---------------------------------------------------------------------------------------


def test_walk_reports_loops_broken_links_and_pipes(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "ok.txt").write_bytes(REPORT.encode())
    os.symlink("self.txt", root / "self.txt")
    os.symlink("b.md", root / "a.md")
    os.symlink("a.md", root / "b.md")
    os.symlink("nowhere.txt", root / "dangling.txt")
    os.symlink("selfdir", root / "selfdir")  # a loop where a folder might be
    os.symlink(".", root / "cycle")  # a link back to a folder walked: followed once, silently
    os.symlink("missing.jpg", root / "photo.jpg")  # no reader for it: ignored like any .jpg
    os.mkfifo(root / "pipe.txt")
    found = list(iter_inputs([root, root / "self.txt", root / "pipe.txt"]))
    assert found == [
        (root / "a.md", "symlink loop"),
        (root / "b.md", "symlink loop"),
        (root / "dangling.txt", "broken symlink: its target does not exist"),
        root / "ok.txt",
        (root / "pipe.txt", "not a regular file"),
        (root / "self.txt", "symlink loop"),
        (root / "selfdir", "symlink loop"),
        (root / "self.txt", "symlink loop"),  # named explicitly: reported, never read
        (root / "pipe.txt", "not a regular file"),  # reading a pipe would block forever
    ]


# --- The whole corpus through the command line ---------------------------------------------------------------


def _write(root: Path, name: str, data: bytes) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def bad_corpus(root: Path) -> dict[str, str]:
    """Write every bad file under ``root``; return relative path -> the reason ingest must give."""
    expected: dict[str, str] = {}
    for i, suffix in enumerate(SUFFIXES):
        _write(root, f"empty{suffix}", b"")
        _write(root, f"random{suffix}", random_bytes(100 + i))
        expected |= {f"empty{suffix}": "empty file", f"random{suffix}": RANDOM_REASON[suffix]}
    for suffix, reason in ((".pdf", "not a valid PDF"), (".docx", "not a valid DOCX"), (".htm", "no text")):
        data = good_bytes(suffix)
        _write(
            root, f"truncated{suffix}", data[: data.index(b"<body>")] if suffix == ".htm" else data[: len(data) // 2]
        )
        expected[f"truncated{suffix}"] = reason
    _write(root, "locked.pdf", encrypted_pdf())
    _write(root, "scan.pdf", pdf_bytes(["", ""], draw_only=True))
    _write(root, "bomb.pdf", pdf_flate_bomb())
    zip_bomb_one_entry(root / "bomb.docx")
    _write(root, "liar.docx", zip_bomb_lying_sizes())
    _write(root, "laughs.docx", billion_laughs_docx())
    _write(root, "nobody.html", b"<html><head><title>Only a title</title></head></html>")
    _write(root, "big.txt", b"x " * (3 * MB // 2))  # 3 MB, over --max-bytes (the bombs are under it)
    with (root / "huge.txt").open("wb") as handle:
        handle.truncate(200 * MB)
    expected |= {
        "locked.pdf": "encrypted PDF: needs a password",
        "scan.pdf": "no text; needs OCR",
        "bomb.pdf": "decompression bomb",
        "bomb.docx": "zip bomb",
        "liar.docx": "CRC",
        "laughs.docx": "entity amplification",
        "nobody.html": "no text",
        "big.txt": f"too large: {3 * MB} bytes > {MAX_BYTES}; use --max-bytes",
        "huge.txt": f"too large: {200 * MB} bytes > {MAX_BYTES}; use --max-bytes",
    }
    return expected | _odd_entries(root)


def _odd_entries(root: Path) -> dict[str, str]:
    """A named pipe, an unreadable file and an unreadable folder (links that loop or dangle: below).
    Where permissions cannot bind the child (root whose capabilities cannot be dropped), the two
    unreadable entries are left out, with a warning in the test report, rather than tested falsely."""
    os.mkfifo(root / "pipe.txt")
    if not permissions_bind(root.parent):
        warnings.warn("permissions do not bind the ingest here (root): unreadable entries untested", stacklevel=2)
        return {"pipe.txt": "not a regular file"}
    _write(root, "secret.txt", REPORT.encode())
    _write(root, "closed/inside.txt", REPORT.encode())
    os.chmod(root / "secret.txt", 0)
    os.chmod(root / "closed", 0)
    return {
        "pipe.txt": "not a regular file",
        "secret.txt": "cannot read: Permission denied",
        "closed": "cannot read folder: Permission denied",
    }


def permissions_bind(folder: Path) -> bool:
    """Whether a child started like the ingest is refused a file with mode 000."""
    probe = folder / "probe.txt"
    probe.write_bytes(b"x")
    os.chmod(probe, 0)
    try:
        child = subprocess.run(
            [sys.executable, "-c", "import sys; open(sys.argv[1], 'rb')", str(probe)],
            capture_output=True,
            check=False,
            preexec_fn=_drop_root_override,  # safe: runs in the forked child before exec, and it starts no thread
        )
    except subprocess.SubprocessError:  # the capabilities could not be dropped
        return False
    finally:
        probe.unlink()
    return child.returncode != 0 and b"PermissionError" in child.stderr


def good_corpus(root: Path) -> dict[str, tuple[str, str]]:
    """Files in odd encodings and a truncated UTF-8 file, all readable: name -> (text, encoding)."""
    cut = f"{REPORT} {RUSSIAN}".encode()[:-2]  # inside the last letter
    files = {
        "ru_cp1251.txt": (RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251"),
        "ru_utf16.txt": (f"{REPORT}\n{RUSSIAN}".encode("utf-16"), f"{REPORT}\n{RUSSIAN}", "utf-16"),
        "fr_latin1.txt": (FRENCH.encode("latin-1"), FRENCH, "cp1252"),
        "truncated_utf8.md": (cut, cut.decode("utf-8", errors="replace"), "utf-8"),
    }
    for name, (data, _, _) in files.items():
        _write(root, name, data)
    return {name: (text, encoding) for name, (_, text, encoding) in files.items()}


def _drop_root_override() -> None:
    """Run as root, the child would read any file: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from
    its capability bounding set (prctl PR_CAPBSET_DROP) so that permissions apply to it as to a user."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "conflictkb.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
        preexec_fn=_drop_root_override,  # safe: runs in the forked child before exec, and it starts no thread
    )


def test_every_bad_file_is_reported_and_the_run_goes_on(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    expected = bad_corpus(root)
    good = good_corpus(root)
    db = tmp_path / "kb.sqlite"
    try:
        result = run_cli("ingest", str(root), "--db", str(db), "--max-bytes", str(MAX_BYTES), "--quiet")
        status = run_cli("status", "--db", str(db))
    finally:
        for name, mode in (("secret.txt", 0o644), ("closed", 0o700)):  # so that pytest can remove tmp_path
            if (root / name).exists():
                os.chmod(root / name, mode)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    summary = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    listed = [line for line in status.stdout.splitlines() if line.startswith("skipped: ")]
    for name, reason in expected.items():
        path = root / name
        assert any(line.startswith(f"skipped: {path}: ") and reason in line for line in summary), (name, summary)
        assert any(line.startswith(f"skipped: {path}: ") and reason in line for line in listed), (name, listed)
    assert len(summary) == len(listed) == len(expected)
    assert re.search(rf"documents skipped\s*│\s*{len(expected)}\s*│", result.stdout), result.stdout
    with closing(sqlite3.connect(db)) as conn:
        stored = {name: (text, enc) for name, text, enc in conn.execute("SELECT name, text, encoding FROM documents")}
    assert stored == good


def test_links_that_loop_or_dangle_are_reported_by_ingest_under_their_name(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    _write(root, "ok.txt", REPORT.encode())
    os.symlink("missing.md", root / "dangling.md")
    os.symlink("loop.txt", root / "loop.txt")
    db = tmp_path / "kb.sqlite"
    result = run_cli("ingest", str(root), "--db", str(db), "--quiet")
    status = run_cli("status", "--db", str(db))
    assert result.returncode == 0, result.stderr
    for line in (f"skipped: {root / 'loop.txt'}: symlink loop", f"skipped: {root / 'dangling.md'}: broken symlink"):
        assert line in result.stderr
        assert line in status.stdout
