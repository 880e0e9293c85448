"""What a demanding teacher checks in a bank beyond its citations: the cues that give a key away,
the mix of cognitive levels, and where the keys stand."""

import pytest
from django.urls import reverse

from quiz.bank.key_cues import answer_key_cues
from quiz.models import Question
from tests.factories import PassageFactory, QuestionFactory
from tests.test_admin_authoring import question_form

LONGEST = "The right choice is by far the longest"
ECHO = "Only the right choice repeats words of the question"


def test_a_right_choice_far_longer_than_every_wrong_one_is_a_cue():
    cues = answer_key_cues(
        "What does the metaphor mean?",
        [("Russia competes while handicapped by its own constraints and sanctions", True), ("It wins", False)],
    )
    assert any(cue.startswith(LONGEST) for cue in cues)


def test_choices_of_similar_length_give_no_length_cue():
    cues = answer_key_cues("Which country?", [("Kazakhstan", True), ("Azerbaijan", False), ("Uzbekistan", False)])
    assert cues == []


def test_the_only_choice_echoing_the_stem_is_a_cue():
    cues = answer_key_cues(
        "What kind of censorship are domestic models forced to adhere to?",
        [("Strict ideological censorship", True), ("Commercial rules", False), ("Safety filters", False)],
    )
    assert [cue for cue in cues if cue.startswith(ECHO)]


def test_an_echo_shared_with_a_wrong_choice_is_no_cue():
    cues = answer_key_cues(
        "What kind of censorship?",
        [("Ideological censorship", True), ("Commercial censorship", False), ("Safety filters", False)],
    )
    assert cues == []


def test_true_false_questions_have_no_key_cues():
    assert answer_key_cues("True or false: the true story", [("True", True), ("False", False)]) == []


@pytest.mark.django_db
def test_admin_warns_on_save_and_shows_the_cue_on_the_change_page(teacher_client):
    passage = PassageFactory()
    choices = [("Only the censorship of strict ideological kind", True), ("Tax", False), ("Fees", False)]
    data = question_form(passage, prompt="What kind of censorship is imposed?", choices=choices)
    response = teacher_client.post(reverse("admin:quiz_question_add"), data, follow=True)
    page = response.content.decode()
    assert LONGEST in page and ECHO in page
    question = Question.objects.get()
    change = teacher_client.get(reverse("admin:quiz_question_change", args=[question.pk])).content.decode()
    assert "Answer-key cues" in change and LONGEST in change


@pytest.mark.django_db
def test_admin_change_page_says_when_no_choice_stands_out(teacher_client):
    question = QuestionFactory()
    change = teacher_client.get(reverse("admin:quiz_question_change", args=[question.pk])).content.decode()
    assert "None: the right choice does not stand out" in change


@pytest.mark.django_db
def test_question_admin_filters_by_cognitive_level(teacher_client):
    QuestionFactory(prompt="Recall this fact", cognitive_level="remember")
    QuestionFactory(prompt="Weigh this claim", cognitive_level="evaluate")
    page = teacher_client.get(reverse("admin:quiz_question_changelist") + "?cognitive_level=evaluate").content.decode()
    assert "Weigh this claim" in page and "Recall this fact" not in page
