"""Tests for conflictkb.readers: real files of every format, written into tmp_path."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

# reportlab ships no type hints and no stubs package is installed; tests only.
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.pdfgen import canvas  # type: ignore[import-untyped]

from conflictkb.model import SkipFile
from conflictkb.readers import DEFAULT_MAX_BYTES, SUPPORTED_SUFFIXES, iter_inputs, read
from conflictkb.readers.text import decode_bytes

RUSSIAN = "Боевики атаковали деревню в понедельник, убив пятерых мирных жителей."
FRENCH = "Le café était fermé. Résumé naïf à Noël: très élégant, déjà vu."

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><title>Attack on village | Example News</title>
<meta property="article:published_time" content="2010-09-21">
<script>var tracking = "SCRIPTJUNK";</script><style>body { color: red }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Attack on village</h1>
<p>Gunmen attacked the village of Example on Monday, killing five people, officials said.</p>
<p>The army said it had sent reinforcements and that an investigation was under way.</p>
<p>Residents said the attackers arrived on motorcycles before dawn and burned houses.</p>
</article>
<script>document.write("MORESCRIPTJUNK");</script>
<footer>Copyright 2010 Example News</footer>
</body></html>
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def skip_reason(path: Path, **kwargs: int) -> str:
    with pytest.raises(SkipFile) as info:
        read(path, **kwargs)
    return info.value.reason


def make_pdf(path: Path, pages: list[str], *, draw_only: bool = False, title: str | None = None) -> Path:
    # invariant=True stamps a fixed creation date (2000-01-01) instead of "now".
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=True)
    if title is not None:
        pdf.setTitle(title)
    for text in pages:
        if draw_only:
            pdf.rect(100, 100, 200, 300, fill=1)
        else:
            pdf.drawString(72, 750, text)
        pdf.showPage()
    pdf.save()
    return path


# --- text --------------------------------------------------------------------------


def test_utf8_txt(tmp_path: Path) -> None:
    text = "Attack in Kabul — 5 killed, “officials said”.\n"
    doc = read(write(tmp_path, "a.txt", text.encode("utf-8")))
    assert doc.text == text
    assert doc.encoding == "utf-8"
    assert doc.format == "txt"
    assert doc.title is None and doc.published is None
    assert doc.n_bytes == len(text.encode("utf-8"))
    assert doc.id == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_cp1251_txt(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "ru.txt", RUSSIAN.encode("cp1251")))
    assert doc.text == RUSSIAN
    assert doc.encoding == "cp1251"


def test_utf16_bom_txt(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "u16.txt", RUSSIAN.encode("utf-16")))  # writes a BOM
    assert doc.text == RUSSIAN
    assert doc.encoding == "utf-16"


def test_utf8_bom_and_utf32_bom() -> None:
    assert decode_bytes("\ufeffé".encode("utf-8")) == ("é", "utf-8-sig")
    assert decode_bytes(FRENCH.encode("utf-32")) == (FRENCH, "utf-32")


def test_latin1_txt(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "fr.txt", FRENCH.encode("latin-1")))
    assert doc.text == FRENCH
    assert doc.encoding in {"cp1252", "latin-1"}


def test_undecodable_bytes_do_not_crash() -> None:
    text, encoding = decode_bytes(bytes(range(256)) * 4)
    assert len(text) > 0 and encoding


def test_crlf_and_lone_cr_become_lf(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "crlf.txt", b"line one\r\nline two\rline three\r\n"))
    assert doc.text == "line one\nline two\nline three\n"


def test_markdown_title(tmp_path: Path) -> None:
    data = b"Intro line\n\n# Weekly Sahel update\n\nText.\n\n# Second heading\n"
    doc = read(write(tmp_path, "notes.MD", data))
    assert doc.format == "md"
    assert doc.title == "Weekly Sahel update"
    assert doc.text == data.decode()


def test_markdown_without_heading_has_no_title(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "plain.md", b"```\n# not a heading\n```\nJust text.\n"))
    assert doc.title is None


def test_whitespace_only_txt_is_no_text(tmp_path: Path) -> None:
    assert skip_reason(write(tmp_path, "blank.txt", b" \n\t\r\n ")) == "no text"


# --- html --------------------------------------------------------------------------


def test_html_article(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "page.html", ARTICLE_HTML.encode("utf-8")))
    assert doc.format == "html"
    assert "Gunmen attacked the village of Example on Monday" in doc.text
    assert "investigation was under way" in doc.text
    assert "burned houses" in doc.text
    assert "SCRIPTJUNK" not in doc.text
    assert "Sport" not in doc.text  # navigation is boilerplate
    assert "color: red" not in doc.text
    assert "\n\n" in doc.text  # paragraphs stay apart
    assert doc.title is not None and "Attack on village" in doc.title
    assert doc.published == "2010-09-21"
    assert doc.published_basis == "html metadata"


def test_short_html_falls_back_to_body_text(tmp_path: Path) -> None:
    html = b"<html><head><title>Note</title><script>x=1</script></head><body><p>Short.</p>"
    html += b"<p>Two killed.</p><script>JUNK()</script></body></html>"
    doc = read(write(tmp_path, "short.htm", html))
    assert "Short." in doc.text and "Two killed." in doc.text
    assert "JUNK" not in doc.text and "x=1" not in doc.text
    assert doc.published is None and doc.published_basis is None


def test_html_declared_charset_is_used(tmp_path: Path) -> None:
    html = f'<html><head><meta charset="windows-1251"></head><body><p>{RUSSIAN}</p></body>'
    doc = read(write(tmp_path, "ru.html", (html + "</html>").encode("cp1251")))
    assert RUSSIAN in doc.text
    assert doc.encoding == "cp1251"


def test_empty_html_is_skipped(tmp_path: Path) -> None:
    assert skip_reason(write(tmp_path, "empty.html", b"")) == "empty file"


def test_html_without_body_is_skipped(tmp_path: Path) -> None:
    html = b"<html><head><title>Only a title</title></head></html>"
    assert skip_reason(write(tmp_path, "nobody.html", html)) == "no text"


# --- pdf ---------------------------------------------------------------------------


def test_pdf_two_pages(tmp_path: Path) -> None:
    pages = ["First page: attack in Mosul.", "Second page: 3 killed."]
    path = make_pdf(tmp_path / "r.pdf", pages, title="Monthly incident report")
    doc = read(path)
    assert doc.format == "pdf"
    assert "attack in Mosul" in doc.text and "3 killed" in doc.text
    assert doc.text.index("Mosul") < doc.text.index("3 killed")
    assert "\n\n" in doc.text
    assert doc.title == "Monthly incident report"
    assert doc.published == "2000-01-01"
    assert doc.published_basis == "pdf metadata"


def test_pdf_placeholder_title_is_dropped(tmp_path: Path) -> None:
    # reportlab, like many tools, writes "untitled" when no title was set.
    assert read(make_pdf(tmp_path / "u.pdf", ["Some text."])).title is None


def test_random_bytes_pdf_is_skipped(tmp_path: Path) -> None:
    reason = skip_reason(write(tmp_path, "junk.pdf", os.urandom(4096)))
    assert reason.startswith("not a valid PDF")


def test_encrypted_pdf_is_skipped(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", ["Secret content."])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt("secret")
    with (tmp_path / "locked.pdf").open("wb") as handle:
        writer.write(handle)
    assert "encrypted" in skip_reason(tmp_path / "locked.pdf")


def test_owner_password_only_pdf_is_read(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", ["Readable content."])
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(user_password="", owner_password="owner")
    with (tmp_path / "owner.pdf").open("wb") as handle:
        writer.write(handle)
    assert "Readable content." in read(tmp_path / "owner.pdf").text


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", ["", ""], draw_only=True)
    assert "OCR" in skip_reason(path)


# --- docx --------------------------------------------------------------------------


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Clashes erupted in Goma on Tuesday.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Place", "Killed"
    table.cell(1, 0).text, table.cell(1, 1).text = "Goma", "12"
    document.add_paragraph("The UN called for calm.")
    document.core_properties.title = "Kivu brief"
    document.core_properties.created = dt.datetime(2012, 11, 20, 9, 30)
    document.save(str(tmp_path / "brief.docx"))
    doc = read(tmp_path / "brief.docx")
    assert doc.format == "docx"
    assert doc.text == ("Clashes erupted in Goma on Tuesday.\n\nPlace\tKilled\n\nGoma\t12\n\nThe UN called for calm.")
    assert doc.title == "Kivu brief"
    assert doc.published == "2012-11-20"
    assert doc.published_basis == "docx metadata"


def test_docx_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as entry,
    ):
        for _ in range(300):  # 300 MB of zeros, streamed: about 1.4 MB on disk
            entry.write(chunk)
    assert path.stat().st_size < 5 * 1024 * 1024
    assert "zip bomb" in skip_reason(path)


def test_random_bytes_docx_is_skipped(tmp_path: Path) -> None:
    reason = skip_reason(write(tmp_path, "junk.docx", os.urandom(4096)))
    assert reason.startswith("not a valid DOCX")


def test_zip_that_is_not_docx_is_skipped(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a word document")
    reason = skip_reason(write(tmp_path, "fake.docx", buffer.getvalue()))
    assert reason.startswith("not a valid DOCX")


# --- read(): dispatch and limits ---------------------------------------------------


def test_same_bytes_same_id(tmp_path: Path) -> None:
    first = read(write(tmp_path, "one.txt", b"Same content."))
    second = read(write(tmp_path, "sub/two.txt", b"Same content."))
    third = read(write(tmp_path, "three.txt", b"Other content."))
    assert first.id == second.id != third.id
    assert second.path == str(tmp_path / "sub/two.txt")
    assert second.name == "two.txt"


def test_unsupported_suffix(tmp_path: Path) -> None:
    assert skip_reason(write(tmp_path, "data.xyz", b"hello")) == "unsupported format: .xyz"


def test_max_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", b"x" * 100)
    reason = skip_reason(path, max_bytes=10)
    assert "--max-bytes" in reason and "100" in reason
    assert read(path, max_bytes=100).text == "x" * 100
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "locked.txt", b"secret")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    assert skip_reason(path) == "cannot read: Permission denied"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert skip_reason(tmp_path / "gone.txt").startswith("cannot read")
    (tmp_path / "folder.txt").mkdir()
    assert skip_reason(tmp_path / "folder.txt") == "not a regular file"


# --- walk --------------------------------------------------------------------------


def test_walk_folders(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    for name in ["b.txt", "a.pdf", "sub/c.HTML", "sub/deep/d.docx", "sub/e.md"]:
        write(root, name, b"x")
    write(root, "notes.xyz", b"ignored in a walk")
    write(root, ".hidden.txt", b"hidden")
    write(root, ".git/config.txt", b"hidden dir")
    os.symlink("..", root / "sub" / "loop")  # points back at corpus/
    explicit = write(tmp_path, "explicit.xyz", b"named on the command line")

    found = list(iter_inputs([root, explicit, root / "b.txt", tmp_path / "missing.txt"]))

    assert found == [
        root / "a.pdf",
        root / "b.txt",
        root / "sub/c.HTML",
        root / "sub/deep/d.docx",
        root / "sub/e.md",
        explicit,
        (tmp_path / "missing.txt", "not found"),
    ]


def test_walk_follows_symlinked_file_once(tmp_path: Path) -> None:
    real = write(tmp_path, "data/report.txt", b"x")
    os.symlink(real, tmp_path / "data" / "alias.txt")
    assert list(iter_inputs([tmp_path / "data"])) == [tmp_path / "data/alias.txt"]
    assert {".txt", ".md", ".html", ".htm", ".pdf", ".docx"} == SUPPORTED_SUFFIXES


def test_walk_unreadable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "ok/a.txt", b"x")
    write(tmp_path, "locked/b.txt", b"x")
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert list(iter_inputs([tmp_path])) == [
        (tmp_path / "locked", "cannot read folder: Permission denied"),
        tmp_path / "ok/a.txt",
    ]
