"""The offline engine: rules that turn the facts a passage states into draft questions.

It reads each sentence for quantities, names, quoted terms, lists and direction words, and
writes one candidate question per fact and kind; `quality.py` then picks one kind per fact,
removes leaks and duplicates, caps each passage and ranks by centrality. No network, no
model, no randomness: the same text always gives the same drafts.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from drafting.engines.base import DraftBatch, DraftChoice, DraftQuestion, PassageText, ProgressCallback, StopCheck
from drafting.engines.quality import Candidate, Refusal, select
from drafting.engines.rewording import lower_first, reword, upper_first
from drafting.engines.text import (
    OPPOSITES,
    STOPWORDS,
    Listing,
    Name,
    Phrase,
    Quantity,
    Span,
    content_words,
    find_listings,
    find_names,
    find_phrases,
    find_quantities,
    normalise,
    place_class,
    split_sentences,
)

# Passages that are labels rather than statements: nothing to ask about them.
SKIPPED_PASSAGE_KINDS = {"title", "heading"}
# A name in at least TOPIC_SENTENCES sentences and more than TOPIC_SHARE of them is one of the source's subjects
# ("Russia", "GPUs"): asking for it tests little, and every other stem would give it away.
TOPIC_SENTENCES = 3
TOPIC_SHARE = 0.05
MIN_STEM_WORDS = 5
MIN_SENTENCE_WORDS = 6  # shorter lines are bylines, captions and labels
MAX_DISTRACTOR_CHOICE = 6  # distractors looked for before the closest in length are picked
SPARE_DISTRACTORS = 12  # names and phrases looked for, the first three used unless they would show another's answer


@dataclass
class SentenceFacts:
    passage: PassageText
    sentence: Span
    quantities: list[Quantity]
    names: list[Name]
    listings: list[Listing]
    phrases: list[Phrase] = field(default_factory=list)
    centrality: float = 0.0


class SourceIndex:
    """Everything the rules look up across the whole source: sentences, the pools distractors come from."""

    def __init__(self, passages: Sequence[PassageText]):
        self.passages = list(passages)
        self.source_text = "\n".join(passage.text for passage in passages)
        self.sentences: list[SentenceFacts] = []
        for passage in self.passages:
            if passage.kind in SKIPPED_PASSAGE_KINDS:
                continue
            for sentence in split_sentences(passage.text):
                if reads_as_prose(sentence.text) and len(sentence.text.split()) >= MIN_SENTENCE_WORDS:
                    self.sentences.append(self._read(passage, sentence))
        self.word_counts = Counter(word for facts in self.sentences for word in content_words(facts.sentence.text))
        self.sentence_words = [content_words(facts.sentence.text) for facts in self.sentences]
        name_sentences = Counter(normalise(n.span.text) for facts in self.sentences for n in {*facts.names})
        self.topic_names: set[str] = {
            name
            for name, count in name_sentences.items()
            if count >= TOPIC_SENTENCES and count > TOPIC_SHARE * len(self.sentences)
        }
        self._score_centrality()
        self.normalised_sentences = [f" {normalise(facts.sentence.text)} " for facts in self.sentences]
        self.sentences_with_word: dict[str, list[int]] = {}
        for number, text in enumerate(self.normalised_sentences):
            for word in set(text.split()):
                self.sentences_with_word.setdefault(word, []).append(number)
        self._name_pools: dict[str, list[Name]] = {}
        self._true_in_text: dict[tuple[str, frozenset[str]], bool] = {}
        self._quantities_by_unit: dict[tuple[str, str], list[Quantity]] = {}
        self._by_passage: dict[int, list[SentenceFacts]] = {}
        self._listing_pool: tuple[list[str], set[str]] | None = None
        self._phrase_pools: dict[str, list[str]] = {}
        self.quantities = [quantity for facts in self.sentences for quantity in facts.quantities]
        self.name_words = frozenset(
            word.casefold() for facts in self.sentences for name in facts.names for word in name.span.text.split()
        )
        self.lowercase_words = frozenset(re.findall(r"\b[a-z][a-z'-]*\b", self.source_text))
        self.listing_texts = [item.text for facts in self.sentences for lst in facts.listings for item in lst.items]

    def _read(self, passage: PassageText, sentence: Span) -> SentenceFacts:
        quantities = [_shift_quantity(quantity, sentence.start) for quantity in find_quantities(sentence.text)]
        names = _distinct_names(find_names(sentence, passage.text, self.source_text))
        listings = find_listings(sentence)
        facts = SentenceFacts(passage, sentence, quantities, names, listings)
        facts.phrases = [phrase for phrase in find_phrases(sentence) if _only_words(phrase.span, facts)]
        return facts

    def _score_centrality(self) -> None:
        """A sentence is central when its words recur across the source (a frequency summariser, Luhn 1958)."""
        for index, facts in enumerate(self.sentences):
            words = self.sentence_words[index]
            weight = sum(math.log(1 + self.word_counts[word]) for word in words) / math.sqrt(1 + len(words))
            if facts.passage.kind == "summary_point":
                weight *= 1.3  # the author's own summary names what matters
            facts.centrality = round(weight, 4)

    def name_pool(self, kind: str) -> list[Name]:
        if kind not in self._name_pools:
            self._name_pools[kind] = self._names_of_kind(kind)
        return self._name_pools[kind]

    def _names_of_kind(self, kind: str) -> list[Name]:
        seen: dict[str, Name] = {}
        for facts in self.sentences:
            for name in facts.names:
                if name.kind == kind:
                    seen.setdefault(normalise(name.span.text), name)
        # The source's subjects last: they are never asked about, so as distractors they cost no other question.
        return sorted(seen.values(), key=lambda name: normalise(name.span.text) not in self.topic_names)

    def quantities_like(self, key: Quantity) -> list[Quantity]:
        """The source's quantities of the same kind and unit as `key` (its own included)."""
        if not self._quantities_by_unit:
            for quantity in self.quantities:
                self._quantities_by_unit.setdefault((quantity.kind, normalise(quantity.unit)), []).append(quantity)
        return self._quantities_by_unit.get((key.kind, normalise(key.unit)), [])

    def phrase_pool(self, kind: str) -> list[str]:
        if kind not in self._phrase_pools:
            texts = [p.span.text for facts in self.sentences for p in facts.phrases if p.kind == kind]
            self._phrase_pools[kind] = list(dict.fromkeys(texts))
        return self._phrase_pools[kind]

    def listing_pool(self) -> tuple[list[str], set[str]]:
        """Distractors for a list: other lists' items (first: a name may be another draft's typed answer) and names."""
        if self._listing_pool is None:
            names = [name.span.text for kind in ("place", "organisation", "person") for name in self.name_pool(kind)]
            self._listing_pool = (
                list(dict.fromkeys(self.listing_texts + names)),
                set(map(normalise, self.listing_texts)),
            )
        return self._listing_pool

    def in_passage(self, position: int) -> list[SentenceFacts]:
        if not self._by_passage:
            for facts in self.sentences:
                self._by_passage.setdefault(facts.passage.position, []).append(facts)
        return self._by_passage.get(position, [])

    def true_in_text(self, phrase: str, context: frozenset[str]) -> bool:
        """Whether a sentence says `phrase` about the same thing (two context words shared): no distractor then."""
        if (phrase, context) not in self._true_in_text:
            self._true_in_text[phrase, context] = self._says(phrase, context)
        return self._true_in_text[phrase, context]

    def _says(self, phrase: str, context: frozenset[str]) -> bool:
        wanted = normalise(phrase)
        if not wanted:
            return False
        for number in self.sentences_with_word.get(wanted.split()[0], []):
            if f" {wanted} " in self.normalised_sentences[number] and len(self.sentence_words[number] & context) >= 2:
                return True
        return False


