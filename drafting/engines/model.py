"""The model engine: drafts from any OpenAI-compatible chat-completions endpoint (optional, off unless configured).

A local Ollama, vLLM or llama.cpp server works as well as a hosted service. Each passage is
sent on its own and the model is asked for JSON drafts; every draft it returns passes the
same validation and the same quality rules on the set as the offline engine's (quote
verbatim in the passage, numeric key in the quote, exactly one key for single choice, no
draft giving another's answer away, ...), and the ones that fail are dropped and counted
by reason. Requests have a timeout and a bounded number of retries; a passage
whose requests all fail is counted, and only when every passage failed does the engine
give up with `ModelUnavailable`.

Settings, read from the environment (documented in docs/DEPLOY.md):
    DRAFTING_MODEL_BASE_URL   e.g. http://127.0.0.1:11434/v1 (required to turn the engine on)
    DRAFTING_MODEL_NAME       the model to ask (required)
    DRAFTING_MODEL_API_KEY    sent as a bearer token when set
    DRAFTING_MODEL_TIMEOUT    seconds per request (default 60)
    DRAFTING_MODEL_RETRIES    further attempts after a failed request (default 2)
    DRAFTING_MODEL_LOCAL      "true" when the endpoint runs on the school's own machines although its host name
                              is not localhost; otherwise any host but localhost counts as a third party
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from drafting.engines.base import DraftBatch, DraftChoice, DraftQuestion, PassageText, ProgressCallback, StopCheck
from drafting.engines.quality import Candidate, select
from drafting.engines.text import normalise
from drafting.engines.validation import KINDS, LEVELS, answer_terms

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
MIN_PASSAGE_WORDS = 8  # headings and captions give a model nothing to ask about
RETRY_STATUSES = {408, 429, 500, 502, 503, 504}
MAX_BACKOFF_SECONDS = 8.0

SYSTEM_PROMPT = """You write quiz questions that are grounded in a source text. You are given one passage.
Answer with a JSON object {"questions": [...]} and nothing else. Each question is an object with:
- "kind": one of "single", "multiple", "true_false", "numeric", "short_text"
- "prompt": the question; it must not contain its own answer
- "quote": a short passage of the text, copied character for character, that proves the answer
- "explanation": why the answer is right, using only what the passage says
- "cognitive_level": one of "remember", "understand", "apply", "analyse", "evaluate"
- for "single", "multiple" and "true_false": "choices": [{"text": ..., "correct": true/false, "feedback": ...}]
  (single and true_false: exactly one correct; true_false choices are "True" and "False")
- for "numeric": "numeric_answer" (a number written in the quote), optional "numeric_tolerance",
  "numeric_min", "numeric_max" (for hedged figures such as "nearly 500,000"), and "unit"
- for "short_text": "accepted_answers": every answer to accept (name, surname, acronym, expansion)
Write at most {per_passage} questions."""


class ModelUnavailable(Exception):
    """The endpoint could not be used at all; the message says why in words a teacher or operator can act on."""


@dataclass(frozen=True)
class ModelSettings:
    base_url: str
    model: str
    api_key: str = ""
    timeout: float = 60.0
    retries: int = 2
    declared_local: bool = False

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> ModelSettings | None:
        """The settings, or None when the engine is not configured (the default)."""
        env = os.environ if environ is None else environ
        base_url = env.get("DRAFTING_MODEL_BASE_URL", "").strip().rstrip("/")
        model = env.get("DRAFTING_MODEL_NAME", "").strip()
        if not base_url or not model:
            return None
        return cls(
            base_url=base_url,
            model=model,
            api_key=env.get("DRAFTING_MODEL_API_KEY", "").strip(),
            timeout=float(env.get("DRAFTING_MODEL_TIMEOUT", "60")),
            retries=max(0, int(env.get("DRAFTING_MODEL_RETRIES", "2"))),
            declared_local=env.get("DRAFTING_MODEL_LOCAL", "").strip().lower() in {"1", "true", "yes", "on"},
        )

    @property
    def sends_text_to(self) -> str:
        """The host the passages go to when it is someone else's service (the page says so before drafting), or ""."""
        host = urlsplit(self.base_url).hostname or ""
        return "" if self.declared_local or host in LOCAL_HOSTS else host or self.base_url


class _RequestFailed(Exception):
    def __init__(self, reason: str, retry: bool):
        super().__init__(reason)
        self.reason = reason
        self.retry = retry


