"""Reading each format a teacher may bring: blocks and details come out, bad files get a sentence."""

import pytest

from drafting.extraction import MAX_WORDS, IntakeError, extract_file, extract_text
from tests.documents import make_docx, make_encrypted_pdf, make_pdf, make_scanned_pdf

NEWS_PAGE = b"""<!doctype html><html><head>
<title>Chips under sanctions | The Daily Example</title>
<meta property="og:title" content="Chips under sanctions">
<meta name="author" content="Ada Reporter">
<meta property="og:site_name" content="The Daily Example">
<meta property="article:published_time" content="2025-03-04T08:00:00Z">
<link rel="canonical" href="https://news.example.org/chips">
<script>window.tracking = "do not keep me";</script>
<style>body { color: red; }</style>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/tech">Tech</a></li></ul></nav>
<div class="ad">Advertisement</div>
<article>
<h1>Chips under sanctions</h1>
<p>Russian imports of GPUs essential for training AI models have plummeted by 84 percent compared to pre-war levels,
according to customs data. Companies now rely on intermediaries in third countries to obtain the hardware they need.</p>
<h2>Workarounds</h2>
<p>Engineers say they can still train mid-sized models on older chips, but the largest projects have stalled. The
state-backed bank Sber announced a new supercomputer built from cards bought before the war began in 2022.</p>
<ul><li>Imports fell by 84 percent.</li><li>Prices of used cards doubled.</li></ul>
<p>Officials expect the shortage to last at least until 2027, when domestic production is meant to begin at scale.</p>
<script>document.write("<p>injected</p>")</script>
</article>
<footer><p>Copyright 2025 The Daily Example. All rights reserved. Terms of use.</p></footer>
</body></html>"""


def kinds_and_texts(extracted):
    return [(block.kind, block.text) for block in extracted.blocks]


def test_plain_text_joins_wrapped_lines_and_keeps_one_paragraph_a_line():
    text = (
        "My title\n\nThe first paragraph was wrapped by an editor at a fixed\nwidth, over two lines.\n\n"
        "• A bullet\n• Another\n\nLast one. Done."
    )
    extracted = extract_file("notes.txt", text.encode())
    assert kinds_and_texts(extracted) == [
        ("title", "My title"),
        ("paragraph", "The first paragraph was wrapped by an editor at a fixed width, over two lines."),
        ("summary_point", "A bullet"),
        ("summary_point", "Another"),
        ("paragraph", "Last one. Done."),
    ]
    assert extracted.details.title == "My title"


def test_the_shipped_article_reads_as_the_splitter_reads_it():
    from content.loading import SOURCES_DIR
    from content.splitting import split_passages

    text = (SOURCES_DIR / "russia-ai-chips" / "article.txt").read_text(encoding="utf-8")
    extracted = extract_file("article.txt", text.encode())
    assert [block.text for block in extracted.blocks] == [piece.text for piece in split_passages(text)]


def test_markdown_headings_lists_and_emphasis():
    text = (
        "---\ntitle: Notes on chips\nauthor: Sam\n---\n# Notes on chips\n\n"
        "Some **bold** text with a [link](http://x).\n\n## Part two\n\n- item one\n1. item two\n"
    )
    extracted = extract_file("notes.md", text.encode())
    assert kinds_and_texts(extracted) == [
        ("title", "Notes on chips"),
        ("paragraph", "Some bold text with a link."),
        ("heading", "Part two"),
        ("summary_point", "item one"),
        ("summary_point", "item two"),
    ]
    assert extracted.details.author == "Sam"


def test_html_keeps_the_article_and_its_details_and_drops_scripts_menus_and_footer():
    extracted = extract_file("chips.html", NEWS_PAGE)
    texts = [block.text for block in extracted.blocks]
    assert texts[0] == "Chips under sanctions"
    assert extracted.blocks[0].kind == "title"
    assert ("heading", "Workarounds") in kinds_and_texts(extracted)
    assert ("summary_point", "Imports fell by 84 percent.") in kinds_and_texts(extracted)
    assert any(text.startswith("Officials expect the shortage") for text in texts)
    everything = " ".join(texts)
    for unwanted in ("tracking", "injected", "color: red", "Home", "Copyright", "Advertisement"):
        assert unwanted not in everything
    details = extracted.details
    assert details.title == "Chips under sanctions"
    assert details.author == "Ada Reporter"
    assert details.publisher == "The Daily Example"
    assert str(details.published_on) == "2025-03-04"
    assert details.url == "https://news.example.org/chips"


