"""Which words may follow a number: the question's own unit and its synonyms, or words of its prompt.

A unit of another kind is refused with a sentence ("This asks for a percentage, not
nanometres."), and so is a word we cannot place, so "84 nm" is never marked as 84 percent.
"""

from dataclasses import dataclass

from quiz.reading.numbers import NumberRefused, ReadNumber


@dataclass(frozen=True)
class UnitKind:
    asks: str  # "This asks for …"
    called: str  # "…, not …"
    words: frozenset[str]  # every word of every way of writing it, singular


def _kind(asks: str, called: str, *spellings: str) -> UnitKind:
    return UnitKind(asks, called, frozenset(word for spelling in spellings for word in spelling.split()))


UNIT_KINDS = {
    "percent": _kind(
        "a percentage", "a percentage", "%", "percent", "per cent", "pct", "percentage", "percentage point"
    ),
    "nanometre": _kind("a size in nanometres", "nanometres", "nm", "nanometer", "nanometre", "nanometer node"),
    "place": _kind("a position in a ranking (such as 25th)", "a position", "place", "position", "rank", "spot"),
    "people": _kind(
        "a number of people",
        "people",
        "people",
        "person",
        "it specialist",
        "it worker",
        "it professional",
        "engineer",
        "employee",
        "programmer",
        "developer",
        "staff",
    ),
    "gpu": _kind(
        "a number of GPUs", "GPUs", "gpu", "chip", "graphics card", "graphics processor", "graphics processing unit"
    ),
    "nation": _kind("a number of nations", "nations", "nation", "country", "countries"),
    "year": _kind("a year", "years", "year", "yr", "ad", "ce"),
    "money": _kind("an amount of money", "money", "$", "€", "dollar", "usd", "ruble", "rouble", "euro"),
}
# Words that say nothing about the unit: "100,000 IT workers in total", "9,000 or so".
_FILLERS = frozenset(
    {"a", "an", "the", "of", "in", "total", "all", "only", "just", "or", "so", "some", "roughly", "about", "around"}
)
# People, workers and specialists are all counted as people.
_ALIASES = {"worker": "people", "specialist": "people", "gpus": "gpu", "nm": "nanometre", "%": "percent"}


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and len(word) > 3 and not word.endswith("ss"):
        return word[:-1]
    return word


def _typed_words(text: str) -> list[str]:
    # "GPU's" is "GPUs"; other marks separate words.
    spaced = (
        text.casefold().replace("'", "").replace("’", "").replace("%", " % ").replace("$", " $ ").replace("€", " € ")
    )
    for mark in '-.,;:!?()"“”':
        spaced = spaced.replace(mark, " ")
    return spaced.split()


def _words(text: str) -> list[str]:
    return [_singular(word) for word in _typed_words(text)]


def kind_of_unit(unit: str) -> UnitKind | None:
    """The kind a question's unit belongs to ("GPUs" → GPUs, "percent" → percentage); None for none or our own."""
    words = _words(unit)
    if not words:
        return None
    for name, kind in UNIT_KINDS.items():
        if all(word in kind.words or _ALIASES.get(word) == name for word in words):
            return kind
    return None


def check_unit(read: ReadNumber, *, unit: str, prompt: str) -> None:
    """Refuse, with a sentence, unit words that do not fit a question asking for ``unit``."""
    expected = kind_of_unit(unit)
    if read.ordinal and expected is not UNIT_KINDS["place"] and unit:
        raise NumberRefused(f"This asks for {expected.asks if expected else unit}, not a position (such as 25th).")
    allowed = set(_words(unit)) | set(_words(prompt)) | _FILLERS
    if expected is not None:
        allowed |= expected.words
    for typed in _typed_words(read.unit):
        word = _singular(typed)
        if word in allowed:
            continue
        other = next((kind for kind in UNIT_KINDS.values() if word in kind.words), None)
        if other is not None:
            asks = expected.asks if expected else (f"a number of {unit}" if unit else "a plain number")
            raise NumberRefused(f"This asks for {asks}, not {other.called}.")
        shown = f" and, if you like, its unit ({unit})" if unit else ""
        raise NumberRefused(f"We read the number but not “{typed}”: type the number{shown}.")
