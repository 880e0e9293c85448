from django import forms
from django.contrib.auth.forms import UserCreationForm

from quiz.models import QuestionKind, SubmittedAnswer
from quiz.reading.numbers import NumberRefused
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

    def submitted_answer(self) -> SubmittedAnswer:
        data = self.cleaned_data
        if "choices" in data:
            return SubmittedAnswer(choice_ids=frozenset(int(pk) for pk in data["choices"]))
        if "choice" in data:
            return SubmittedAnswer(choice_ids=frozenset({int(data["choice"])}))
        return SubmittedAnswer(text=data["answer"])


class SignUpForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ("username",)
