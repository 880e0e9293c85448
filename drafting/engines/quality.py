"""Quality rules on the whole set of candidate drafts.

In order: every draft passes validation (which also refuses a stem that gives its own key
away and choices of very different lengths); one kind per fact (the kind least used so far, so the set
mixes kinds); the same fact stated twice is asked once; no draft's prompt or choices give
away another's answer (the bank's leak check); at most `per_passage_cap` drafts a passage;
the most central facts first. Every candidate that falls out is counted by the rule's name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from drafting.engines.base import DraftBatch, DraftQuestion, PassageText
from drafting.engines.validation import answer_words as _words
from drafting.engines.validation import problem_with
from quiz.bank.leaks import LeakItem, find_leaks

# Says whether a choice may not be shown (it would show another draft's answer).
Refusal = Callable[[str], bool]


@dataclass
class Candidate:
    """A draft with what the quality rules need to know about it."""

    draft: DraftQuestion
    fact: str  # what the draft asks about; drafts of one fact compete for one place
    answer_terms: tuple[str, ...]  # what would give its answer away, for the leak check
    context: frozenset[str] = field(default_factory=frozenset)  # content words around the key, to spot repeats
    covers: frozenset[str] = field(default_factory=frozenset)  # the sentences a statement question restates
    # The same question with other distractors from the source, none refused; None when it has no others to offer.
    redraw: Callable[[Refusal], DraftQuestion | None] | None = field(default=None, compare=False, repr=False)


def select(candidates: Sequence[Candidate], passages: Sequence[PassageText], *, per_passage_cap: int) -> DraftBatch:
    batch = DraftBatch()
    by_position = {passage.position: passage for passage in passages}
    sound = _spare_other_answers(_valid(candidates, by_position, batch.dropped), by_position)
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
    answers = _Answers.of(sound, kept, by_position)
    for stage in STAGES:
        for fact, group in by_fact.items():
            if reasons.get(fact, "") is None:
                continue
            options = [candidate for candidate in group if _stage(candidate) == stage]
            if options:
                reasons[fact] = _keep_one(options, kept, kinds, per_passage, per_passage_cap, costly, answers)
                if reasons[fact] is not None:
                    answers.closed.add(fact[0])
    for fact, group in by_fact.items():
        reason = reasons[fact]
        if reason is not None:
            batch.dropped[reason] += 1
        if len(group) > 1:
            batch.dropped["same_fact_other_kind"] += len(group) - 1
    batch.drafts = sorted((candidate.draft for candidate in kept.candidates), key=lambda draft: -draft.centrality)
    return batch


def _valid(
    candidates: Sequence[Candidate], by_position: dict[int, PassageText], dropped: Counter[str]
) -> list[Candidate]:
    """The candidates that pass validation; the others counted by reason."""
    sound = []
    for candidate in candidates:
        reason = problem_with(candidate.draft, by_position)
        if reason is None:
            sound.append(candidate)
        else:
            dropped[reason] += 1
    return sound


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


def _typed_answers(
    candidates: Sequence[Candidate], kinds: set[str] | None = None
) -> dict[str, list[tuple[frozenset[str], str]]]:
    """The words of every answer of the `kinds` (typed answers by default), with its fact, indexed by one of them."""
    answers: dict[str, list[tuple[frozenset[str], str]]] = defaultdict(list)
    for candidate in candidates:
        if candidate.draft.kind not in (kinds or TYPED_KINDS):
            continue  # by default only typed answers: they are sure to be asked; a choice question may not be kept
        for term in candidate.answer_terms:
            words = frozenset(_words(term))
            if words:
                answers[min(words)].append((words, candidate.fact))
    return answers


def _shows_answer[T](
    text: str,
    answers: dict[str, list[tuple[frozenset[str], T]]],
    but: T | None = None,
    closed: Callable[[T], bool] = lambda _owner: False,
) -> bool:
    """Whether `text` holds every word of one of the `answers` (other than those of `but` and the `closed` ones)."""
    shown = set(_words(text))
    return any(
        words <= shown and owner != but and not closed(owner)
        for word in shown
        for words, owner in answers.get(word, [])
    )


@dataclass
class _Answers:
    """What a choice question's distractors had best not show, most careful first: any answer of a fact still open
    (kept or not yet decided); failing that, only the answers of the least central open facts (the bottom quarter,
    then half, then three quarters); any typed answer of one; a kept draft's answer (which would leak for sure)."""

    any_kind: dict[str, list[tuple[frozenset[str], str]]]
    typed: dict[str, list[tuple[frozenset[str], str]]]
    kept: _KeptSet
    by_position: dict[int, PassageText]
    by_fact: dict[str, list[Candidate]]
    closed: set[str] = field(default_factory=set)  # facts dropped: their answers cost nothing as distractors
    cutoffs: tuple[float, ...] = ()  # centralities below which a fact's answer may be shown, tier by tier

    @classmethod
    def of(cls, candidates: list[Candidate], kept: _KeptSet, by_position: dict[int, PassageText]) -> _Answers:
        by_fact: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            by_fact[candidate.fact].append(candidate)
        centralities = sorted(max(c.draft.centrality for c in group) for group in by_fact.values())
        cutoffs = tuple(centralities[len(centralities) * share // 4] for share in (1, 2, 3)) if centralities else ()
        return cls(
            _typed_answers(candidates, set(KIND_WEIGHTS)),
            _typed_answers(candidates),
            kept,
            by_position,
            by_fact,
            cutoffs=cutoffs,
        )

    def is_closed(self, fact: str) -> bool:
        """Whether the fact is dropped, or will be: a kept draft already shows the answer of each of its questions."""
        if fact not in self.closed and all(self.kept.shows_answer_of(other) for other in self.by_fact.get(fact, [])):
            self.closed.add(fact)
        return fact in self.closed

    def centrality(self, fact: str) -> float:
        return (
            max(candidate.draft.centrality for candidate in self.by_fact.get(fact, [])) if fact in self.by_fact else 0
        )

    def refusals(self, candidate: Candidate) -> Iterator[Refusal]:
        def refusing(answers: dict[str, list[tuple[frozenset[str], str]]], cutoff: float | None) -> Refusal:
            def closed(fact: str) -> bool:
                return self.is_closed(fact) or (cutoff is not None and self.centrality(fact) < cutoff)

            return lambda text: _shows_answer(text, answers, candidate.fact, closed) or self.kept.shows_answer(text)

        yield refusing(self.any_kind, None)
        for cutoff in self.cutoffs:
            yield refusing(self.any_kind, cutoff)
        yield refusing(self.typed, None)
        yield self.kept.shows_answer

    def redrawn(self, candidate: Candidate) -> Iterator[Candidate]:
        """The candidate with distractors that cost as little as they can: each tier's redraw that is valid."""
        if candidate.redraw is None:
            return
        for refused in self.refusals(candidate):
            draft = candidate.redraw(refused)
            if draft is not None and problem_with(draft, self.by_position) is None:
                yield replace(candidate, draft=draft)


def _spare_other_answers(candidates: list[Candidate], by_position: dict[int, PassageText]) -> list[Candidate]:
    """Choice questions redrawn, where they can be, so that no distractor is another fact's answer (or, failing
    that, another fact's typed answer): a distractor that is one would cost that fact its question."""
    tiers = [_typed_answers(candidates, set(KIND_WEIGHTS)), _typed_answers(candidates)]
    spared = []
    for candidate in candidates:
        spared.append(candidate)
        if candidate.redraw is None:
            continue
        for answers in tiers:
            draft = candidate.redraw(lambda text: _shows_answer(text, answers, but=candidate.fact))  # noqa: B023
            if draft is not None and problem_with(draft, by_position) is None:
                spared[-1] = replace(candidate, draft=draft)
                break
    return spared


def _costly(candidates: Sequence[Candidate]) -> set[int]:
    """Choice questions whose choices show another fact's typed answer: kept, each costs that fact its question."""
    answers = _typed_answers(candidates)
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
    group: list[Candidate],
    kept: _KeptSet,
    kinds: Counter[str],
    per_passage: Counter[int],
    cap: int,
    costly: set[int],
    answers: _Answers,
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
            continue
        # Distractors that cost no other question first, then the ones first drawn.
        for version in [*answers.redrawn(candidate), candidate]:
            if not kept.leaks_with(version):
                kept.add(version)
                kinds[version.draft.kind] += 1
                kinds[_mix_label(version)] += version.draft.kind == "true_false"
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

    def shows_answer_of(self, candidate: Candidate) -> bool:
        """Whether a kept draft shows one of the candidate's answers (whole words; the leak check may say more)."""
        for term in candidate.answer_terms:
            shown_with: list[set[int]] = [self.shown_with_word.get(word, set()) for word in set(_words(term))]
            if shown_with and set.intersection(*shown_with):
                return True
        return False

    def shows_answer(self, text: str) -> bool:
        """Whether `text` holds a kept draft's answer."""
        return _shows_answer(text, self.answers_with_word)

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
