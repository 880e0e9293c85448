"""The checks every draft passes before anyone sees it, whichever engine wrote it.

A draft that fails is dropped and counted under the reason's name; nothing here edits a draft.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import lru_cache

from drafting.engines.base import DraftBatch, DraftQuestion, PassageText
from drafting.engines.text import normalise
from quiz.bank.leaks import words_of

# The leak check's reading of words (numbers as digits, plurals as singulars), read once per text.
answer_words = lru_cache(maxsize=65536)(words_of)
# Choices whose lengths differ this much let a student guess by shape alone.
UNEVEN_RATIO = 4
UNEVEN_CHARACTERS = 40

KINDS = {"single", "multiple", "true_false", "numeric", "short_text"}
LEVELS = {"remember", "understand", "apply", "analyse", "evaluate"}


def problem_with(draft: DraftQuestion, passages: Mapping[int, PassageText]) -> str | None:
    """The first reason this draft cannot be kept, or None when it is sound."""
    passage = passages.get(draft.passage_position)
    if passage is None:
        return "unknown_passage"
    if draft.kind not in KINDS:
        return "unknown_kind"
    if draft.cognitive_level not in LEVELS:
        return "unknown_level"
    if not draft.prompt.strip():
        return "empty_prompt"
    if not draft.quote.strip() or draft.quote not in passage.text:
        return "quote_not_in_passage"
    if draft.kind in {"single", "multiple", "true_false"}:
        problem = _choice_problem(draft)
    elif draft.kind == "numeric":
        problem = _numeric_problem(draft)
    else:
        problem = None if [answer for answer in draft.accepted_answers if answer.strip()] else "no_accepted_answer"
    return problem or _stem_problem(draft)


def answer_terms(draft: DraftQuestion) -> list[str]:
    """What gives the draft's answer away: its accepted answers, its number, the text of its right choices."""
    if draft.kind == "short_text":
        return list(draft.accepted_answers)
    if draft.kind == "numeric":
        return [f"{draft.numeric_answer:f}"] if draft.numeric_answer is not None else []
    if draft.kind in {"single", "multiple"}:
        return [choice.text for choice in draft.choices if choice.is_correct]
    return []


def _stem_problem(draft: DraftQuestion) -> str | None:
    stem = set(answer_words(draft.prompt))
    if any(words and words <= stem for words in (set(answer_words(term)) for term in answer_terms(draft))):
        return "key_in_stem"
    lengths = [len(choice.text) for choice in draft.choices]
    uneven = bool(lengths) and max(lengths) > UNEVEN_RATIO * min(lengths)
    if draft.kind in {"single", "multiple"} and uneven and max(lengths) - min(lengths) > UNEVEN_CHARACTERS:
        return "choices_uneven"
    return None


def _choice_problem(draft: DraftQuestion) -> str | None:
    texts = [normalise(choice.text) for choice in draft.choices]
    correct = sum(choice.is_correct for choice in draft.choices)
    if len(draft.choices) < 2 or any(not text for text in texts):
        return "too_few_choices"
    if len(set(texts)) != len(texts):
        return "choices_not_distinct"
    if draft.kind == "multiple" and correct < 1:
        return "no_correct_choice"
    if draft.kind != "multiple" and correct != 1:
        return "not_exactly_one_key"
    if draft.kind == "true_false" and sorted(texts) != ["false", "true"]:
        return "true_false_choices"
    return None


def _numeric_problem(draft: DraftQuestion) -> str | None:
    if draft.numeric_answer is None and (draft.numeric_min is None or draft.numeric_max is None):
        return "no_numeric_key"
    if draft.numeric_min is not None and draft.numeric_max is not None and draft.numeric_min > draft.numeric_max:
        return "numeric_range_reversed"
    if draft.numeric_tolerance < 0:
        return "numeric_range_reversed"
    key = draft.numeric_answer if draft.numeric_answer is not None else draft.numeric_max
    if not numeral_in(key, draft.quote):
        return "numeric_key_not_in_quote"
    return None


def numeral_in(value: Decimal | None, text: str) -> bool:
    """Whether the quote writes this number (as 500,000 or 500000, 84 or 84.0), not merely digits inside another."""
    if value is None:
        return False
    for written in re.findall(r"\d[\d,]*(?:\.\d+)?", text):
        try:
            if Decimal(written.replace(",", "").rstrip(".")) == value:
                return True
        except ArithmeticError:
            continue
    return False


def validated(drafts: Iterable[DraftQuestion], passages: Iterable[PassageText]) -> DraftBatch:
    """Keep the sound drafts; count the others by reason."""
    by_position = {passage.position: passage for passage in passages}
    batch = DraftBatch()
    for draft in drafts:
        reason = problem_with(draft, by_position)
        if reason is None:
            batch.drafts.append(draft)
        else:
            batch.dropped[reason] += 1
    return batch
