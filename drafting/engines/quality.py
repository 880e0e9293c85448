"""Quality rules on the whole set of candidate drafts.

In order: every draft passes validation (which also refuses a stem that gives its own key
away and choices of very different lengths); one kind per fact (the kind least used so far, so the set
mixes kinds); the same fact stated twice is asked once; no draft's prompt or choices give
away another's answer (the bank's leak check); at most `per_passage_cap` drafts a passage;
the most central facts first. Every candidate that falls out is counted by the rule's name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from drafting.engines.base import DraftBatch, DraftQuestion, PassageText
from drafting.engines.validation import answer_words as _words
from drafting.engines.validation import problem_with
from quiz.bank.leaks import LeakItem, find_leaks


@dataclass
class Candidate:
    """A draft with what the quality rules need to know about it."""

    draft: DraftQuestion
    fact: str  # what the draft asks about; drafts of one fact compete for one place
    answer_terms: tuple[str, ...]  # what would give its answer away, for the leak check
    context: frozenset[str] = field(default_factory=frozenset)  # content words around the key, to spot repeats
    covers: frozenset[str] = field(default_factory=frozenset)  # the sentences a statement question restates


def select(candidates: Sequence[Candidate], passages: Sequence[PassageText], *, per_passage_cap: int) -> DraftBatch:
    batch = DraftBatch()
    by_position = {passage.position: passage for passage in passages}
    sound = []
    for candidate in candidates:
        reason = problem_with(candidate.draft, by_position)
        if reason is None:
            sound.append(candidate)
        else:
            batch.dropped[reason] += 1
    by_fact: dict[tuple[str, int, str], list[Candidate]] = defaultdict(list)
    for candidate in sorted(sound, key=_rank):
        by_fact[(candidate.fact, candidate.draft.passage_position, candidate.draft.quote)].append(candidate)
    kept = _KeptSet()
    kinds: Counter[str] = Counter()
    per_passage: Counter[int] = Counter()
    # Questions about one fact first, statements (true/false, "which of these does the source say") after: a
    # statement shows a whole sentence and would give away every fact in it; placed last, statements take the
    # sentences whose facts are not asked otherwise.
    reasons: dict[tuple[str, int, str], str | None] = {}
    costly = _costly(sound)
    for stage in STAGES:
        for fact, group in by_fact.items():
            if reasons.get(fact, "") is None:
                continue
            options = [candidate for candidate in group if _stage(candidate) == stage]
            if options:
                reasons[fact] = _keep_one(options, kept, kinds, per_passage, per_passage_cap, costly)
    for fact, group in by_fact.items():
        reason = reasons[fact]
        if reason is not None:
            batch.dropped[reason] += 1
        if len(group) > 1:
            batch.dropped["same_fact_other_kind"] += len(group) - 1
    batch.drafts = sorted((candidate.draft for candidate in kept.candidates), key=lambda draft: -draft.centrality)
    return batch


STAGES = ("facts", "statements")

# The mix of kinds the set aims at: a choice question shows other facts as distractors, and each one it shows is a
# fact no other draft can ask, so typed answers get the larger share.
KIND_WEIGHTS = {"numeric": 2, "short_text": 2, "single": 1, "multiple": 1, "true_false": 1}
COSTLY_PENALTY = 4


def _stage(candidate: Candidate) -> str:
    if candidate.draft.kind == "true_false" or candidate.draft.rule == "multiple.statements":
        return "statements"
    return "facts"


TYPED_KINDS = {"numeric", "short_text"}


def _costly(candidates: Sequence[Candidate]) -> set[int]:
    """Choice questions whose choices show another fact's typed answer: kept, each costs that fact its question."""
    answers: dict[str, list[tuple[frozenset[str], str]]] = defaultdict(list)
    for candidate in candidates:
        if candidate.draft.kind not in TYPED_KINDS:
            continue  # only typed answers are sure to be asked; another choice question may never be kept
        for term in candidate.answer_terms:
            words = frozenset(_words(term))
            if words:
                answers[min(words)].append((words, candidate.fact))
    costly = set()
    for candidate in candidates:
        if not candidate.draft.choices or candidate.draft.kind == "true_false":
            continue
        shown = set(_words("\n".join([candidate.draft.prompt, *(c.text for c in candidate.draft.choices)])))
        for word in shown:
            if any(words <= shown and fact != candidate.fact for words, fact in answers.get(word, [])):
                costly.add(id(candidate))
                break
    return costly


