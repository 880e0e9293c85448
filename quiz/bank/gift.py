"""Moodle's GIFT format: export the question bank, and import it back.

GIFT expresses all five of our kinds: single choice ``{=right ~wrong}``,
multiple choice with weights ``{~%50%a ~%-100%b}``, true/false ``{T}``,
numeric ``{#84:0}`` and short answer ``{=USA =US}``; per-choice feedback
follows ``#`` and the explanation is the general feedback ``####``.

What GIFT cannot say (the citation, points, the cognitive level, the published flag, the exact kind,
the unit, the author) travels in two comment lines above each question, which
Moodle ignores and our importer reads back:

    // citation: {"source": "russia-ai-chips", "passage": 3, "quote": "…"}
    // settings: {"kind": "numeric", "points": 1, "level": "remember", "published": true, "unit": "percent"}

A question without a citation comment cannot be imported: every question here
must be grounded in a passage.
"""

import json
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.text import slugify

from quiz.bank.records import (
    KEY_PATTERN,
    BankFormatError,
    ParsedBank,
    QuestionRecord,
    plain_number,
    text_rules_data,
)
from quiz.models import CognitiveLevel, Question, QuestionKind

SPECIAL = "~=#{}:"
CITATION_PREFIX = "// citation:"
SETTINGS_PREFIX = "// settings:"
FORMAT_TAG = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
CHOICE_FAMILY = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE}


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\n", "\\n")


def unescape(raw: str) -> str:
    out, index = [], 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            following = raw[index + 1]
            out.append("\n" if following == "n" else following)
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _weight(value: Decimal) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- export


def question_gift(question: Question, choices: list) -> str:
    passage = question.passage
    citation = {"source": passage.source.slug, "passage": passage.position, "quote": question.quote}
    settings = {"kind": question.kind, "points": question.points, "published": question.is_published}
    settings["level"] = question.cognitive_level
    if question.kind == QuestionKind.NUMERIC and question.numeric_unit:
        settings["unit"] = question.numeric_unit
    one_sided = (question.numeric_min is None) != (question.numeric_max is None)
    if question.kind == QuestionKind.NUMERIC and None not in (question.numeric_min, question.numeric_max):
        # GIFT's range {#450000..500000} has no "right value" to show; it travels here.
        settings["answer"] = plain_number(question.numeric_answer)
    elif question.kind == QuestionKind.NUMERIC and one_sided:
        # GIFT cannot say "at least 100,000": the bound travels here, Moodle keeps ± tolerance.
        bound = "min" if question.numeric_min is not None else "max"
        settings[bound] = plain_number(question.numeric_min if bound == "min" else question.numeric_max)
    if question.kind == QuestionKind.SHORT_TEXT:
        settings.update(text_rules_data(question))
    settings["author"] = question.author.get_username() if question.author else None
    lines = [
        f"{CITATION_PREFIX} {json.dumps(citation, ensure_ascii=False)}",
        f"{SETTINGS_PREFIX} {json.dumps(settings, ensure_ascii=False)}",
        f"::{escape(question.key)}::{escape(question.prompt)} {{",
    ]
    texts = [choice.text for choice in choices]
    if question.kind == QuestionKind.TRUE_FALSE and texts == ["True", "False"]:
        right, wrong = (choices[0], choices[1]) if choices[0].is_correct else (choices[1], choices[0])
        letter = "T" if right is choices[0] else "F"
        # GIFT's order: the feedback for a wrong answer first, then for the right one.
        lines.append(f"\t{letter}#{escape(wrong.feedback)}#{escape(right.feedback)}")
    elif question.kind == QuestionKind.MULTIPLE:
        correct = sum(1 for choice in choices if choice.is_correct)
        wrong = len(choices) - correct
        for choice in choices:
            # The weights are our partial-credit rule: +100%/C per right pick, -100%/W per wrong one.
            share = Decimal(100) / (correct if choice.is_correct else wrong)
            weight = _weight(share) if choice.is_correct else "-" + _weight(share)
            lines.append(f"\t~%{weight}%{escape(choice.text)}{_feedback(choice.feedback)}")
    elif question.has_choices:
        for choice in choices:
            mark = "=" if choice.is_correct else "~"
            lines.append(f"\t{mark}{escape(choice.text)}{_feedback(choice.feedback)}")
    elif question.kind == QuestionKind.NUMERIC and None not in (question.numeric_min, question.numeric_max):
        lines.append(f"\t#{plain_number(question.numeric_min)}..{plain_number(question.numeric_max)}")
    elif question.kind == QuestionKind.NUMERIC:
        lines.append(f"\t#{plain_number(question.numeric_answer)}:{plain_number(question.numeric_tolerance)}")
    else:
        lines.extend(f"\t={escape(answer)}" for answer in question.accepted_answers)
    lines.append(f"\t####{escape(question.explanation)}")
    lines.append("}")
    return "\n".join(lines)


