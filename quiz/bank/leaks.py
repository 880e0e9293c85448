"""The leak check: no question in a quiz may give away another's answer.

A question *leaks* another's answer when the words that give that answer away
(its accepted texts, its numeric value, the distinctive words of its right
choices) all stand in the other question's text. Text a student sees *before*
answering (prompt and choices) is always a leak; text seen only *after*
answering (explanation and per-choice feedback) is a leak only when the quiz
gives feedback after each question.

Matching is on words, read as people write them: case, punctuation, curly
quotes and accents are ignored; 84% and 84 percent, 100,000 and 100000,
"100 thousand", "9k" and "eighty-four" all read as the same number; "28th" is
the number 28; a plural reads as its singular; small words ("the", "of", "us")
never count, so an answer only leaks through the words that carry it; and a name
in an answer ("Labor", "the States") leaks only through a word written with a
capital ("Ministry of Labor", "United States"), not through the common word
("the labor shortage", "the state's narrative").

The quote is not counted: it is the article's own sentence, and the article is
open to students in the reader anyway.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from quiz.models import CHOICE_KINDS, FeedbackMode, Question, QuestionKind, Quiz


@dataclass(frozen=True)
class LeakItem:
    key: str  # the question's key
    answer_terms: tuple[str, ...]  # what gives its answer away
    shown_before: str  # prompt + choices (seen before answering)
    shown_after: str  # explanation + per-choice feedback (seen after answering, under immediate feedback)


@dataclass(frozen=True)
class Leak:
    giver: str  # key of the question whose text reveals the answer
    taker: str  # key of the question whose answer is revealed
    term: str
    immediate_only: bool  # True when only the giver's explanation/feedback reveals it

    def describe(self) -> str:
        where = "explanation or feedback" if self.immediate_only else "prompt or choices"
        return f"“{self.giver}” gives away the answer of “{self.taker}” (“{self.term}”) in its {where}"


# Words too common to give an answer away. Kept short on purpose: every word
# here is one a leak can hide behind.
STOP_WORDS = frozenset(
    re.findall(
        r"\w+",
        """
        a about above after again against all also am an and any are as at be because been before being below
        between both but by can could did do does doing down during each few for from further had has have having
        he her here hers him his how i if in into is it its itself just me more most my no nor not now of off on
        once only or other our ours out over own same she should so some such than that the their theirs them then
        there these they this those through to too under until up us very was we were what when where which while
        who whom why will with would you your s t th st nd rd per
        """,
    )
)

_LOOKALIKES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\xa0": " ", "\u202f": " "})

_UNITS = {
    word: value
    for value, word in enumerate(
        re.findall(
            r"\w+",
            "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
            "seventeen eighteen nineteen",
        )
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(re.findall(r"\w+", "_ _ twenty thirty forty fifty sixty seventy eighty ninety"))
}
_MULTIPLIERS = {"thousand": 1000, "k": 1000, "million": 10**6, "mn": 10**6, "billion": 10**9, "bn": 10**9}
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _fold(text: str) -> str:
    """No accents, look-alike punctuation unified, % and per cent spelt "percent" (case kept)."""
    text = unicodedata.normalize("NFKD", text.translate(_LOOKALIKES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # 100,000 → 100000
    text = re.sub(r"(?<=\d)[ ](?=\d{3}(?![\d.,]))", "", text)  # 100 000 → 100000
    text = re.sub(r"\bper\s+cent\b", " percent ", text, flags=re.IGNORECASE)
    return text.replace("%", " percent ")


def _plain_number(value: Decimal) -> str:
    value = value.normalize()
    return f"{value:f}"


def _read_numbers(tokens: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Runs of number words and digits with multipliers become one number written in digits.

    Tokens are (lower-cased word, written with a capital) pairs; a number is never a name.
    """
    words: list[tuple[str, bool]] = []
    index = 0
    while index < len(tokens):
        token = tokens[index][0]
        if not (_NUMBER.fullmatch(token) or token in _UNITS or token in _TENS):
            words.append(tokens[index])
            index += 1
            continue
        total, current = Decimal(0), Decimal(0)
        while index < len(tokens):
            token = tokens[index][0]
            following = tokens[index + 1][0] if index + 1 < len(tokens) else ""
            if _NUMBER.fullmatch(token) and current == 0:
                current = Decimal(token)
            elif token in _UNITS:
                current += _UNITS[token]
            elif token in _TENS:
                current += _TENS[token]
            elif token == "hundred" and current:
                current *= 100
            elif token in _MULTIPLIERS and current:
                total += current * _MULTIPLIERS[token]
                current = Decimal(0)
            elif token == "and" and total and (following in _UNITS or following in _TENS):
                pass  # "one thousand and five"
            else:
                break
            index += 1
        words.append((_plain_number(total + current), False))
    return words


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _words_with_case(text: str) -> list[tuple[str, bool]]:
    tokens = re.findall(r"\d+(?:\.\d+)?|[A-Za-z]+", _fold(text))
    pairs = _read_numbers([(token.lower(), token[0].isupper()) for token in tokens])
    return [(_singular(word), capital) for word, capital in pairs if word not in STOP_WORDS]


