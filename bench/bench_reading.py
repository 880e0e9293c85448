"""CPU time to read and grade one typed answer: numbers (digits, words, units) and short texts.

    .venv/bin/python bench/bench_reading.py

Pure functions, no database: each case is graded many times through ``Question.mark``
on an unsaved question, as the answer service does, and the median of five runs is
reported per call.
"""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from quiz.models import Question, SubmittedAnswer  # noqa: E402

CALLS = 2000
NUMERIC = Question(
    kind="numeric",
    prompt="About how many GPUs did Microsoft alone purchase in 2024? (Answer with the number of GPUs.)",
    quote="Microsoft alone purchased nearly 500,000 GPUs in 2024",
    numeric_answer=Decimal(500000),
    numeric_min=Decimal(450000),
    numeric_max=Decimal(500000),
    numeric_unit="GPUs",
)
SHORT = Question(
    kind="short_text",
    prompt="Which Deputy Prime Minister oversees the new centre?",
    accepted_answers=["Dmitry Grigorenko", "Grigorenko"],
)
CASES = [
    (NUMERIC, "500000"),
    (NUMERIC, "about 0.5 million GPUs"),
    (NUMERIC, "five hundred thousand graphics cards"),
    (SHORT, "Grigorenko"),
    (SHORT, "Deputy Prime Minister Dmitriy Grigorenco"),
    (SHORT, "Someone who is not in the article at all, a long wrong answer of many words"),
]


def per_call_microseconds(question: Question, typed: str) -> float:
    answer = SubmittedAnswer(text=typed)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(CALLS):
            question.mark(answer)
        runs.append((time.perf_counter() - start) / CALLS * 1e6)
    return statistics.median(runs)


def main() -> None:
    print("| kind | typed | µs per answer |")
    print("| --- | --- | ---: |")
    for question, typed in CASES:
        print(f"| {question.kind} | {typed} | {per_call_microseconds(question, typed):.0f} |")


if __name__ == "__main__":
    main()
