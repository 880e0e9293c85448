"""The leak check: no question in a quiz gives away another's answer."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from quiz.bank.leaks import (
    Leak,
    LeakItem,
    distinctive_terms,
    find_leaks,
    leak_item_for,
    leaks_by_quiz,
    leaks_in_quiz,
    words_of,
)
from quiz.models import FeedbackMode, QuestionKind, Quiz
from tests.factories import QuestionFactory, QuizFactory


def item(key: str, terms=(), before: str = "", after: str = "") -> LeakItem:
    return LeakItem(key=key, answer_terms=tuple(terms), shown_before=before, shown_after=after)


def test_an_answer_in_another_questions_prompt_is_a_leak_always():
    taker = item("ministry", ["Ministry of Labor"], before="Which ministry predicts the deficit?")
    giver = item("deficit", [], before="What deficit does the Ministry of Labor predict for 2030?")
    assert find_leaks([taker, giver]) == [
        Leak(giver="deficit", taker="ministry", term="Ministry of Labor", immediate_only=False)
    ]


def test_an_answer_in_another_questions_choices_is_a_leak_always():
    taker = item("route", ["UAE"], before="Name a third country chips pass through.")
    giver = item("routes", [], before="Which routes does the article name?\nKazakhstan\nthe UAE\nNorway")
    assert [(leak.giver, leak.immediate_only) for leak in find_leaks([taker, giver])] == [("routes", False)]


def test_an_answer_only_in_another_questions_explanation_leaks_under_immediate_feedback_only():
    taker = item("drop", ["84"], before="By how many percent did GPU imports drop?")
    giver = item("cause", [], before="What caused the drop?", after="Sanctions cut imports by 84%.")
    assert find_leaks([taker, giver]) == [Leak(giver="cause", taker="drop", term="84", immediate_only=True)]


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("84", "a drop of 84 percent"),
        ("84", "a drop of 84%"),
        ("84", "a drop of eighty-four per cent"),
        ("100000", "over 100,000 specialists"),
        ("100000", "over 100 000 specialists"),
        ("100000", "over 100 thousand specialists"),
        ("100000", "one hundred thousand specialists"),
        ("9000", "about 9k GPUs"),
        ("500000", "half of 0.5 million"),
        ("28", "ranked 28th of 36"),
        ("Ministry of Labor", "the MINISTRY OF LABOR's forecast"),
        ("Labor", "Labor Ministry figures"),
        ("Yerevan", "hubs in YEREVAN."),
        ("GPUs", "one GPU"),
        ("Grigorenko", "Dmitry Grigorénko"),
    ],
)
def test_answers_match_as_people_write_them(term, text):
    assert find_leaks([item("taker", [term]), item("giver", before=text)]), (term, text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("84", "a drop of 48 percent"),
        ("84", "in 1984"),
        ("100000", "over 10,000 specialists"),
        ("28", "the 280 models"),
        ("Alice", "Alicetown"),
        ("the US", "let us compare"),
        ("Deputy Prime Minister Grigorenko", "the Prime Minister"),
        ("the States", "the state's narrative on history"),
        ("Labor", "the labor shortage is acute"),
    ],
)
def test_near_words_and_small_words_are_not_leaks(term, text):
    assert find_leaks([item("taker", [term]), item("giver", before=text)]) == []


def test_a_question_never_leaks_to_itself():
    assert find_leaks([item("alone", ["Alice"], before="Alice?", after="Alice.")]) == []


def test_distinctive_words_of_a_right_choice_leave_out_words_of_the_stem_and_wrong_choices():
    terms = distinctive_terms(
        "What did Western sanctions block?",
        [("Access to advanced GPUs", True), ("Access to oil markets", False), ("Western travel", False)],
    )
    assert terms == ["advanced gpu"]


def test_a_right_choice_whose_words_all_stand_elsewhere_gives_no_term():
    assert distinctive_terms("Which chips?", [("Chips", True), ("Old chips", False)]) == []


def test_words_of_read_numbers_and_drop_stop_words():
    assert words_of("The 84% drop, one hundred thousand of them") == ["84", "percent", "drop", "100000"]


@pytest.mark.django_db
def test_leak_item_for_reads_each_kind_of_question():
    numeric = QuestionFactory(numeric=True, numeric_answer=Decimal("500000.0000"))
    assert leak_item_for(numeric).answer_terms == ("500000",)
    short = QuestionFactory(short_text=True)
    assert leak_item_for(short).answer_terms == ("GPUs", "GPU")
    single = QuestionFactory(choices=[("Kazakhstan", True), ("Norway", False)])
    single_item = leak_item_for(single)
    assert single_item.answer_terms == ("kazakhstan",)
    assert "Norway" in single_item.shown_before
    assert "Feedback on Kazakhstan." in single_item.shown_after
    assert leak_item_for(QuestionFactory(kind=QuestionKind.TRUE_FALSE)).answer_terms == ()


@pytest.mark.django_db
def test_feedback_leaks_count_only_in_quizzes_with_immediate_feedback():
    taker = QuestionFactory(numeric=True, prompt="How many GPUs did Sberbank get?", numeric_answer=Decimal("9000"))
    giver = QuestionFactory(prompt="Who bought more?", explanation="Sberbank got about 9,000.")
    immediate = QuizFactory(questions=[taker, giver], feedback_mode=FeedbackMode.IMMEDIATE)
    at_end = QuizFactory(questions=[taker, giver], feedback_mode=FeedbackMode.AT_END)
    assert [leak.giver for leak in leaks_in_quiz(immediate)] == [giver.key]
    assert leaks_in_quiz(at_end) == []


@pytest.mark.django_db
def test_unpublished_questions_of_a_quiz_are_not_checked():
    taker = QuestionFactory(short_text=True)
    giver = QuestionFactory(prompt="Why did GPUs become scarce?", is_published=False)
    quiz = QuizFactory(questions=[taker, giver])
    assert leaks_in_quiz(quiz) == []
    assert leaks_by_quiz(Quiz.objects.all()) == [(quiz, [])]


@pytest.mark.django_db
def test_check_leaks_fails_when_a_published_quiz_leaks():
    taker = QuestionFactory(short_text=True)
    giver = QuestionFactory(prompt="Why did GPUs become scarce?")
    QuizFactory(questions=[taker, giver])
    with pytest.raises(CommandError, match="1 leak"):
        call_command("check_leaks")


@pytest.mark.django_db
def test_quiz_admin_change_page_lists_the_quizs_leaks(teacher_client):
    taker = QuestionFactory(key="which-hardware", short_text=True)
    giver = QuestionFactory(key="why-scarce", prompt="Why did GPUs become scarce?")
    quiz = QuizFactory(questions=[taker, giver])
    page = teacher_client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()
    assert "“why-scarce” gives away the answer of “which-hardware” (“GPUs”) in its prompt or choices" in page


@pytest.mark.django_db
def test_quiz_admin_change_page_says_when_no_question_gives_another_away(teacher_client):
    quiz = QuizFactory(questions=[QuestionFactory(short_text=True)])
    page = teacher_client.get(reverse("admin:quiz_quiz_change", args=[quiz.pk])).content.decode()
    assert "no question gives away another" in page


@pytest.mark.django_db
def test_citation_check_lists_leaks_by_quiz(teacher_client):
    taker = QuestionFactory(key="which-hardware", short_text=True)
    giver = QuestionFactory(key="why-scarce", prompt="Why did GPUs become scarce?")
    QuizFactory(title="Chips", questions=[taker, giver])
    page = teacher_client.get(reverse("admin:quiz_question_citations")).content.decode()
    assert "Chips</a> (after each question):\n      1 leak" in page
    assert "“why-scarce” gives away the answer of “which-hardware”" in page


def test_every_shipped_quiz_passes_the_leak_check(loaded_bank):
    for quiz in Quiz.objects.all():
        assert [leak.describe() for leak in leaks_in_quiz(quiz)] == [], quiz.slug


@pytest.mark.django_db
def test_saving_a_quiz_that_leaks_warns_with_a_link_to_the_list(teacher_client, teacher):
    from tests.test_admin_authoring import _quiz_form

    taker = QuestionFactory(short_text=True)
    giver = QuestionFactory(prompt="Why did GPUs become scarce?")
    quiz = QuizFactory(title="Chips", questions=[taker], owner=teacher)  # hers to change
    links = [(link.pk, link.question_id, link.position) for link in quiz.quiz_questions.all()]
    data = _quiz_form(quiz, [*links, ("", giver.pk, 2)])
    response = teacher_client.post(reverse("admin:quiz_quiz_change", args=[quiz.pk]), data, follow=True)
    page = response.content.decode()
    assert "In “Chips”, 1 time(s) a question gives away another's answer." in page
    assert f'href="{reverse("admin:quiz_quiz_change", args=[quiz.pk])}">See which' in page


def test_the_leaks_the_review_found_in_the_old_bank_are_flagged():
    """Prompts and choices as they stood before the rewrite, for pairs the review named."""
    old = [
        item(
            "labor-ministry",
            ["Labor", "Labour"],
            before="Complete the name of the ministry that predicts a deficit of over 400,000 IT workers by 2030: "
            '"the Ministry of ____".',
        ),
        item(
            "it-worker-deficit-2030",
            ["400000"],
            before="The Ministry of Labor predicts a deficit of over how many IT workers by 2030?",
        ),
        item(
            "chip-node-target",
            ["28"],
            before="What size of chip (in nanometres) is Russia aiming to manufacture by 2030?",
        ),
        item("chip-target-year", ["2030"], before="By which year is Russia aiming to manufacture 28-nanometre chips?"),
        item(
            "third-country-routes",
            distinctive_terms(
                "Through which third countries does the article say Russian companies source chips?",
                [("Kazakhstan", True), ("The United Arab Emirates", True), ("Armenia", False), ("Belarus", False)],
            ),
            before="Through which third countries does the article say Russian companies source chips?\n"
            "Kazakhstan\nThe United Arab Emirates\nArmenia\nBelarus",
        ),
        item(
            "uae-chip-route",
            ["UAE", "United Arab Emirates"],
            before="Besides Kazakhstan, which third country does the article name as a route through which Russian "
            "companies source chips?",
        ),
    ]
    found = {(leak.giver, leak.taker) for leak in find_leaks(old)}
    assert {
        ("labor-ministry", "it-worker-deficit-2030"),
        ("it-worker-deficit-2030", "labor-ministry"),
        ("chip-node-target", "chip-target-year"),
        ("chip-target-year", "chip-node-target"),
        ("third-country-routes", "uae-chip-route"),
        ("uae-chip-route", "third-country-routes"),
    } <= found