def reads_as_prose(text: str) -> bool:
    """Table rows, code and lists of file names make no questions: most of a sentence's tokens must be words."""
    tokens = text.split()
    if "|" in text or "`" in text or not tokens:
        return False
    words = [token for token in tokens if re.fullmatch(r"[\"'“‘(]*[A-Za-z][A-Za-z'’-]*[.,;:!?\"'”’)]*", token)]
    return len(words) >= 0.75 * len(tokens)


def _only_words(span: Span, facts: SentenceFacts) -> bool:
    """Whether a phrase holds no other fact (a figure, a name, a list's item) that a choice would give away."""
    others = [q.span for q in facts.quantities] + [n.span for n in facts.names]
    others += [item for listing in facts.listings for item in listing.items]
    return not re.search(r"\d", span.text) and not any(o.start < span.end and span.start < o.end for o in others)


def _shift_quantity(quantity: Quantity, by: int) -> Quantity:
    span = Span(quantity.span.start + by, quantity.span.end + by, quantity.span.text)
    return Quantity(
        span, quantity.value, quantity.unit, quantity.kind, quantity.hedge, quantity.hedge_words, quantity.precision
    )


def _distinct_names(names: list[Name]) -> list[Name]:
    seen: set[tuple[int, int]] = set()
    distinct = []
    for name in names:
        if (name.span.start, name.span.end) not in seen:
            seen.add((name.span.start, name.span.end))
            distinct.append(name)
    return distinct


# --- Shared wording -----------------------------------------------------------------------------------------------


def other_facts(index: SourceIndex, facts: SentenceFacts, target: Span) -> list[Span]:
    """The sentence's other quantities, names (not its subjects), lists and closing phrases: a stem about `target`
    hides them, since each may be another draft's answer."""
    spans = [q.span for q in facts.quantities] + [
        n.span for n in facts.names if normalise(n.span.text) not in index.topic_names
    ]
    spans += [item for listing in facts.listings for item in listing.items]
    spans += [phrase.span for phrase in facts.phrases]
    return [span for span in spans if span.end <= target.start or span.start >= target.end]


