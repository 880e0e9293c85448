"""The authoring tool in Django's admin: the bank, quizzes, classes and sources.

Importing the package registers every model admin: ``bank`` (questions, quizzes,
students' records, classes, users) and ``sources`` (sources and their passages).
``views`` holds the custom pages, ``forms`` the authoring forms, ``regrade`` the
re-marking of past answers after a key is corrected.
"""

from quiz.admin import bank, sources

__all__ = ["bank", "sources"]
