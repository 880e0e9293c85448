"""Saying a sentence of the source in other words, for true/false statements.

A true statement must be a faithful paraphrase, and a false one a plausible misreading
dressed the same way, so that neither can be told by spotting the source's exact wording.
The rewording is conservative: common news verbs and hedges swap for plain synonyms, a
passive sentence with a short agent turns active, and a time phrase moves to the other end.
Names and numbers are never touched.
"""

from __future__ import annotations

import re

# (pattern, replacement), applied in order; each keeps the claim as it is.
SYNONYMS: list[tuple[str, str]] = [
    (r"\b(has|have|had) plummeted\b", r"\1 fallen steeply"),
    (r"\bplummeted\b", "fell steeply"),
    (r"\b(has|have|had) surged\b", r"\1 risen sharply"),
    (r"\bsurged\b", "rose sharply"),
    (r"\bcrippled\b", "badly damaged"),
    (r"\bpurchased\b", "bought"),
    (r"\bestablished\b", "set up"),
    (r"\bpredicts\b", "forecasts"),
    (r"\bincreasingly\b", "more and more"),
    (r"\brelied heavily on\b", "depended heavily on"),
    (r"\bfabricated\b", "manufactured"),
    (r"\bfamously attacked\b", "publicly criticised"),
    (r"\battacked\b", "criticised"),
    (r"\bequally severe\b", "just as severe"),
    (r"\bacute\b", "severe"),
    (r"\bdevastating\b", "damaging"),
    (r"\bstifles\b", "holds back"),
    (r"\bhamstring\b", "hold back"),
    (r"\bbleak\b", "gloomy"),
    (r"\bdismal\b", "poor"),
    (r"\bacquiring\b", "obtaining"),
    (r"\bshadowy\b", "murky"),
    (r"\bessential for\b", "vital for"),
    (r"\bswiftly\b", "quickly"),
    (r"\bpivot\b", "turn"),
    (r"\bis attempting to\b", "is trying to"),
    (r"\btasked with\b", "given the job of"),
    (r"\bsurviving on\b", "living on"),
    (r"\bcolliding with\b", "clashing with"),
    (r"\bchoked off\b", "cut off"),
    (r"\bflee\b", "leave"),
    (r"\bfled\b", "left"),
    (r"\bhaving emigrated\b", "having left the country"),
    (r"\bhomegrown\b", "domestic"),
    (r"\binsists\b", "maintains"),
    (r"\bslipping further behind\b", "falling further behind"),
    (r"\bdemonstrated\b", "shown"),
    (r"\bvisible\b", "evident"),
    (r"\bviews (.+?) as\b", r"regards \1 as"),
    (r"\bwanted\b", "wished"),
    (r"\bimposed\b", "introduced"),
    (r"\backnowledges\b", "admits"),
    (r"\bpainful\b", "hard"),
    (r"\breliance\b", "dependence"),
    (r"\bcentralize\b", "concentrate"),
    (r"\bcentralise\b", "concentrate"),
    (r"\bargue\b", "contend"),
    (r"\bsuggest\b", "indicate"),
    (r"\bestimate\b", "reckon"),
    (r"\bsupremacy\b", "dominance"),
    (r"\bhard reality\b", "harsh reality"),
    (r"\bstarved of\b", "short of"),
    (r"\bisolated\b", "cut off"),
    (r"\bstruggling\b", "fighting"),
    (r"\baccelerates\b", "speeds up"),
    (r"\breportedly\b", "by all accounts"),
    (r"\bscrape together\b", "gather"),
    (r"\boften\b", "frequently"),
    (r"\bsevere\b", "serious"),
    (r"\bmassive\b", "huge"),
    (r"\bdecisive\b", "crucial"),
    (r"\bvulnerability\b", "weakness"),
    (r"\bconsequences\b", "effects"),
    (r"\bthe true number\b", "the real number"),
    (r"\btop tier\b", "leading"),
    (r"\bforces\b", "compels"),
    (r"\bdrains\b", "uses up"),
    (r"\brefusing\b", "declining"),
    (r"\bthreats\b", "dangers"),
    (r"\binferior\b", "weaker"),
    (r"\bloom large over\b", "hang over"),
    (r"\bclaimed\b", "said"),
    (r"\bannounced\b", "said"),
    (r"\bapproximately\b", "roughly"),
    (r"\bnearly(?= \d)", "almost"),
    (r"\babout(?= \d)", "around"),
    (r"\bover(?= \d)", "more than"),
    (r"\bat least(?= \d)", "no fewer than"),
    (r"\bup to(?= \d)", "as many as"),
    (r"(?<=\d) percent\b", "%"),
]
# Plain word-for-word swaps run as one pass of one pattern; the few with a back-reference run on their own.
_PLAIN = {
    pattern.removeprefix(r"\b").removesuffix(r"\b").replace("\\", ""): replacement
    for pattern, replacement in SYNONYMS
    if re.fullmatch(r"\\b[a-z ]+\\b", pattern)
}
_PLAIN_PATTERN = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(_PLAIN, key=len, reverse=True))) + r")\b")
_COMPILED = [
    (re.compile(pattern), replacement)
    for pattern, replacement in SYNONYMS
    if not re.fullmatch(r"\\b[a-z ]+\\b", pattern)
]

