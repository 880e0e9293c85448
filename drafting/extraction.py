"""Read a teacher's file or pasted text into blocks (title, headings, paragraphs, list items) and metadata.

Every reader works on bytes in memory and makes no network request. A file that cannot
be read raises ``IntakeError`` with a sentence for the teacher; nothing is saved before
the teacher has seen the blocks and pressed "Save", so an error here leaves no trace.

Uploaded HTML is reduced to its article text by readability-lxml and never kept or shown
as HTML: only the plain text of its headings, paragraphs and list items survives.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date

from content.models import PassageKind
from content.splitting import BULLETS, NAVIGATION_LINES, is_heading_line

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_WORDS = 100_000
# A .docx is a zip: 5 MB of it may unpack to far more. Real documents stay well under this.
MAX_DOCX_UNPACKED_BYTES = 60 * 1024 * 1024
# Reading a page takes about 30 ms; past this a PDF holds more than the word limit anyway.
MAX_PDF_PAGES = 400
FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
FORMATS |= {".pdf": "pdf", ".docx": "docx"}
ACCEPTED_SUFFIXES = ".txt, .md, .html, .pdf or .docx"

PAGE_NUMBER = re.compile(r"^(page\s+)?\d{1,4}(\s*(of|/)\s*\d{1,4})?$", re.IGNORECASE)
ORDERED_ITEM = re.compile(r"^\d{1,3}[.)]\s+")
SENTENCE_ENDS = (".", "!", "?", "”", '"', ":", "’")


class IntakeError(Exception):
    """The file or text cannot be brought in; the message says why, for the teacher."""


@dataclass
class Block:
    kind: str  # a content.models.PassageKind value
    text: str


@dataclass
class SourceDetails:
    title: str = ""
    author: str = ""
    publisher: str = ""
    published_on: date | None = None
    url: str = ""


@dataclass
class Extracted:
    blocks: list[Block]
    details: SourceDetails = field(default_factory=SourceDetails)

    @property
    def word_count(self) -> int:
        return sum(len(block.text.split()) for block in self.blocks)


def squeeze(text: str) -> str:
    """One space between words: what a passage keeps of a line's white space."""
    return " ".join(text.replace("\xa0", " ").split())


def format_of(filename: str) -> str:
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if suffix not in FORMATS:
        raise IntakeError(f"“{filename}” is not a file we can read: upload a {ACCEPTED_SUFFIXES} file.")
    return FORMATS[suffix]


def extract_file(filename: str, data: bytes) -> Extracted:
    """Blocks and details from an uploaded file, or IntakeError with a sentence for the teacher."""
    reader = format_of(filename)
    if not data:
        raise IntakeError(f"“{filename}” is empty (0 bytes): choose the file again, or paste its text.")
    if len(data) > MAX_FILE_BYTES:
        raise IntakeError(
            f"“{filename}” is {len(data) / 1024 / 1024:.1f} MB; the limit is 5 MB. "
            "Upload a smaller file, or paste the part you need."
        )
    extracted = READERS[reader](data)
    return finish(extracted, fallback_title=filename.rsplit(".", 1)[0].replace("_", " ").replace("-", " "))


def extract_text(text: str) -> Extracted:
    """Blocks from pasted text, read like a .txt file."""
    return finish(Extracted(blocks=blocks_from_plain_text(text)), fallback_title="")


