"""Small documents made in the tests: PDFs with a text layer, scanned-looking PDFs, DOCX files.

The PDF writer below draws lines of Helvetica text, one content stream per page, with
the byte offsets a reader needs; a heading is drawn larger, and a paragraph ends with a
bigger gap, as in a real typeset page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 612, 792
LEFT_MARGIN, TOP = 72, 720
BODY_SIZE, HEADING_SIZE = 11, 16
LINE_HEIGHT = 14
PARAGRAPH_GAP = 10


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _wrap(text: str, width: int = 90) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return lines


def _page_stream(blocks: Sequence[tuple[str, str]]) -> bytes:
    """Draw ("heading" | "paragraph", text) blocks from the top of a page."""
    commands, y = [], TOP
    for kind, text in blocks:
        size = HEADING_SIZE if kind == "heading" else BODY_SIZE
        for line in _wrap(text, 60 if kind == "heading" else 90):
            commands.append(f"BT /F1 {size} Tf {LEFT_MARGIN} {y} Td ({_escape(line)}) Tj ET")
            y -= LINE_HEIGHT + (size - BODY_SIZE)
        y -= PARAGRAPH_GAP
    return "\n".join(commands).encode("latin-1")


def make_pdf(pages: Sequence[Sequence[tuple[str, str]]], *, title: str = "", author: str = "") -> bytes:
    """A PDF whose pages hold the given blocks as real text (a text layer)."""
    objects: list[bytes] = []
    page_count = len(pages)
    first_page = 4
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(page_count))
    info = f"<< /Title ({_escape(title)}) /Author ({_escape(author)}) >>".encode("latin-1")
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {page_count} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for index, blocks in enumerate(pages):
        stream = _page_stream(blocks)
        content_number = first_page + 2 * index + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {content_number} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    objects.append(info)
    info_number = len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_number} 0 R >>"
    out.write(f"trailer\n{trailer}\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_scanned_pdf() -> bytes:
    """A page with a drawing and no text at all, as a scanner's image-only PDF reads."""
    return make_pdf([[]], title="Scan")


def make_encrypted_pdf(password: str = "secret") -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([[("paragraph", "Hidden words stay hidden.")]]))))
    writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(blocks: Sequence[tuple[str, str]] = (), *, title: str = "", author: str = "") -> bytes:
    """A Word document: ("title" | "heading" | "list" | "paragraph", text) blocks in order."""
    from docx import Document

    document = Document()
    document.core_properties.title = title
    document.core_properties.author = author
    for kind, text in blocks:
        if kind == "title":
            document.add_heading(text, level=0)
        elif kind == "heading":
            document.add_heading(text, level=1)
        elif kind == "list":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
