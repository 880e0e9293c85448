"""Sources in the admin: paste a text, its passages are split from it, then corrected.

No save may silently break a citation: a passage edit, or a change of the
source text (which re-splits it), is refused with the list of questions whose
quote would no longer stand verbatim in their passage.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from content.loading import sync_passages
from content.models import Passage, Source
from content.splitting import split_passages
from quiz.bank.citations import broken_by_passage_edit, broken_by_resplit
from quiz.ownership import may_change, sources_changeable_by


def _listing(questions_and_reasons) -> str:
    return "; ".join(f"“{question.key}” ({reason})" for question, reason in questions_and_reasons)


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = ("title", "slug", "publisher", "url", "published_on", "text")
        help_texts = {
            "text": "Paste the whole text. It is split into passages when you save (title, headings, "
            "bullet points, paragraphs); correct the passages below afterwards if needed.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The passage formset compares against this to spot a text change in the same save.
        self.instance.loaded_text = self.instance.text

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        pieces = split_passages(text)
        if not pieces:
            raise ValidationError("No passages were found in this text: paste the source's words.")
        if self.instance.pk and text != self.instance.loaded_text:
            broken = broken_by_resplit(self.instance, pieces)
            if broken:
                raise ValidationError(
                    "This change would break citations, so it was not saved: "
                    + _listing(broken)
                    + ". Fix those questions first, or correct single passages below instead."
                )
        return text


class PassageForm(forms.ModelForm):
    class Meta:
        model = Passage
        fields = ("position", "kind", "text")

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if self.instance.pk and text != self.instance.text:
            broken = broken_by_passage_edit(self.instance, text)
            if broken:
                raise ValidationError(
                    "This edit would break citations, so it was not saved: "
                    + _listing((q, f"quotes “{q.quote}”") for q in broken)
                    + ". Keep those words in the passage, or change the questions' quotes first."
                )
        return text

    def clean_position(self) -> int:
        position = self.cleaned_data["position"]
        if self.instance.pk and position != self.instance.position:
            raise ValidationError("A passage keeps its position: citations and reader links point at it.")
        return position


class PassageInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        source = self.instance
        text_changed = source.pk and source.text != getattr(source, "loaded_text", source.text)
        if text_changed and any(form.has_changed() for form in self.forms):
            raise ValidationError(
                "You changed the source text and corrected passages in the same save. "
                "Save the text first (its passages are split again), then correct them."
            )


def _may_change(request, source: Source | None) -> bool:
    return source is None or may_change(request.user, source)


class PassageInline(admin.TabularInline):
    model = Passage
    form = PassageForm
    formset = PassageInlineFormSet
    extra = 1
    fields = ("position", "kind", "text")
    ordering = ("position",)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and _may_change(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and _may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and _may_change(request, obj)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ("title", "slug", "publisher", "published_on", "passage_count")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "text")
    inlines = [PassageInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and _may_change(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and _may_change(request, obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed |= {str(source) for source in objs if not _may_change(request, source)}
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj: Source, form, change: bool) -> None:
        if not change:
            obj.owner = request.user
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(passages_total=Count("passages"))

    @admin.display(description="Passages", ordering="passages_total")
    def passage_count(self, source: Source) -> int:
        return source.passages_total  # type: ignore[attr-defined]  # annotated by get_queryset

    def get_inlines(self, request, obj=None):
        # A new source has no passages yet: they are split from its text on save.
        return self.inlines if obj is not None else []

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        source = form.instance
        if not change or source.text != source.loaded_text:
            passages = sync_passages(source)
            messages.info(request, f"The text was split into {len(passages)} passages: check them below.")


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    form = PassageForm
    list_display = ("__str__", "source", "position", "kind")
    list_filter = ("source", "kind")
    list_select_related = ("source",)
    search_fields = ("text",)

    def get_readonly_fields(self, request, obj=None):
        return ("source", "position") if obj is not None else ()

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and _may_change(request, obj and obj.source)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and _may_change(request, obj and obj.source)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source":
            kwargs["queryset"] = sources_changeable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        return ("source", "position", "kind", "text")