def _feedback(text: str) -> str:
    return f"#{escape(text)}" if text else ""


def export_gift(questions) -> str:
    questions = questions.select_related("passage__source", "author").prefetch_related("choices").order_by("key")
    header = [
        f"// Question bank exported {timezone.now():%Y-%m-%d %H:%M} UTC.",
        "// The citation and settings comments above each question are read back by our importer;",
        "// Moodle ignores them.",
    ]
    blocks = [question_gift(question, list(question.choices.all())) for question in questions]
    return "\n".join(header) + "\n\n" + "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------- import


def _split_unescaped(raw: str, separators: str) -> list[tuple[str, str]]:
    """Split ``raw`` before each unescaped separator; returns (separator, piece) pairs,
    the first with separator "" for anything before the first separator."""
    pieces, current, lead, index = [], [], "", 0
    while index < len(raw):
        char = raw[index]
        if char == "\\" and index + 1 < len(raw):
            current.append(raw[index : index + 2])
            index += 2
            continue
        if char in separators:
            pieces.append((lead, "".join(current)))
            lead, current = char, []
        else:
            current.append(char)
        index += 1
    pieces.append((lead, "".join(current)))
    return pieces


def _find_unescaped(raw: str, target: str, start: int = 0) -> int:
    index = start
    while index < len(raw):
        if raw[index] == "\\":
            index += 2
            continue
        if raw.startswith(target, index):
            return index
        index += 1
    return -1


class _Chunk:
    def __init__(self, line: int):
        self.line = line
        self.lines: list[str] = []
        self.citation: str | None = None
        self.settings: str | None = None
        self.meta_line = line


def _chunks(text: str) -> list[_Chunk]:
    """Questions are separated by blank lines; comments attach to the question below."""
    chunks: list[_Chunk] = []
    current: _Chunk | None = None
    pending: dict = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            current = None
            continue
        if stripped.startswith("//"):
            if stripped.startswith(CITATION_PREFIX):
                pending["citation"] = (number, stripped[len(CITATION_PREFIX) :].strip())
            elif stripped.startswith(SETTINGS_PREFIX):
                pending["settings"] = (number, stripped[len(SETTINGS_PREFIX) :].strip())
            continue
        if stripped.startswith("$CATEGORY:"):
            continue
        if current is None:
            current = _Chunk(number)
            for name, (meta_line, value) in pending.items():
                setattr(current, name, (meta_line, value))
            pending = {}
            chunks.append(current)
        current.lines.append(line)
    return chunks


def parse_gift(text: str) -> ParsedBank:
    """Read GIFT into question records, or raise BankFormatError listing every problem found."""
    problems: list[tuple[int | None, str]] = []
    bank = ParsedBank()
    keys: set[str] = set()
    for chunk in _chunks(text):
        try:
            record = _parse_question(chunk, keys)
        except ValueError as problem:
            problems.append((chunk.line, str(problem)))
            continue
        keys.add(record.key)
        bank.questions.append(record)
    if not bank.questions and not problems:
        problems.append((None, "The file has no GIFT questions in it."))
    if problems:
        raise BankFormatError(problems)
    return bank


def _meta(chunk: _Chunk, name: str) -> dict:
    value = getattr(chunk, name)
    if value is None:
        return {}
    line, raw = value
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise ValueError(f"the {name} comment on line {line} is not valid JSON.") from None
    if not isinstance(data, dict):
        raise ValueError(f"the {name} comment on line {line} should be a JSON object {{…}}.")
    return data