def finish(extracted: Extracted, *, fallback_title: str) -> Extracted:
    """Check the limits and make sure the source opens with its title, as the reader expects."""
    blocks = [Block(block.kind, squeeze(block.text)) for block in extracted.blocks]
    blocks = [block for block in blocks if block.text and block.text.casefold() not in NAVIGATION_LINES]
    if not blocks:
        raise IntakeError("We found no text to read in it. If it is a scan or an image, paste the text instead.")
    details = extracted.details
    # Like the splitter, a first line short enough for a title is one.
    first = blocks[0].text
    details.title = squeeze(details.title) or (first if len(first) <= 200 and not first.endswith(".") else "")
    details.title = details.title or squeeze(fallback_title) or blocks[0].text[:120]
    if blocks[0].text != details.title:
        if blocks[0].kind in (PassageKind.TITLE, PassageKind.HEADING) and len(blocks[0].text) <= 300:
            blocks[0].kind = PassageKind.TITLE
        else:
            blocks.insert(0, Block(PassageKind.TITLE, details.title[:300]))
    else:
        blocks[0].kind = PassageKind.TITLE
    for block in blocks[1:]:
        if block.kind == PassageKind.TITLE:
            block.kind = PassageKind.HEADING
    result = Extracted(blocks=blocks, details=details)
    if result.word_count > MAX_WORDS:
        raise IntakeError(
            f"This text has {result.word_count:,} words; the limit is {MAX_WORDS:,}. "
            "Bring it in as several sources, one part each."
        )
    return result


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _kind_of_line(line: str) -> Block:
    if line.startswith(BULLETS) or ORDERED_ITEM.match(line):
        return Block(PassageKind.SUMMARY_POINT, ORDERED_ITEM.sub("", line.lstrip("".join(BULLETS))).strip())
    if is_heading_line(line):
        return Block(PassageKind.HEADING, line)
    return Block(PassageKind.PARAGRAPH, line)


def blocks_from_plain_text(text: str) -> list[Block]:
    """Paragraphs are separated by blank lines; lines wrapped inside a paragraph are joined.

    A group of lines that are each a bullet (or that end their sentences, like the shipped
    article, one paragraph a line) stays one block a line.
    """
    blocks: list[Block] = []
    for group in re.split(r"\n[ \t\xa0]*\n", text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [squeeze(line) for line in group.split("\n") if squeeze(line)]
        if not lines:
            continue
        one_per_line = all(_stands_alone(line) for line in lines[:-1])
        if len(lines) == 1 or one_per_line:
            blocks.extend(_kind_of_line(line) for line in lines)
        else:
            blocks.append(_kind_of_line(_join_wrapped(lines)))
    return blocks


def _stands_alone(line: str) -> bool:
    """A line that is a block of its own: a bullet, a heading, or one that ends its sentence."""
    return bool(
        line.startswith(BULLETS) or ORDERED_ITEM.match(line) or is_heading_line(line) or line.endswith(SENTENCE_ENDS)
    )


def _join_wrapped(lines: list[str]) -> str:
    """Join the lines of one paragraph, mending words hyphenated at a line's end."""
    text = lines[0]
    for line in lines[1:]:
        hyphenated = re.search(r"[a-z]-$", text) and line[:1].islower()
        text = text[:-1] + line if hyphenated else f"{text} {line}"
    return text


# Markdown --------------------------------------------------------------------------------

MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def _markdown_inline(text: str) -> str:
    return MD_EMPHASIS.sub(r"\2", MD_LINK.sub(r"\1", text))


def read_markdown(data: bytes) -> Extracted:
    text = _decode(data)
    details = SourceDetails()
    front = re.match(r"^---\n(.*?)\n---\n", text, re.DOTALL)
    if front:  # YAML front matter, as static-site generators write it: read the simple keys only
        for line in front.group(1).splitlines():
            key, _, value = line.partition(":")
            _set_detail(details, key.strip().lower(), value.strip().strip("\"'"))
        text = text[front.end() :]
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block(PassageKind.PARAGRAPH, _markdown_inline(_join_wrapped(paragraph))))
            paragraph.clear()

    in_code = False
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("```"):
            flush()
            in_code = not in_code
            continue
        if in_code or re.fullmatch(r"(-{3,}|\*{3,}|_{3,})", line) or line.startswith("<!--"):
            continue
        heading = MD_HEADING.match(line)
        if not line:
            flush()
        elif heading:
            flush()
            kind = PassageKind.TITLE if len(heading.group(1)) == 1 and not blocks else PassageKind.HEADING
            blocks.append(Block(kind, _markdown_inline(heading.group(2))))
        elif line.startswith(("- ", "* ", "+ ")) or ORDERED_ITEM.match(line):
            flush()
            blocks.append(
                Block(
                    PassageKind.SUMMARY_POINT,
                    _markdown_inline(ORDERED_ITEM.sub("", line[2:] if line[1] == " " else line)),
                )
            )
        else:
            paragraph.append(line.lstrip("> ").strip())
    flush()
    if blocks and blocks[0].kind == PassageKind.TITLE:
        details.title = details.title or blocks[0].text
    return Extracted(blocks=blocks, details=details)


