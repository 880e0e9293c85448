from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from content.models import Source
from quiz.models import Question
from tests.factories import PassageFactory, SourceFactory


def test_reader_shows_every_passage_with_its_anchor(client, loaded_bank):
    page = client.get("/sources/russia-ai-chips/")
    assert page.status_code == 200
    html = page.content.decode()
    for position in range(1, 17):
        assert f'id="p{position}"' in html
    assert "<mark" not in html


def test_reader_highlights_a_cited_quote_without_javascript(client, loaded_bank):
    question = Question.objects.get(key="gpu-imports-drop")
    page = client.get(question.citation_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<mark id="cited-quote" tabindex="-1">{question.quote}</mark>' in html
    assert 'id="p9" class="passage is-cited"' in html


def test_citation_url_scrolls_to_the_passage_anchor(loaded_bank):
    question = Question.objects.filter(passage__position=11).first()
    assert question.citation_url().endswith("#p11")


def test_reader_escapes_a_quote_that_is_not_in_the_source(client, loaded_bank):
    page = client.get("/sources/russia-ai-chips/?" + urlencode({"quote": "<script>alert(1)</script>", "p": "3"}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<script>alert(1)" not in html
    assert "were not found" in html


@pytest.mark.parametrize("query", ["p=abc&quote=x", "p=999999999999999999999&quote=GPUs", "quote=" + "x" * 10000])
def test_reader_survives_odd_parameters(client, loaded_bank, query):
    assert client.get(f"/sources/russia-ai-chips/?{query}").status_code == 200


def test_reader_of_an_unknown_source_is_404(client, db):
    assert client.get("/sources/no-such-source/").status_code == 404


def test_reader_query_count_does_not_depend_on_the_source_length(client, loaded_bank, django_assert_num_queries):
    # 1 source, 1 passages
    with django_assert_num_queries(2):
        client.get("/sources/russia-ai-chips/")
    assert Source.objects.count() == 1


def test_the_reader_offers_the_way_back_to_the_question_it_was_opened_from(client, loaded_bank):
    source = Source.objects.first()
    page = client.get(f"/sources/{source.slug}/?back=/attempts/x/questions/3/&back_label=question+3").content.decode()
    assert '<a href="/attempts/x/questions/3/"><span aria-hidden="true">← </span>Back to question 3</a>' in page


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "relative/path"])
def test_the_readers_way_back_never_leaves_the_site(client, loaded_bank, back):
    source = Source.objects.first()
    page = client.get(f"/sources/{source.slug}/", {"back": back, "back_label": "question 3"}).content.decode()
    assert "Back to question 3" not in page


def test_reader_says_what_is_not_known_about_the_source(client, loaded_bank):
    page = client.get(reverse("source_reader", args=["russia-ai-chips"])).content.decode()
    assert "Not known: who published it, when it was published, where it was first published." in page
    assert "“last year”" in page


def test_reader_names_only_the_unknowns(client, db):
    source = SourceFactory(publisher="Example Weekly", published_on=date(2025, 3, 1))
    PassageFactory(source=source, position=1, kind="title", text="A title")
    page = client.get(reverse("source_reader", args=[source.slug])).content.decode()
    assert "Example Weekly · 1 March 2025" in page
    assert "Not known: where it was first published." in page
    assert "last year" not in page
