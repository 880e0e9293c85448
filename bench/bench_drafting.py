"""Measure the offline drafting engine: what it drafts from the shipped article, how much of the hand-written bank
it covers, and how fast it reads a long text.

    .venv/bin/python bench/bench_drafting.py                  # print the tables
    .venv/bin/python bench/bench_drafting.py --words 25000    # a longer generated text
    .venv/bin/python bench/bench_drafting.py --show-misses    # list the hand-written questions no draft covers
    .venv/bin/python bench/bench_drafting.py --pdf-pages 0    # skip the generated 50-page PDF
    .venv/bin/python bench/bench_drafting.py --bank old.json  # coverage of another version of the bank

Coverage: a hand-written question is covered when its key is the key of at least one draft. The key of a
numeric question is its number; of a short-text question, any accepted answer; of a single- or multiple-choice
question, the text of any right choice (a number in it matches a draft's number; a name or term matches when one
holds the other word for word and the shorter has at least half the longer's words). A true/false question's key
is its statement, so it is covered when a draft quotes the sentence it quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

ARTICLE = ROOT / "content" / "sources" / "russia-ai-chips"
KINDS = ("single", "multiple", "true_false", "numeric", "short_text")


def article_passages():
    from content.splitting import split_passages
    from drafting.engines.base import PassageText

    text = (ARTICLE / "article.txt").read_text(encoding="utf-8")
    return [PassageText(n, piece.kind, piece.text) for n, piece in enumerate(split_passages(text), start=1)]


def generated_passages(words: int) -> tuple[list, int]:
    """The article's paragraphs again and again, each copy's numbers shifted, until the text has `words` words."""
    from drafting.engines.base import PassageText

    paragraphs = [p.text for p in article_passages() if p.kind == "paragraph"]
    passages: list[PassageText] = []
    count, copy = 0, 0
    while count < words:
        for text in paragraphs:
            shifted = re.sub(r"\d[\d,]*\d|\d", lambda match: _shifted(match.group(), copy), text)  # noqa: B023
            passages.append(PassageText(len(passages) + 1, "paragraph", shifted))
            count += len(shifted.split())
            if count >= words:
                break
        copy += 1
    return passages, count


def _shifted(number: str, by: int) -> str:
    value = int(number.replace(",", "")) + by
    return f"{value:,}" if "," in number else str(value)


def _words(text: str) -> list[str]:
    from drafting.engines.text import normalise

    return normalise(text).split()


def _matches(hand: str, drafted: str) -> bool:
    hand_words, draft_words = _words(hand), _words(drafted)
    if not hand_words or not draft_words:
        return False
    shorter, longer = sorted([hand_words, draft_words], key=len)
    joined = " ".join(longer)
    return f" {' '.join(shorter)} " in f" {joined} " and len(shorter) * 2 >= len(longer)


def _numbers(text: str) -> set[Decimal]:
    return {Decimal(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def draft_keys(draft) -> tuple[list[str], set[Decimal]]:
    terms = list(draft.accepted_answers) + [choice.text for choice in draft.choices if choice.is_correct]
    if draft.kind == "true_false":
        terms = []
    numbers = {draft.numeric_answer} if draft.numeric_answer is not None else set()
    for term in terms:
        numbers |= _numbers(term)
    return terms, numbers


def covered(question: dict, drafts) -> bool:
    if question["kind"] == "true_false":
        return any(
            question["quote"] in draft.quote and question["passage"] == draft.passage_position for draft in drafts
        )
    if question["kind"] == "numeric":
        hand_terms, hand_numbers = [], {Decimal(str(question["numeric_answer"]))}
    elif question["kind"] == "short_text":
        hand_terms, hand_numbers = question["accepted_answers"], set()
    else:
        hand_terms = [choice["text"] for choice in question["choices"] if choice["correct"]]
        hand_numbers = set().union(*(_numbers(term) for term in hand_terms))
    for draft in drafts:
        terms, numbers = draft_keys(draft)
        if hand_numbers & numbers or any(_matches(h, d) for h in hand_terms for d in terms):
            return True
    return False


def measure_article(show_misses: bool, bank_path: Path) -> None:
    from drafting.engines import get_engine

    passages = article_passages()
    engine = get_engine("offline")
    times, cpu_times = [], []
    for _ in range(5):
        started, cpu_started = time.perf_counter(), time.process_time()
        batch = engine.draft(passages)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
    words = sum(len(p.text.split()) for p in passages)
    kinds = Counter(draft.kind for draft in batch.drafts)
    bank = json.loads(bank_path.read_text(encoding="utf-8"))["questions"]
    hits = [question for question in bank if covered(question, batch.drafts)]
    verbatim = sum(
        draft.quote in {p.position: p.text for p in passages}[draft.passage_position] for draft in batch.drafts
    )
    print(f"### Shipped article ({len(passages)} passages, {words:,} words)\n")
    print("| Kind | Drafts |\n| --- | ---: |")
    for kind in KINDS:
        print(f"| {kind} | {kinds[kind]} |")
    print(f"| **all** | **{len(batch.drafts)}** |\n")
    print(
        f"- Time: median {statistics.median(times) * 1000:.0f} ms wall clock, "
        f"{statistics.median(cpu_times) * 1000:.0f} ms CPU, over {len(times)} runs"
    )
    print(
        f"- Coverage of the hand-written bank ({bank_path.name}): "
        f"{len(hits)} of {len(bank)} = {len(hits) / len(bank):.0%}"
    )
    by_kind = Counter(q["kind"] for q in bank)
    hit_kind = Counter(q["kind"] for q in hits)
    print("  (" + ", ".join(f"{kind} {hit_kind[kind]}/{by_kind[kind]}" for kind in KINDS) + ")")
    levels = Counter(q.get("cognitive_level", "remember") for q in bank)
    hit_levels = Counter(q.get("cognitive_level", "remember") for q in hits)
    print("  by level: " + ", ".join(f"{level} {hit_levels[level]}/{count}" for level, count in sorted(levels.items())))
    print(f"- Drafts with a verbatim quote from the cited passage: {verbatim} of {len(batch.drafts)}")
    print(f"- Dropped by the quality rules: {dict(sorted(batch.dropped.items()))}")
    print(f"- Rules: {dict(sorted(Counter(draft.rule for draft in batch.drafts).items()))}\n")
    if show_misses:
        for question in bank:
            if question not in hits:
                print(f"  missed: [{question['passage']}] {question['kind']}: {question['prompt'][:90]}")


def measure_long(words: int) -> None:
    from drafting.engines import get_engine

    passages, count = generated_passages(words)
    started, cpu_started = time.perf_counter(), time.process_time()
    batch = get_engine("offline").draft(passages)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"### Generated text ({len(passages)} passages, {count:,} words)\n")
    print(
        f"- Wall clock: {elapsed:.2f} s, {elapsed / count * 1000:.3f} s per 1,000 words "
        f"({count / elapsed:,.0f} words/s)"
    )
    print(f"- CPU: {cpu:.2f} s, {cpu / count * 1000:.3f} s per 1,000 words ({count / cpu:,.0f} words/s)")
    print(f"- Drafts: {len(batch.drafts)}; dropped: {sum(batch.dropped.values())}\n")


def measure_pdf(pages: int) -> None:
    """A PDF of `pages` pages (a heading and three paragraphs each) from upload bytes to drafts, with progress."""
    sys.path.insert(0, str(ROOT / "tests"))
    from documents import make_pdf

    from drafting.engines import get_engine
    from drafting.engines.base import PassageText
    from drafting.extraction import extract_file

    paragraphs = [p.text.replace("’", "'") for p in generated_passages(pages * 400)[0]]
    layout = [
        [("heading", f"Part {page + 1}")] + [("paragraph", text) for text in paragraphs[page * 3 : page * 3 + 3]]
        for page in range(pages)
    ]
    data = make_pdf(layout, title="Generated report")
    started = time.perf_counter()
    extracted = extract_file("report.pdf", data)
    read = time.perf_counter() - started
    passages = [PassageText(n, block.kind, block.text) for n, block in enumerate(extracted.blocks, start=1)]
    updates: list[tuple[int, int]] = []
    batch = get_engine("offline").draft(passages, progress=lambda done, total: updates.append((done, total)))
    total = time.perf_counter() - started
    print(
        f"### A {pages}-page PDF ({len(data) / 1024:,.0f} KB, {extracted.word_count:,} words, "
        f"{len(passages)} passages)\n"
    )
    print(f"- Reading the upload: {read:.2f} s; reading and drafting: {total:.2f} s")
    print(f"- Progress reports: {len(updates)} (last {updates[-1][0]} of {updates[-1][1]} passages)")
    print(f"- Drafts: {len(batch.drafts)}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=25_000, help="length of the generated text")
    parser.add_argument("--pdf-pages", type=int, default=50, help="pages of the generated PDF (0: skip)")
    parser.add_argument("--show-misses", action="store_true")
    parser.add_argument("--bank", type=Path, default=ARTICLE / "questions.json", help="the hand-written bank to cover")
    arguments = parser.parse_args()
    import django

    django.setup()  # the leak check the quality rules use reads the quiz models
    measure_article(arguments.show_misses, arguments.bank)
    measure_long(arguments.words)
    if arguments.pdf_pages:
        measure_pdf(arguments.pdf_pages)


if __name__ == "__main__":
    main()
