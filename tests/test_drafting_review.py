"""Saving drafts as hidden questions, and the teacher's review: accept, edit, reject, restore, make a quiz."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.models import Passage
from drafting import services
from drafting.engines.base import DraftBatch, PassageText
from drafting.models import Draft, ReviewState
from quiz.models import Question, Quiz
from quiz.services import attempt_start
from tests.conftest import logged_in_client
from tests.drafting_engines import TEST_ENGINES, QuoteEngine
from tests.factories import SourceFactory, TeacherFactory, UserFactory

PARAGRAPHS = [
    "Russian imports of GPUs have plummeted by 84 percent. Companies rely on intermediaries.",
    "Over 100,000 IT specialists have left the country. Many went to Armenia and Georgia.",
    "Sber built a supercomputer from cards bought before 2022. It is the largest in Russia.",
]


@pytest.fixture(autouse=True)
def small_engines(settings):
    settings.DRAFTING_ENGINES = TEST_ENGINES
    settings.DRAFTING_ENGINE = "quote"


@pytest.fixture
def source(teacher):
    source = SourceFactory(slug="chips", title="Chips", owner=teacher)
    Passage.objects.create(source=source, position=1, kind="title", text="Chips")
    for position, text in enumerate(PARAGRAPHS, start=2):
        Passage.objects.create(source=source, position=position, kind="paragraph", text=text)
    return source


@pytest.fixture
def drafts(source):
    batch = QuoteEngine().draft(services.passage_texts(source))
    return services.drafts_save(source=source, batch=batch, engine="quote")


def review_url(source, **query):
    url = reverse("source_drafts", args=[source.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def action_url(draft, action):
    return reverse("draft_review", args=[draft.source.slug, draft.pk, action])


def test_each_draft_is_saved_as_an_unpublished_question_of_the_sources_owner(source, drafts, teacher):
    assert len(drafts) == 6
    questions = Question.objects.filter(draft__in=drafts)
    assert questions.count() == 6
    assert not questions.filter(is_published=True).exists()
    assert set(questions.values_list("author", flat=True)) == {teacher.pk}
    single = questions.get(kind="single", passage__position=2)
    assert [(c.text, c.is_correct) for c in single.choices.order_by("position")] == [
        ("Russian imports of GPUs have plummeted by 84 percent.", True),
        ("Something the source never says.", False),
    ]
    record = single.draft
    assert (record.engine, record.rule, record.state) == ("quote", "single.opening", ReviewState.PENDING)
    assert all(q.quote in q.passage.text for q in questions)


def test_saving_the_same_drafts_again_adds_nothing_and_keys_are_stable(source, drafts):
    keys = set(Question.objects.values_list("key", flat=True))
    again = services.drafts_save(
        source=source, batch=QuoteEngine().draft(services.passage_texts(source)), engine="quote"
    )
    assert again == []
    assert set(Question.objects.values_list("key", flat=True)) == keys


def test_a_draft_whose_quote_is_not_in_its_passage_is_never_saved(source):
    draft = QuoteEngine().drafts_for(PassageText(2, "paragraph", PARAGRAPHS[0]))[0]
    draft.quote = "an invented quote"
    assert services.drafts_save(source=source, batch=DraftBatch(drafts=[draft]), engine="quote") == []
    assert not Question.objects.exists()


def test_only_the_owner_and_superusers_see_a_sources_drafts(client, source, drafts, teacher, superuser, student):
    url = review_url(source)
    assert client.get(url).status_code == 302
    assert logged_in_client(student).get(url).status_code == 403
    outsider = logged_in_client(TeacherFactory(username="otto"))
    assert outsider.get(url).status_code == 404
    assert outsider.post(action_url(drafts[0], "accept")).status_code == 404
    assert outsider.post(reverse("quiz_make", args=[source.slug]), {"title": "Mine"}).status_code == 404
    assert Draft.objects.filter(state=ReviewState.ACCEPTED).count() == 0
    assert logged_in_client(teacher).get(url).status_code == 200
    assert logged_in_client(superuser).get(url).status_code == 200


def test_the_review_page_groups_drafts_by_passage_and_marks_their_quotes(teacher_client, source, drafts):
    response = teacher_client.get(review_url(source))
    body = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert body.count('class="passage-group"') == 3
    assert "<mark>Russian imports of GPUs have plummeted by 84 percent.</mark> Companies rely" in body
    assert "single.opening" in body


def test_the_review_page_answers_htmx_with_the_fragment_and_history_restore_with_the_page(
    teacher_client, source, drafts
):
    fragment = teacher_client.get(review_url(source, state="pending"), headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="review"')
    restore = teacher_client.get(
        review_url(source), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_the_review_page_takes_the_same_queries_whatever_the_number_of_drafts(
    teacher_client, source, drafts, django_assert_num_queries
):
    # session, user, teachers group, source, count of drafts (pager), a page of drafts, their choices,
    # counts by state, rates by rule, last job
    with django_assert_num_queries(10):
        teacher_client.get(review_url(source))


def test_many_drafts_are_shown_a_page_at_a_time(teacher_client, source, drafts, monkeypatch):
    monkeypatch.setattr("drafting.views.DRAFTS_PER_PAGE", 4)
    first = teacher_client.get(review_url(source)).content.decode()
    second = teacher_client.get(review_url(source, page=2)).content.decode()
    assert first.count('class="draft-card') == 4 and second.count('class="draft-card') == 2
    assert "Page 1 of 2" in first and "page=2" in first


def test_accept_reject_and_restore_one_draft_with_htmx(teacher_client, drafts):
    first, second = drafts[0], drafts[1]
    response = teacher_client.post(action_url(first, "accept"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'id="draft-counts"' in response.content.decode() and 'hx-swap-oob="true"' in response.content.decode()
    first.refresh_from_db()
    assert first.state == ReviewState.ACCEPTED and first.question.is_published
    teacher_client.post(action_url(second, "reject"), {"reason": "Copies the sentence word for word"})
    second.refresh_from_db()
    assert (second.state, second.reject_reason) == (ReviewState.REJECTED, "Copies the sentence word for word")
    assert not second.question.is_published
    teacher_client.post(action_url(second, "restore"))
    second.refresh_from_db()
    assert second.state == ReviewState.PENDING and second.reject_reason == ""


def test_rejecting_without_a_reason_answers_422_with_the_sentence_in_both_shapes(teacher_client, drafts):
    for headers in ({"HX-Request": "true"}, {}):
        response = teacher_client.post(action_url(drafts[0], "reject"), {"reason": "  "}, headers=headers)
        assert response.status_code == 422
        assert "Say why you reject this draft" in response.content.decode()
    assert Draft.objects.get(pk=drafts[0].pk).state == ReviewState.PENDING


def test_without_javascript_a_review_action_redirects_back_to_the_draft(teacher_client, drafts):
    response = teacher_client.post(action_url(drafts[0], "accept"))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#draft-{drafts[0].pk}")


def test_bulk_accept_takes_the_ticked_drafts_or_all_pending_ones(teacher_client, source, drafts):
    teacher_client.post(action_url(drafts[5], "reject"), {"reason": "Too easy"})
    teacher_client.post(reverse("drafts_accept", args=[source.slug]), {"draft": [drafts[0].pk, drafts[1].pk]})
    assert Draft.objects.filter(state=ReviewState.ACCEPTED).count() == 2
    teacher_client.post(reverse("drafts_accept", args=[source.slug]), {"all": "1"})
    assert Draft.objects.filter(state=ReviewState.ACCEPTED).count() == 5
    assert Draft.objects.get(pk=drafts[5].pk).state == ReviewState.REJECTED  # a rejected draft stays rejected


def test_a_quiz_of_the_accepted_drafts_is_the_teachers_and_students_can_take_it(
    teacher_client, teacher, source, drafts
):
    for draft in drafts[:4]:
        teacher_client.post(action_url(draft, "accept"))
    response = teacher_client.post(reverse("quiz_make", args=[source.slug]), {"title": "Chips quiz"})
    assert response["Location"] == reverse("teach_dashboard")
    quiz = Quiz.objects.get()
    assert (quiz.title, quiz.owner, quiz.is_published) == ("Chips quiz", teacher, True)
    assert list(quiz.questions.order_by("quiz_questions__position")) == [d.question for d in drafts[:4]]
    attempt = attempt_start(quiz=quiz, student=UserFactory(username="sam"))
    assert len(attempt.question_ids) == 4


def test_no_quiz_is_made_before_a_draft_is_accepted(teacher_client, source, drafts):
    teacher_client.post(reverse("quiz_make", args=[source.slug]), {"title": "Empty"})
    assert not Quiz.objects.exists()


def test_acceptance_rate_per_rule_on_the_page_and_in_the_command(teacher_client, source, drafts):
    # drafts alternate true_false.paraphrase, single.opening
    teacher_client.post(action_url(drafts[0], "accept"))
    teacher_client.post(action_url(drafts[2], "reject"), {"reason": "Trivial"})
    teacher_client.post(action_url(drafts[1], "accept"))
    rates = {rate.rule: rate for rate in services.acceptance_by_rule(source=source)}
    assert (rates["true_false.paraphrase"].accepted, rates["true_false.paraphrase"].rejected) == (1, 1)
    assert rates["true_false.paraphrase"].rate == 0.5
    assert rates["single.opening"].rate == 1.0
    assert "50%" in teacher_client.get(review_url(source)).content.decode()
    out = StringIO()
    call_command("draft_acceptance", stdout=out)
    assert "true_false.paraphrase" in out.getvalue() and "50%" in out.getvalue()


NAMES = ["Ingrid Solberg", "Norled", "Bergen", "Enova", "Kari Lunde", "Fjord1"]
UNITS = ["cars", "percent", "ferries", "tonnes", "kroner"]


@st.composite
def source_texts(draw) -> str:
    """A title and a few paragraphs of sentences with numbers, years and names, as a teacher might paste."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        sentences = [
            f"In {draw(st.integers(1990, 2030))} {draw(st.sampled_from(NAMES))} counted "
            f"{draw(st.integers(2, 99999)):,} {draw(st.sampled_from(UNITS))} near {draw(st.sampled_from(NAMES))}."
            for _ in range(draw(st.integers(1, 3)))
        ]
        paragraphs.append(" ".join(sentences))
    return "Ferry facts\n\n" + "\n\n".join(paragraphs)


