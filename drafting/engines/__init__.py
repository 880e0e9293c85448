"""Drafting engines: turn a source's passages into draft questions (see `base.py`).

`get_engine("offline")` is the default and always available; `get_engine("model")` needs
an OpenAI-compatible endpoint configured in the environment (see `model.py`).
"""

from __future__ import annotations

from drafting.engines.base import Engine

ENGINE_NAMES = ("offline", "model")


class EngineUnavailable(Exception):
    """The engine asked for cannot run here; the message says why, in words a teacher can act on."""


def get_engine(name: str = "offline") -> Engine:
    if name == "offline":
        from drafting.engines.offline import OfflineEngine

        return OfflineEngine()
    if name == "model":
        from drafting.engines.model import ModelEngine, ModelSettings

        settings = ModelSettings.from_environment()
        if settings is None:
            raise EngineUnavailable(
                "The model engine is not configured: set DRAFTING_MODEL_BASE_URL and DRAFTING_MODEL_NAME."
            )
        return ModelEngine(settings)
    raise EngineUnavailable(f"There is no drafting engine called “{name}”; choose one of: {', '.join(ENGINE_NAMES)}.")
