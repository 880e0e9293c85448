"""Cues that give a choice question's key away to a test-wise student who has not read the text.

Two classic ones (Haladyna, Downing & Rodriguez 2002, "A review of multiple-choice
item-writing guidelines", rules 23 and 28): the right choice is by far the longest,
or it is the only choice that repeats a word of the stem.
"""

from collections.abc import Sequence

from quiz.bank.leaks import words_of

# The right choice(s) must be this many times longer than the longest wrong one to count as "by far".
LENGTH_RATIO = 1.5


def answer_key_cues(prompt: str, choices: Sequence[tuple[str, bool]]) -> list[str]:
    """What gives the key away in a single- or multiple-choice question, given (text, is_correct) pairs."""
    right = [text for text, correct in choices if correct]
    wrong = [text for text, correct in choices if not correct]
    if not right or not wrong or {text.lower() for text in right + wrong} == {"true", "false"}:
        return []
    cues = []
    if min(len(text) for text in right) >= LENGTH_RATIO * max(len(text) for text in wrong):
        cues.append(
            "The right choice is by far the longest: a student can pick it without reading. "
            "Make the wrong choices as specific as the right one, or shorten it."
        )
    stem = set(words_of(prompt))

    def echoes(text: str) -> bool:
        return bool(stem & set(words_of(text)))

    if all(echoes(text) for text in right) and not any(echoes(text) for text in wrong):
        cues.append(
            "Only the right choice repeats words of the question: a student can match them without reading. "
            "Echo the question in a wrong choice too, or reword the right one."
        )
    return cues
