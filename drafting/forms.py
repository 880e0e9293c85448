from __future__ import annotations

from django import forms

from drafting.extraction import ACCEPTED_SUFFIXES, MAX_FILE_BYTES


class IntakeForm(forms.Form):
    """A file to upload, or text to paste: one of the two."""

    file = forms.FileField(
        required=False,
        allow_empty_file=True,  # the reader says "is empty (0 bytes)" in its own words
        label="Upload a file",
        help_text=f"A {ACCEPTED_SUFFIXES} file, up to 5 MB. A web page saved from the browser keeps its article only.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.html,.htm,.pdf,.docx"}),
    )
    text = forms.CharField(
        required=False,
        label="Or paste the text",
        help_text="The first line is taken as the title; leave a blank line between paragraphs.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload and text:
            raise forms.ValidationError("Upload a file or paste text, not both: clear one of them.")
        if not upload and not text and not self.errors:
            raise forms.ValidationError("Choose a file to upload, or paste the source's text.")
        if upload and upload.size > MAX_FILE_BYTES:
            self.add_error(
                "file", f"This file is {upload.size / 1024 / 1024:.1f} MB; the limit is 5 MB. Upload a smaller one."
            )
        return cleaned


class SourceDetailsForm(forms.Form):
    title = forms.CharField(max_length=300)
    author = forms.CharField(max_length=200, required=False)
    publisher = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        required=False, label="Published on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    url = forms.URLField(max_length=200, required=False, label="URL", assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = "Give the source a title."


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Why reject it?",
        error_messages={"required": "Say why you reject this draft: the reason helps improve the drafting rules."},
    )


class QuizFromDraftsForm(forms.Form):
    title = forms.CharField(max_length=200, label="Quiz title")
