"""Drafting engines: turn a source's passages into draft questions (see `base.py`)."""
