"""What makes a question's answer key complete, kind by kind.

One set of rules for every way a question enters the bank (the admin form,
its choices inline, the JSON and GIFT importers), each message written for the
teacher who has to fix it.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from quiz.kinds import CHOICE_KINDS, QuestionKind


def choice_errors(kind: str, choices: Sequence[tuple[str, bool]]) -> list[str]:
    """Problems with a question's choices, given as (text, is_correct) pairs."""
    if kind not in CHOICE_KINDS:
        if choices:
            label = QuestionKind(kind).label.lower()
            return [f"A {label} question has no choices: delete them, or change the kind to a choice question."]
        return []
    errors = []
    if any(not text.strip() for text, _ in choices):
        errors.append("Every choice needs its text.")
    correct = sum(1 for _, is_correct in choices if is_correct)
    wrong = len(choices) - correct
    if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
        errors.append(f"A true/false question has exactly two choices (it has {len(choices)}).")
    elif len(choices) < 2:
        errors.append("Give at least two choices.")
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and correct != 1:
        label = "A single-choice" if kind == QuestionKind.SINGLE else "A true/false"
        errors.append(f"{label} question has exactly one correct choice (this one has {correct}).")
    if kind == QuestionKind.MULTIPLE and (correct < 1 or wrong < 1):
        errors.append(
            "A multiple-choice question needs at least one correct and one wrong choice "
            f"(this one has {correct} correct and {wrong} wrong)."
        )
    return errors


def numeric_errors(answer: Decimal | None, tolerance: Decimal | None) -> dict[str, str]:
    errors = {}
    if answer is None:
        errors["numeric_answer"] = "A numeric question needs the right value."
    if tolerance is None:
        errors["numeric_tolerance"] = "Give a tolerance: 0 for an exact answer."
    elif tolerance < 0:
        errors["numeric_tolerance"] = "The tolerance cannot be negative: use 0 for an exact answer."
    return errors


def accepted_answer_errors(accepted: Iterable[str]) -> dict[str, str]:
    if not [answer for answer in accepted if str(answer).strip()]:
        return {"accepted_answers": "A short-text question needs at least one accepted answer."}
    return {}


def numeric_range_errors(answer: Decimal | None, minimum: Decimal | None, maximum: Decimal | None) -> dict[str, str]:
    """A one-sided or uneven range must hold together and contain the value students are told is right."""
    if minimum is not None and maximum is not None and minimum > maximum:
        return {"numeric_max": f"The highest accepted value ({maximum:f}) is below the lowest ({minimum:f})."}
    if answer is None:
        return {}
    if minimum is not None and answer < minimum:
        return {"numeric_min": f"The right value {answer:f} is below the lowest accepted value ({minimum:f})."}
    if maximum is not None and answer > maximum:
        return {"numeric_max": f"The right value {answer:f} is above the highest accepted value ({maximum:f})."}
    return {}