def words_of(text: str) -> list[str]:
    """The words of ``text`` that can carry an answer, normalised as described above."""
    return [word for word, _ in _words_with_case(text)]


# A name in an answer ("Labor", "the States") only leaks through a word written with a capital
# ("Ministry of Labor", "United States"), not through the common word ("labor shortage", "the
# state's narrative"). A word written with a capital therefore also stands in a text's word set
# with this mark in front, and a capitalised word of an answer asks for the marked form.
_NAME = "^"


def _text_words(text: str) -> set[str]:
    words = set()
    for word, capital in _words_with_case(text):
        words.add(word)
        if capital:
            words.add(_NAME + word)
    return words


def _term_words(term: str) -> set[str]:
    return {_NAME + word if capital else word for word, capital in _words_with_case(term)}


def leak_item_for(question: Question) -> LeakItem:
    """The texts of one question the leak check compares (its choices read through ``question.choices.all()``)."""
    choices = list(question.choices.all()) if question.kind in CHOICE_KINDS else []
    terms: list[str] = []
    if question.kind == QuestionKind.SHORT_TEXT:
        terms = [str(answer) for answer in question.accepted_answers or [] if str(answer).strip()]
    elif question.kind == QuestionKind.NUMERIC and question.numeric_answer is not None:
        terms = [_plain_number(question.numeric_answer)]
    elif question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        terms = distinctive_terms(question.prompt, [(c.text, c.is_correct) for c in choices])
    return LeakItem(
        key=question.key,
        answer_terms=tuple(terms),
        shown_before="\n".join([question.prompt, *(choice.text for choice in choices)]),
        shown_after="\n".join([question.explanation, *(choice.feedback for choice in choices if choice.feedback)]),
    )


def distinctive_terms(prompt: str, choices: Iterable[tuple[str, bool]]) -> list[str]:
    """For each right choice, its words that stand neither in a wrong choice nor in the prompt."""
    choices = list(choices)
    common = set(words_of(prompt))
    for text, correct in choices:
        if not correct:
            common.update(words_of(text))
    terms = []
    for text, correct in choices:
        if correct:
            distinctive = [word for word in dict.fromkeys(words_of(text)) if word not in common]
            if distinctive:
                terms.append(" ".join(distinctive))
    return terms


def find_leaks(items: Sequence[LeakItem]) -> list[Leak]:
    """Every pair where one item's text reveals another's answer; at most one leak per pair, the worse first.

    Texts are indexed by word, so each answer term is looked up among the texts holding all its words
    instead of being compared with every text (the check grows with the bank's leaks, not with its square).
    """
    order = {item.key: index for index, item in enumerate(items)}
    before = _index_by_word({item.key: _text_words(item.shown_before) for item in items})
    after = _index_by_word({item.key: _text_words(item.shown_after) for item in items})
    terms = [(taker.key, term, _term_words(term)) for taker in items for term in taker.answer_terms]
    found: dict[tuple[str, str], Leak] = {}
    for index, immediate_only in ((before, False), (after, True)):
        for taker, term, words in terms:
            if words:
                givers = set.intersection(*(index.get(word, set()) for word in words))
                for giver in givers - {taker}:
                    found.setdefault((giver, taker), Leak(giver, taker, term, immediate_only))
    return sorted(found.values(), key=lambda leak: (order[leak.taker], order[leak.giver]))


def _index_by_word(texts: dict[str, set[str]]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for key, words in texts.items():
        for word in words:
            index.setdefault(word, set()).add(key)
    return index


def leaks_in_quiz(quiz: Quiz) -> list[Leak]:
    """The leaks that matter in ``quiz``: among its published questions (the ones students see), with feedback
    text counted only when the quiz gives feedback after each question."""
    questions = quiz.questions.filter(is_published=True).prefetch_related("choices").order_by("key")
    return _leaks_that_matter(questions, quiz.feedback_mode)


def leaks_by_quiz(quizzes: QuerySet[Quiz]) -> list[tuple[Quiz, list[Leak]]]:
    """Each quiz with the leaks that matter in it, in three queries whatever the number of quizzes."""
    questions = Question.objects.published().prefetch_related("choices").order_by("key")
    quizzes = quizzes.prefetch_related(Prefetch("questions", queryset=questions))
    return [(quiz, _leaks_that_matter(quiz.questions.all(), quiz.feedback_mode)) for quiz in quizzes]


def _leaks_that_matter(questions: Iterable[Question], feedback_mode: str) -> list[Leak]:
    leaks = find_leaks([leak_item_for(question) for question in questions])
    if feedback_mode != FeedbackMode.IMMEDIATE:
        leaks = [leak for leak in leaks if not leak.immediate_only]
    return leaks
