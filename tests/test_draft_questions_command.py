"""manage.py draft_questions: read a file as the upload does, print its drafts, save nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.fake_model_server import model_server_fixture  # noqa: F401 (the fixture, for pytest)

ARTICLE = Path(__file__).resolve().parent.parent / "content" / "sources" / "russia-ai-chips" / "article.txt"


def run(*args: str) -> str:
    out = StringIO()
    call_command("draft_questions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_text_file_prints_its_drafts_as_json_and_saves_nothing(django_assert_num_queries):
    # No queries at all: the command reads the file and drafts in memory.
    with django_assert_num_queries(0):
        printed = json.loads(run(str(ARTICLE), "--format", "json"))
    assert printed["engine"] == "offline" and printed["passages"] == 16
    drafts = printed["drafts"]
    assert {draft["kind"] for draft in drafts} == {"single", "multiple", "true_false", "numeric", "short_text"}
    text = ARTICLE.read_text(encoding="utf-8")
    for draft in drafts:
        assert {"kind", "prompt", "quote", "passage", "level", "rule", "explanation"} <= draft.keys()
        assert " ".join(draft["quote"].split()) in " ".join(text.replace("\xa0", " ").split())
    numeric = next(d for d in drafts if d["kind"] == "numeric" and d["numeric"]["value"] == 500000)
    assert numeric["numeric"] == {"value": 500000, "tolerance": 0, "min": 450000, "max": 500000, "unit": "GPUs"}
    single = next(d for d in drafts if d["kind"] == "single")
    assert sum(choice["correct"] for choice in single["choices"]) == 1
    short = next(d for d in drafts if d["kind"] == "short_text")
    assert short["accepted_answers"]


def test_a_markdown_file_can_be_printed_as_text(tmp_path):
    source = tmp_path / "notes.md"
    source.write_text(
        "# Chips\n\nMicrosoft alone purchased nearly 500,000 GPUs in 2024 for its data centres.\n\n"
        "Leading domestic designs were often fabricated by TSMC in Taiwan before the war began.\n",
        encoding="utf-8",
    )
    printed = run(str(source), "--format", "text")
    assert "quote: “Microsoft alone purchased nearly 500,000 GPUs in 2024 for its data centres.”" in printed
    assert printed.splitlines()[-1].endswith(("none",)) or "dropped:" in printed.splitlines()[-1]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "is empty"),
        ("picture.png", b"\x89PNG\r\n\x1a\n", "not a file we can read"),
        ("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "PDF"),
    ],
)
def test_a_bad_file_exits_with_a_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_a_missing_file_exits_with_a_message(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nowhere.txt"))


def test_the_model_engine_unconfigured_exits_with_a_message(monkeypatch):
    monkeypatch.delenv("DRAFTING_MODEL_BASE_URL", raising=False)
    with pytest.raises(CommandError, match="not configured"):
        run(str(ARTICLE), "--engine", "model")


def test_the_command_exits_non_zero_on_a_bad_file(tmp_path):
    import subprocess
    import sys

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    root = Path(__file__).resolve().parent.parent
    finished = subprocess.run(
        [sys.executable, str(root / "manage.py"), "draft_questions", str(empty)], capture_output=True, text=True
    )
    assert finished.returncode == 1
    assert "is empty" in finished.stderr


def test_the_same_file_gives_the_same_drafts_in_any_process():
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    outputs = {
        subprocess.run(
            [sys.executable, str(root / "manage.py"), "draft_questions", str(ARTICLE)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1


def test_a_saved_web_page_is_read_for_its_article_text_only(tmp_path):
    page = tmp_path / "news.html"
    page.write_text(
        "<html><head><title>Chips</title><script>var secret = 'tracking 12345';</script></head><body>"
        "<nav>Home | World | Sport</nav><article><h1>Chips and sanctions</h1>"
        "<p>Microsoft alone purchased nearly 500,000 GPUs in 2024 while Sberbank managed to scrape together only "
        "about 9,000 since the war began, according to the report published this week.</p>"
        "<p>Leading domestic designs were often fabricated by TSMC in Taiwan before the war began, "
        "and engineers have since established hubs in places like Yerevan and Dubai.</p></article>"
        "<footer>Advertisement</footer></body></html>",
        encoding="utf-8",
    )
    drafts = json.loads(run(str(page)))["drafts"]
    assert drafts
    for draft in drafts:
        assert "secret" not in draft["quote"] and "Advertisement" not in draft["quote"]


def test_the_model_engine_drafts_through_the_configured_endpoint(monkeypatch, model_server):
    monkeypatch.setenv("DRAFTING_MODEL_BASE_URL", model_server)
    monkeypatch.setenv("DRAFTING_MODEL_NAME", "good")
    printed = json.loads(run(str(ARTICLE), "--engine", "model"))
    assert printed["engine"] == "model" and printed["drafts"]
    assert {draft["rule"].split(".")[0] for draft in printed["drafts"]} == {"model"}
    assert printed["dropped"]["choices_not_distinct"] > 0


def test_a_failing_model_endpoint_exits_with_a_message(monkeypatch, model_server):
    monkeypatch.setenv("DRAFTING_MODEL_BASE_URL", model_server)
    monkeypatch.setenv("DRAFTING_MODEL_NAME", "failing")
    monkeypatch.setenv("DRAFTING_MODEL_RETRIES", "0")
    with pytest.raises(CommandError, match="did not answer usefully"):
        run(str(ARTICLE), "--engine", "model")
