"""The offline drafting engine: each rule on hand-made sentences, the quality rules on the set, validation."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.splitting import split_passages
from drafting.engines import EngineUnavailable, get_engine
from drafting.engines.base import DraftChoice, DraftQuestion, PassageText
from drafting.engines.offline import OfflineEngine, SourceIndex, _misreadings, candidates_for
from drafting.engines.quality import Candidate, Refusal, select
from drafting.engines.text import find_names, find_phrases, find_quantities, split_sentences
from drafting.engines.validation import numeral_in, problem_with, validated
from quiz.bank.leaks import LeakItem, distinctive_terms, find_leaks

ARTICLE = Path(__file__).resolve().parent.parent / "content" / "sources" / "russia-ai-chips" / "article.txt"


def passages_of(*paragraphs: str) -> list[PassageText]:
    return [PassageText(position, "paragraph", text) for position, text in enumerate(paragraphs, start=1)]


def article_passages() -> list[PassageText]:
    pieces = split_passages(ARTICLE.read_text(encoding="utf-8"))
    return [PassageText(position, piece.kind, piece.text) for position, piece in enumerate(pieces, start=1)]


def candidates(*paragraphs: str) -> list[DraftQuestion]:
    passages = passages_of(*paragraphs)
    index = SourceIndex(passages)
    return [candidate.draft for passage in passages for candidate in candidates_for(index, passage)]


def candidates_for_all(*paragraphs: str) -> list[Candidate]:
    passages = passages_of(*paragraphs)
    index = SourceIndex(passages)
    return [candidate for passage in passages for candidate in candidates_for(index, passage)]


def key_of(draft: DraftQuestion) -> list[str]:
    return [choice.text for choice in draft.choices if choice.is_correct]


# --- Reading the text ---------------------------------------------------------------------------------------------


def test_sentences_do_not_end_after_abbreviations_or_initials():
    text = "Dr. Smith met J. R. Jones in the U.S. capital. They spoke for 3.5 hours! Then they left."
    assert [sentence.text for sentence in split_sentences(text)] == [
        "Dr. Smith met J. R. Jones in the U.S. capital.",
        "They spoke for 3.5 hours!",
        "Then they left.",
    ]


def test_sentence_spans_are_verbatim_slices_of_the_passage():
    text = "  First one here.   Second one “quoted.” Third?"
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "kind", "hedge"),
    [
        ("Microsoft bought nearly 500,000 GPUs in 2024.", Decimal(500000), "GPUs", "count", "below"),
        ("Sberbank gathered about 9,000 chips.", Decimal(9000), "chips", "count", "around"),
        ("Imports fell 84% last year.", Decimal(84), "percent", "percent", ""),
        ("Imports fell by 84 percent.", Decimal(84), "percent", "percent", ""),
        ("Over 100,000 IT specialists left.", Decimal(100000), "IT specialists", "count", "bound"),
        ("The model ranks a dismal 25th.", Decimal(25), "", "rank", ""),
        ("The ban came in 2022 and hurt.", Decimal(2022), "", "year", ""),
        ("It aims for 28 nanometer chips.", Decimal(28), "nanometer", "measure", ""),
        ("The fund holds $3 billion today.", Decimal(3), "billion dollars", "money", ""),
        ("Norway runs more than 70 battery-powered car ferries.", Decimal(70), "car ferries", "count", "bound"),
    ],
)
def test_quantities_keep_the_texts_unit_and_hedge(sentence, value, unit, kind, hedge):
    quantity = find_quantities(sentence)[0]
    assert (quantity.value, quantity.unit, quantity.kind, quantity.hedge) == (value, unit, kind, hedge)


def test_a_unit_left_out_carries_over_from_the_sentences_earlier_quantity():
    quantities = find_quantities("Microsoft bought nearly 500,000 GPUs while Sberbank found only about 9,000 since.")
    assert [(q.value, q.unit) for q in quantities] == [(Decimal(500000), "GPUs"), (Decimal(9000), "GPUs")]


def test_names_are_typed_and_carry_the_variants_the_text_supports():
    source = (
        "The United Nations (UN) met in Geneva. Later the UN voted. "
        "Former President Dmitry Medvedev spoke. The Ministry of Labor agreed."
    )
    names = {}
    for sentence in split_sentences(source):
        for name in find_names(sentence, source, source):
            names[name.span.text] = name
    assert names["United Nations"].variants == ("United Nations", "UN")
    assert names["UN"].variants == ("UN", "United Nations")
    assert names["Dmitry Medvedev"].kind == "person"
    assert names["Dmitry Medvedev"].variants == ("Dmitry Medvedev", "Medvedev")
    assert names["Ministry of Labor"].kind == "organisation"
    assert names["Geneva"].kind == "place"


def test_an_adjective_of_nationality_is_not_a_name():
    source = "Western sanctions hurt Russian companies in Kazakhstan."
    sentence = split_sentences(source)[0]
    assert [name.span.text for name in find_names(sentence, source, source)] == ["Kazakhstan"]


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("When the US imposed a ban on exports the flow of chips stopped.", ["US"]),
        ("Catching up to US and Chinese advancements is nearly impossible.", ["US"]),
        ("They told us that IT specialists left the country.", []),  # "us" is a word; "IT" is no place
    ],
)
def test_a_country_written_in_capitals_is_a_name_though_it_spells_a_common_word(source, names):
    sentence = split_sentences(source)[0]
    assert [name.span.text for name in find_names(sentence, source, source) if name.kind == "place"] == names


# --- Numeric ------------------------------------------------------------------------------------------------------


def numeric_for(sentence: str, number: str) -> DraftQuestion:
    drafts = [d for d in candidates(sentence) if d.kind == "numeric" and numeral_in(Decimal(number), d.quote)]
    return next(d for d in drafts if d.numeric_answer == Decimal(number))


def test_nearly_gives_a_range_below_the_figure():
    draft = numeric_for("Microsoft alone purchased nearly 500,000 GPUs in 2024 for its data centres.", "500000")
    assert (draft.numeric_min, draft.numeric_max) == (Decimal(450000), Decimal(500000))
    assert draft.numeric_unit == "GPUs"
    assert "nearly ___ GPUs" in draft.prompt
    assert "500,000" not in draft.prompt


def test_about_gives_a_tolerance_either_side_that_follows_the_texts_precision():
    draft = numeric_for("Sberbank has reportedly managed to scrape together about 9,000 chips since the war.", "9000")
    assert draft.numeric_tolerance == Decimal(500)
    assert draft.numeric_min is None and draft.numeric_max is None


def test_an_unhedged_percentage_is_exact():
    draft = numeric_for("Russian imports of GPUs have plummeted by 84% compared to pre war levels.", "84")
    assert draft.numeric_tolerance == 0 and draft.numeric_min is None
    assert draft.numeric_unit == "percent"


def test_a_bound_word_stays_in_the_stem_and_the_key_is_exact():
    draft = numeric_for("Officials estimate that at least 100,000 IT specialists left the country that year.", "100000")
    assert "at least ___ IT specialists" in draft.prompt
    assert draft.numeric_tolerance == 0


def test_a_numeric_stem_does_not_show_the_sentences_other_number():
    draft = numeric_for("Microsoft alone purchased nearly 500,000 GPUs in 2024 for its data centres.", "500000")
    assert "2024" not in draft.prompt


def test_a_stem_does_not_show_the_sentences_closing_phrase_which_another_draft_asks_for():
    sentence = "Russia's ambition has been crippled by Western sanctions that caused an 84 percent drop in imports."
    drafts = candidates(
        sentence,
        "It is surviving on scraps of technology smuggled through backchannels.",
        "Developers turned to a shadowy network of intermediaries.",
    )
    assert any(d.rule == "single.phrase" and key_of(d) == ["Western sanctions"] for d in drafts)
    draft = numeric_for(sentence, "84")
    assert "Western sanctions" not in draft.prompt and "___ drop in imports" in draft.prompt


# --- Short text ---------------------------------------------------------------------------------------------------


def test_short_text_accepts_the_surname_and_acronym_or_expansion_the_text_supports():
    drafts = candidates(
        "Deputy Prime Minister Dmitry Grigorenko has been tasked with overseeing this initiative for the state.",
        "The Artificial Intelligence Development Center will report to the AIDC board every single month.",
    )
    short = {tuple(d.accepted_answers) for d in drafts if d.kind == "short_text"}
    assert ("Dmitry Grigorenko", "Grigorenko") in short
    assert ("Artificial Intelligence Development Center", "AIDC") in short


def test_a_word_that_ends_several_names_takes_none_of_them_as_its_variants():
    drafts = candidates(
        "The Nile is the longest river in Africa and flows north through eleven countries.",
        "The White Nile rises near Lake Victoria in the highlands of the south.",
        "The Blue Nile brings most of the water and silt from the Ethiopian Highlands.",
    )
    answers = {d.accepted_answers[0]: d.accepted_answers for d in drafts if d.kind == "short_text"}
    assert answers["Nile"] == ["Nile"]
    for tributary in ("White Nile", "Blue Nile"):
        if tributary in answers:
            assert "Nile" not in answers[tributary]


def test_short_text_blanks_the_name_in_its_stem():
    drafts = [d for d in candidates("Leading domestic designs were often fabricated by TSMC in a faraway country.")]
    draft = next(d for d in drafts if d.kind == "short_text" and "TSMC" in d.accepted_answers)
    assert "TSMC" not in draft.prompt and "___" in draft.prompt


# --- Single choice ------------------------------------------------------------------------------------------------

SUPPLY = (
    "Kazakhstan supplies chips to Russian buyers through many small firms.",
    "The UAE also supplies chips to Russian buyers at inflated prices.",
    "Armenia hosts engineers who left after the war began.",
    "Georgia welcomed programmers who moved from the capital.",
)


def test_single_choice_distractors_are_of_the_same_kind_and_never_true_in_the_text():
    drafts = candidates(*SUPPLY)
    single = next(d for d in drafts if d.kind == "single" and key_of(d) == ["Kazakhstan"])
    wrong = [choice.text for choice in single.choices if not choice.is_correct]
    assert "UAE" not in wrong  # the text says the UAE supplies chips too
    assert set(wrong) <= {"Armenia", "Georgia"}
    assert len(wrong) >= 2


MORE_SUPPLY = (
    "Chile exports copper from large mines in the north.",
    "Peru grows coffee on steep hillsides near the coast.",
)


def test_a_single_choice_keeps_spare_distractors_for_when_the_first_ones_would_cost_another_question():
    single = next(
        c
        for c in candidates_for_all(*SUPPLY, *MORE_SUPPLY)
        if c.draft.kind == "single" and key_of(c.draft) == ["Armenia"]
    )
    first = {choice.text for choice in single.draft.choices if not choice.is_correct}
    assert single.redraw is not None
    redrawn = single.redraw(lambda text: text in first)
    assert redrawn is not None and key_of(redrawn) == ["Armenia"] and redrawn.prompt == single.draft.prompt
    again = {choice.text for choice in redrawn.choices if not choice.is_correct}
    assert len(again) == 2 and not again & first


def test_a_redraw_with_too_few_distractors_left_gives_nothing():
    single = next(
        c for c in candidates_for_all(*SUPPLY, *MORE_SUPPLY) if c.draft.kind == "single" and key_of(c.draft) == ["Peru"]
    )
    assert single.redraw is not None and single.redraw(lambda text: True) is None


def test_single_choice_on_a_quantity_offers_the_sources_other_figures_in_the_same_unit():
    drafts = candidates(
        "In 2021 only 22 percent of advanced tech imports came from China.",
        "Industry insiders say up to 80 percent of top AI talent has emigrated.",
        "Imports of GPUs have plummeted by 84 percent compared to pre war levels.",
    )
    single = next(d for d in drafts if d.kind == "single" and key_of(d) == ["84 percent"])
    assert sorted(choice.text for choice in single.choices) == ["22 percent", "80 percent", "84 percent"]
    assert all(choice.feedback for choice in single.choices)


# --- True / false -------------------------------------------------------------------------------------------------


def true_false(*paragraphs: str) -> list[DraftQuestion]:
    return [d for d in candidates(*paragraphs) if d.kind == "true_false"]


def test_a_false_statement_is_a_plausible_misreading_not_a_negation():
    for draft in true_false(*SUPPLY, "Imports of GPUs have plummeted by 84 percent compared to pre war levels."):
        if key_of(draft) == ["False"]:
            assert draft.rule in {
                "true_false.changed_quantity",
                "true_false.swapped_entity",
                "true_false.reversed_direction",
            }
            assert " not " not in f" {draft.prompt} "


def test_a_reversed_direction_swaps_the_direction_word_and_both_statements_are_reworded():
    drafts = true_false("By last year the share of imports from China had surged to 92 percent of the total.")
    reversed_ones = [d for d in drafts if d.rule == "true_false.reversed_direction"]
    paraphrases = [d for d in drafts if d.rule == "true_false.paraphrase"]
    assert reversed_ones or paraphrases
    for draft in reversed_ones:
        assert "fallen steeply" in draft.prompt and key_of(draft) == ["False"]
    for draft in paraphrases:
        assert "risen sharply" in draft.prompt and key_of(draft) == ["True"]


def test_a_swapped_entity_uses_another_name_of_the_same_kind_that_the_text_does_not_make_true():
    drafts = true_false(*SUPPLY)
    for draft in drafts:
        if draft.rule == "true_false.swapped_entity" and "supplies chips" in draft.prompt:
            assert "UAE supplies" not in draft.prompt.replace("the UAE", "UAE") or "Kazakhstan" in draft.quote


def test_true_false_feedback_explains_each_choice_from_the_quote():
    for draft in true_false(*SUPPLY):
        assert [choice.text for choice in draft.choices] == ["True", "False"]
        assert all(draft.quote in choice.feedback for choice in draft.choices)


# --- Multiple choice ----------------------------------------------------------------------------------------------


def test_a_list_in_the_text_becomes_a_select_all_question_with_the_items_as_keys():
    drafts = candidates(
        "The war in Ukraine has demonstrated the value of autonomous drones and data integration.",
        "The Kremlin views Western models as threats because of their narrative on history and politics.",
        "Engineers established hubs where they can work freely and access international capital.",
    )
    draft = next(d for d in drafts if d.rule == "multiple.listing" and "drones" in d.quote)
    assert sorted(key_of(draft)) == ["autonomous drones", "data integration"]
    assert len(draft.choices) == 4
    assert "autonomous drones" not in draft.prompt


def test_which_of_these_does_the_source_say_mixes_true_statements_with_altered_ones():
    passages = article_passages()
    batch_candidates = [c.draft for p in passages for c in candidates_for(SourceIndex(passages), p)]
    statements = [d for d in batch_candidates if d.rule == "multiple.statements"]
    assert statements
    for draft in statements:
        assert draft.prompt.startswith("Which of these does the source say about ")
        right = key_of(draft)
        assert len(right) >= 2 and len(draft.choices) > len(right)
        for text in right:
            assert text.casefold() in draft.quote.casefold()


# --- The set ------------------------------------------------------------------------------------------------------


def test_the_shipped_article_gets_every_kind_and_every_quote_verbatim():
    passages = article_passages()
    batch = get_engine("offline").draft(passages)
    by_position = {p.position: p.text for p in passages}
    assert {d.kind for d in batch.drafts} == {"single", "multiple", "true_false", "numeric", "short_text"}
    assert all(d.quote in by_position[d.passage_position] for d in batch.drafts)
    assert all(d.prompt and d.explanation and d.rule and d.cognitive_level for d in batch.drafts)


def test_no_draft_shows_another_drafts_answer_before_it_is_answered():
    batch = get_engine("offline").draft(article_passages())
    items = []
    for number, draft in enumerate(batch.drafts):
        terms = draft.accepted_answers or ([f"{draft.numeric_answer:f}"] if draft.numeric_answer is not None else [])
        if draft.kind in {"single", "multiple"}:
            terms = distinctive_terms(draft.prompt, [(c.text, c.is_correct) for c in draft.choices])
        shown = "\n".join([draft.prompt, *(choice.text for choice in draft.choices)])
        items.append(LeakItem(str(number), tuple(terms), shown, ""))
    assert [leak for leak in find_leaks(items) if not leak.immediate_only] == []


def test_no_stem_contains_its_own_key():
    for draft in get_engine("offline").draft(article_passages()).drafts:
        for answer in draft.accepted_answers:
            assert not re.search(rf"\b{re.escape(answer)}\b", draft.prompt)
        if draft.kind == "single":
            assert key_of(draft)[0] not in draft.prompt


def test_each_passage_is_capped_and_drafts_are_ranked_by_centrality():
    passages = article_passages()
    batch = OfflineEngine(per_passage_cap=2).draft(passages)
    counts: dict[int, int] = {}
    for draft in batch.drafts:
        counts[draft.passage_position] = counts.get(draft.passage_position, 0) + 1
    assert max(counts.values()) <= 2
    assert batch.dropped["passage_cap"] > 0
    assert [d.centrality for d in batch.drafts] == sorted((d.centrality for d in batch.drafts), reverse=True)


def test_a_fact_the_summary_repeats_is_asked_once():
    drafts = (
        get_engine("offline")
        .draft(
            passages_of(
                "Imports of GPUs have plummeted by 84 percent compared to pre war levels since the ban.",
                "Sanctions caused an 84 percent drop in imports of GPUs and other hardware since the ban.",
            )
        )
        .drafts
    )
    assert sum(d.kind == "numeric" and d.numeric_answer == 84 for d in drafts) <= 1


BELARUS = "Belarus buys chips for Russian buyers."


def typed_place(answer: str, quote: str, centrality: float, prompt: str = "") -> Candidate:
    """A short-text question on a place, quoting `quote` (its stem the quote with the answer blanked)."""
    stem = prompt or quote.replace(answer, "___").rstrip(".")
    draft = DraftQuestion(
        kind="short_text",
        prompt=f"Which place is named in the gap? “{stem}”",
        explanation="The source says so.",
        passage_position=1,
        quote=quote,
        cognitive_level="remember",
        rule="short_text.name",
        accepted_answers=[answer],
        centrality=centrality,
    )
    return Candidate(draft, f"name:{answer.lower()}", (answer,))


def single_on_belarus(options: tuple[str, ...], centrality: float) -> Callable[[Refusal], DraftQuestion | None]:
    """Makes a single choice on Belarus with the first two `options` that are not refused (a `Candidate.redraw`)."""

    def build(refused: Refusal) -> DraftQuestion | None:
        texts = [text for text in options if not refused(text)][:2]
        if len(texts) < 2:
            return None
        return DraftQuestion(
            kind="single",
            prompt="Which of these completes the source's statement? “___ buys chips for Russian buyers”",
            explanation="The source says so.",
            passage_position=1,
            quote=BELARUS,
            cognitive_level="remember",
            rule="single.name",
            choices=[DraftChoice(text, text == "Belarus", "Feedback.") for text in ["Belarus", *texts]],
            centrality=centrality,
        )

    return build


def belarus_candidate(build: Callable[[Refusal], DraftQuestion | None], *, first: Refusal, spares: bool = True):
    draft = build(first)
    assert draft is not None
    return Candidate(draft, "name:belarus", ("Belarus",), redraw=build if spares else None)


ARMENIA = "Armenia hosts engineers who left after the war began."


def neighbour_drafts(*, spares: bool) -> list[Candidate]:
    """A typed question on Armenia, and a single choice on Belarus whose first distractors show Armenia."""
    build = single_on_belarus(("Armenia", "Georgia", "Moldova", "Estonia"), 3.0)
    return [
        belarus_candidate(build, first=lambda _text: False, spares=spares),
        typed_place("Armenia", ARMENIA, 2.0),
    ]


def test_a_choice_question_draws_distractors_that_are_no_other_questions_answer():
    batch = select(neighbour_drafts(spares=True), passages_of(f"{BELARUS} {ARMENIA}"), per_passage_cap=8)
    assert sorted(draft.kind for draft in batch.drafts) == ["short_text", "single"]
    single = next(draft for draft in batch.drafts if draft.kind == "single")
    assert [choice.text for choice in single.choices] == ["Belarus", "Georgia", "Moldova"]


def test_without_spare_distractors_a_choice_question_that_shows_another_answer_costs_one_of_the_two():
    batch = select(neighbour_drafts(spares=False), passages_of(f"{BELARUS} {ARMENIA}"), per_passage_cap=8)
    assert len(batch.drafts) == 1 and batch.dropped["leaks_answer"] == 1


def test_a_distractor_may_be_the_answer_of_a_fact_a_kept_draft_already_gives_away():
    both = "Armenia and Georgia host engineers who left after the war began."
    build = single_on_belarus(("Georgia", "Moldova", "Estonia"), 2.0)
    batch = select(
        [
            typed_place("Armenia", both, 3.0, prompt="___ and Georgia host engineers"),
            belarus_candidate(build, first=lambda text: text == "Georgia"),
            typed_place("Georgia", both, 1.0, prompt="Armenia and ___ host engineers"),
        ],
        passages_of(f"{BELARUS} {both}"),
        per_passage_cap=8,
    )
    chosen = next(draft for draft in batch.drafts if draft.kind == "single")
    # The question on Georgia cannot be kept (the one on Armenia shows it), so Georgia costs nothing as a distractor.
    assert "Georgia" in [choice.text for choice in chosen.choices]
    assert [tuple(draft.accepted_answers) for draft in batch.drafts if draft.kind == "short_text"] == [("Armenia",)]


def test_when_every_distractor_costs_a_question_the_least_central_ones_are_spent():
    places = {
        "Armenia": (ARMENIA, 4.0),
        "Georgia": ("Georgia welcomed programmers from the capital.", 3.0),
        "Moldova": ("Moldova hosts startups from the capital.", 1.0),
        "Estonia": ("Estonia trains developers from the capital.", 0.5),
    }
    build = single_on_belarus(tuple(places), 5.0)
    batch = select(
        [
            belarus_candidate(build, first=lambda _text: False),
            *(typed_place(place, quote, centrality) for place, (quote, centrality) in places.items()),
        ],
        passages_of(" ".join([BELARUS, *(quote for quote, _ in places.values())])),
        per_passage_cap=8,
    )
    chosen = next(draft for draft in batch.drafts if draft.kind == "single")
    assert [choice.text for choice in chosen.choices] == ["Belarus", "Moldova", "Estonia"]
    assert sorted(answer for draft in batch.drafts for answer in draft.accepted_answers) == ["Armenia", "Georgia"]


def test_choices_are_distinct_and_of_similar_length():
    for draft in get_engine("offline").draft(article_passages()).drafts:
        texts = [choice.text.casefold() for choice in draft.choices]
        assert len(set(texts)) == len(texts)
        if draft.kind in {"single", "multiple"}:
            lengths = [len(text) for text in texts]
            assert max(lengths) <= 4 * min(lengths) or max(lengths) - min(lengths) <= 40


def test_the_same_text_gives_the_same_drafts():
    first = get_engine("offline").draft(article_passages())
    second = get_engine("offline").draft(article_passages())
    assert first == second


def test_drafting_reports_progress_and_stops_when_asked():
    passages = article_passages()
    seen: list[tuple[int, int]] = []
    get_engine("offline").draft(passages, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(passages), len(passages)) and len(seen) == len(passages)
    stopped = get_engine("offline").draft(passages, should_stop=lambda: True)
    assert stopped.drafts == []


def test_an_unknown_engine_is_refused_with_a_sentence():
    with pytest.raises(EngineUnavailable, match="no drafting engine called"):
        get_engine("oracle")


def test_the_model_engine_is_off_unless_configured(monkeypatch):
    monkeypatch.delenv("DRAFTING_MODEL_BASE_URL", raising=False)
    with pytest.raises(EngineUnavailable, match="not configured"):
        get_engine("model")


# --- Property: every quote is verbatim, every key stands in its quote ----------------------------------------------

NAMES = ["Kazakhstan", "Armenia", "Sberbank", "Microsoft", "Dmitry Medvedev", "Yandex", "Ministry of Labor", "TSMC"]
UNITS = ["GPUs", "engineers", "percent", "chips", "firms"]
HEDGES = ["", "nearly ", "about ", "over ", "at least ", "up to "]
VERBS = ["bought", "lost", "reported", "trained", "moved", "sold"]
FILLER = ["last year", "after the ban", "in the capital", "for the first time", "despite the sanctions"]


@st.composite
def sentences(draw: st.DrawFn) -> str:
    number = draw(st.sampled_from(["84", "9,000", "500,000", "28", "2022", "1.5", "36", "100,000"]))
    return (
        f"{draw(st.sampled_from(NAMES))} {draw(st.sampled_from(VERBS))} {draw(st.sampled_from(HEDGES))}{number} "
        f"{draw(st.sampled_from(UNITS))} {draw(st.sampled_from(FILLER))}"
        f"{draw(st.sampled_from(['', ' and ' + draw(st.sampled_from(NAMES)) + ' agreed']))}."
    )


def supported_by_quote(draft: DraftQuestion) -> bool:
    quote = draft.quote.casefold()
    if draft.kind == "numeric":
        return numeral_in(draft.numeric_answer, draft.quote)
    if draft.kind == "short_text":
        return any(answer.casefold() in quote for answer in draft.accepted_answers)
    if draft.kind == "true_false":
        return True  # its key is the statement, checked against the quote by the rule that wrote it
    right = [choice.text.casefold() for choice in draft.choices if choice.is_correct]
    return all(text in quote or text.rstrip(".") in quote for text in right)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(sentences(), min_size=1, max_size=4).map(" ".join), min_size=1, max_size=5))
def test_every_draft_quotes_its_passage_verbatim_and_its_key_stands_in_the_quote(paragraphs):
    passages = passages_of(*paragraphs)
    batch = get_engine("offline").draft(passages)
    for draft in batch.drafts:
        assert draft.quote in passages[draft.passage_position - 1].text
        assert supported_by_quote(draft), draft


# --- Validation ---------------------------------------------------------------------------------------------------

PASSAGE = PassageText(1, "paragraph", "Microsoft alone purchased nearly 500,000 GPUs in 2024.")


def draft(**changes) -> DraftQuestion:
    fields = {
        "kind": "single",
        "prompt": "Who purchased nearly 500,000 GPUs?",
        "explanation": "The source says so.",
        "passage_position": 1,
        "quote": "Microsoft alone purchased nearly 500,000 GPUs",
        "cognitive_level": "remember",
        "rule": "test",
        "choices": [DraftChoice("Microsoft", True, "Yes."), DraftChoice("Google", False, "No.")],
    }
    return DraftQuestion(**(fields | changes))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({}, None),
        ({"passage_position": 9}, "unknown_passage"),
        ({"quote": "Microsoft bought half a million GPUs"}, "quote_not_in_passage"),
        ({"quote": ""}, "quote_not_in_passage"),
        ({"prompt": "  "}, "empty_prompt"),
        ({"kind": "essay"}, "unknown_kind"),
        ({"cognitive_level": "guess"}, "unknown_level"),
        ({"choices": [DraftChoice("Microsoft", True, ""), DraftChoice("Google", True, "")]}, "not_exactly_one_key"),
        (
            {"choices": [DraftChoice("Microsoft", True, ""), DraftChoice("microsoft", False, "")]},
            "choices_not_distinct",
        ),
        ({"choices": [DraftChoice("Microsoft", True, "")]}, "too_few_choices"),
        (
            {"kind": "multiple", "choices": [DraftChoice("Apples", False, ""), DraftChoice("Pears", False, "")]},
            "no_correct_choice",
        ),
        (
            {"kind": "true_false", "choices": [DraftChoice("Yes", True, ""), DraftChoice("No", False, "")]},
            "true_false_choices",
        ),
        (
            {
                "kind": "numeric",
                "prompt": "How many GPUs did Microsoft buy?",
                "choices": [],
                "numeric_answer": Decimal(500000),
            },
            None,
        ),
        (
            {
                "kind": "numeric",
                "prompt": "How many GPUs did Microsoft buy?",
                "choices": [],
                "numeric_answer": Decimal(5000),
            },
            "numeric_key_not_in_quote",
        ),
        (
            {"kind": "numeric", "prompt": "How many GPUs did Microsoft buy?", "choices": [], "numeric_answer": None},
            "no_numeric_key",
        ),
        (
            {
                "kind": "numeric",
                "choices": [],
                "numeric_answer": Decimal(500000),
                "numeric_min": Decimal(9),
                "numeric_max": Decimal(1),
            },
            "numeric_range_reversed",
        ),
        ({"kind": "short_text", "choices": [], "accepted_answers": [" "]}, "no_accepted_answer"),
        ({"kind": "short_text", "choices": [], "accepted_answers": ["Microsoft"]}, None),
        ({"prompt": "Did Microsoft purchase nearly 500,000 GPUs?"}, "key_in_stem"),
        ({"kind": "numeric", "choices": [], "numeric_answer": Decimal(500000)}, "key_in_stem"),
        (
            {
                "choices": [
                    DraftChoice("Microsoft", True, ""),
                    DraftChoice("A" + " very long invented company" * 3, False, ""),
                ]
            },
            "choices_uneven",
        ),
    ],
)
def test_validation_names_the_first_problem(changes, reason):
    assert problem_with(draft(**changes), {1: PASSAGE}) == reason


def test_validation_keeps_sound_drafts_and_counts_the_others_by_reason():
    batch = validated([draft(), draft(quote="invented"), draft(quote="made up"), draft(kind="essay")], [PASSAGE])
    assert len(batch.drafts) == 1
    assert batch.dropped == {"quote_not_in_passage": 2, "unknown_kind": 1}


def test_a_numeral_inside_another_number_does_not_count_as_the_key():
    assert numeral_in(Decimal(500000), "nearly 500,000 GPUs")
    assert not numeral_in(Decimal(500), "nearly 500,000 GPUs")
    assert not numeral_in(Decimal(2), "in 2024")


# --- Rewording ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "reworded"),
    [
        (
            "Leading domestic designs were often fabricated by TSMC in Taiwan",
            "TSMC in Taiwan frequently manufactured leading domestic designs",
        ),
        (
            "Before the war Russia relied heavily on foreign technology",
            "Russia depended heavily on foreign technology before the war",
        ),
        (
            "Officials estimate that 100,000 specialists left in 2022",
            "In 2022, officials reckon that 100,000 specialists left",
        ),
        ("Microsoft alone purchased nearly 500,000 GPUs", "Microsoft alone bought almost 500,000 GPUs"),
        ("The cat sat on the mat", None),
    ],
)
def test_a_paraphrase_rewords_without_touching_names_or_numbers(sentence, reworded):
    from drafting.engines.rewording import reword

    lowercase = frozenset({"leading", "officials", "the", "before"})
    assert reword(sentence, lowercase) == reworded


def test_a_phrase_closing_a_clause_becomes_a_single_choice_among_phrases_of_its_kind():
    drafts = candidates(
        "Russia's ambition has been crippled by Western sanctions.",
        "It is surviving on scraps of technology smuggled through backchannels.",
        "Developers turned to a shadowy network of intermediaries.",
        "The stagnation has been caused by the hardware supply chain.",
    )
    draft = next(d for d in drafts if d.rule == "single.phrase" and key_of(d) == ["Western sanctions"])
    wrong = [choice.text for choice in draft.choices if not choice.is_correct]
    assert wrong and set(wrong) <= {
        "scraps of technology smuggled through backchannels",
        "a shadowy network of intermediaries",
        "the hardware supply chain",
    }
    assert "Western sanctions" not in draft.prompt


def test_what_a_clause_leaves_behind_is_a_phrase_but_leaving_a_place_or_manner_is_not():
    sentences = [
        "A brain drain saw engineers flee the country leaving a talent void that slows research.",
        "The engineers were leaving Moscow for good after the ban.",
        "Officials watched them leaving quickly after the war began.",
    ]
    found = [phrase.span.text for sentence in sentences for phrase in find_phrases(split_sentences(sentence)[0])]
    assert "a talent void" in found
    assert not any("Moscow" in text or "quickly" in text for text in found)


def test_a_list_of_names_and_the_questions_on_each_name_compete_for_one_place():
    paragraphs = (
        "They source chips through third countries like Kazakhstan and the UAE at inflated prices.",
        "Armenia hosts engineers who left after the war began.",
        "Georgia welcomed programmers who moved from the capital.",
    )
    found = candidates_for_all(*paragraphs)
    listing = next(c for c in found if c.draft.rule == "multiple.listing" and "Kazakhstan" in c.answer_terms)
    on_each = [c for c in found if c.draft.kind == "short_text" and c.draft.quote == listing.draft.quote]
    assert {tuple(c.draft.accepted_answers) for c in on_each} == {("Kazakhstan",), ("UAE",)}
    assert {c.fact for c in on_each} == {listing.fact}
    assert {c.fact for c in found if "Armenia" in c.answer_terms} == {"name:armenia"}
    batch = get_engine("offline").draft(passages_of(*paragraphs))
    asked = [d for d in batch.drafts if d.quote == listing.draft.quote]
    assert len(asked) == 1  # one question on the list, not one on a name that shows the other


def test_a_list_of_names_takes_names_of_the_same_kind_as_distractors_the_sources_subjects_first():
    paragraphs = (
        "They source chips through third countries like Kazakhstan and the UAE at inflated prices.",
        "Russia buys its chips abroad these days. Russia builds its models at home now. Russia trains many engineers.",
        "Engineers use ChatGPT and Google Gemini every single day.",
        "Armenia hosts engineers who left after the war began.",
    )
    listing = next(
        c.draft
        for c in candidates_for_all(*paragraphs)
        if c.draft.rule == "multiple.listing" and "Kazakhstan" in key_of(c.draft)
    )
    wrong = [choice.text for choice in listing.choices if not choice.is_correct]
    assert "Russia" in wrong and not {"ChatGPT", "Google Gemini"} & set(wrong)


def test_statement_questions_use_sentences_that_hold_no_other_drafts_answer():
    passages = article_passages()
    index = SourceIndex(passages)
    for draft in [c.draft for p in passages for c in candidates_for(index, p) if c.draft.rule == "multiple.statements"]:
        assert not re.search(r"\d", " ".join(choice.text for choice in draft.choices))


def test_table_rows_and_code_make_no_questions():
    drafts = candidates(
        "| accounts/ | sign-up and log-in pages, 5 failures | quiz/bank/ | 84 files |",
        "Run `manage.py draft_questions article.txt --engine offline` to print 25 drafts.",
    )
    assert drafts == []


def test_a_malformed_number_is_not_read_as_a_shorter_one():
    assert find_quantities("They bought 500,0 GPUs.") == []
    assert [q.value for q in find_quantities("They bought 500,000 GPUs.")] == [Decimal(500000)]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(
            alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs", "S"]),
            min_size=0,
            max_size=300,
        ),
        max_size=4,
    )
)
def test_any_text_drafts_without_error_and_quotes_verbatim(paragraphs):
    passages = passages_of(*paragraphs)
    batch = get_engine("offline").draft(passages)
    for draft in batch.drafts:
        assert draft.quote in passages[draft.passage_position - 1].text


def test_no_passages_no_drafts():
    assert get_engine("offline").draft([]).drafts == []


def test_months_common_words_and_bylines_are_not_asked_as_names():
    drafts = candidates(
        "By Ingrid Solberg, transport correspondent",
        "The minister said in March that every new contract would require clean vessels.",
        "Critics such as the economist Kari Lunde warn that the ferries depend on subsidies.",
        "Siemens Energy supplied the battery systems for the first vessels on the route.",
    )
    answers = {answer for d in drafts if d.kind == "short_text" for answer in d.accepted_answers}
    assert not answers & {"March", "Critics", "Energy", "Ingrid Solberg"}
    assert {"Siemens Energy", "Kari Lunde"} <= answers


def test_a_span_of_years_is_no_list_and_a_long_quotation_no_term():
    drafts = candidates(
        "Enova granted about 1.2 billion kroner to ferry operators between 2016 and 2022 for the new boats.",
        'He called the ferries "the quiet workhorses of the green shift" at the opening of the route.',
    )
    assert not [d for d in drafts if d.rule == "multiple.listing"]
    assert not [d for d in drafts if "the quiet workhorses of the green shift" in d.accepted_answers]
    assert all("[…][…]" not in d.prompt for d in drafts)


def test_a_false_statement_is_reworded_too_but_a_statement_questions_altered_choice_reads_like_the_source():
    passages = passages_of(
        "By last year the share of imports from China had surged to a record high for the whole sector.",
        "Critics argue that this top down approach stifles the entrepreneurial risk taking in the sector.",
    )
    index = SourceIndex(passages)
    for facts in index.sentences:
        for text, _, _, _ in _misreadings(index, facts):
            assert text.rstrip(".") not in facts.sentence.text  # never the source's words with one changed
        for text, _, _, _ in _misreadings(index, facts, reworded=False):
            assert text[1:] not in facts.sentence.text and len(text.split()) == len(facts.sentence.text.split())
