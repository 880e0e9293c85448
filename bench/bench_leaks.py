"""How long the leak check takes as a quiz grows: the shipped bank, then synthetic banks of 200 to 2,000 questions.

    .venv/bin/python bench/bench_leaks.py

The synthetic questions read like the shipped ones (prompts and feedback drawn from the article's words) and
each has its own answer; one prompt in twenty names another question's answer, so the banks have some leaks,
as a draft does. Prints a Markdown table: questions, leaks found, the median of five runs of ``find_leaks``.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from quiz.bank.json_format import parse_json  # noqa: E402
from quiz.bank.leaks import LeakItem, distinctive_terms, find_leaks  # noqa: E402

SOURCE = ROOT / "content" / "sources" / "russia-ai-chips"


def shipped_items() -> list[LeakItem]:
    bank = parse_json((SOURCE / "questions.json").read_text(encoding="utf-8"), default_source="russia-ai-chips")
    items = []
    for record in bank.questions:
        if record.kind == "short_text":
            terms = list(record.accepted_answers)
        elif record.kind == "numeric":
            terms = [f"{record.numeric_answer.normalize():f}"] if record.numeric_answer is not None else []
        elif record.kind in ("single", "multiple"):
            terms = distinctive_terms(record.prompt, [(text, right) for text, right, _ in record.choices])
        else:
            terms = []
        before = "\n".join([record.prompt, *(text for text, _, _ in record.choices)])
        after = "\n".join([record.explanation, *(feedback for _, _, feedback in record.choices)])
        items.append(LeakItem(record.key, tuple(terms), before, after))
    return items


def synthetic_items(count: int, rng: random.Random) -> list[LeakItem]:
    words = (SOURCE / "article.txt").read_text(encoding="utf-8").split()
    answers = [f"Answer{number}" for number in range(count)]
    items = []
    for number in range(count):
        prompt = rng.sample(words, 25)
        if rng.random() < 0.05:
            prompt.append(answers[rng.randrange(count)])
        items.append(
            LeakItem(
                f"q{number}",
                (answers[number], str(100_000 + number)),
                " ".join(prompt + rng.sample(words, 20)),
                " ".join(rng.sample(words, 60)),
            )
        )
    return items


def median_ms(items: list[LeakItem]) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(5):
        start = time.perf_counter()
        found = len(find_leaks(items))
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), found


def main() -> None:
    rng = random.Random(2026)
    print("| Bank | Questions | Leaks found | Median ms |")
    print("| --- | ---: | ---: | ---: |")
    items = shipped_items()
    ms, found = median_ms(items)
    print(f"| shipped (all questions as one quiz) | {len(items)} | {found} | {ms:.0f} |")
    for count in (200, 500, 1000, 2000):
        ms, found = median_ms(synthetic_items(count, rng))
        print(f"| synthetic | {count} | {found} | {ms:.0f} |")


if __name__ == "__main__":
    main()
