"""Split a pasted source text into passages.

The shipped article is plain text copied from a web page: a title line, a stray
"Table of Contents" link, a heading ("Summery", spelled as published), bullet
summary points, a heading, and paragraphs separated by blank (or non-breaking
space) lines. Citations quote passages verbatim, so a passage's text is the line
as published, only with the bullet marker and surrounding white space removed.
"""

from dataclasses import dataclass

BULLETS = ("•", "-", "*", "–")
# Lines that are page furniture, not content; citing them would make no sense.
NAVIGATION_LINES = {"table of contents", "contents"}
HEADING_MAX_WORDS = 8


@dataclass(frozen=True)
class SplitPassage:
    kind: str
    text: str


def is_heading_line(line: str) -> bool:
    """A short line without closing punctuation reads as a heading."""
    return len(line.split()) <= HEADING_MAX_WORDS and not line.endswith((".", "!", "?", ":", ";", ","))


def split_passages(text: str) -> list[SplitPassage]:
    """Return the passages of ``text`` in reading order.

    The first non-empty line is the title; bullet lines are summary points; short
    lines without closing punctuation are headings; everything else is a paragraph.
    """
    passages: list[SplitPassage] = []
    for raw_line in text.splitlines():
        line = raw_line.replace("\xa0", " ").strip()
        if not line or line.casefold() in NAVIGATION_LINES:
            continue
        if not passages:
            passages.append(SplitPassage("title", line))
        elif line.startswith(BULLETS):
            passages.append(SplitPassage("summary_point", line.lstrip("".join(BULLETS)).strip()))
        elif is_heading_line(line):
            passages.append(SplitPassage("heading", line))
        else:
            passages.append(SplitPassage("paragraph", line))
    return passages