def _parse_question(chunk: _Chunk, taken_keys: set[str]) -> QuestionRecord:
    raw = "\n".join(chunk.lines).strip()
    title = ""
    if raw.startswith("::"):
        end = _find_unescaped(raw, "::", 2)
        if end < 0:
            raise ValueError("the question's title opens with “::” but never closes.")
        title, raw = unescape(raw[2:end]).strip(), raw[end + 2 :].lstrip()
    raw = FORMAT_TAG.sub("", raw, count=1)
    opening = _find_unescaped(raw, "{")
    if opening < 0:
        raise ValueError("this item has no answers in {…}; descriptions are not questions and cannot be imported.")
    closing = _find_unescaped(raw, "}", opening)
    if closing < 0:
        raise ValueError("the answers open with “{” but never close with “}”.")
    if raw[closing + 1 :].strip():
        raise ValueError("text after the answers (a “missing word” question) is not supported; put the answers last.")
    prompt = unescape(raw[:opening]).strip()
    if not prompt:
        raise ValueError("the question has no text before its answers.")
    block = raw[opening + 1 : closing]
    general = _find_unescaped(block, "####")
    explanation = unescape(block[general + 4 :]).strip() if general >= 0 else ""
    block = (block[:general] if general >= 0 else block).strip()

    citation = _meta(chunk, "citation")
    settings = _meta(chunk, "settings")
    record = QuestionRecord(
        line=chunk.line,
        key=_key_for(title, prompt, taken_keys),
        kind=QuestionKind.SINGLE,
        prompt=prompt,
        explanation=explanation,
        source=str(citation.get("source", "")),
        passage=passage if isinstance(passage := citation.get("passage"), int) else 0,
        quote=str(citation.get("quote", "")),
    )
    _read_answers(block, record)
    _apply_settings(settings, record)
    if not citation:
        raise ValueError(
            f"question “{record.key}” has no citation. Add the line "
            '// citation: {"source": "<slug>", "passage": <number>, "quote": "<words from the passage>"} above it.'
        )
    if not (record.source and record.passage and record.quote):
        raise ValueError(f"question “{record.key}”: its citation needs a source, a passage number and a quote.")
    if not explanation:
        raise ValueError(
            f"question “{record.key}” needs an explanation: add it as general feedback (####…) before “}}”."
        )
    return record


def _key_for(title: str, prompt: str, taken: set[str]) -> str:
    key = title if title and KEY_PATTERN.match(title) and len(title) <= 100 else slugify(title or prompt)[:60]
    key = key or "question"
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key[:94]}-{number}", number + 1
    return candidate


def _read_answers(block: str, record: QuestionRecord) -> None:
    if not block:
        raise ValueError("essay questions ({} with no answers) are not supported.")
    if block.startswith("#"):
        _read_numeric(block[1:].strip(), record)
        return
    head, *feedbacks = [unescape(piece).strip() for _, piece in _split_unescaped(block, "#")]
    if head.upper() in ("T", "TRUE", "F", "FALSE"):
        truth = head.upper().startswith("T")
        wrong_feedback = feedbacks[0] if feedbacks else ""
        right_feedback = feedbacks[1] if len(feedbacks) > 1 else ""
        record.kind = QuestionKind.TRUE_FALSE
        record.choices = [
            ("True", truth, right_feedback if truth else wrong_feedback),
            ("False", not truth, wrong_feedback if truth else right_feedback),
        ]
        return
    if _find_unescaped(block, "->") >= 0:
        raise ValueError("matching questions are not supported.")
    answers = []
    for mark, piece in _split_unescaped(block, "=~"):
        if not mark:
            if piece.strip():
                raise ValueError("each answer must start with “=” (right) or “~” (wrong).")
            continue
        weight = None
        piece = piece.strip()
        match = re.match(r"^%(-?\d+(?:\.\d+)?)%", piece)
        if match:
            weight = Decimal(match.group(1))
            piece = piece[match.end() :]
        parts = [unescape(part).strip() for _, part in _split_unescaped(piece, "#")]
        answers.append((mark, weight, parts[0], "#".join(parts[1:])))
    if all(mark == "=" for mark, _, _, _ in answers):
        if any(weight is not None and weight != 100 for _, weight, _, _ in answers):
            raise ValueError(
                "short answers with partial credit are not supported; accept each answer in full or not at all."
            )
        record.kind = QuestionKind.SHORT_TEXT
        record.accepted_answers = [text for _, _, text, _ in answers]
        return
    record.choices = [
        (text, (mark == "=" and weight is None) or (weight is not None and weight > 0), feedback)
        for mark, weight, text, feedback in answers
    ]
    correct = sum(1 for _, is_correct, _ in record.choices if is_correct)
    weighted = any(weight is not None for _, weight, _, _ in answers)
    record.kind = QuestionKind.MULTIPLE if weighted or correct != 1 else QuestionKind.SINGLE


