"""What a demanding teacher checks in a bank beyond its citations: the cues that give a key away,
the mix of cognitive levels, and where the keys stand."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from quiz.bank.figures import bank_figures
from quiz.bank.key_cues import answer_key_cues
from quiz.models import Question
from tests.factories import PassageFactory, QuestionFactory, QuizFactory
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


def test_shipped_bank_asks_for_more_than_recall_in_at_least_30_percent_of_questions(loaded_bank):
    figures = bank_figures()
    assert figures.higher_level_percent >= 30
    assert all(figures.levels[level] for level in ("understand", "apply", "analyse", "evaluate"))


def test_shipped_bank_spreads_its_stored_keys_over_the_positions(loaded_bank):
    figures = bank_figures()
    counts = [figures.single_key_positions[position] for position in (1, 2, 3, 4)]
    assert max(counts) - min(counts) <= 2, counts
    assert figures.multiple_right_first <= figures.multiple_questions / 2
    assert abs(2 * figures.true_false_keyed_true - figures.true_false_questions) <= 2


def test_shipped_choice_questions_have_no_answer_key_cues(loaded_bank):
    cued = {}
    for question in Question.objects.published().filter(kind__in=["single", "multiple"]).prefetch_related("choices"):
        cues = answer_key_cues(question.prompt, [(c.text, c.is_correct) for c in question.choices.all()])
        if cues:
            cued[question.key] = cues
    assert cued == {}


def test_bank_report_prints_levels_key_positions_and_leaks(loaded_bank):
    out = io.StringIO()
    call_command("bank_report", stdout=out)
    report = out.getvalue()
    assert "Cognitive levels: remember" in report and "beyond recall" in report
    assert "Single-choice keys by stored position: 1:" in report
    assert "Questions per passage: russia-ai-chips ¶1 " in report
    assert report.rstrip().endswith("total 0")


@pytest.mark.django_db
def test_bank_figures_count_levels_positions_and_leaks():
    QuestionFactory(cognitive_level="analyse", choices=[("Wrong", False), ("Right", True)])
    QuestionFactory(kind="true_false", choices=[("True", False), ("False", True)])
    QuestionFactory(kind="multiple", choices=[("A", True), ("B", False), ("C", True)])
    giver = QuestionFactory(prompt="Why did GPUs become scarce?")
    QuizFactory(slug="leaky", questions=[QuestionFactory(short_text=True), giver])
    figures = bank_figures()
    assert figures.questions == 5
    assert figures.higher_level_percent == 20
    assert figures.single_key_positions == {2: 1, 1: 1}
    assert (figures.multiple_right_first, figures.multiple_questions) == (1, 1)
    assert (figures.true_false_keyed_true, figures.true_false_questions) == (0, 1)
    assert figures.leaks == {"leaky": 1}
    assert sum(figures.per_passage.values()) == 5


@pytest.mark.parametrize(
    ("key", "added_fact"),
    [
        ("us-export-ban-year", "the year of the invasion"),
        ("putin-grand-vision", "Russian president"),
        ("sberbank-gpus", "over several years"),
        ("tsmc-fabricated-designs", "Russia could design chips"),
        ("why-emigre-hubs", "unlikely to come back soon"),
        ("leading-ai-developer", "the rest of the sector is even worse off"),
    ],
)
def test_explanations_add_no_fact_the_article_does_not_state(loaded_bank, key, added_fact):
    assert added_fact not in Question.objects.get(key=key).explanation


@pytest.mark.parametrize(
    ("key", "absurd_distractor"),
    [
        ("ai-center-purpose", "Run the Russian-language LM Arena leaderboard"),
        ("shoelaces-metaphor", "Russia is ahead of the West but has become complacent"),
        ("surviving-on-scraps", "Free access to ChatGPT and Google Gemini"),
        ("why-emigre-hubs", "The Kremlin pays them subsidies to work abroad"),
        ("ecosystem-starved-of", "Electricity"),
    ],
)
def test_absurd_distractors_are_replaced(loaded_bank, key, absurd_distractor):
    texts = [choice.text.rstrip(".") for choice in Question.objects.get(key=key).choices.all()]
    assert absurd_distractor not in texts


def test_kremlin_view_keys_the_reason_not_what_is_threatened(loaded_bank):
    question = Question.objects.get(key="kremlin-view-western-ai")
    keyed = [choice.text for choice in question.choices.all() if choice.is_correct]
    assert keyed and all("narrative" in text for text in keyed)
    assert not any("Russian values" in choice.text for choice in question.choices.all())


def test_true_false_statements_paraphrase_rather_than_copy_the_article(loaded_bank):
    article = " ".join(Question.objects.first().passage.source.text.lower().split())
    for question in Question.objects.published().filter(kind="true_false"):
        statement = question.prompt.removeprefix("True or false: ").rstrip(".").lower()
        words = statement.split()
        # No run of six words of the statement stands in the article as it is.
        runs = {" ".join(words[i : i + 6]) for i in range(max(1, len(words) - 5))}
        assert not [run for run in runs if run in article], question.key


def test_every_untested_claim_of_the_review_is_now_asked(loaded_bank):
    quotes = " ".join(Question.objects.published().values_list("quote", flat=True))
    for claim in (
        "slipping further behind",
        "strategic vulnerability",
        "the direct flow of advanced semiconductors stopped",
        "can no longer stand alone technologically",
        "prioritizes AI for national security",
    ):
        assert claim in quotes, claim


# The three questions the review named, as they stood before the rewrite.
REVIEWED_CUES = [
    (
        'What does the article mean by saying Russia is "running a race with its shoelaces tied together"?',
        [
            (
                "Russia is badly handicapped in a fast-moving field, held back by problems such as its inability to "
                "produce cutting-edge chips.",
                True,
            ),
            ("Russia is deliberately slowing down to let China lead AI development.", False),
            ("Russia is ahead of the West but has become complacent.", False),
            ("Russia has stopped competing in AI altogether.", False),
        ],
        LONGEST,
    ),
    (
        "What kind of censorship does the summary say Moscow forces domestic AI models to adhere to?",
        [
            ("Strict ideological censorship", True),
            ("Copyright filtering of training data", False),
            ("Military secrecy rules", False),
            ("Consumer privacy restrictions", False),
        ],
        ECHO,
    ),
    (
        "According to the article, who swiftly followed the US in banning high-tech exports to Russia?",
        [("Key US allies in Asia", True), ("China", False), ("Kazakhstan", False), ("Armenia", False)],
        LONGEST,
    ),
]


@pytest.mark.parametrize(("prompt", "choices", "cue"), REVIEWED_CUES)
def test_the_cues_the_review_found_are_flagged(prompt, choices, cue):
    assert any(found.startswith(cue) for found in answer_key_cues(prompt, choices))