class ModelEngine:
    name = "model"

    def __init__(
        self,
        settings: ModelSettings,
        *,
        per_passage: int = 4,
        per_passage_cap: int = 8,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.settings = settings
        self.per_passage = per_passage
        self.per_passage_cap = per_passage_cap
        self._sleep = sleep

    @property
    def sends_text_to(self) -> str:
        return self.settings.sends_text_to

    def draft(
        self,
        passages: Sequence[PassageText],
        *,
        progress: ProgressCallback | None = None,
        should_stop: StopCheck | None = None,
    ) -> DraftBatch:
        proposed: list[DraftQuestion] = []
        failures: Counter[str] = Counter()
        asked = 0
        for done, passage in enumerate(passages, start=1):
            if should_stop is not None and should_stop():
                break
            if len(passage.text.split()) >= MIN_PASSAGE_WORDS:
                asked += 1
                try:
                    proposed.extend(self._draft_passage(passage, failures))
                except _RequestFailed as failure:
                    failures[failure.reason] += 1
            if progress is not None:
                progress(done, len(passages))
        failed_passages = sum(count for reason, count in failures.items() if reason.startswith("request_"))
        if asked and failed_passages == asked:
            raise ModelUnavailable(
                f"The drafting model at {self.settings.base_url} did not answer usefully "
                f"({', '.join(sorted(failures))}); no drafts were made."
            )
        batch = select([_candidate(draft) for draft in proposed], passages, per_passage_cap=self.per_passage_cap)
        batch.dropped.update(failures)
        return batch

    def _draft_passage(self, passage: PassageText, failures: Counter[str]) -> list[DraftQuestion]:
        content = self._ask(passage)
        try:
            questions = _questions_in(content)
        except ValueError:
            failures["malformed_response"] += 1
            return []
        drafts = []
        for raw in questions:
            draft = _draft_from(raw, passage)
            if draft is None:
                failures["malformed_draft"] += 1
            else:
                drafts.append(draft)
        return drafts

    def _ask(self, passage: PassageText) -> str:
        """The model's reply for one passage, retrying timeouts and server errors a bounded number of times."""
        body = json.dumps(
            {
                "model": self.settings.model,
                "temperature": 0,
                "response_format": {"type": "json_object"},
                "messages": [
                    {"role": "system", "content": SYSTEM_PROMPT.replace("{per_passage}", str(self.per_passage))},
                    {"role": "user", "content": passage.text},
                ],
            }
        ).encode("utf-8")
        last: _RequestFailed | None = None
        for attempt in range(self.settings.retries + 1):
            if attempt:
                self._sleep(min(MAX_BACKOFF_SECONDS, 0.5 * 2 ** (attempt - 1)))
            try:
                return self._post(body)
            except _RequestFailed as failure:
                last = failure
                if not failure.retry:
                    break
        assert last is not None
        raise last

    def _post(self, body: bytes) -> str:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.settings.api_key:
            headers["Authorization"] = f"Bearer {self.settings.api_key}"
        request = urllib.request.Request(
            f"{self.settings.base_url}/chat/completions", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout) as response:  # noqa: S310
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            raise _RequestFailed(f"request_http_{error.code}", retry=error.code in RETRY_STATUSES) from error
        except TimeoutError as error:
            raise _RequestFailed("request_timeout", retry=True) from error
        except urllib.error.URLError as error:
            timed_out = isinstance(error.reason, TimeoutError)
            raise _RequestFailed("request_timeout" if timed_out else "request_unreachable", retry=True) from error
        except (ValueError, UnicodeDecodeError) as error:
            raise _RequestFailed("request_not_json", retry=True) from error
        try:
            return str(payload["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as error:
            raise _RequestFailed("request_not_chat_completion", retry=False) from error


def _candidate(draft: DraftQuestion) -> Candidate:
    """A model's draft as the quality rules see it: its own fact, keyed by its answer, ranked in passage order."""
    terms = tuple(answer_terms(draft))
    fact = f"model:{draft.passage_position}:{draft.kind}:{'|'.join(map(normalise, terms)) or draft.prompt}"
    draft.centrality = -float(draft.passage_position)
    return Candidate(draft, fact, terms)


def _questions_in(content: str) -> list[Any]:
    """The list of questions in the model's reply; models sometimes wrap JSON in a code fence."""
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    parsed = json.loads(text)
    questions = parsed.get("questions") if isinstance(parsed, dict) else parsed
    if not isinstance(questions, list):
        raise ValueError("no list of questions")
    return questions


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _draft_from(raw: Any, passage: PassageText) -> DraftQuestion | None:
    """A draft in our fields, cited to the passage it was asked about, or None when the shape is wrong."""
    if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
        return None
    choices = raw.get("choices") or []
    answers = raw.get("accepted_answers") or []
    if not isinstance(choices, list) or not isinstance(answers, list):
        return None
    level = str(raw.get("cognitive_level")) if raw.get("cognitive_level") in LEVELS else "remember"
    draft = DraftQuestion(
        kind=raw["kind"],
        prompt=_text(raw.get("prompt")),
        explanation=_text(raw.get("explanation")),
        passage_position=passage.position,
        quote=raw["quote"] if isinstance(raw.get("quote"), str) else "",
        cognitive_level=level,
        rule=f"model.{raw['kind']}",
        choices=[
            DraftChoice(_text(choice.get("text")), choice.get("correct") is True, _text(choice.get("feedback")))
            for choice in choices
            if isinstance(choice, dict)
        ],
        accepted_answers=[_text(answer) for answer in answers if _text(answer)],
        numeric_answer=_decimal(raw.get("numeric_answer")),
        numeric_tolerance=_decimal(raw.get("numeric_tolerance")) or Decimal(0),
        numeric_min=_decimal(raw.get("numeric_min")),
        numeric_max=_decimal(raw.get("numeric_max")),
        numeric_unit=_text(raw.get("unit"))[:30],
    )
    return draft
