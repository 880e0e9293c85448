"""The forms of the student and teacher pages (the admin's authoring forms are in quiz.admin.forms)."""

import re
from datetime import date, datetime, time, timedelta
from typing import cast

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import QueryDict
from django.utils import timezone

from quiz.models import Classroom, QuestionKind, Quiz, SubmittedAnswer
from quiz.reading.numbers import NumberRefused
from quiz.reporting.attempts import AttemptChoice, DateRange
from quiz.scoring import MAX_NUMERIC_INPUT

MAX_TEXT_ANSWER = 200


class AnswerForm(forms.Form):
    """Reads one answer for one question, accepting only the choices shown to this student.

    Fields are named ``choice`` (one pick), ``choices`` (several) or ``answer``
    (typed), so the same form serves every kind of question.
    """

    def __init__(self, *args, question, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        options = [(str(choice.pk), choice.text) for choice in choices]
        if question.kind == QuestionKind.MULTIPLE:
            self.fields["choices"] = forms.MultipleChoiceField(
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages={
                    "required": "Tick at least one answer.",
                    "invalid_choice": "That answer is not one of this question's choices.",
                },
            )
        elif question.has_choices:
            self.fields["choice"] = forms.ChoiceField(
                choices=options,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Pick one answer.",
                    "invalid_choice": "That answer is not one of this question's choices.",
                },
            )
        elif question.kind == QuestionKind.NUMERIC:
            self.fields["answer"] = forms.CharField(
                max_length=MAX_NUMERIC_INPUT,
                strip=True,
                error_messages={
                    "required": "Type a number.",
                    "max_length": "That is too long for a number.",
                },
            )
        else:
            self.fields["answer"] = forms.CharField(
                max_length=MAX_TEXT_ANSWER,
                strip=True,
                error_messages={
                    "required": "Type your answer.",
                    "max_length": f"Keep your answer under {MAX_TEXT_ANSWER} characters.",
                },
            )

    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"]
        if "\x00" in answer:
            raise forms.ValidationError("That answer contains characters we cannot read.")
        if self.question.kind == QuestionKind.NUMERIC:
            try:
                self.question.read_numeric_answer(answer)
            except NumberRefused as refusal:
                # Not recorded, not marked wrong: the student reads why and types it again.
                raise forms.ValidationError(str(refusal)) from None
        return answer

    def selected_choice_ids(self) -> list[str]:
        """What a rejected form had ticked, so the student does not have to pick again."""
        if not self.is_bound:
            return []
        data = cast(QueryDict, self.data)
        return data.getlist("choices") or [data.get("choice", "")]

    def submitted_answer(self) -> SubmittedAnswer:
        data = self.cleaned_data
        if "choices" in data:
            return SubmittedAnswer(choice_ids=frozenset(int(pk) for pk in data["choices"]))
        if "choice" in data:
            return SubmittedAnswer(choice_ids=frozenset({int(data["choice"])}))
        return SubmittedAnswer(text=data["answer"])


class JoinClassForm(forms.Form):
    join_code = forms.CharField(
        max_length=40,
        label="Class code",
        help_text="The code your teacher gave you, for example K7QM2XPA.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": "Type the class code your teacher gave you."},
    )

    def clean_join_code(self) -> str:
        # Codes are read aloud and copied from a board: ignore case, spaces and dashes.
        code = re.sub(r"[\s\-]", "", self.cleaned_data["join_code"]).upper()
        if not code:
            raise forms.ValidationError("Type the class code your teacher gave you.")
        return code


def _day_bounds(start, end) -> DateRange:
    """Whole days, inclusive at both ends, in the site's time zone."""
    zone = timezone.get_current_timezone()
    return DateRange(
        started_from=datetime.combine(start, time.min, tzinfo=zone) if start else None,
        started_before=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone) if end else None,
    )


# Whole days are turned into moments at their bounds: past these, date arithmetic overflows.
CALENDAR = [
    MinValueValidator(date(1900, 1, 1), "Choose a date from 1900 on."),
    MaxValueValidator(date(9998, 12, 31), "Choose a date before the year 9999."),
]


class DateRangeForm(forms.Form):
    start = forms.DateField(
        required=False, label="Started from", validators=CALENDAR, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        required=False, label="Started until", validators=CALENDAR, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError("The end date is before the start date; swap them or clear one.")
        return cleaned

    def dates(self) -> DateRange:
        return _day_bounds(self.cleaned_data.get("start"), self.cleaned_data.get("end"))


class DashboardFilters(DateRangeForm):
    classroom = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    quiz = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class StatisticsFilters(DateRangeForm):
    classroom = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    attempts = forms.ChoiceField(choices=AttemptChoice.choices, required=False, label="Attempts to analyse")

    def which(self) -> str:
        return self.cleaned_data.get("attempts") or AttemptChoice.FIRST


class AssignmentForm(forms.Form):
    quiz = forms.ModelChoiceField(queryset=Quiz.objects.published(), empty_label="Choose a quiz…")
    due_at = forms.DateTimeField(
        required=False,
        label="Due (optional)",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quiz"].error_messages["invalid_choice"] = "Choose one of the published quizzes in the list."


class ExtensionForm(forms.Form):
    """One student's own due date for one of the class's quizzes; blank removes it."""

    quiz = forms.IntegerField(min_value=1)
    due_at = forms.DateTimeField(
        required=False,
        label="Due for this student",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ClassroomForm(forms.ModelForm):
    class Meta:
        model = Classroom
        fields = ["name"]
        labels = {"name": "Class name"}
        help_texts = {"name": "What your students will see, for example “Year 11 Current Affairs”."}

    def __init__(self, *args, teacher, **kwargs):
        super().__init__(*args, **kwargs)
        self.teacher = teacher

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError("Give the class a name.")
        if Classroom.objects.taught_by(self.teacher).filter(name__iexact=name).exists():
            raise forms.ValidationError("You already have a class with this name; choose another.")
        return name


class StudentFilters(forms.Form):
    quiz = forms.IntegerField(required=False, min_value=1)
    wrong_only = forms.BooleanField(required=False, label="Wrong answers only")