def cloze(facts: SentenceFacts, target: Span, avoid: Sequence[Span] = ()) -> str:
    """The sentence around `target` with the target blanked, cut short of other facts so it gives none away.

    When that leaves too few words to make sense of, the nearest fact is let back in (a number as "[…]"), and so on.
    """
    text = facts.passage.text
    sentence = facts.sentence
    distinct = {(span.start, span.end): span for span in avoid}.values()
    avoid = sorted(distinct, key=lambda span: min(abs(span.end - target.start), abs(span.start - target.end)))
    masked: list[Span] = []
    while True:
        start = max([span.end for span in avoid if span.end <= target.start] + [sentence.start])
        end = min([span.start for span in avoid if span.start >= target.end] + [sentence.end])
        before = _masked(text, start, target.start, masked)
        after = _masked(text, target.end, end, masked)
        if start > sentence.start:
            before = _trim_words(before, leading=True)
        if end < sentence.end:
            after = _trim_words(after, leading=False)
        if len(f"{before} {after}".split()) >= MIN_STEM_WORDS or not avoid:
            break
        if re.search(r"\d", avoid[0].text):
            masked.append(avoid[0])
        avoid = avoid[1:]
    before, after = before.strip(), after.strip().rstrip(".")
    lead = "" if before.endswith(('"', "“", "‘", "(")) or not before else " "
    joint = "" if after.startswith(("'", "’", ",", ";", ":", '"', "”", ")")) else " "
    opening = "…" if start > sentence.start else ""
    closing = "…" if end < sentence.end else ""
    return f"{opening}{before}{lead}___{joint}{after}{closing}".replace("  ", " ").strip()


def _masked(text: str, start: int, end: int, masked: list[Span]) -> str:
    pieces, cursor = [], start
    for span in sorted(masked, key=lambda span: span.start):
        if start <= span.start and span.end <= end:
            pieces += [text[cursor : span.start], "[…]"]
            cursor = span.end
    return "".join([*pieces, text[cursor:end]])


def _trim_words(fragment: str, *, leading: bool) -> str:
    words = fragment.split()
    edge = 0 if leading else -1
    while words and (words[edge].casefold().strip(",;:") in STOPWORDS | {"out"} or not re.search(r"\w", words[edge])):
        words.pop(edge)
    if leading:
        return " " + " ".join(words) if fragment.endswith(" ") and words else " ".join(words)
    return " ".join(words)


def explanation_for(facts: SentenceFacts) -> str:
    return f"The source says: “{facts.sentence.text}”"


def sentence_draft(
    facts: SentenceFacts, *, kind: str, prompt: str, rule: str, level: str, **fields: Any
) -> DraftQuestion:
    """A draft about one sentence: it quotes the sentence, explains with it and ranks as it does."""
    fields.setdefault("explanation", explanation_for(facts))
    return DraftQuestion(
        kind=kind,
        prompt=prompt,
        passage_position=facts.passage.position,
        quote=facts.sentence.text,
        cognitive_level=level,
        rule=rule,
        centrality=facts.centrality,
        **fields,
    )


def choices_for(texts: list[str], keys: list[str], quote: str) -> list[DraftChoice]:
    return [DraftChoice(text, text in keys, _choice_feedback(text, text in keys, quote)) for text in texts]


def fact_context(facts: SentenceFacts, target: Span) -> frozenset[str]:
    """The content words of the sentence, less the target's own."""
    return frozenset(content_words(facts.sentence.text) - content_words(target.text))


def written_like(key: Quantity, value: Decimal) -> str:
    """A value written as the source wrote the key: 84 percent, 500,000, 28th."""
    number = f"{value:,f}" if "," in key.span.text else f"{value:f}"
    if "." in number:
        number = number.rstrip("0").rstrip(".")
    suffix = key.span.text[len(re.match(r"[$€£]?[\d,.]+", key.span.text).group()) :]  # type: ignore[union-attr]
    prefix = key.span.text[0] if key.span.text[0] in "$€£" else ""
    if key.kind == "rank":
        suffix = _ordinal_suffix(int(value))
    return f"{prefix}{number}{suffix}"


