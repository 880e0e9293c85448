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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from drafting.engines.base import DraftBatch, DraftChoice, DraftQuestion, PassageText, ProgressCallback, StopCheck
from drafting.engines.text import (
    OPPOSITES,
    STOPWORDS,
    Listing,
    Name,
    Quantity,
    Span,
    content_words,
    find_listings,
    find_names,
    find_quantities,
    normalise,
    place_class,
    split_sentences,
)

# Passages that are labels rather than statements: nothing to ask about them.
SKIPPED_PASSAGE_KINDS = {"title", "heading"}
# A name in more than this share of sentences is the source's subject ("Russia"): asking for it tests nothing.
TOPIC_SHARE = 0.2
MIN_STEM_WORDS = 5


@dataclass
class Candidate:
    """A draft with what the quality rules need to know about it."""

    draft: DraftQuestion
    fact: str  # what the draft asks about; drafts of one fact compete for one place
    answer_terms: tuple[str, ...]  # what would give its answer away, for the leak check
    context: frozenset[str] = field(default_factory=frozenset)  # content words around the key, to spot repeats


@dataclass
class SentenceFacts:
    passage: PassageText
    sentence: Span
    quantities: list[Quantity]
    names: list[Name]
    listings: list[Listing]
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
                self.sentences.append(self._read(passage, sentence))
        self.word_counts = Counter(word for facts in self.sentences for word in content_words(facts.sentence.text))
        self.sentence_words = [content_words(facts.sentence.text) for facts in self.sentences]
        name_sentences = Counter(normalise(n.span.text) for facts in self.sentences for n in {*facts.names})
        self.topic_names = {
            name for name, count in name_sentences.items() if count > max(2, TOPIC_SHARE * len(self.sentences))
        }
        self._score_centrality()

    def _read(self, passage: PassageText, sentence: Span) -> SentenceFacts:
        quantities = [
            _shift_quantity(quantity, sentence.start) for quantity in find_quantities(sentence.text)
        ]
        names = _distinct_names(find_names(sentence, passage.text, self.source_text))
        return SentenceFacts(passage, sentence, quantities, names, find_listings(sentence))

    def _score_centrality(self) -> None:
        """A sentence is central when its words recur across the source (a frequency summariser, Luhn 1958)."""
        for index, facts in enumerate(self.sentences):
            words = self.sentence_words[index]
            weight = sum(math.log(1 + self.word_counts[word]) for word in words) / math.sqrt(1 + len(words))
            if facts.passage.kind == "summary_point":
                weight *= 1.3  # the author's own summary names what matters
            facts.centrality = round(weight, 4)

    def name_pool(self, kind: str) -> list[Name]:
        seen: dict[str, Name] = {}
        for facts in self.sentences:
            for name in facts.names:
                if name.kind == kind and normalise(name.span.text) not in self.topic_names:
                    seen.setdefault(normalise(name.span.text), name)
        return list(seen.values())

    def quantity_pool(self) -> list[Quantity]:
        return [quantity for facts in self.sentences for quantity in facts.quantities]

    def listing_items(self) -> list[str]:
        return [item.text for facts in self.sentences for listing in facts.listings for item in listing.items]

    def true_in_text(self, phrase: str, context: frozenset[str]) -> bool:
        """Whether some sentence says `phrase` about the same thing (shares two context words): then it is no distractor."""
        pattern = re.compile(rf"(?<!\w){re.escape(normalise(phrase))}(?!\w)")
        for index, facts in enumerate(self.sentences):
            if pattern.search(normalise(facts.sentence.text)) and len(self.sentence_words[index] & context) >= 2:
                return True
        return False


def _shift_quantity(quantity: Quantity, by: int) -> Quantity:
    span = Span(quantity.span.start + by, quantity.span.end + by, quantity.span.text)
    return Quantity(span, quantity.value, quantity.unit, quantity.kind, quantity.hedge, quantity.hedge_words,
                    quantity.precision)


def _distinct_names(names: list[Name]) -> list[Name]:
    seen: set[tuple[int, int]] = set()
    distinct = []
    for name in names:
        if (name.span.start, name.span.end) not in seen:
            seen.add((name.span.start, name.span.end))
            distinct.append(name)
    return distinct


# --- Shared wording -----------------------------------------------------------------------------------------------


