"""Short typed answers matched against the accepted ones, by rules a teacher can set and explain.

Always: case, width, accents of the same letter, punctuation, spacing and a leading
article never decide ("U.A.E." is "UAE", "Yandex.Alice" is "Yandex Alice").
Per question (``TextRules``):
- whole words: the answer may say more around an accepted answer, as whole words
  ("Deputy Prime Minister Grigorenko", "TSMC in Taiwan"), unless it has a word that
  negates or hedges between answers (``NEGATIONS``: "not Alice", "Alice or Siri");
- typos: a slip of one letter in answers of 5 to 8 letters, two from 9 letters, none in
  answers of 4 letters or fewer (Damerau–Levenshtein, a swap of two letters counts once);
- other scripts: Cyrillic and other alphabets read as Latin letters ("Алиса" is "Alisa").
"""

import unicodedata
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz.distance import OSA

_ARTICLES = {"the", "a", "an"}
NEGATIONS = frozenset(
    {"not", "no", "never", "neither", "nor", "or", "isnt", "wasnt", "arent", "werent", "dont", "doesnt", "didnt"}
    | {"except", "but", "instead", "unlike", "without", "non", "nope", "wrong"}
)


@dataclass(frozen=True)
class TextRules:
    whole_words: bool = True
    typos: bool = True
    other_scripts: bool = True


DEFAULT_RULES = TextRules()


@dataclass(frozen=True)
class TextMatch:
    accepted: str  # the accepted answer it matched, as the teacher wrote it
    typo: bool = False  # matched only with a spelling slip
    contained: bool = False  # matched inside a longer answer


def answer_words(text: str, *, other_scripts: bool = True) -> list[str]:
    """Lower-case words with punctuation as spaces, apostrophes dropped ("Stanford University's" → …, "universitys")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if other_scripts:
        folded = anyascii(folded).casefold()
    else:
        # Accents of the same letter still never decide: "Grigorénko" is "Grigorenko".
        decomposed = unicodedata.normalize("NFKD", folded)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    kept = []
    for char in folded:
        if char in "'’`":
            continue
        kept.append(" " if unicodedata.category(char).startswith(("P", "S")) else char)
    words = "".join(kept).split()
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return words


def typo_allowance(letters: int) -> int:
    """How many slips an answer of this many letters may carry (0 for short answers like "US" or "TSMC")."""
    if letters <= 4:
        return 0
    return 1 if letters <= 8 else 2


def match_text(given: str, accepted: list[str], rules: TextRules = DEFAULT_RULES) -> TextMatch | None:
    """The accepted answer ``given`` matches under ``rules``, or None. Exact matches win over typos."""
    typed = answer_words(given, other_scripts=rules.other_scripts)
    if not typed:
        return None
    candidates = [(answer, answer_words(answer, other_scripts=rules.other_scripts)) for answer in accepted]
    candidates = [(answer, words) for answer, words in candidates if words]
    joined = "".join(typed)
    for answer, words in candidates:
        if joined == "".join(words):
            return TextMatch(answer)
    may_contain = rules.whole_words and not NEGATIONS & set(typed)
    if may_contain:
        for answer, words in candidates:
            if _contains(typed, "".join(words), allowance=0):
                return TextMatch(answer, contained=True)
    if rules.typos:
        for answer, words in candidates:
            target = "".join(words)
            allowance = typo_allowance(len(target))
            if allowance and OSA.distance(joined, target, score_cutoff=allowance) <= allowance:
                return TextMatch(answer, typo=True)
            if allowance and may_contain and _contains(typed, target, allowance=allowance):
                return TextMatch(answer, typo=True, contained=True)
    return None


def _contains(typed: list[str], target: str, *, allowance: int) -> bool:
    """Whether some run of whole words of ``typed``, spaces taken out, is ``target`` (within ``allowance`` slips)."""
    for start in range(len(typed)):
        run = ""
        for word in typed[start:]:
            run += word
            if len(run) > len(target) + allowance:
                break
            if len(run) >= len(target) - allowance and OSA.distance(run, target, score_cutoff=allowance) <= allowance:
                return True
    return False