def _set_detail(details: SourceDetails, key: str, value: str) -> None:
    if not value:
        return
    if key in ("title", "headline") and not details.title:
        details.title = value[:300]
    elif key in ("author", "byline", "creator") and not details.author:
        details.author = value[:200]
    elif key in ("publisher", "site_name", "sitename") and not details.publisher:
        details.publisher = value[:200]
    elif key in ("date", "published", "published_on", "datepublished") and details.published_on is None:
        details.published_on = _parse_date(value)
    elif key in ("url", "canonical") and not details.url and value.startswith(("http://", "https://")):
        details.url = value[:200]


def _parse_date(value: str) -> date | None:
    match = re.search(r"(\d{4})-(\d{2})-(\d{2})", value) or re.search(r"^D:(\d{4})(\d{2})(\d{2})", value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# HTML ------------------------------------------------------------------------------------

HTML_BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "dd", "dt", "figcaption"}
META_KEYS = {
    "og:title": "title",
    "twitter:title": "title",
    "author": "author",
    "article:author": "author",
    "og:site_name": "publisher",
    "article:published_time": "date",
    "date": "date",
    "datepublished": "date",
    "dc.date": "date",
    "og:url": "url",
}


def read_html(data: bytes) -> Extracted:
    import lxml.html
    from lxml.etree import ParserError
    from readability import Document
    from readability.readability import Unparseable

    try:
        page = lxml.html.document_fromstring(data)
    except (ParserError, ValueError) as error:
        raise IntakeError(
            "This page could not be read as HTML. Save it again from the browser, or paste its text."
        ) from error
    details = _html_details(page)
    try:
        article = Document(data).summary(html_partial=True)
    except (Unparseable, ParserError, ValueError, TypeError) as error:
        raise IntakeError("We found no article text in this page. Paste the text you need instead.") from error
    blocks: list[Block] = []
    root = lxml.html.fragment_fromstring(article, create_parent="div") if article.strip() else None
    emitted: set = set()
    for element in root.iter() if root is not None else ():
        if not isinstance(element.tag, str) or element.tag not in HTML_BLOCKS:
            continue
        if any(ancestor in emitted for ancestor in element.iterancestors()):
            continue  # a paragraph inside a list item or quote is part of that block
        emitted.add(element)
        text = squeeze(element.text_content())
        if not text:
            continue
        if element.tag.startswith("h"):
            blocks.append(Block(PassageKind.HEADING, text))
        elif element.tag == "li":
            blocks.append(Block(PassageKind.SUMMARY_POINT, text))
        else:
            blocks.append(Block(PassageKind.PARAGRAPH, text))
    if not blocks:
        raise IntakeError(
            "We found no article text in this page (only scripts, menus or an empty body). "
            "Save the page again after it has loaded, or paste its text."
        )
    return Extracted(blocks=blocks, details=details)


def _html_details(page) -> SourceDetails:
    details = SourceDetails()
    for meta in page.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if name in META_KEYS:
            _set_detail(details, META_KEYS[name], squeeze(meta.get("content") or ""))
    for script in page.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []:
            if isinstance(item, dict):
                _details_from_json_ld(details, item)
    for link in page.xpath('//link[@rel="canonical"]'):
        _set_detail(details, "url", link.get("href") or "")
    for time_element in page.xpath("//time[@datetime]"):
        _set_detail(details, "date", time_element.get("datetime") or "")
    titles = page.xpath("//title")
    if titles:
        _set_detail(details, "title", squeeze(titles[0].text_content()))
    return details