def _mix_label(candidate: Candidate) -> str:
    """The kind, and for true/false which way: the set aims at as many false statements as true ones."""
    draft = candidate.draft
    if draft.kind == "true_false":
        return f"true_false:{next(choice.text for choice in draft.choices if choice.is_correct)}"
    return draft.kind


def _share(candidate: Candidate, kinds: Counter[str], costly: set[int]) -> tuple[float, int]:
    """How far the set already has its share of this kind; a choice question that costs another fact counts more."""
    weight = KIND_WEIGHTS[candidate.draft.kind] / (COSTLY_PENALTY if id(candidate) in costly else 1)
    return (kinds[candidate.draft.kind] + 1) / weight, kinds[_mix_label(candidate)]


def _keep_one(
    group: list[Candidate], kept: _KeptSet, kinds: Counter[str], per_passage: Counter[int], cap: int, costly: set[int]
) -> str | None:
    """Keep the fact's candidate of the kind the set has least of, unless it repeats or leaks; else say why not."""
    position = group[0].draft.passage_position
    if per_passage[position] >= cap:
        return "passage_cap"
    if any(_same_fact(group[0], other) for other in kept.by_fact.get(group[0].fact, [])):
        return "duplicate_fact"
    reason = "leaks_answer"
    for candidate in sorted(group, key=lambda candidate: _share(candidate, kinds, costly)):
        if candidate.covers & kept.covered:
            reason = "duplicate_fact"  # a statement question already restates this sentence, or the other way round
        elif not kept.leaks_with(candidate):
            kept.add(candidate)
            kinds[candidate.draft.kind] += 1
            kinds[_mix_label(candidate)] += candidate.draft.kind == "true_false"
            per_passage[position] += 1
            return None
    return reason


# Statements that show many facts at once are weighed last among equals, so the facts are asked first.
_KIND_ORDER = {"numeric": 0, "short_text": 1, "single": 2, "multiple": 3, "true_false": 4}


def _rank(candidate: Candidate) -> tuple[float, int, int, str, str]:
    draft = candidate.draft
    return (-draft.centrality, draft.passage_position, _KIND_ORDER[draft.kind], draft.rule, draft.prompt)


def _same_fact(one: Candidate, other: Candidate) -> bool:
    """A fact the source states twice (a summary point and the body) is asked once, where it ranks higher."""
    if one.draft.passage_position == other.draft.passage_position and one.draft.quote == other.draft.quote:
        return True
    return len(one.context & other.context) >= 2


class _KeptSet:
    """The drafts kept so far, indexed by word so each newcomer is checked against them quickly.

    The word index only finds pairs that might leak; the bank's leak check decides. Leaks
    through explanations and feedback alone (the quote is the article's own sentence) are left
    to the quiz's leak check, which knows whether the quiz shows feedback after each question.
    """

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self.by_fact: dict[str, list[Candidate]] = defaultdict(list)
        self.covered: set[str] = set()
        self.items: list[LeakItem] = []
        self.shown_with_word: dict[str, set[int]] = defaultdict(set)  # word -> kept drafts whose stem shows it
        self.answers_with_word: dict[str, list[tuple[frozenset[str], int]]] = defaultdict(list)

    def add(self, candidate: Candidate) -> None:
        number = len(self.candidates)
        item = _leak_item(number, candidate)
        self.candidates.append(candidate)
        self.by_fact[candidate.fact].append(candidate)
        self.covered |= candidate.covers
        self.items.append(item)
        for word in set(_words(item.shown_before)):
            self.shown_with_word[word].add(number)
        for term in item.answer_terms:
            words = frozenset(_words(term))
            if words:
                self.answers_with_word[min(words)].append((words, number))

    def leaks_with(self, candidate: Candidate) -> bool:
        item = _leak_item(len(self.candidates), candidate)
        shown = set(_words(item.shown_before))
        suspects: set[int] = set()
        for word in shown:  # the newcomer shows a kept draft's answer
            suspects.update(number for words, number in self.answers_with_word.get(word, []) if words <= shown)
        for term in item.answer_terms:  # a kept draft shows the newcomer's answer
            words = set(_words(term))
            if words:
                suspects.update(set.intersection(*(self.shown_with_word.get(word, set()) for word in words)))
        return any(not leak.immediate_only for number in suspects for leak in find_leaks([item, self.items[number]]))


def _leak_item(number: int, candidate: Candidate) -> LeakItem:
    draft = candidate.draft
    return LeakItem(
        key=str(number),
        answer_terms=candidate.answer_terms,
        shown_before="\n".join([draft.prompt, *(choice.text for choice in draft.choices)]),
        shown_after="",  # only what a student sees before answering decides here (see _KeptSet)
    )
