"""The model engine against a local server that speaks the chat-completions API (tests/fake_model_server.py)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from drafting.engines import get_engine
from drafting.engines.base import PassageText
from drafting.engines.model import ModelEngine, ModelSettings, ModelUnavailable
from tests.fake_model_server import FakeModelServer, model_server_fixture  # noqa: F401 (the fixture, for pytest)

PASSAGES = [
    PassageText(1, "title", "Chips and sanctions"),
    PassageText(
        2,
        "paragraph",
        "Microsoft alone purchased nearly 500,000 GPUs in 2024. Sberbank has managed to gather only about 9,000.",
    ),
    PassageText(3, "paragraph", "Leading domestic designs were often fabricated by TSMC in Taiwan before the war."),
]


def engine_for(base_url: str, behaviour: str, **settings) -> ModelEngine:
    options = {"timeout": 0.3, "retries": 1} | settings
    return ModelEngine(
        ModelSettings(base_url=base_url, model=behaviour, api_key="sk-test", **options), sleep=lambda s: None
    )


def test_good_drafts_are_kept_and_cite_the_passage_they_were_asked_about(model_server):
    batch = engine_for(model_server, "good").draft(PASSAGES)
    kinds = sorted(draft.kind for draft in batch.drafts)
    assert kinds == ["numeric", "true_false", "true_false"]
    numeric = next(draft for draft in batch.drafts if draft.kind == "numeric")
    assert (numeric.passage_position, numeric.numeric_answer, numeric.numeric_min) == (2, 500000, 450000)
    assert numeric.rule == "model.numeric"
    assert batch.dropped == {"choices_not_distinct": 2}
    # The title is too short to ask about; each paragraph is one request, with the key as a bearer token.
    assert len(FakeModelServer.requests) == 2
    request = FakeModelServer.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
    assert request["body"]["messages"][-1]["content"] == PASSAGES[1].text


def test_invented_quotes_are_dropped_and_counted(model_server):
    batch = engine_for(model_server, "invented").draft(PASSAGES)
    assert batch.drafts == []
    assert batch.dropped["quote_not_in_passage"] == 5


def test_malformed_json_is_counted_per_passage(model_server):
    batch = engine_for(model_server, "malformed").draft(PASSAGES)
    assert batch.drafts == [] and batch.dropped == {"malformed_response": 2}


def test_a_slow_server_times_out_retries_a_bounded_number_of_times_and_gives_up(model_server):
    started = time.perf_counter()
    with pytest.raises(ModelUnavailable, match="request_timeout"):
        engine_for(model_server, "slow", retries=1).draft(PASSAGES)
    assert len(FakeModelServer.requests) == 4  # two passages, each asked twice
    assert time.perf_counter() - started < 4 * 0.3 + 1.5


def test_a_failing_server_is_retried_then_reported(model_server):
    with pytest.raises(ModelUnavailable, match="request_http_503"):
        engine_for(model_server, "failing", retries=2).draft(PASSAGES)
    assert len(FakeModelServer.requests) == 6


def test_a_passing_failure_is_retried_and_the_drafts_still_come(model_server):
    batch = engine_for(model_server, "flaky", retries=1).draft(PASSAGES)
    assert len(batch.drafts) == 3
    assert len(FakeModelServer.requests) == 3


def test_an_unreachable_endpoint_is_reported_with_its_address():
    engine = engine_for("http://127.0.0.1:9/v1", "good", retries=0)
    with pytest.raises(ModelUnavailable, match="127.0.0.1:9"):
        engine.draft(PASSAGES)


def test_progress_counts_every_passage_and_a_stop_is_honoured(model_server):
    seen: list[tuple[int, int]] = []
    engine_for(model_server, "good").draft(PASSAGES, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert engine_for(model_server, "good").draft(PASSAGES, should_stop=lambda: True).drafts == []


def test_settings_come_from_the_environment_and_say_where_text_goes(monkeypatch, model_server):
    monkeypatch.setenv("DRAFTING_MODEL_BASE_URL", model_server + "/")
    monkeypatch.setenv("DRAFTING_MODEL_NAME", "good")
    monkeypatch.setenv("DRAFTING_MODEL_TIMEOUT", "5")
    engine = get_engine("model")
    assert isinstance(engine, ModelEngine)
    assert engine.settings.base_url == model_server and engine.settings.timeout == 5.0
    assert engine.sends_text_to == ""  # a server on this machine
    assert len(engine.draft(PASSAGES).drafts) == 3


@pytest.mark.parametrize(
    ("environ", "sends_to"),
    [
        ({"DRAFTING_MODEL_BASE_URL": "https://api.example.com/v1", "DRAFTING_MODEL_NAME": "m"}, "api.example.com"),
        ({"DRAFTING_MODEL_BASE_URL": "http://localhost:11434/v1", "DRAFTING_MODEL_NAME": "m"}, ""),
        (
            {
                "DRAFTING_MODEL_BASE_URL": "http://gpu.school.lan/v1",
                "DRAFTING_MODEL_NAME": "m",
                "DRAFTING_MODEL_LOCAL": "1",
            },
            "",
        ),
    ],
)
def test_the_engine_says_when_text_goes_to_a_third_party(environ, sends_to):
    settings = ModelSettings.from_environment(environ)
    assert settings is not None and settings.sends_text_to == sends_to


def test_without_a_base_url_and_model_the_engine_stays_off():
    assert ModelSettings.from_environment({}) is None
    assert ModelSettings.from_environment({"DRAFTING_MODEL_BASE_URL": "http://localhost/v1"}) is None


def test_numbers_from_the_model_are_read_as_decimals(model_server):
    batch = engine_for(model_server, "good").draft(PASSAGES[:2])
    numeric = next(draft for draft in batch.drafts if draft.kind == "numeric")
    assert numeric.numeric_max == Decimal(500000) and numeric.numeric_tolerance == 0


def test_model_drafts_pass_the_same_quality_rules_as_the_offline_engines(model_server):
    batch = engine_for(model_server, "leaky").draft(PASSAGES[:2])
    assert len(batch.drafts) == 1
    assert batch.dropped["leaks_answer"] == 1