_PASSIVE = re.compile(
    r"^(?P<subject>[^,;]+?) (?P<aux>was|were) (?P<adverb>\w+ly )?(?P<verb>\w+ed) by "
    r"(?P<agent>(?:the )?[A-Z][\w-]*(?: [A-Z][\w-]*){0,2})(?P<rest>(?: (?:in|at|before|after|during|since) .*)?)$"
)
_FRONT_TIME = re.compile(
    r"^(?P<prep>In|By|Since|Before|After|During|Until) (?P<time>\d{4}|(?:the|last) (?:war|year|invasion|crisis)) "
    r"(?P<rest>.+)$"
)
_END_YEAR = re.compile(r"^(?P<rest>.+?) (?P<prep>in|by|since) (?P<year>\d{4})$")


def reword(statement: str, lowercase_words: frozenset[str]) -> str | None:
    """The statement in other words, or None when none of the safe rewordings applies."""
    text = statement
    for pattern, replacement in _COMPILED:
        text = pattern.sub(replacement, text)
    text = _PLAIN_PATTERN.sub(lambda match: _PLAIN[match.group()], text)
    text = _active(text, lowercase_words) or _time_moved(text, lowercase_words) or text
    return text if text != statement else None


def _active(text: str, lowercase_words: frozenset[str]) -> str | None:
    """ "Designs were often fabricated by TSMC in Taiwan" → "TSMC in Taiwan often fabricated designs"."""
    match = _PASSIVE.match(text)
    if match is None:
        return None
    subject = lower_first(match["subject"], lowercase_words)
    adverb = match["adverb"] or ""
    return f"{match['agent']}{match['rest']} {adverb}{match['verb']} {subject}"


def _time_moved(text: str, lowercase_words: frozenset[str]) -> str | None:
    """ "Before the war Russia relied on…" → "Russia relied on… before the war", and a closing year to the front."""
    front = _FRONT_TIME.match(text)
    if front:
        return f"{front['rest']} {front['prep'].lower()} {front['time']}"
    end = _END_YEAR.match(text)
    if end and not re.search(r"\d", end["rest"][-12:]):
        return f"{end['prep'].capitalize()} {end['year']}, {lower_first(end['rest'], lowercase_words)}"
    return None


def lower_first(text: str, lowercase_words: frozenset[str], name_words: frozenset[str] | None = None) -> str:
    """The text with its first letter in lower case, unless the first word is a name.

    A word the source writes in lower case somewhere is no name. When the source's names are given (`name_words`,
    their words in lower case), any other word is no name either: "Supporters contend…" after a reversal.
    """
    words = text.split(maxsplit=1)
    if not words:
        return text
    first = words[0]
    bare = re.sub(r"[’']s$", "", first).casefold()
    if (len(first) > 1 and first.isupper()) or any(char.isupper() for char in first[1:]):
        return text
    if bare in lowercase_words or (name_words is not None and bare not in name_words):
        return text[:1].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]
