"""Reading a passage the way the offline engine needs: sentences, quantities, names, terms and lists.

Everything here is plain regular expressions over the passage text and returns character
spans into it, so every quote the engine builds is a verbatim slice of the passage. No
model, no download: a small sentence splitter that knows common abbreviations is enough
for the prose teachers bring, and it is several times faster than a general-purpose one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = _word_set(
    """
    a an the and or but nor of in on at to for from by with without about as into onto over under than then
    that which who whom whose what when where why how this these those it its it's they them their there
    here is are was were be been being has have had do does did will would shall should can could may might
    must not no so such very only also even just both either neither each every all any some more most less
    least out up down off again further once while because if though although however since until after
    before he she him her his hers we us our you your i me my one like other another same own too few many
    much per via among between across along within toward back today now yet still instead meanwhile
    ultimately simultaneously indeed moreover furthermore therefore thus hence later earlier overall finally
    next through during above below against toward towards upon
    """
)

# Words that start a sentence capitalised but name nothing.
_ABBREVIATIONS = _word_set(
    """
    mr mrs ms dr prof sr jr st vs etc inc ltd co corp no fig e.g i.e u.s u.k a.m p.m jan feb mar apr jun jul
    aug sep sept oct nov dec gen col lt sgt rep sen gov
    """
)
_SENTENCE_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Span]:
    """Sentences of a passage as spans; a full stop after a known abbreviation or an initial does not end one."""
    sentences: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].rsplit(None, 1)
        last_word = before[-1].casefold().rstrip(".") if before else ""
        if match.group().startswith(".") and (last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word)):
            continue
        sentences.append(_trimmed(text, start, match.end()))
        start = match.end()
    if text[start:].strip():
        sentences.append(_trimmed(text, start, len(text)))
    return sentences


def _trimmed(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, text[start:end])


def content_words(text: str) -> set[str]:
    return {word for word in re.findall(r"[a-z0-9]+", text.casefold()) if word not in STOPWORDS and len(word) > 2}


@lru_cache(maxsize=200_000)
def normalise(text: str) -> str:
    """How two answers compare: case, articles, punctuation and spacing ignored."""
    words = re.findall(r"[a-z0-9]+", text.casefold().replace("’", "'").replace("'s ", " "))
    while words and words[0] in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


# --- Quantities ---------------------------------------------------------------------------------------------------

_QUANTITY = re.compile(
    r"""(?<![\w.,$€£])
    (?P<currency>[$€£])?
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d)
    (?P<ordinal>st|nd|rd|th)?
    (?:\s(?P<scale>thousand|million|billion|trillion)\b)?
    (?:\s?(?P<percent>%|percent\b|per\scent\b))?
    (?![\w,]\d)""",
    re.VERBOSE,
)
# Read backwards from the number: the words that set how exact the text is.
HEDGES_BELOW = ("just under", "close to", "nearly", "almost")
HEDGES_AROUND = ("approximately", "an estimated", "roughly", "around", "about", "some")
BOUNDS = ("more than", "fewer than", "less than", "at least", "at most", "up to", "over", "under", "above", "below")
MEASURE_UNITS = _word_set(
    """
    nanometer nanometers nanometre nanometres nm km kilometer kilometers kilometre kilometres meter meters
    metre metres mile miles kg kilogram kilograms tonne tonnes ton tons gram grams liter liters litre litres
    hour hours minute minutes second seconds day days week weeks month months year years decade decades
    century centuries degree degrees gigawatt gigawatts megawatt megawatts watt watts barrel barrels acre
    acres hectare hectares
    """
)
_YEAR_PREPOSITIONS = {"in", "by", "since", "from", "until", "before", "after", "during", "of", "to", "between", "year"}
_CURRENCY_UNITS = {"$": "dollars", "€": "euros", "£": "pounds"}
_WORDS_AFTER = re.compile(r"(?:\s+[A-Za-z][A-Za-z-]*){1,3}")


@dataclass(frozen=True)
class Quantity:
    span: Span  # the number as written, with its %, ordinal or scale word
    value: Decimal
    unit: str  # "percent", "GPUs", "million dollars", "" for a year or a rank
    kind: str  # "count", "percent", "money", "year", "rank", "measure"
    hedge: str  # "", "below" (nearly), "around" (about) or a bound word kept in the stem ("over", "at least")
    hedge_words: str  # the hedge as written, e.g. "nearly"
    precision: Decimal  # the place of the last significant digit as written: 500,000 -> 100000


def find_quantities(text: str) -> list[Quantity]:
    quantities: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        quantity = _read_quantity(text, match, quantities)
        if quantity is not None:
            quantities.append(quantity)
    return quantities


def _read_quantity(text: str, match: re.Match[str], earlier: list[Quantity]) -> Quantity | None:
    digits = match["number"].replace(",", "")
    value = Decimal(digits)
    kind, unit = _kind_and_unit(text, match, value)
    if kind == "count" and not unit:
        # "nearly 500,000 GPUs ... only about 9,000 since": the unit carries over within the sentence.
        unit = next((q.unit for q in reversed(earlier) if q.kind == "count" and q.unit), "")
        if not unit and value < 2:
            return None  # a bare "1" or "0" is rarely a fact worth asking about
    hedge, hedge_words = _hedge_before(text[: match.start()])
    if kind == "year":
        hedge, hedge_words = "", ""  # "before 2022" bounds a time, not the year's value
    return Quantity(
        span=Span(match.start(), match.end(), match.group()),
        value=value,
        unit=unit[:30],
        kind=kind,
        hedge=hedge,
        hedge_words=hedge_words,
        precision=_precision(digits) if kind not in {"year", "rank"} else Decimal(1),
    )


def _kind_and_unit(text: str, match: re.Match[str], value: Decimal) -> tuple[str, str]:
    scale = f"{match['scale']} " if match["scale"] else ""
    if match["percent"]:
        return "percent", "percent"
    if match["ordinal"]:
        return "rank", ""
    if match["currency"]:
        return "money", f"{scale}{_CURRENCY_UNITS[match['currency']]}"
    unit = _unit_after(text, match.end())
    if not scale and "," not in match["number"] and "." not in match["number"] and 1500 <= value <= 2100:
        preceding = text[: match.start()].split()[-1:]
        if not unit or not unit.endswith("s") or (preceding and preceding[0].casefold() in _YEAR_PREPOSITIONS):
            return "year", ""
    if unit.casefold() in MEASURE_UNITS:
        return "measure", f"{scale}{unit}"
    return "count", f"{scale}{unit}".strip()


def _small_word(word: str) -> bool:
    return word.casefold() in STOPWORDS and not word.isupper()  # "IT specialists": IT is no "it"


def _unit_after(text: str, end: int) -> str:
    """What a count counts: "GPUs", "IT specialists", "car ferries" (after "70 battery-powered car ferries")."""
    after = _WORDS_AFTER.match(text, end)
    words = after.group().split() if after else []
    if not words or _small_word(words[0]):
        return ""
    if words[0].casefold() in MEASURE_UNITS:
        return words[0]
    for index, word in enumerate(words):
        if _small_word(word):
            break
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            before = words[index - 1] if index else ""
            if before and "-" not in before and not before.endswith(("ed", "al", "ive", "ful", "ous")):
                return f"{before} {word}"
            return word
    return "" if "-" in words[0] or words[0].endswith("ed") else words[0]


def _hedge_before(before: str) -> tuple[str, str]:
    tail = " ".join(before.casefold().split()[-3:])
    tail = re.sub(r"^.*\bonly\s+", "", tail) if "only about" in tail else tail
    for words, hedge in [(HEDGES_BELOW, "below"), (HEDGES_AROUND, "around"), (BOUNDS, "bound")]:
        for phrase in words:
            if re.search(rf"(?:^|\s){phrase}\s*$", tail):
                return hedge, phrase
    return "", ""


def _precision(digits: str) -> Decimal:
    if "." in digits:
        return Decimal(1).scaleb(-len(digits.split(".")[1]))
    stripped = digits.rstrip("0")
    return Decimal(1).scaleb(len(digits) - len(stripped)) if stripped else Decimal(1)


# --- Names and terms ----------------------------------------------------------------------------------------------

TITLES = _word_set(
    """
    president prime minister deputy former chancellor secretary senator governor mayor king queen prince
    princess general admiral dr mr mrs ms professor prof chief ceo chairman chairwoman director judge
    justice pope sheikh ambassador commissioner spokesman spokeswoman
    """
)
ORGANISATION_WORDS = _word_set(
    """
    university ministry center centre company corporation corp inc ltd bank agency institute council
    department group committee commission foundation association party union court parliament congress
    office bureau service services authority board school college laboratory lab labs academy federation
    fund organisation organization network technologies systems
    """
)
CALENDAR_WORDS = _word_set(
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday"
)
# A short list of countries, regions and large cities, so "Kazakhstan" and "Dubai" count as places and can stand in
# for each other as distractors; anything else is typed by its context.
COUNTRIES = _word_set(
    """
    afghanistan albania algeria argentina armenia australia austria azerbaijan bangladesh belarus belgium
    bolivia brazil bulgaria cambodia cameroon canada chile china colombia congo croatia cuba cyprus czechia
    denmark ecuador egypt estonia ethiopia finland france georgia germany ghana greece guatemala haiti
    honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica japan jordan kazakhstan
    kenya korea kosovo kuwait kyrgyzstan laos latvia lebanon libya lithuania luxembourg madagascar malaysia
    mali malta mexico moldova mongolia montenegro morocco mozambique myanmar namibia nepal netherlands
    nicaragua niger nigeria norway oman pakistan panama paraguay peru philippines poland portugal qatar
    romania russia rwanda senegal serbia singapore slovakia slovenia somalia spain sudan sweden switzerland
    syria taiwan tajikistan tanzania thailand tunisia turkey turkmenistan uganda ukraine uruguay uzbekistan
    venezuela vietnam yemen zambia zimbabwe us usa uk uae eu america britain england scotland wales europe
    asia africa oceania antarctica arctic crimea siberia gaza kashmir tibet hong kong united states united
    kingdom united arab emirates saudi arabia south africa new zealand north korea south korea sri lanka
    """
)
CITIES = _word_set(
    """
    moscow beijing washington london paris berlin tokyo delhi mumbai shanghai kyiv kiev minsk yerevan
    tbilisi baku dubai istanbul ankara tehran riyadh cairo lagos nairobi seoul taipei hanoi bangkok jakarta
    manila sydney toronto ottawa madrid rome vienna warsaw prague budapest brussels amsterdam stockholm oslo
    helsinki dublin lisbon athens almaty astana tashkent geneva zurich munich milan barcelona chicago boston
    seattle york angeles francisco
    """
)
PLACES = COUNTRIES | CITIES
DEMONYM_ENDINGS = ("an", "ese", "ish", "ern", "ic", "i")
_NAME_TOKEN = r"(?:[A-Z][\w&.-]*[\w&]|[A-Z])"
_NAME = re.compile(
    rf"{_NAME_TOKEN}(?:(?:\s+(?:of|for|de|la|del|von|van)\s+|\s+){_NAME_TOKEN})*",
)
_QUOTED = re.compile(r"[\"“‘]([^\"“”‘’]{2,40}?)[\"”’]")


@dataclass(frozen=True)
class Name:
    span: Span
    kind: str  # "person", "organisation", "place", "term"
    variants: tuple[str, ...]  # accepted answers: the name as written, its surname, its acronym or expansion


def find_names(sentence: Span, passage_text: str, source_text: str) -> list[Name]:
    """Names and quoted terms in one sentence (offsets are into the passage)."""
    names: list[Name] = []
    for match in _NAME.finditer(sentence.text):
        names.extend(_read_name(sentence, match, source_text))
    for match in _QUOTED.finditer(sentence.text):
        if len(match[1].split()) > 4:
            continue  # a quoted remark, not a term
        start = sentence.start + match.start(1)
        names.append(Name(Span(start, start + len(match[1]), match[1]), "term", (match[1],)))
    return [name for name in names if passage_text[name.span.start : name.span.end] == name.span.text]


def _read_name(sentence: Span, match: re.Match[str], source_text: str) -> list[Name]:
    tokens = [(m.start(), m.group()) for m in re.finditer(r"\S+", match.group())]
    # A capitalised first word of a sentence is usually just a capital letter, unless the text capitalises it elsewhere.
    opens_sentence = match.start() == 0 or sentence.text[: match.start()].rstrip().endswith((":", '"', "“"))
    # "Siemens Energy supplied…": a first word followed by another capitalised one is part of the name unless the
    # text writes it in lower case elsewhere ("The Ministry…"); a lone first word must also not look common.
    if (
        opens_sentence
        and tokens
        and (
            _ordinary_word(tokens[0][1], source_text)
            if len(tokens) == 1
            else _lower_case_word(tokens[0][1], source_text)
        )
    ):
        tokens = tokens[1:]
    if len(tokens) == 1 and tokens[0][1].casefold().rstrip(".") in CALENDAR_WORDS:
        return []
    had_title = False
    while tokens and tokens[0][1].casefold().rstrip(".") in TITLES:
        tokens, had_title = tokens[1:], True
    while tokens and tokens[-1][1].casefold() in {"of", "for", "de", "la", "del", "von", "van"}:
        tokens = tokens[:-1]
    if not tokens:
        return []
    start = sentence.start + match.start() + tokens[0][0]
    text = match.group()[tokens[0][0] : tokens[-1][0] + len(tokens[-1][1])]
    text = re.sub(r"[’']s$", "", text)
    # "US" in capitals is a country the gazetteer knows, though "us" is a common word.
    if len(text) < 2 or (text.casefold() in STOPWORDS and not (text.isupper() and text.casefold() in PLACES)):
        return []
    following = sentence.text[match.start() + tokens[-1][0] + len(tokens[-1][1]) :].lstrip()
    if (
        len(tokens) == 1
        and text.endswith(DEMONYM_ENDINGS)
        and following[:1].islower()
        and text.casefold() not in PLACES
    ):
        return []  # "Western sanctions", "Russian companies": an adjective, not a name
    kind = _name_kind(text, had_title, source_text)
    return [Name(Span(start, start + len(text), text), kind, name_variants(text, kind, source_text))]


@cache
def _lowercase_words(source_text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b[a-z][a-z'-]*\b", source_text))


_COMMON_ENDINGS = ("ly", "ing", "ed", "al", "ary", "ive", "ous", "ful", "ic", "tion", "ment", "ness", "ity", "ry", "s")


@cache
def _lower_case_word(word: str, source_text: str) -> bool:
    lowered = re.sub(r"[’']s$", "", word).casefold()
    return lowered in STOPWORDS or lowered in _lowercase_words(source_text) or lowered.rstrip(".") in TITLES


def _ordinary_word(word: str, source_text: str) -> bool:
    """A capitalised first word that is probably just a word: the text uses it in lower case, or it looks common."""
    bare = re.sub(r"[’']s$", "", word)
    lowered = bare.casefold()
    if lowered in STOPWORDS or lowered in _lowercase_words(source_text) or lowered.rstrip(".") in TITLES:
        return True
    return not bare.isupper() and lowered.endswith(_COMMON_ENDINGS) and not _capitalised_inside(bare, source_text)


@cache
def _capitalised_inside(word: str, source_text: str) -> bool:
    return re.search(rf"[a-z,][ \t]+{re.escape(word)}\b", source_text) is not None  # within one passage


@cache
def _name_kind(text: str, had_title: bool, source_text: str) -> str:
    words = text.split()
    if had_title:
        return "person"
    if all(word.casefold() in PLACES for word in words):
        return "place"
    if any(word.casefold() in ORGANISATION_WORDS for word in words) or text.endswith(("bank", "soft", "corp")):
        return "organisation"
    after_preposition = re.search(rf"\b(?:in|from|near|across|via)\s+(?:the\s+)?{re.escape(text)}\b", source_text)
    if after_preposition and len(words) <= 3 and not any(word.isupper() for word in words):
        return "place"
    if 2 <= len(words) <= 3 and all(word[0].isupper() and not word.isupper() for word in words):
        # Two or three capitalised words name a person when the text also calls them by the last one alone.
        alone = re.search(rf"(?<!{re.escape(words[-2])} ){re.escape(words[-1])}\b", source_text)
        if alone:
            return "person"
    return "term"


def place_class(text: str) -> str:
    """Countries stand in for countries and cities for cities, so a swapped place stays plausible."""
    words = text.removeprefix("the ").casefold().split()
    if all(word in COUNTRIES for word in words):
        return "country"
    if all(word in CITIES for word in words):
        return "city"
    return "place"


def acronym_of(words: str) -> str:
    return "".join(word[0] for word in words.split() if word.casefold() not in STOPWORDS).upper()


@cache
def name_variants(text: str, kind: str, source_text: str) -> tuple[str, ...]:
    """The name as written plus the variants the source itself supports."""
    variants = [text]
    bare = text[4:] if text.startswith("the ") else text
    if kind == "person" and len(bare.split()) >= 2:
        variants.append(bare.split()[-1])
    if bare.isupper() and 2 <= len(bare) <= 6:
        expansion = _expansion_in(bare, source_text)
        if expansion:
            variants.append(expansion)
    elif len(bare.split()) >= 2:
        acronym = acronym_of(bare)
        if len(acronym) >= 2 and re.search(rf"\b{acronym}\b", source_text):
            variants.append(acronym)
    return tuple(dict.fromkeys(variants))


@cache
def _expansion_in(acronym: str, source_text: str) -> str:
    """ "Artificial Intelligence" for AI, when the source spells it out with capitals (or as "expansion (ACR)")."""
    capitalised = r"[A-Z][\w-]*"
    pattern = rf"\b{capitalised}(?:\s+(?:of\s+|and\s+|the\s+|for\s+)?{capitalised}){{{len(acronym) - 1}}}\b"
    for match in re.finditer(pattern, source_text):
        words = match.group().split()
        while words and words[0].casefold() in STOPWORDS:
            words = words[1:]
        if words and acronym_of(" ".join(words)) == acronym:
            return " ".join(words)
    spelled = re.search(rf"\b([A-Za-z][\w\s-]{{3,80}}?)\s+\({acronym}\)", source_text)
    if spelled:
        words = spelled[1].split()[-len(acronym) * 2 :]
        for begin in range(len(words)):
            if acronym_of(" ".join(words[begin:])) == acronym and words[begin].casefold() not in STOPWORDS:
                return " ".join(words[begin:])
    return ""


# --- Lists ("silicon and talent", "Kazakhstan and the UAE") ---------------------------------------------------------

_CLAUSE_BREAK = re.compile(r"[,;:()\"“”]")


@dataclass(frozen=True)
class Listing:
    span: Span  # the whole list as written
    items: tuple[Span, ...]


def find_listings(sentence: Span) -> list[Listing]:
    """Lists of two or more short parallel items joined by "and" (offsets are into the passage)."""
    listings: list[Listing] = []
    for match in re.finditer(r"\s(and)\s", sentence.text):
        left = _item_before(sentence.text, match.start())
        right = _item_after(sentence.text, match.end())
        if left is None or right is None:
            continue
        items = [left, right]
        if listings and listings[-1].items[-1].start == sentence.start + left.start:
            items = [*[_shift(item, -sentence.start) for item in listings.pop().items], right]
        if not _parallel(items) or _shares_an_object(sentence.text, items):
            continue
        items_in_passage = tuple(_shift(item, sentence.start) for item in items)
        whole = Span(items_in_passage[0].start, items_in_passage[-1].end, "")
        listings.append(Listing(whole, items_in_passage))
    return [
        Listing(
            Span(
                lst.span.start,
                lst.span.end,
                sentence.text[lst.span.start - sentence.start : lst.span.end - sentence.start],
            ),
            lst.items,
        )
        for lst in listings
    ]


def _shift(span: Span, by: int) -> Span:
    return Span(span.start + by, span.end + by, span.text)


def _item_before(text: str, end: int) -> Span | None:
    words = list(re.finditer(r"[\w'’-]+", text[:end]))
    taken: list[re.Match[str]] = []
    for word in reversed(words):
        if word.group().casefold() in STOPWORDS or len(taken) == 3 or _CLAUSE_BREAK.search(text[word.end() : end]):
            break
        taken.insert(0, word)
    if not taken:
        return None
    return Span(taken[0].start(), taken[-1].end(), text[taken[0].start() : taken[-1].end()])


def _item_after(text: str, start: int) -> Span | None:
    words = list(re.finditer(r"[\w'’-]+", text[start:]))
    taken: list[re.Match[str]] = []
    for word in words:
        gap = text[start + (taken[-1].end() if taken else 0) : start + word.start()]
        lowered = word.group().casefold()
        if (
            _CLAUSE_BREAK.search(gap)
            or len(taken) == 3
            or (lowered in STOPWORDS and not (lowered == "the" and not taken))
        ):
            break
        taken.append(word)
    content = [word for word in taken if word.group().casefold() != "the"]
    if not content:
        return None
    first, last = taken[0], taken[-1]
    return Span(start + first.start(), start + last.end(), text[start + first.start() : start + last.end()])


def _shares_an_object(text: str, items: list[Span]) -> bool:
    """ "to design and manufacture chips": two verbs sharing one object are not a list of things."""
    before = text[: items[0].start].split()[-1:]
    return bool(before) and before[0] == "to" and len(items[0].text.split()) == 1 < len(items[-1].text.split())


def _parallel(items: list[Span]) -> bool:
    lengths = [len(item.text.split()) for item in items]
    capitalised = {item.text.removeprefix("the ")[:1].isupper() for item in items}
    verb_like = {item.text.split()[-1].endswith("ed") for item in items}
    if any(re.search(r"\d", item.text) for item in items):
        return False  # "between 2016 and 2022" is a span of time, not a list
    return max(lengths) - min(lengths) <= 2 and len(capitalised) == 1 and len(verb_like) == 1


# --- Direction words, for true/false misreadings ------------------------------------------------------------------

OPPOSITES = {
    "increase": "decrease",
    "increased": "decreased",
    "increasing": "decreasing",
    "increases": "decreases",
    "rise": "fall",
    "rose": "fell",
    "risen": "fallen",
    "rising": "falling",
    "rises": "falls",
    "grew": "shrank",
    "grow": "shrink",
    "growing": "shrinking",
    "grown": "shrunk",
    "surged": "plummeted",
    "soared": "plunged",
    "plummeted": "surged",
    "plunged": "soared",
    "higher": "lower",
    "more": "fewer",
    "larger": "smaller",
    "bigger": "smaller",
    "stronger": "weaker",
    "before": "after",
    "after": "before",
    "above": "below",
    "gain": "loss",
    "gained": "lost",
    "lead": "trail",
    "leads": "trails",
    "strengthen": "weaken",
    "strengthened": "weakened",
    "improve": "worsen",
    "improved": "worsened",
    "better": "worse",
    "increasingly": "decreasingly",
    "success": "failure",
    "successful": "unsuccessful",
    "allowed": "banned",
    "imposed": "lifted",
    "expand": "shrink",
    "expanded": "shrank",
    "accelerates": "slows",
    "drop": "rise",
    "dropped": "rose",
    "decline": "growth",
    "declined": "grew",
    "deficit": "surplus",
    "shortage": "surplus",
    "stopped": "continued",
    "blocked": "opened",
    "worse": "better",
    "lower": "higher",
    "fewer": "more",
    "severe": "mild",
    "acute": "mild",
    "visible": "hidden",
    "bleak": "bright",
    "isolated": "connected",
    "underfunded": "well funded",
    "stifles": "encourages",
    "drains": "frees up",
    "centralize": "decentralize",
    "centralise": "decentralise",
    "closer": "looser",
    "struggling": "thriving",
    "critics": "supporters",
    "unlikely": "likely",
    "likely": "unlikely",
    "impossible": "easy",
    "dependent": "independent",
    "independent": "dependent",
    "ahead": "behind",
    "rivals": "allies",
    "weaker": "stronger",
    "cheap": "expensive",
    "expensive": "cheap",
    "legal": "illegal",
    "illegal": "legal",
    "inferior": "superior",
    "superior": "inferior",
    "freely": "under strict control",
    "famously": "quietly",
    "smaller": "larger",
    "loss": "gain",
    "lost": "gained",
}


# --- Phrases ("crippled by Western sanctions", "surviving on scraps of technology") ------------------------------

_PHRASE_START = re.compile(r"\b(?P<lead>by|to|on|with|from|into|toward|towards|leaving)\s+(?=\S)")
_PHRASE_END_WORDS = _word_set(
    "that which who whom while because but when where so since as if though although is are was were has have had "
    "will would can could"
)
DETERMINERS = _word_set("a an the its their his her our this these that those no some every each")
# "aims to replicate…" is what someone does; "adhere to strict censorship" names a thing. Other "to"s are skipped.
TAKES_AN_ACTION = _word_set(
    "aim aims aimed manage managed attempt attempting attempted try trying tried order ordered force forced forcing "
    "want wants wanted need needs needed able unable seek seeks sought plan plans planned established used going "
    "struggling refusing refused failed fails expected continue continues continued began begin decided"
)
NAMES_A_THING = _word_set("adhere adheres turned turn turns compared close next due according related similar thanks")


@dataclass(frozen=True)
class Phrase:
    span: Span
    kind: str  # "thing" (a noun phrase) or "action" (what someone does, after "to")


def find_phrases(sentence: Span) -> list[Phrase]:
    """Phrases of two to six words that close a clause after "by", "to", "on"… or "leaving a…": what did it, what it
    is for, what it left behind."""
    phrases = []
    for match in _PHRASE_START.finditer(sentence.text):
        words = list(re.finditer(r"[\w'’-]+|[^\w\s]", sentence.text[match.end() :]))
        taken: list[re.Match[str]] = []
        for word in words:
            if not re.match(r"[\w'’-]", word.group()) or word.group().casefold() in _PHRASE_END_WORDS:
                break
            taken.append(word)
        closes_clause = len(taken) == len(words) or words[len(taken)].group().casefold() in _PHRASE_END_WORDS | {
            ".",
            ",",
            ";",
            ":",
            "!",
            "?",
        }
        if not 2 <= len(taken) <= 6 or not closes_clause:
            continue
        first = taken[0].group()
        if first.casefold() in STOPWORDS - DETERMINERS or taken[-1].group().casefold() in STOPWORDS:
            continue
        kind = "thing"
        if match["lead"] == "leaving" and first.casefold() not in DETERMINERS - {"this", "that", "these", "those"}:
            continue  # "leaving a talent void" names what is left behind; "leaving quickly", "leaving Moscow" do not
        if match["lead"] == "to" and first.casefold() not in DETERMINERS:
            before = sentence.text[: match.start()].split()[-1:]
            lead_word = before[0].casefold() if before else ""
            if lead_word in TAKES_AN_ACTION and first.islower():
                kind = "action"
            elif lead_word not in NAMES_A_THING:
                continue
        start = sentence.start + match.end() + taken[0].start()
        end = sentence.start + match.end() + taken[-1].end()
        phrases.append(Phrase(Span(start, end, sentence.text[start - sentence.start : end - sentence.start]), kind))
    # "to adhere to strict ideological censorship": the inner phrase is the fact.
    return [p for p in phrases if not any(o is not p and p.span.start < o.span.start < p.span.end for o in phrases)]
