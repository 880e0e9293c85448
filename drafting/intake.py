"""The passage preview before a source is saved: blocks the teacher merges, splits, re-labels and drops.

An intake in progress lives in the teacher's session (nothing is saved to the source
tables until "Save"), as plain JSON: the details read from the file and the blocks,
each with its kind, text and whether it was dropped. The edits are plain functions over
that list, so they are easy to test and the views stay thin.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict
from datetime import date

from django.contrib.sessions.backends.base import SessionBase

from content.models import PassageKind
from drafting.extraction import Block, Extracted, SourceDetails

SESSION_KEY = "drafting_intakes"
KEPT_INTAKES = 3  # a few tabs at once; the oldest is forgotten past that
SENTENCE_BOUNDARY = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9])")


def intake_store(session: SessionBase, *, extracted: Extracted, origin: str) -> str:
    """Keep a freshly read source in the session; returns the token of its preview page."""
    token = secrets.token_urlsafe(9)
    intakes = dict(session.get(SESSION_KEY, {}))
    while len(intakes) >= KEPT_INTAKES:
        intakes.pop(next(iter(intakes)))
    details = asdict(extracted.details)
    details["published_on"] = details["published_on"].isoformat() if details["published_on"] else ""
    intakes[token] = {
        "origin": origin,
        "details": details,
        "blocks": [{"kind": block.kind, "text": block.text, "dropped": False} for block in extracted.blocks],
    }
    session[SESSION_KEY] = intakes
    return token


def intake_get(session: SessionBase, token: str) -> dict | None:
    return session.get(SESSION_KEY, {}).get(token)


def intake_put(session: SessionBase, token: str, intake: dict) -> None:
    intakes = dict(session.get(SESSION_KEY, {}))
    intakes[token] = intake
    session[SESSION_KEY] = intakes


def intake_forget(session: SessionBase, token: str) -> None:
    intakes = dict(session.get(SESSION_KEY, {}))
    intakes.pop(token, None)
    session[SESSION_KEY] = intakes


def intake_details(intake: dict) -> SourceDetails:
    details = dict(intake["details"])
    details["published_on"] = date.fromisoformat(details["published_on"]) if details.get("published_on") else None
    return SourceDetails(**details)


def kept_blocks(intake: dict) -> list[Block]:
    return [Block(block["kind"], block["text"]) for block in intake["blocks"] if not block["dropped"]]


def sentence_starts(text: str) -> list[int]:
    """Offsets where a new sentence begins inside a block (the places it can be split)."""
    return [match.end() for match in SENTENCE_BOUNDARY.finditer(text) if 0 < match.end() < len(text)]


class EditRefused(ValueError):
    """The edit does not apply (no next block, no such split point); the message says why."""


def toggle_drop(blocks: list[dict], index: int) -> None:
    blocks[index]["dropped"] = not blocks[index]["dropped"]


def merge_with_next(blocks: list[dict], index: int) -> None:
    """Join a block and the next kept one: a paragraph broken by a page end, a heading split in two."""
    following = next((i for i in range(index + 1, len(blocks)) if not blocks[i]["dropped"]), None)
    if following is None:
        raise EditRefused("This is the last block: there is nothing after it to merge with.")
    first, second = blocks[index], blocks.pop(following)
    if first["kind"] != second["kind"] and first["kind"] != PassageKind.TITLE:
        first["kind"] = PassageKind.PARAGRAPH
    first["text"] = f"{first['text']} {second['text']}"


def split_at(blocks: list[dict], index: int, offset: int) -> None:
    """Cut a block in two where a sentence starts; the second part becomes a paragraph of its own."""
    text = blocks[index]["text"]
    if offset not in sentence_starts(text):
        raise EditRefused("Choose one of the listed sentences to split before.")
    blocks[index]["text"] = text[:offset].rstrip()
    kind = PassageKind.SUMMARY_POINT if blocks[index]["kind"] == PassageKind.SUMMARY_POINT else PassageKind.PARAGRAPH
    blocks.insert(index + 1, {"kind": kind, "text": text[offset:].lstrip(), "dropped": False})


def set_kind(blocks: list[dict], index: int, kind: str) -> None:
    if kind not in PassageKind.values:
        raise EditRefused("Choose title, heading, summary point or paragraph.")
    blocks[index]["kind"] = kind


def split_choices(text: str) -> list[tuple[int, str]]:
    """(offset, label) for each place a block can be split: the first words of the sentence that would start."""
    choices = []
    for offset in sentence_starts(text):
        words = text[offset:].split()
        label = " ".join(words[:7]) + ("…" if len(words) > 7 else "")
        choices.append((offset, label))
    return choices