def cloze(facts: SentenceFacts, target: Span, avoid: Sequence[Span] = ()) -> str:
    """The sentence around `target` with the target blanked, cut short of other facts so it gives none away."""
    text = facts.passage.text
    start, end = facts.sentence.start, facts.sentence.end
    for other in avoid:
        if other.end <= target.start and other.end > start:
            start = other.end
        elif other.start >= target.end and other.start < end:
            end = other.start
    before = _trim_words(text[start : target.start], leading=True)
    after = _trim_words(text[target.end : end], leading=False)
    if len((before + " " + after).split()) < MIN_STEM_WORDS:
        before, after = text[facts.sentence.start : target.start], text[target.end : facts.sentence.end]
    before, after = before.strip(), after.strip().rstrip(".")
    opening = "" if start == facts.sentence.start and before == text[facts.sentence.start : target.start].strip() else "…"
    closing = "" if after == text[target.end : facts.sentence.end].strip().rstrip(".") else "…"
    return f"{opening}{before} ___ {after}{closing}".replace("  ", " ").replace("… ", "…").strip()


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
        others = [q.span for q in facts.quantities if q is not quantity]
        stem = cloze(facts, quantity.span, others)
        draft = DraftQuestion(
            kind="numeric",
            prompt=f"Fill in the number, as the source gives it: “{stem}” ({_answer_hint(quantity)})",
            explanation=explanation_for(facts) + _tolerance_note(quantity),
            passage_position=facts.passage.position,
            quote=facts.sentence.text,
            cognitive_level="remember",
            rule="numeric.quantity",
            numeric_unit=quantity.unit if quantity.kind not in {"year", "rank"} else "",
            centrality=facts.centrality,
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
    return f"Answer with a number, in {quantity.unit}." if quantity.unit else "Answer with a number."


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

_ASKED_AS = {"person": "the person", "organisation": "the organisation", "place": "the place", "term": "the term"}


def short_text_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    for name in facts.names:
        if normalise(name.span.text) in index.topic_names or len(name.span.text) < 2:
            continue
        stem = cloze(facts, name.span)
        variants = _supported_variants(index, name)
        rule = "short_text.term" if name.kind == "term" else "short_text.name"
        draft = DraftQuestion(
            kind="short_text",
            prompt=f"Which word or name fills the gap? Name {_ASKED_AS[name.kind]}: “{stem}”",
            explanation=explanation_for(facts),
            passage_position=facts.passage.position,
            quote=facts.sentence.text,
            cognitive_level="remember",
            rule=rule,
            accepted_answers=list(variants),
            centrality=facts.centrality,
        )
        yield Candidate(draft, _name_fact(name, facts), variants,
                        fact_context(facts, name.span))


def _name_fact(name: Name, facts: SentenceFacts) -> str:
    return f"name:{normalise(name.span.text)}"


def _supported_variants(index: SourceIndex, name: Name) -> tuple[str, ...]:
    """The variants of the name, plus the full name when the text elsewhere gives it ("Putin" → "Vladimir Putin")."""
    variants = list(name.variants)
    if len(name.span.text.split()) == 1:
        for other in index.name_pool("person"):
            if other.span.text.split()[-1] == name.span.text:
                variants.extend(other.variants)
    return tuple(dict.fromkeys(variants))


# --- Single choice ------------------------------------------------------------------------------------------------


def single_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    for quantity in facts.quantities:
        context = fact_context(facts, quantity.span)
        options = [written_like(quantity, value) for value in _quantity_distractors(index, quantity, context)]
        key = quantity.span.text
        others = [q.span for q in facts.quantities if q is not quantity]
        yield from _single(facts, quantity.span, key, options, others, _quantity_fact(quantity), "single.quantity",
                           (f"{quantity.value:f}",), context)
    for name in facts.names:
        if name.kind == "term" or normalise(name.span.text) in index.topic_names:
            continue
        context = fact_context(facts, name.span)
        options = [other.span.text for other in same_kind_names(index, facts, name)]
        yield from _single(facts, name.span, name.span.text, options, [], _name_fact(name, facts), "single.name",
                           name.variants, context)


def _single(facts: SentenceFacts, target: Span, key: str, options: list[str], avoid: list[Span], fact: str,
            rule: str, terms: tuple[str, ...], context: frozenset[str]) -> Iterator[Candidate]:
    options = [option for option in dict.fromkeys(options) if normalise(option) != normalise(key)]
    if len(options) < 2:
        return
    distractors = _similar_length(key, options, 3)
    texts = sorted([key, *distractors], key=lambda text: _stable(text + facts.sentence.text))
    quote = facts.sentence.text
    draft = DraftQuestion(
        kind="single",
        prompt=f"Which of these completes the source's statement? “{cloze(facts, target, avoid)}”",
        explanation=explanation_for(facts),
        passage_position=facts.passage.position,
        quote=quote,
        cognitive_level="remember",
        rule=rule,
        choices=[DraftChoice(text, text == key, _choice_feedback(text, text == key, quote)) for text in texts],
        centrality=facts.centrality,
    )
    yield Candidate(draft, fact, terms, context)


def same_kind_names(index: SourceIndex, facts: SentenceFacts, name: Name) -> list[Name]:
    """Names of the same kind (a country for a country) that the sentence does not hold and the text does not make true."""
    in_sentence = {normalise(n.span.text) for n in facts.names}
    context = fact_context(facts, name.span)
    return [
        other
        for other in index.name_pool(name.kind)
        if normalise(other.span.text) not in in_sentence
        and (name.kind != "place" or place_class(other.span.text) == place_class(name.span.text))
        and not set(map(normalise, other.variants)) & set(map(normalise, name.variants))
        and not index.true_in_text(other.span.text, context)
    ]


def _quantity_distractors(index: SourceIndex, key: Quantity, context: frozenset[str]) -> list[Decimal]:
    """Other quantities of the source with the same unit and magnitude that the text does not also make true here."""
    values = []
    for other in index.quantity_pool():
        if other.kind != key.kind or normalise(other.unit) != normalise(key.unit) or other.value == key.value:
            continue
        if key.value and not Decimal("0.1") <= other.value / key.value <= Decimal(10):
            continue
        if index.true_in_text(other.span.text, context):
            continue
        values.append(other.value)
    return list(dict.fromkeys(values))


# --- True / false -------------------------------------------------------------------------------------------------

# A faithful paraphrase rewords the text's hedges and units; it never changes what is claimed.
PARAPHRASES = [
    (r"\bnearly(?= \d)", "almost"), (r"\balmost(?= \d)", "nearly"), (r"\babout(?= \d)", "around"),
    (r"\bover(?= \d)", "more than"), (r"\bat least(?= \d)", "no fewer than"), (r"\bup to(?= \d)", "as many as"),
    (r"(?<=\d) percent\b", "%"),
    (r"\bhas been\b", "was"), (r"\bhave been\b", "were"), (r"\bincreasingly\b", "more and more"),
    (r"\bplummeted\b", "fallen steeply"), (r"\bsurged\b", "risen sharply"), (r"\bcrippled\b", "badly damaged"),
    (r"\bfamously\b", "publicly"), (r"\bestablished\b", "set up"), (r"\bpredicts\b", "forecasts"),
]
_PRONOUN_START = re.compile(r"^(?:it|this|that|these|those|they|he|she|we|its|their)\b", re.IGNORECASE)


def true_false_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    statement = _statement(facts)
    if statement is None:
        return
    context = frozenset(content_words(facts.sentence.text))
    misreadings = list(_misreadings(index, facts, statement))
    fact = f"sentence:{facts.passage.position}:{facts.sentence.start}"
    if _stable(facts.sentence.text) % 2 == 0 or not misreadings:
        paraphrase = _paraphrase(statement)
        if paraphrase != statement:
            yield _true_false(facts, paraphrase, True, "true_false.paraphrase", "understand", fact, context, "")
            return
    for text, rule, correction, misread_fact in misreadings[:1]:
        yield _true_false(facts, text, False, rule, "understand", misread_fact, context, correction)


_DISCOURSE_OPENERS = re.compile(
    r"^(?:however|ultimately|simultaneously|meanwhile|moreover|furthermore|indeed|still|yet|instead|also|finally)\b,?\s+",
    re.IGNORECASE,
)


def _statement(facts: SentenceFacts) -> str | None:
    text = facts.sentence.text.rstrip(".!?").strip()
    if _PRONOUN_START.match(text) or not 6 <= len(text.split()) <= 40 or text.endswith("?"):
        return None
    return text


def _paraphrase(statement: str) -> str:
    text = statement
    for pattern, replacement in PARAPHRASES:
        changed = re.sub(pattern, replacement, text, count=1)
        if changed != text:
            text = changed
            break
    year = re.search(r"\s+in (\d{4})(?=\s|$)", text)
    if year and not text.startswith("In "):
        text = f"In {year[1]}, {_lower_first(text[: year.start()] + text[year.end() :])}"
    return _as_claim(text)


def _as_claim(text: str) -> str:
    return f"According to the source, {_lower_first(_DISCOURSE_OPENERS.sub('', text))}."


def _lower_first(text: str) -> str:
    first = text.split()[0] if text.split() else ""
    if first.isupper() or (len(first) > 1 and any(char.isupper() for char in first[1:])):
        return text
    common = first.casefold() in STOPWORDS or first.casefold().endswith(("ed", "ing", "ly", "s"))
    return text[:1].lower() + text[1:] if common else text


def _misreadings(index: SourceIndex, facts: SentenceFacts, statement: str) -> Iterator[tuple[str, str, str, str]]:
    """Plausible misreadings: another quantity of the source, another name of the same kind, the opposite direction."""
    base = facts.sentence.start
    for quantity in facts.quantities:
        start, end = quantity.span.start - base, quantity.span.end - base
        for value in _quantity_distractors(index, quantity, fact_context(facts, quantity.span)):
            changed = statement[:start] + written_like(quantity, value) + statement[end:]
            yield (_as_claim(changed), "true_false.changed_quantity",
                   f"the source gives {quantity.span.text}, not {written_like(quantity, value)}", _quantity_fact(quantity))
            break
    for name in facts.names:
        if name.kind == "term" or normalise(name.span.text) in index.topic_names:
            continue
        for other in same_kind_names(index, facts, name):
            start, end = name.span.start - base, name.span.end - base
            changed = statement[:start] + other.span.text + statement[end:]
            yield (_as_claim(changed), "true_false.swapped_entity",
                   f"the source names {name.span.text}, not {other.span.text}", _name_fact(name, facts))
            break
    for word in re.finditer(r"[A-Za-z]+", statement):
        opposite = OPPOSITES.get(word.group().casefold())
        if opposite and word.group().islower():
            changed = statement[: word.start()] + opposite + statement[word.end() :]
            yield (_as_claim(changed), "true_false.reversed_direction",
                   f"the source says “{word.group()}”, not “{opposite}”", f"sentence:{facts.passage.position}:{base}")
            break


def _true_false(facts: SentenceFacts, statement: str, truth: bool, rule: str, level: str, fact: str,
                context: frozenset[str], correction: str) -> Candidate:
    quote = facts.sentence.text
    right = "Correct: the source says this." if truth else f"Correct: {correction}."
    wrong = "Not quite: the source says this." if truth else f"Not quite: {correction}."
    choices = [
        DraftChoice("True", truth, f"{right if truth else wrong} “{quote}”"),
        DraftChoice("False", not truth, f"{wrong if truth else right} “{quote}”"),
    ]
    draft = DraftQuestion(
        kind="true_false",
        prompt=f"True or false? {statement}",
        explanation=explanation_for(facts),
        passage_position=facts.passage.position,
        quote=quote,
        cognitive_level=level,
        rule=rule,
        choices=choices,
        centrality=facts.centrality,
    )
    return Candidate(draft, fact, (), context)


# --- Multiple choice ----------------------------------------------------------------------------------------------


def listing_candidates(index: SourceIndex, facts: SentenceFacts) -> Iterator[Candidate]:
    """“Which of these does the source name here?” with the items of a list as keys."""
    pool = index.listing_items() + [name.span.text for kind in ("place", "organisation", "person")
                                    for name in index.name_pool(kind)]
    for listing in facts.listings:
        keys = [item.text for item in listing.items]
        context = fact_context(facts, listing.span)
        capitalised = keys[0].removeprefix("the ")[:1].isupper()
        options = [
            option for option in dict.fromkeys(pool)
            if normalise(option) not in {normalise(key) for key in keys}
            and option.removeprefix("the ")[:1].isupper() == capitalised
            and normalise(option) not in normalise(facts.sentence.text)
            and not index.true_in_text(option, context)
            and normalise(option) not in index.topic_names
        ]
        if len(options) < 2:
            continue
        distractors = _similar_length(keys[0], options, 2 if len(keys) < 3 else 2)
        texts = sorted([*keys, *distractors], key=lambda text: _stable(text + facts.sentence.text))
        quote = facts.sentence.text
        draft = DraftQuestion(
            kind="multiple",
            prompt=f"Which of these does the source name here? Select all that apply. “{cloze(facts, listing.span)}”",
            explanation=explanation_for(facts),
            passage_position=facts.passage.position,
            quote=quote,
            cognitive_level="remember",
            rule="multiple.listing",
            choices=[DraftChoice(text, text in keys, _choice_feedback(text, text in keys, quote)) for text in texts],
            centrality=facts.centrality,
        )
        yield Candidate(draft, f"listing:{facts.passage.position}:{listing.span.start}", tuple(keys), context)


def statement_candidates(index: SourceIndex, passage_facts: list[SentenceFacts],
                         neighbours: list[SentenceFacts]) -> Iterator[Candidate]:
    """“Which of these does the source say about X?”: true statements of the passage, altered ones beside them."""
    statements = [(facts, _statement(facts)) for facts in passage_facts]
    usable = [(facts, text) for facts, text in statements if text and len(text.split()) <= 30]
    if len(usable) < 2:
        return
    subject = _subject(index, [facts for facts, _ in usable])
    if subject is None:
        return
    true_ones = [(facts, text) for facts, text in usable if subject in facts.sentence.text][:2]
    if len(true_ones) < 2:
        true_ones = usable[:2]
    altered = []
    for facts in neighbours:
        text = _statement(facts)
        if text is None or any(facts is chosen for chosen, _ in true_ones):
            continue
        for wrong, *_ in _misreadings(index, facts, text):
            altered.append(_upper_first(wrong.removeprefix("According to the source, ").rstrip(".")))
            break
    if len(altered) < 1:
        return
    keys = [_upper_first(_DISCOURSE_OPENERS.sub("", text)) for _, text in true_ones]
    wrongs = [_upper_first(text) for text in _similar_length(keys[0], altered, 2)]
    texts = sorted([*keys, *wrongs], key=lambda text: _stable(text))
    first, last = true_ones[0][0], true_ones[-1][0]
    text = first.passage.text
    quote = text[min(first.sentence.start, last.sentence.start) : max(first.sentence.end, last.sentence.end)]
    draft = DraftQuestion(
        kind="multiple",
        prompt=f"Which of these does the source say about {subject}? Select all that apply.",
        explanation=f"The source says: “{quote}”",
        passage_position=first.passage.position,
        quote=quote,
        cognitive_level="understand",
        rule="multiple.statements",
        choices=[DraftChoice(t, t in keys, _choice_feedback(t, t in keys, quote)) for t in texts],
        centrality=max(facts.centrality for facts, _ in true_ones),
    )
    yield Candidate(draft, f"statements:{first.passage.position}", (), frozenset())


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject(index: SourceIndex, facts_list: list[SentenceFacts]) -> str | None:
    counts = Counter(name.span.text for facts in facts_list for name in facts.names if name.kind != "term")
    if counts:
        return counts.most_common(1)[0][0]
    return None


# --- The engine ---------------------------------------------------------------------------------------------------

RULES = (numeric_candidates, short_text_candidates, single_candidates, true_false_candidates, listing_candidates)


def candidates_for(index: SourceIndex, passage: PassageText) -> list[Candidate]:
    passage_facts = [facts for facts in index.sentences if facts.passage is passage]
    candidates = [candidate for facts in passage_facts for rule in RULES for candidate in rule(index, facts)]
    neighbours = [facts for facts in index.sentences if abs(facts.passage.position - passage.position) <= 1]
    candidates.extend(statement_candidates(index, passage_facts, neighbours))
    return candidates


class OfflineEngine:
    name = "offline"
    sends_text_to_third_party = False

    def __init__(self, *, per_passage_cap: int = 6):
        self.per_passage_cap = per_passage_cap

    def draft(
        self,
        passages: Sequence[PassageText],
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> DraftBatch:
        from drafting.engines.quality import select

        index = SourceIndex(passages)
        candidates: list[Candidate] = []
        for done, passage in enumerate(passages, start=1):
            if should_stop is not None and should_stop():
                break
            candidates.extend(candidates_for(index, passage))
            if progress is not None:
                progress(done, len(passages))
        return select(candidates, passages, per_passage_cap=self.per_passage_cap)