def test_html_full_of_scripts_is_refused_with_a_sentence():
    page = (
        b"<html><head><script>var a = 1;</script></head><body>"
        + b"<script>alert('x')</script>" * 50
        + b"</body></html>"
    )
    with pytest.raises(IntakeError, match="no article text"):
        extract_file("app.html", page)


def test_pdf_text_layer_gives_headings_and_paragraphs_and_its_details():
    pdf = make_pdf(
        [
            [
                ("heading", "Chips and sanctions"),
                (
                    "paragraph",
                    "Russian imports of GPUs essential for training AI models have plummeted by 84 percent "
                    "compared to pre-war levels, according to customs data seen by reporters in the spring.",
                ),
                ("paragraph", "A second paragraph follows. It has two sentences."),
            ],
            [("paragraph", "The second page goes on with more words about chips.")],
        ],
        title="Chips report",
        author="Ada Reporter",
    )
    extracted = extract_file("report.pdf", pdf)
    assert kinds_and_texts(extracted) == [
        ("title", "Chips and sanctions"),
        (
            "paragraph",
            "Russian imports of GPUs essential for training AI models have plummeted by 84 percent "
            "compared to pre-war levels, according to customs data seen by reporters in the spring.",
        ),
        ("paragraph", "A second paragraph follows. It has two sentences."),
        ("paragraph", "The second page goes on with more words about chips."),
    ]
    assert (extracted.details.title, extracted.details.author) == ("Chips report", "Ada Reporter")


def test_docx_styles_become_title_headings_list_items_and_paragraphs():
    docx = make_docx(
        [
            ("title", "Chip notes"),
            ("heading", "Imports"),
            ("paragraph", "Imports fell by 84 percent."),
            ("list", "Prices doubled."),
        ],
        title="Chip notes",
        author="Sam Teacher",
    )
    extracted = extract_file("notes.docx", docx)
    assert kinds_and_texts(extracted) == [
        ("title", "Chip notes"),
        ("heading", "Imports"),
        ("paragraph", "Imports fell by 84 percent."),
        ("summary_point", "Prices doubled."),
    ]
    assert extracted.details.author == "Sam Teacher"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "not a PDF"),
        ("locked.pdf", make_encrypted_pdf(), "protected by a password"),
        ("scan.pdf", make_scanned_pdf(), "no text layer to read"),
        ("empty.docx", make_docx([]), "no text to read"),
        ("fake.docx", b"plain words, not a zip", "not a Word document"),
        ("nothing.txt", b"", r"is empty \(0 bytes\)"),
        ("big.txt", b"word " * (6 * 1024 * 1024 // 5), "6.0 MB; the limit is 5 MB"),
        ("picture.png", b"\x89PNG", "not a file we can read"),
    ],
)
def test_bad_files_are_refused_with_a_sentence(filename, data, message):
    with pytest.raises(IntakeError, match=message):
        extract_file(filename, data)


def test_more_than_the_word_limit_is_refused():
    with pytest.raises(IntakeError, match="limit is 100,000"):
        extract_text("Title\n\n" + "word " * (MAX_WORDS + 1))


def test_pasted_text_without_a_heading_gets_its_first_words_as_title():
    extracted = extract_text("Only one long sentence about chips and sanctions that ends here.")
    assert extracted.blocks[0].kind == "title"


def test_a_docx_that_unpacks_to_a_huge_size_is_refused_unopened():
    import io
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:p/>" + b" " * (61 * 1024 * 1024))
    assert len(packed.getvalue()) < 1024 * 1024
    with pytest.raises(IntakeError, match="unpacks to more than 60 MB"):
        extract_file("bomb.docx", packed.getvalue())


def test_a_pdf_of_more_pages_than_the_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr("drafting.extraction.MAX_PDF_PAGES", 2)
    with pytest.raises(IntakeError, match="has 3 pages; the limit is 2"):
        extract_file("long.pdf", make_pdf([[("paragraph", "Words.")]] * 3))