def _ordinal_suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _stable(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _choice_feedback(choice: str, correct: bool, quote: str) -> str:
    if correct:
        return f"Correct. The source says: “{quote}”"
    return f"Not this one: “{choice}” is not what the source says here. It says: “{quote}”"


def _similar_length(key: str, options: list[str], count: int) -> list[str]:
    """The options closest to the key's length, so the key does not stand out as the longest or shortest."""
    return sorted(options, key=lambda option: (abs(len(option) - len(key)), option))[:count]


# --- Numeric ------------------------------------------------------------------------------------------------------


def numeric_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    for quantity in facts.quantities:
        stem = cloze(facts, quantity.span, other_facts(index, facts, quantity.span))
        draft = sentence_draft(
            facts,
            kind="numeric",
            prompt=f"Fill in the number, as the source gives it: “{stem}” ({_answer_hint(quantity)})",
            rule="numeric.quantity",
            level="remember",
            explanation=explanation_for(facts) + _tolerance_note(quantity),
            numeric_unit=quantity.unit if quantity.kind not in {"year", "rank"} else "",
        )
        _set_numeric_key(draft, quantity)
        yield Candidate(draft, _quantity_fact(quantity), (f"{quantity.value:f}",), fact_context(facts, quantity.span))


def _quantity_fact(quantity: Quantity) -> str:
    return f"quantity:{quantity.value:f}:{normalise(quantity.unit)}:{quantity.kind}"


def _answer_hint(quantity: Quantity) -> str:
    if quantity.kind == "year":
        return "Answer with the year."
    if quantity.kind == "rank":
        return "Answer with the position as a number: 3 for 3rd."
    if quantity.kind == "percent":
        return "Answer in percent, number only."
    if quantity.kind in {"measure", "money"}:
        return f"Answer with a number, in {quantity.unit}."
    return f"Answer with the number of {quantity.unit}." if quantity.unit else "Answer with a number."


def _tolerance_amount(quantity: Quantity) -> Decimal:
    """How far an answer may stray when the text hedges: half the precision it writes, between 5 % and 10 % of it."""
    value = abs(quantity.value)
    return max(min(quantity.precision / 2, value / 10), value / 20).normalize()


def _set_numeric_key(draft: DraftQuestion, quantity: Quantity) -> None:
    draft.numeric_answer = quantity.value
    if quantity.hedge == "below":  # "nearly 500,000": a little under, never over
        draft.numeric_min = quantity.value - _tolerance_amount(quantity)
        draft.numeric_max = quantity.value
    elif quantity.hedge == "around":  # "about 9,000": either side
        draft.numeric_tolerance = _tolerance_amount(quantity)


def _tolerance_note(quantity: Quantity) -> str:
    if quantity.hedge == "below":
        low = written_like(quantity, quantity.value - _tolerance_amount(quantity))
        return f" It says “{quantity.hedge_words}”, so answers from {low} up to {quantity.span.text} count as right."
    if quantity.hedge == "around":
        return f" It says “{quantity.hedge_words}”, so answers within {_tolerance_amount(quantity):,f} of it count."
    return ""


# --- Names and terms (short text) ---------------------------------------------------------------------------------

ASKED_AS = {
    "person": "Who is named in the gap?",
    "organisation": "Which organisation is named in the gap?",
    "place": "Which place is named in the gap?",
    "term": "Which word or name fills the gap?",
}


def short_text_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    for name in facts.names:
        if normalise(name.span.text) in index.topic_names or len(name.span.text) < 2:
            continue
        stem = cloze(facts, name.span, other_facts(index, facts, name.span))
        variants, kind = _supported_variants(index, name)
        rule = "short_text.term" if kind == "term" else "short_text.name"
        draft = sentence_draft(
            facts,
            kind="short_text",
            prompt=f"{ASKED_AS[kind]} “{stem}”",
            rule=rule,
            level="remember",
            accepted_answers=list(variants),
        )
        yield Candidate(draft, _name_fact(name, facts), variants, fact_context(facts, name.span))


def _name_fact(name: Name, facts: SentenceFacts) -> str:
    return f"name:{normalise(name.span.text)}"


def _supported_variants(index: SourceIndex, name: Name) -> tuple[tuple[str, ...], str]:
    """The variants of the name, plus the full name when the text elsewhere gives it ("Putin" → "Vladimir Putin"),
    and the name's kind (a surname the text gives in full elsewhere names a person)."""
    variants, kind = list(name.variants), name.kind
    last_word = name.span.text.split()[-1]
    # A surname stands for one person. A word that ends several different names ("Nile" in "the
    # White Nile" and "the Blue Nile") stands for none of them: accepting it for one, or them for
    # it, would credit a wrong answer.
    sharing = {
        normalise(other.span.text) for other in index.name_pool("person") if other.span.text.split()[-1] == last_word
    }
    if len(name.span.text.split()) == 1:
        if len(sharing) == 1:
            fuller = next(other for other in index.name_pool("person") if other.span.text.split()[-1] == last_word)
            variants.extend(fuller.variants)
            kind = "person"
    elif len(sharing - {normalise(name.span.text)}) >= 1 and last_word in variants:
        variants.remove(last_word)
    return tuple(dict.fromkeys(variants)), kind


# --- Single choice ------------------------------------------------------------------------------------------------


def single_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    for quantity in facts.quantities:
        context = fact_context(facts, quantity.span)
        options = [written_like(quantity, value) for value in _quantity_distractors(index, quantity, context)]
        key = quantity.span.text
        yield from _single(
            facts,
            quantity.span,
            key,
            options,
            other_facts(index, facts, quantity.span),
            _quantity_fact(quantity),
            "single.quantity",
            (f"{quantity.value:f}",),
            context,
        )
    for name in facts.names:
        if name.kind == "term" or normalise(name.span.text) in index.topic_names:
            continue
        context = fact_context(facts, name.span)
        options = [other.span.text for other in same_kind_names(index, facts, name, wanted=SPARE_DISTRACTORS)]
        yield from _single(
            facts,
            name.span,
            name.span.text,
            options,
            other_facts(index, facts, name.span),
            _name_fact(name, facts),
            "single.name",
            name.variants,
            context,
            frozenset(index.topic_names),
            primary=3,
        )


def phrase_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    """Single choice on a phrase that closes a clause ("crippled by ___"), the other choices phrases of the same kind
    from elsewhere in the source that the text does not make true here."""
    for phrase in facts.phrases:
        context = fact_context(facts, phrase.span)
        pool = sorted(index.phrase_pool(phrase.kind), key=lambda text: (abs(len(text) - len(phrase.span.text)), text))
        sentence = normalise(facts.sentence.text)
        options: list[str] = []
        for text in pool:
            if len(options) == SPARE_DISTRACTORS:
                break
            if normalise(text) not in sentence and not index.true_in_text(text, context):
                options.append(text)
        fact = f"phrase:{normalise(phrase.span.text)}"
        yield from _single(
            facts,
            phrase.span,
            phrase.span.text,
            options,
            other_facts(index, facts, phrase.span),
            fact,
            "single.phrase",
            (phrase.span.text,),
            context,
            primary=3,
        )


def _single(
    facts: SentenceFacts,
    target: Span,
    key: str,
    options: list[str],
    avoid: list[Span],
    fact: str,
    rule: str,
    terms: tuple[str, ...],
    context: frozenset[str],
    topics: frozenset[str] = frozenset(),
    *,
    primary: int | None = None,
) -> Iterator[Candidate]:
    """A single-choice draft; distractors among the source's subjects (`topics`) come first, as they cost nothing.

    The first `primary` options (all by default) make the draft; the rest are spares the quality rules may draw
    from instead (`Candidate.redraw`) when a first choice would show another kept draft's answer.
    """
    options = [option for option in dict.fromkeys(options) if normalise(option) != normalise(key)]
    prompt = f"Which of these completes the source's statement? “{cloze(facts, target, avoid)}”"

    def build(refused: Refusal) -> DraftQuestion | None:
        usable = [option for option in options if not refused(option)]
        if len(usable) < 2:
            return None
        distractors = _similar_length(key, [o for o in usable if normalise(o) in topics], 3)
        distractors += _similar_length(key, [o for o in usable if normalise(o) not in topics], 3 - len(distractors))
        texts = sorted([key, *distractors], key=lambda text: _stable(text + facts.sentence.text))
        return sentence_draft(
            facts,
            kind="single",
            prompt=prompt,
            rule=rule,
            level="remember",
            choices=choices_for(texts, [key], facts.sentence.text),
        )

    first = options[:primary] if primary is not None else options
    draft = build(lambda option: option not in first)
    if draft is not None:
        yield Candidate(draft, fact, terms, context, redraw=build if len(options) > len(first) else None)


def same_kind_names(index: SourceIndex, facts: SentenceFacts, name: Name, wanted: int = 3) -> list[Name]:
    """Up to `wanted` names of the same kind (a country for a country), not in the sentence, that the text does not
    make true here: the source's subjects first (never asked about, they cost no other question), then the names
    closest in length to this one."""
    in_sentence = {normalise(n.span.text) for n in facts.names}
    own = set(map(normalise, name.variants))
    context = fact_context(facts, name.span)
    pool = sorted(
        index.name_pool(name.kind),
        key=lambda other: (
            normalise(other.span.text) not in index.topic_names,
            abs(len(other.span.text) - len(name.span.text)),
            other.span.text,
        ),
    )
    chosen: list[Name] = []
    for other in pool:
        if len(chosen) == wanted:
            break
        if (
            normalise(other.span.text) not in in_sentence
            and (name.kind != "place" or place_class(other.span.text) == place_class(name.span.text))
            and not set(map(normalise, other.variants)) & own
            and not index.true_in_text(other.span.text, context)
        ):
            chosen.append(other)
    return chosen


def _misread_values(index: SourceIndex, quantity: Quantity, context: frozenset[str]) -> list[Decimal]:
    """Values a hasty reader might take away: another figure of the source in the same unit, or this one misread
    (digits swapped, a place out, a year off by two), never one the text gives for the same thing."""
    values = _quantity_distractors(index, quantity, context)[:1]
    value = quantity.value
    digits = f"{value:f}"
    if quantity.kind == "year":
        derived = value - 2
    elif len(digits) == 2 and digits[1] != "0" and digits[0] != digits[1]:
        derived = Decimal(digits[::-1])
    elif quantity.kind == "percent":
        derived = value / 2 if value > 50 else value * 2
    else:
        derived = value / 10 if value >= 100 else value * 10
    if derived != value and not index.true_in_text(written_like(quantity, derived), context):
        values.append(derived.normalize() if derived != derived.to_integral_value() else derived.quantize(Decimal(1)))
    return values


def _quantity_distractors(index: SourceIndex, key: Quantity, context: frozenset[str]) -> list[Decimal]:
    """Other quantities of the source with the same unit and magnitude that the text does not also make true here."""
    values: list[Decimal] = []
    for other in index.quantities_like(key):
        if len(values) == MAX_DISTRACTOR_CHOICE or other.value == key.value or other.value in values:
            continue
        if key.value and not Decimal("0.1") <= other.value / key.value <= Decimal(10):
            continue
        if not index.true_in_text(other.span.text, context):
            values.append(other.value)
    return values


# --- True / false -------------------------------------------------------------------------------------------------

_PRONOUN_START = re.compile(r"^(?:it|this|that|these|those|they|he|she|we|its|their)\b", re.IGNORECASE)
_DISCOURSE_OPENERS = re.compile(
    r"^(?:however|ultimately|simultaneously|meanwhile|moreover|furthermore|indeed|still|yet|instead|also|finally)\b,?\s+",
    re.IGNORECASE,
)


def true_false_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    """A faithful paraphrase (true) or a reworded misreading (false) of the sentence; about half of each."""
    statement = _statement(facts)
    if statement is None:
        return
    context = frozenset(content_words(facts.sentence.text))
    fact = _sentence_fact(facts)
    paraphrase = reword(statement, index.lowercase_words)
    options = [
        _true_false(index, facts, text, False, rule, misread_fact or fact, context, correction)
        for text, rule, correction, misread_fact in _misreadings(index, facts)
    ]
    if paraphrase is not None:
        true_one = _true_false(index, facts, paraphrase, True, "true_false.paraphrase", fact, context, "")
        options.insert(0 if _stable(facts.sentence.text) % 2 == 0 else len(options), true_one)
    yield from options


_DEMONSTRATIVE_NOUN = re.compile(
    r"^(?:This|These|That|Those) (?!(?:is|was|has|had|are|were|will|would|can|could)\b)(?=[a-z])"
)


def _statement(facts: SentenceFacts) -> str | None:
    """The sentence as a statement that stands on its own, or None when it cannot (a question, a bare pronoun)."""
    text = _standalone(_claim_text(facts))
    if _PRONOUN_START.match(text) or not 6 <= len(text.split()) <= 40 or "?" in text:
        return None
    return text


def _claim_text(facts: SentenceFacts) -> str:
    """The sentence without its closing mark; offsets into it are offsets into the sentence."""
    return facts.sentence.text.rstrip(".!?").rstrip()


def _standalone(text: str) -> str:
    """Without an opening "However", and "This reliance risks…" as "The reliance risks…" ("This is…" stays)."""
    return upper_first(_DEMONSTRATIVE_NOUN.sub("The ", _DISCOURSE_OPENERS.sub("", text)))


def _as_claim(index: SourceIndex, text: str) -> str:
    return f"According to the source, {lower_first(text, index.lowercase_words, index.name_words)}."


def _misreadings(
    index: SourceIndex, facts: SentenceFacts, *, reworded: bool = True
) -> Iterator[tuple[str, str, str, str | None]]:
    """Plausible misreadings: another quantity of the source, another name of the same kind, the opposite direction.

    Each changes one claim. For a true/false statement it is also reworded, and dropped when it cannot be, so that no
    false statement is the source's sentence with one word changed; beside the source's own sentences (a statement
    question), it is left in the source's words so that true and false choices read alike.
    """
    raw, offset = _claim_text(facts), facts.sentence.start
    changes: list[tuple[str, str, str, str | None]] = []
    for quantity in facts.quantities:
        start, end = quantity.span.start - offset, quantity.span.end - offset
        for value in _misread_values(index, quantity, fact_context(facts, quantity.span)):
            changed = _with_article(raw[:start] + written_like(quantity, value) + raw[end:])
            correction = f"the source gives {quantity.span.text}, not {written_like(quantity, value)}"
            changes.append((changed, "true_false.changed_quantity", correction, _quantity_fact(quantity)))
    for name in facts.names:
        if name.kind == "term" or normalise(name.span.text) in index.topic_names:
            continue
        for other in same_kind_names(index, facts, name, wanted=1):
            start, end = name.span.start - offset, name.span.end - offset
            correction = f"the source names {name.span.text}, not {other.span.text}"
            changes.append(
                (
                    raw[:start] + other.span.text + raw[end:],
                    "true_false.swapped_entity",
                    correction,
                    _name_fact(name, facts),
                )
            )
    for word in re.finditer(r"[A-Za-z]+", raw):
        opposite = OPPOSITES.get(word.group().casefold())
        if opposite and word.group().islower():
            correction = f"the source says “{word.group()}”, not “{opposite}”"
            changes.append(
                (raw[: word.start()] + opposite + raw[word.end() :], "true_false.reversed_direction", correction, None)
            )
    for changed, rule, correction, fact in changes:
        statement = _standalone(changed)
        text = reword(statement, index.lowercase_words) if reworded else statement
        if text is not None:
            yield text, rule, correction, fact


def _with_article(text: str) -> str:
    """ "an 84" but "a 48": the article before a changed number follows how the number is said."""
    return re.sub(
        r"\b([Aa])n? (?=(\d))",
        lambda match: match[1] + ("n " if re.match(r"(8|11|18)(?!\d{2})", text[match.end() :]) else " "),
        text,
    )


def _true_false(
    index: SourceIndex,
    facts: SentenceFacts,
    statement: str,
    truth: bool,
    rule: str,
    fact: str,
    context: frozenset[str],
    correction: str,
) -> Candidate:
    quote = facts.sentence.text
    right = "Correct: the source says this." if truth else f"Correct: {correction}."
    wrong = "Not quite: the source says this." if truth else f"Not quite: {correction}."
    choices = [
        DraftChoice("True", truth, f"{right if truth else wrong} “{quote}”"),
        DraftChoice("False", not truth, f"{wrong if truth else right} “{quote}”"),
    ]
    prompt = f"True or false? {_as_claim(index, statement)}"
    draft = sentence_draft(facts, kind="true_false", prompt=prompt, rule=rule, level="understand", choices=choices)
    return Candidate(draft, fact, (), context, frozenset({_sentence_fact(facts)}))


# --- Multiple choice ----------------------------------------------------------------------------------------------


def listing_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    """“Which of these does the source name here?” with the items of a list as keys."""
    for listing in facts.listings:
        keys = [item.text for item in listing.items]
        stem = cloze(facts, listing.span, other_facts(index, facts, listing.span))
        build = _listing_builder(index, facts, listing, keys, stem)
        draft = build(lambda _option: False)
        if draft is None:
            continue
        names = _named_items(index, facts, listing)
        fact = _names_fact(names, facts) if names else f"listing:{facts.passage.position}:{listing.span.start}"
        yield Candidate(draft, fact, tuple(keys), fact_context(facts, listing.span), redraw=build)


def _names_fact(names: list[Name], facts: SentenceFacts) -> str:
    return "names:" + "|".join(_name_fact(name, facts) for name in names)


def _one_fact_per_list_of_names(index: SourceIndex, passage_facts: list[SentenceFacts], found: list[Candidate]) -> None:
    """A list of names ("Kazakhstan and the UAE") is one fact: a question on one of its names shows the others in its
    stem and costs them their questions, so the list's question and the questions on each name compete for one
    place, where the mix of kinds decides."""
    for facts in passage_facts:
        for listing in facts.listings:
            names = _named_items(index, facts, listing)
            if not names:
                continue
            each = {_name_fact(name, facts) for name in names}
            for candidate in found:
                if candidate.fact in each and candidate.draft.quote == facts.sentence.text:
                    candidate.fact = _names_fact(names, facts)


def _named_items(index: SourceIndex, facts: SentenceFacts, listing: Listing) -> list[Name]:
    """The names the list's items are ("Kazakhstan and the UAE"), or none when an item is not one."""
    names = []
    for item in listing.items:
        name = next(
            (n for n in facts.names if item.start <= n.span.start and n.span.end <= item.end and n.kind != "term"),
            None,
        )
        if (
            name is None
            or normalise(name.span.text) in index.topic_names
            or normalise(name.span.text) != normalise(item.text).removeprefix("the ")
        ):
            return []
        names.append(name)
    return names


def _listing_builder(
    index: SourceIndex, facts: SentenceFacts, listing: Listing, keys: list[str], stem: str
) -> Callable[[Refusal], DraftQuestion | None]:
    """Makes the listing's draft with distractors that are not refused (see `Candidate.redraw`).

    A list of names takes other names of the same kind, the source's subjects first (never asked about, they cost
    no other question), like a single choice on one name; other lists take items of other lists.
    """
    pool, listed = index.listing_pool()
    names = _named_items(index, facts, listing)
    same_kind = (
        [other.span.text for other in same_kind_names(index, facts, names[0], SPARE_DISTRACTORS)] if names else []
    )

    def build(refused: Refusal) -> DraftQuestion | None:
        distractors = [text for text in same_kind if not refused(text)][:2]
        if len(distractors) < 2:
            distractors = _listing_distractors(index, facts, listing, keys, pool, listed, refused)
        if len(distractors) < 2:
            return None
        texts = sorted([*keys, *distractors], key=lambda text: _stable(text + facts.sentence.text))
        return sentence_draft(
            facts,
            kind="multiple",
            prompt=f"Which of these does the source name here? Select all that apply. “{stem}”",
            rule="multiple.listing",
            level="remember",
            choices=choices_for(texts, keys, facts.sentence.text),
        )

    return build


def _listing_distractors(
    index: SourceIndex,
    facts: SentenceFacts,
    listing: Listing,
    keys: list[str],
    pool: list[str],
    listed: set[str],
    refused: Refusal,
) -> list[str]:
    """Two items of the same shape (capitalised or not) that the text does not make true here."""
    context = fact_context(facts, listing.span)
    capitalised = keys[0].removeprefix("the ")[:1].isupper()
    own = {normalise(key) for key in keys}
    sentence = normalise(facts.sentence.text)
    ordered = sorted(
        pool, key=lambda option: (normalise(option) not in listed, abs(len(option) - len(keys[0])), option)
    )
    chosen: list[str] = []
    for option in ordered:
        if len(chosen) == 2:
            break
        if (
            normalise(option) not in own
            and option.removeprefix("the ")[:1].isupper() == capitalised
            and normalise(option) not in sentence
            and normalise(option) not in index.topic_names
            and not index.true_in_text(option, context)
            and not refused(option)
        ):
            chosen.append(option)
    return chosen


def statement_candidates(
    index: SourceIndex, passage_facts: list[SentenceFacts], neighbours: list[SentenceFacts]
) -> Iterator[Candidate]:
    """“Which of these does the source say about X?”: two true statements of the passage, altered ones beside them.

    Statements come from sentences that hold no fact another draft asks about (no figure, list or name but the
    source's subjects), so the choices give no answer away; the altered ones reverse what a neighbouring sentence
    claims, as a hasty reader might.
    """
    usable = [
        (facts, text)
        for facts, text in ((facts, _statement(facts)) for facts in passage_facts if _holds_no_fact(index, facts))
        # The right choices are the source's own sentences, so each stands word for word in the quote.
        if text and len(text.split()) <= 30 and text[1:] in facts.sentence.text
    ]
    if len(usable) < 2:
        return
    true_ones = sorted(usable, key=lambda pair: -pair[0].centrality)[:2]
    true_ones.sort(key=lambda pair: pair[0].sentence.start)
    subject = _subject([facts for facts, _ in true_ones])
    if subject is None:
        return
    altered: list[tuple[SentenceFacts, str]] = []
    for facts in neighbours:
        text = _statement(facts)
        if text is None or not _holds_no_fact(index, facts) or any(facts is chosen for chosen, _ in true_ones):
            continue
        for wrong, rule, *_ in _misreadings(index, facts, reworded=False):
            if rule == "true_false.reversed_direction":
                altered.append((facts, upper_first(wrong)))
                break
        altered.extend((facts, upper_first(wrong)) for wrong in _subjects_swapped(index, facts))
        if len(altered) >= MAX_DISTRACTOR_CHOICE:
            break
    if not altered:
        return
    keys = [text for _, text in true_ones]
    wrongs = _similar_length(keys[0], [text for _, text in altered], 2)
    texts = sorted([*keys, *wrongs], key=_stable)
    first, last = true_ones[0][0], true_ones[-1][0]
    quote = first.passage.text[first.sentence.start : last.sentence.end]
    draft = DraftQuestion(
        kind="multiple",
        prompt=f"Which of these does the source say about {subject}? Select all that apply.",
        explanation=f"The source says: “{quote}”",
        passage_position=first.passage.position,
        quote=quote,
        cognitive_level="understand",
        rule="multiple.statements",
        choices=choices_for(texts, keys, quote),
        centrality=max(facts.centrality for facts, _ in true_ones),
    )
    used = [facts for facts, _ in true_ones] + [facts for facts, text in altered if text in wrongs]
    covers = frozenset(_sentence_fact(facts) for facts in used)
    yield Candidate(draft, f"statements:{first.passage.position}", (), frozenset(), covers)


def _subjects_swapped(index: SourceIndex, facts: SentenceFacts) -> Iterator[str]:
    """The statement told of another of the source's subjects ("Russia can no longer stand alone" → "China…"):
    subjects are never asked about, so the altered statement gives no answer away."""
    raw, offset = _claim_text(facts), facts.sentence.start
    for name in facts.names:
        if normalise(name.span.text) not in index.topic_names or name.kind == "term":
            continue
        for other in index.name_pool(name.kind):
            other_name = normalise(other.span.text)
            if other_name == normalise(name.span.text) or other_name not in index.topic_names:
                continue
            if name.kind == "place" and place_class(other.span.text) != place_class(name.span.text):
                continue
            start, end = name.span.start - offset, name.span.end - offset
            changed = _standalone(raw[:start] + other.span.text + raw[end:])
            if not index.true_in_text(other.span.text, fact_context(facts, name.span)):
                yield changed  # in the source's words, like the true statements beside it
                return


def _holds_no_fact(index: SourceIndex, facts: SentenceFacts) -> bool:
    """Whether the sentence has nothing another draft asks about: no figure, no list, no name but the subjects'."""
    if facts.quantities or facts.listings:
        return False
    return all(normalise(name.span.text) in index.topic_names for name in facts.names)


def _sentence_fact(facts: SentenceFacts) -> str:
    return f"sentence:{facts.passage.position}:{facts.sentence.start}"


def _subject(facts_list: list[SentenceFacts]) -> str | None:
    """What the statements are about: the name they give most often."""
    counts = Counter(name.span.text for facts in facts_list for name in facts.names if name.kind != "term")
    if counts:
        return counts.most_common(1)[0][0]
    return None


# --- The engine ---------------------------------------------------------------------------------------------------

RULES = (
    numeric_candidates,
    short_text_candidates,
    single_candidates,
    phrase_candidates,
    true_false_candidates,
    listing_candidates,
)


def candidates_for(index: SourceIndex, passage: PassageText) -> list[Candidate]:
    passage_facts = index.in_passage(passage.position)
    candidates = [candidate for facts in passage_facts for rule in RULES for candidate in rule(index, facts)]
    _one_fact_per_list_of_names(index, passage_facts, candidates)
    neighbours = [facts for near in (-1, 0, 1) for facts in index.in_passage(passage.position + near)]
    candidates.extend(statement_candidates(index, passage_facts, neighbours))
    return candidates


class OfflineEngine:
    name = "offline"
    sends_text_to = ""  # the text never leaves this server

    def __init__(self, *, per_passage_cap: int = 8):
        self.per_passage_cap = per_passage_cap

    def draft(
        self,
        passages: Sequence[PassageText],
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> DraftBatch:
        index = SourceIndex(passages)
        candidates: list[Candidate] = []
        for done, passage in enumerate(passages, start=1):
            if should_stop is not None and should_stop():
                break
            candidates.extend(candidates_for(index, passage))
            if progress is not None:
                progress(done, len(passages))
        return select(candidates, passages, per_passage_cap=self.per_passage_cap)
