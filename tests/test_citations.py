"""Citations that cannot break: detection, the CI command, the check page."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from content.models import Passage, text_fingerprint
from quiz.bank.citations import BROKEN, STALE, broken_by_passage_edit, citation_problems, quote_suggestion
from quiz.models import Question
from tests.conftest import MODEL_BACKEND
from tests.factories import PASSAGE_TEXT, QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

CHECK_URL = reverse("admin:quiz_question_citations")


def _edit_passage(passage: Passage, text: str) -> None:
    # As load_content or a shell would: straight to the table, past the admin's guard.
    Passage.objects.filter(pk=passage.pk).update(text=text)


def test_a_fresh_question_records_the_fingerprint_of_its_passage():
    question = QuestionFactory()
    assert question.cited_fingerprint == text_fingerprint(PASSAGE_TEXT)
    assert citation_problems() == []


def test_quote_missing_from_the_passage_is_broken_and_a_changed_passage_is_stale():
    broken, stale, fine = QuestionFactory.create_batch(3)
    _edit_passage(broken.passage, "Imports fell sharply.")
    _edit_passage(stale.passage, PASSAGE_TEXT + " Officials disputed it.")
    problems = {(p.question.pk, p.kind) for p in citation_problems()}
    assert problems == {(broken.pk, BROKEN), (stale.pk, STALE)}


def test_passage_edit_check_names_only_the_questions_it_would_break():
    keeps = QuestionFactory(quote="84 percent")
    loses = QuestionFactory(passage=keeps.passage, quote="plummeted by 84 percent")
    assert broken_by_passage_edit(keeps.passage, "Imports fell by 84 percent.") == [loses]


@pytest.mark.parametrize(
    "passage, quote, expected",
    [
        ("Russia’s imports fell.", "Russia's imports", "Russia’s imports"),
        ("The “smuggled” chips.", 'the "smuggled" chips', "The “smuggled” chips"),
        ("Imports  have\u00a0plummeted.", "imports have plummeted", "Imports  have\u00a0plummeted"),
        ("Imports have plummeted.", "Imports have plummeted", None),
        ("Imports have plummeted.", "Exports soared", None),
    ],
)
def test_quote_suggestion_offers_the_passage_wording_only_for_near_misses(passage, quote, expected):
    assert quote_suggestion(passage, quote) == expected


def test_check_citations_passes_on_a_sound_bank():
    QuestionFactory.create_batch(2)
    out = io.StringIO()
    call_command("check_citations", stdout=out)
    assert "All 2 published questions' quotes are verbatim." in out.getvalue()


def test_check_citations_fails_when_a_published_quote_is_not_verbatim():
    question = QuestionFactory(key="gpu-drop")
    _edit_passage(question.passage, "Imports fell sharply.")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 published question"):
        call_command("check_citations", stdout=out)
    assert "BROKEN: gpu-drop" in out.getvalue()


def test_check_citations_ignores_unpublished_questions_unless_asked():
    question = QuestionFactory(is_published=False)
    _edit_passage(question.passage, "Imports fell sharply.")
    call_command("check_citations", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("check_citations", "--all", stdout=io.StringIO())


def test_check_citations_lists_changed_passages_and_fails_on_them_only_when_strict():
    question = QuestionFactory(key="gpu-drop")
    _edit_passage(question.passage, PASSAGE_TEXT + " Later correction.")
    out = io.StringIO()
    call_command("check_citations", stdout=out)
    assert "re-check: gpu-drop" in out.getvalue()
    with pytest.raises(CommandError, match="changed since it was checked"):
        call_command("check_citations", "--strict", stdout=io.StringIO())


def test_shipped_bank_passes_the_check(loaded_bank):
    call_command("check_citations", "--strict", "--all", stdout=io.StringIO())


# ---------------------------------------------------------------- the check page


def test_check_page_lists_broken_and_stale_citations(teacher_client):
    broken = QuestionFactory(key="broken-one")
    stale = QuestionFactory(key="stale-one")
    QuestionFactory(key="fine-one")
    _edit_passage(broken.passage, "Imports fell sharply.")
    _edit_passage(stale.passage, PASSAGE_TEXT + " Later correction.")
    page = teacher_client.get(CHECK_URL).content.decode()
    assert "Broken citations (1)" in page and "Passages changed since their citations were checked (1)" in page
    assert "broken-one" in page and "stale-one" in page and "fine-one" not in page


def test_marking_a_stale_citation_rechecked_takes_it_off_the_list(teacher_client, teacher):
    stale = QuestionFactory(author=teacher)
    _edit_passage(stale.passage, PASSAGE_TEXT + " Later correction.")
    response = teacher_client.post(CHECK_URL, {"question": [stale.pk]}, follow=True)
    assert "Marked 1 citation(s) as re-checked" in response.content.decode()
    stale.refresh_from_db()
    assert stale.cited_fingerprint == text_fingerprint(PASSAGE_TEXT + " Later correction.")
    assert citation_problems() == []


def test_a_broken_citation_cannot_be_marked_rechecked(teacher_client):
    broken = QuestionFactory()
    _edit_passage(broken.passage, "Imports fell sharply.")
    before = Question.objects.get(pk=broken.pk).cited_fingerprint
    response = teacher_client.post(CHECK_URL, {"question": [broken.pk]}, follow=True)
    assert "Tick the citations you have re-read first." in response.content.decode()
    assert Question.objects.get(pk=broken.pk).cited_fingerprint == before


def test_check_page_is_one_query_for_the_bank_whatever_its_size(teacher_client, django_assert_max_num_queries):
    QuestionFactory.create_batch(2)
    teacher_client.get(CHECK_URL)
    QuestionFactory.create_batch(20)
    QuizFactory.create_batch(3, questions=2)
    # session, user, group permissions, then every question with passage and source in one query;
    # the leak check: quizzes, their questions, those questions' choices.
    with django_assert_max_num_queries(8):
        assert teacher_client.get(CHECK_URL).status_code == 200


def test_check_page_is_for_teachers_only(client, student):
    assert client.get(CHECK_URL).status_code == 302
    assert client.post(CHECK_URL, {"question": ["1"]}).status_code == 302
    client.force_login(student, backend=MODEL_BACKEND)
    assert client.get(CHECK_URL, headers={"HX-Request": "true"}).status_code == 302
