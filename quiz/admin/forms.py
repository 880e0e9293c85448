"""Forms behind the authoring admin: the question form, its choices, quiz ordering."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html
from django.utils.text import slugify

from content.models import Passage, Source
from quiz.bank.answer_keys import choice_errors
from quiz.bank.citations import quote_suggestion
from quiz.models import Question

PASSAGE_LABEL_LENGTH = 90


class PassageSelect(forms.Select):
    """Passages grouped by source; each option carries its full text, and the chosen
    passage's text is printed under the list, so the quote can be copied from it
    (a script swaps the text as the choice changes; without it, it shows after saving)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.passages: dict[str, Passage] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        passage = self.passages.get(str(value))
        if passage is not None:
            option["attrs"]["data-text"] = passage.text
            option["attrs"]["data-source"] = str(passage.source_id)
        return option

    def render(self, name, value, attrs=None, renderer=None):
        select = super().render(name, value, attrs, renderer)
        passage = self.passages.get(str(value))
        text = passage.text if passage else "Pick a passage to see its text here."
        return format_html(
            '{}<div class="cited-passage" aria-live="polite"><p class="cited-passage-label">Passage text</p>'
            '<blockquote class="cited-passage-text" data-empty="Pick a passage to see its text here.">{}'
            "</blockquote></div>",
            select,
            text,
        )


def passage_choices(passages: list[Passage]) -> list:
    grouped: dict[Source, list] = {}
    for passage in passages:
        preview = (
            passage.text
            if len(passage.text) <= PASSAGE_LABEL_LENGTH
            else passage.text[: PASSAGE_LABEL_LENGTH - 1] + "…"
        )
        grouped.setdefault(passage.source, []).append((passage.pk, f"¶{passage.position} · {preview}"))
    return [("", "---------")] + [(source.title, options) for source, options in grouped.items()]


class AcceptedAnswersField(forms.CharField):
    """Short-text answers, one per line, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        answers = []
        for line in text.splitlines():
            line = line.strip()
            if line and line not in answers:
                answers.append(line)
        return answers

    def has_changed(self, initial, data):
        return (initial or []) != self.to_python(data)


class QuestionAdminForm(forms.ModelForm):
    source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        help_text="The source to cite; it narrows the passage list.",
    )
    passage = forms.ModelChoiceField(
        queryset=Passage.objects.select_related("source"),
        widget=PassageSelect,
        help_text="The passage that proves the answer.",
        error_messages={"required": "Pick the passage that proves the answer."},
    )
    accepted_answers = AcceptedAnswersField(
        required=False,
        help_text=(
            "Short-text questions: every answer to accept, one per line. Case, spacing, punctuation and "
            "accents are ignored; the rules below say what else counts."
        ),
    )
    key = forms.SlugField(
        max_length=100,
        required=False,
        help_text="A stable name for the question (letters, digits, hyphens). Leave blank to make one from the prompt.",
    )

    class Meta:
        model = Question
        # The admin's fieldsets choose what is shown and pass them in; this is only the fallback.
        fields = "__all__"  # noqa: DJ007
        error_messages = {
            "numeric_tolerance": {
                "min_value": "The tolerance cannot be negative: use 0 for an exact answer.",
                "required": "Give a tolerance: 0 for an exact answer.",
            },
            "prompt": {"required": "Write the question students will read."},
            "explanation": {"required": "Explain why the answer is right; students read it with the feedback."},
            "quote": {"required": "Copy the words of the passage that prove the answer."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        passages = list(Passage.objects.select_related("source").order_by("source__title", "source_id", "position"))
        widget = self.fields["passage"].widget
        widget.choices = passage_choices(passages)
        widget.passages = {str(passage.pk): passage for passage in passages}
        sources = {passage.source_id for passage in passages}
        if self.instance.passage_id:
            self.fields["source"].initial = self.instance.passage.source_id
        elif len(sources) == 1:
            self.fields["source"].initial = next(iter(sources))

    def clean(self):
        cleaned = super().clean()
        source, passage, quote = cleaned.get("source"), cleaned.get("passage"), cleaned.get("quote")
        if source and passage and passage.source_id != source.pk:
            self.add_error(
                "passage", f"¶{passage.position} belongs to “{passage.source}”: pick a passage of “{source}”."
            )
        if passage and quote and quote not in passage.text:
            suggestion = quote_suggestion(passage.text, quote)
            if suggestion:
                self.add_error("quote", f"The passage prints it this way: “{suggestion}”. Copy that instead.")
        if self.instance.pk and "kind" in self.changed_data:
            answered = self.instance.responses.count()
            if answered:
                self.add_error(
                    "kind",
                    f"Students have answered this question {answered} time(s), so its kind cannot change: "
                    "use the “Duplicate” action and change the copy instead.",
                )
        if not cleaned.get("key") and cleaned.get("prompt"):
            cleaned["key"] = unique_key(slugify(cleaned["prompt"])[:60] or "question")
        elif not cleaned.get("key"):
            self.add_error("key", "Give the question a key, or write the prompt to make one from it.")
        return cleaned


def unique_key(base: str, taken: set[str] | None = None) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever no question has yet."""
    base = base[:94]
    if taken is None:
        taken = set(Question.objects.filter(key__startswith=base).values_list("key", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


class ChoiceInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            (form.cleaned_data.get("text", ""), bool(form.cleaned_data.get("is_correct")))
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        errors = choice_errors(self.instance.kind, kept)
        if errors:
            raise ValidationError(errors)

    def save_new(self, form, commit=True):
        # Left at 0, a new choice goes after the others instead of jumping to the top.
        if not form.instance.position:
            form.instance.position = max((f.instance.position for f in self.forms if f.instance.pk), default=0) + 1
        return super().save_new(form, commit)


class PositionedInlineFormSet(BaseInlineFormSet):
    """New quiz questions left at position 0 go to the end of the quiz."""

    def save_new(self, form, commit=True):
        if not form.instance.position:
            taken = [f.instance.position for f in self.forms if f.instance.pk] + list(self._new_positions)
            form.instance.position = max(taken, default=0) + 1
            self._new_positions.append(form.instance.position)
        return super().save_new(form, commit)

    def save(self, commit=True):
        self._new_positions: list[int] = []
        return super().save(commit)


class PrefetchedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose chosen option's label comes from a dict filled once per
    page, instead of one query per inline row (the stock widget's N+1)."""

    labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        selected = [str(item) for item in value if item not in (None, "")]
        if not all(item in self.labels for item in selected):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for item in selected[:1]:
            options.append(self.create_option(name, item, self.labels[item], True, len(options)))
        return [(None, options, 0)]


class AddToQuizForm(forms.Form):
    quiz: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, empty_label=None, error_messages={"required": "Pick the quiz to add the questions to."}
    )

    def __init__(self, *args, user, **kwargs):
        from quiz.ownership import quizzes_changeable_by

        super().__init__(*args, **kwargs)
        # Only quizzes this teacher may change: adding a question changes what a quiz's classes see.
        self.fields["quiz"].queryset = quizzes_changeable_by(user).order_by("title")