def _details_from_json_ld(details: SourceDetails, item: dict) -> None:
    def name_of(value) -> str:
        if isinstance(value, list):
            return ", ".join(filter(None, (name_of(v) for v in value)))
        return str(value.get("name", "")) if isinstance(value, dict) else str(value or "")

    _set_detail(details, "title", squeeze(str(item.get("headline", ""))))
    _set_detail(details, "author", squeeze(name_of(item.get("author"))))
    _set_detail(details, "publisher", squeeze(name_of(item.get("publisher"))))
    _set_detail(details, "date", str(item.get("datePublished", "")))


# PDF -------------------------------------------------------------------------------------


def read_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    if not data.lstrip()[:5].startswith(b"%PDF-"):
        raise IntakeError("This file is not a PDF, although its name ends in .pdf. Choose the PDF itself.")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IntakeError(
                "This PDF is protected by a password, so we cannot read it. "
                "Save a copy without the password, or paste its text."
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise IntakeError(
                f"This PDF has {len(reader.pages)} pages; the limit is {MAX_PDF_PAGES}. "
                "Bring in the chapters you need as separate sources."
            )
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except (DependencyError, FileNotDecryptedError) as error:
        raise IntakeError(
            "This PDF is encrypted in a way we cannot open. Save a copy without protection, or paste its text."
        ) from error
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as error:
        raise IntakeError(
            "This PDF is damaged or incomplete, so we cannot read it. Save it again and retry."
        ) from error
    blocks: list[Block] = []
    for page_text in pages:
        lines = [squeeze(line) for line in page_text.splitlines()]
        lines = ["" if PAGE_NUMBER.match(line) else line for line in lines]
        blocks.extend(blocks_from_plain_text("\n".join(lines)))
    if not blocks:
        raise IntakeError("This PDF has no text layer to read (it looks like a scan). Paste its text instead.")
    details = SourceDetails()
    metadata: dict = dict(reader.metadata or {})
    _set_detail(details, "title", squeeze(str(metadata.get("/Title") or "")))
    _set_detail(details, "author", squeeze(str(metadata.get("/Author") or "")))
    _set_detail(details, "date", str(metadata.get("/CreationDate") or ""))
    return Extracted(blocks=blocks, details=details)


# DOCX ------------------------------------------------------------------------------------


def read_docx(data: bytes) -> Extracted:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise IntakeError("This file is not a Word document (.docx) we can open. Save it again as .docx.") from error
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise IntakeError("This document unpacks to more than 60 MB, far more than its text needs; we do not open it.")
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise IntakeError("This file is not a Word document (.docx) we can open. Save it again as .docx.") from error
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        text = squeeze(paragraph.text)
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "").lower()
        if style == "title":
            blocks.append(Block(PassageKind.TITLE if not blocks else PassageKind.HEADING, text))
        elif style.startswith("heading"):
            blocks.append(Block(PassageKind.HEADING, text))
        elif style.startswith("list"):
            blocks.append(Block(PassageKind.SUMMARY_POINT, text))
        else:
            blocks.append(Block(PassageKind.PARAGRAPH, text))
    if not blocks:
        raise IntakeError("This document has no text to read. Check that you chose the right file.")
    properties = document.core_properties
    details = SourceDetails()
    _set_detail(details, "title", squeeze(properties.title or ""))
    _set_detail(details, "author", squeeze(properties.author or ""))
    return Extracted(blocks=blocks, details=details)


READERS = {
    "text": lambda data: Extracted(blocks=blocks_from_plain_text(_decode(data))),
    "markdown": read_markdown,
    "html": read_html,
    "pdf": read_pdf,
    "docx": read_docx,
}