@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=source_texts())
def test_every_saved_draft_quotes_its_passage_word_for_word_and_stays_hidden(teacher, text):
    from drafting.engines.offline import OfflineEngine

    extracted = services.extract_text(text)
    source = services.source_create(owner=teacher, details=extracted.details, blocks=extracted.blocks)
    batch = OfflineEngine().draft(services.passage_texts(source))
    saved = services.drafts_save(source=source, batch=batch, engine="offline")
    for draft in Draft.objects.filter(pk__in=[d.pk for d in saved]).select_related("question__passage"):
        question = draft.question
        assert question.quote and question.quote in question.passage.text
        assert not question.is_published and question.author == teacher


def test_a_quiz_of_drafts_where_one_gives_away_anothers_answer_is_made_with_a_warning(teacher_client, source, drafts):
    for draft in drafts[:2]:
        teacher_client.post(action_url(draft, "accept"))
    # Drafts of one passage often print each other's answers: here the first names the second's.
    asked, telling = drafts[1].question, drafts[0].question
    Question.objects.filter(pk=asked.pk).update(kind="short_text", accepted_answers=["Armenia"])
    Question.objects.filter(pk=telling.pk).update(prompt=telling.prompt + " (Think of Armenia.)")

    response = teacher_client.post(reverse("quiz_make", args=[source.slug]), {"title": "Chips quiz"}, follow=True)

    quiz = Quiz.objects.get()
    page = response.content.decode()
    assert "gives away another" in page
    assert f'<a href="{reverse("admin:quiz_quiz_change", args=[quiz.pk])}">See which</a>' in page