def _read_numeric(body: str, record: QuestionRecord) -> None:
    answers = [piece for mark, piece in _split_unescaped(body, "=") if piece.strip()]
    if len(answers) != 1:
        raise ValueError("numeric questions with several answers are not supported; give one value and a tolerance.")
    value = unescape(_split_unescaped(answers[0], "#")[0][1]).strip()
    try:
        if ".." in value:
            low, high = sorted(Decimal(part) for part in value.split("..", 1))
            # The settings comment may name the right value ("nearly 500,000" → 500000); else the middle.
            record.numeric_answer, record.numeric_min, record.numeric_max = (low + high) / 2, low, high
        elif ":" in value:
            number, tolerance = value.split(":", 1)
            record.numeric_answer, record.tolerance = Decimal(number), Decimal(tolerance)
        else:
            record.numeric_answer, record.tolerance = Decimal(value), Decimal("0")
    except InvalidOperation:
        raise ValueError(f"“{value}” is not a number with a tolerance (like 84:0) or a range (like 80..90).") from None
    record.kind = QuestionKind.NUMERIC


def _apply_settings(settings: dict, record: QuestionRecord) -> None:
    kind = settings.get("kind")
    if kind is not None:
        if kind not in QuestionKind.values:
            raise ValueError(f"the settings comment names an unknown kind {kind!r}.")
        same_family = (kind in CHOICE_FAMILY) == (record.kind in CHOICE_FAMILY) and (
            kind in CHOICE_FAMILY or kind == record.kind
        )
        if not same_family:
            raise ValueError(f"the settings comment says {kind!r}, but the answers are written as {record.kind!r}.")
        record.kind = kind
    points = settings.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int) or not 1 <= points <= 100:
        raise ValueError("“points” in the settings comment should be a whole number from 1 to 100.")
    record.points = points
    level = settings.get("level", CognitiveLevel.REMEMBER)
    if level not in CognitiveLevel.values:
        raise ValueError(f"“level” in the settings comment should be one of {', '.join(CognitiveLevel.values)}.")
    record.cognitive_level = level
    # Questions from elsewhere start as drafts, for a teacher to check and publish;
    # this app's own export always says "published", so a round trip keeps the flag.
    published = settings.get("published", False)
    if not isinstance(published, bool):
        raise ValueError("“published” in the settings comment should be true or false.")
    record.published = published
    record.unit = str(settings.get("unit", ""))[:30]
    if record.kind == QuestionKind.NUMERIC:
        _apply_numeric_settings(settings, record)
    for name in ("whole_words", "typos", "other_scripts"):
        if name in settings:
            if not isinstance(settings[name], bool):
                raise ValueError(f"“{name}” in the settings comment should be true or false.")
            record.text_rules[name] = settings[name]
    if "author" in settings:
        record.author, record.author_given = settings["author"], True


def _apply_numeric_settings(settings: dict, record: QuestionRecord) -> None:
    """The right value of a GIFT range, or the one bound of a one-sided range, from the settings comment."""
    try:
        if "answer" in settings:
            record.numeric_answer = Decimal(str(settings["answer"]))
        if "min" in settings:
            record.numeric_min = Decimal(str(settings["min"]))
        if "max" in settings:
            record.numeric_max = Decimal(str(settings["max"]))
    except InvalidOperation:
        raise ValueError("“answer”, “min” and “max” in the settings comment should be numbers.") from None
