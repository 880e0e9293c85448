"""A local server that speaks the chat-completions API, for the model engine's tests.

The model name picks its behaviour: "good" drafts, "invented" quotes, "malformed" JSON, a
"slow" answer, a "failing" server, "flaky" (one failure, then good drafts), or "leaky"
drafts where one gives another's answer away.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def good_questions(passage: str) -> list[dict]:
    first = re.split(r"(?<=\.)\s+", passage)[0]
    number = re.search(r"\d[\d,]*", first)
    questions: list[dict] = [
        {
            "kind": "true_false",
            "prompt": "True or false? The passage says this.",
            "quote": first,
            "explanation": f"The source says: {first}",
            "cognitive_level": "understand",
            "choices": [
                {"text": "True", "correct": True, "feedback": "Yes."},
                {"text": "False", "correct": False, "feedback": "It does."},
            ],
        },
        {
            "kind": "single",
            "prompt": "Which one is right?",
            "quote": first,
            "explanation": "From the source.",
            "cognitive_level": "remember",
            "choices": [
                {"text": "Right", "correct": True, "feedback": "Yes."},
                {"text": "Right", "correct": False, "feedback": "Same text twice."},
            ],
        },
    ]
    if number:
        questions.append(
            {
                "kind": "numeric",
                "prompt": "How many?",
                "quote": first,
                "explanation": "From the source.",
                "numeric_answer": number.group().replace(",", ""),
                "numeric_min": "450000",
                "numeric_max": number.group().replace(",", ""),
                "unit": "GPUs",
            }
        )
    return questions


def leaky_questions(first: str) -> list[dict]:
    """Two drafts where the second's prompt names the first's answer."""
    common = {"quote": first, "explanation": "From the source.", "cognitive_level": "remember"}
    return [
        {"kind": "short_text", "prompt": "Which company is this about?", "accepted_answers": ["Microsoft"], **common},
        {"kind": "numeric", "prompt": "How many GPUs did Microsoft buy?", "numeric_answer": 500000, **common},
    ]


class FakeModelServer(BaseHTTPRequestHandler):
    requests: list[dict] = []
    lock = threading.Lock()

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass

    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            FakeModelServer.requests.append({"path": self.path, "body": body, "auth": self.headers["Authorization"]})
            count = len(FakeModelServer.requests)
        behaviour = body["model"]
        passage = body["messages"][-1]["content"]
        if behaviour == "failing" or (behaviour == "flaky" and count == 1):
            self._send(503, {"error": "overloaded"})
            return
        if behaviour == "slow":
            time.sleep(1.0)
        if behaviour == "leaky":
            first = re.split(r"(?<=\.)\s+", passage)[0]
            content = json.dumps({"questions": leaky_questions(first)})
        elif behaviour == "malformed":
            content = '{"questions": [ {"kind": "single", "prompt": '
        elif behaviour == "invented":
            content = json.dumps(
                {"questions": [{**q, "quote": "A sentence the passage never had."} for q in good_questions(passage)]}
            )
        else:
            content = "```json\n" + json.dumps({"questions": good_questions(passage)}) + "\n```"
        self._send(200, {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]})

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(name="model_server")
def model_server_fixture() -> Iterator[str]:
    FakeModelServer.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModelServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()
