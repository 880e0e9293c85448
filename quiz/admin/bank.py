"""The authoring tool: teachers write and maintain the question bank and quizzes here.

Custom pages (preview, citation check, regrade, import and export) live in
quiz/admin/views.py and hang off the question admin's URLs.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models, transaction
from django.db.models import Case, Count, ExpressionWrapper, F, FloatField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode

from accounts.roles import make_teacher, remove_teacher
from quiz.admin import views as admin_views
from quiz.admin.forms import (
    AddToQuizForm,
    ChoiceInlineFormSet,
    PositionedInlineFormSet,
    PrefetchedAutocompleteSelect,
    QuestionAdminForm,
    unique_key,
)
from quiz.admin.regrade import regrade_plan
from quiz.bank.key_cues import answer_key_cues
from quiz.bank.leaks import leaks_in_quiz
from quiz.models import (
    Assignment,
    Attempt,
    Choice,
    Classroom,
    Membership,
    Question,
    Quiz,
    QuizQuestion,
    RegradeLog,
    Response,
    students_taught_by,
)
from quiz.ownership import may_change, questions_changeable_by, why_not
from quiz.services import quiz_add_questions, quiz_duplicate

AUTHORING_MEDIA_JS = ("quiz/admin-authoring.js",)
AUTHORING_MEDIA_CSS = {"all": ("quiz/admin-authoring.css",)}


admin.site.site_header = "Source Quiz · authoring"
admin.site.site_title = "Source Quiz authoring"
admin.site.index_title = "Question bank, quizzes and sources"
# The question list needs the width more than a second menu beside the breadcrumbs.
admin.site.enable_nav_sidebar = False


class OwnedContentAdmin(admin.ModelAdmin):
    """Every author may view and use the whole bank; changing and deleting follow quiz.ownership."""

    owner_field = "owner"

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def get_deleted_objects(self, objs, request):
        # "Delete selected" asks only the model permission: name what this user may not delete, so it is refused.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        perms_needed |= {str(obj) for obj in objs if not may_change(request.user, obj)}
        return deleted, counts, perms_needed, protected

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        # Only a superuser hands content over to someone else.
        return fields if request.user.is_superuser else (*fields, self.owner_field)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, object_id)
            if obj is not None and not may_change(request.user, obj):
                messages.info(request, why_not(request.user, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change: bool) -> None:
        # Whoever creates a quiz, question or source owns it (a superuser may name another owner).
        if not change and getattr(obj, f"{self.owner_field}_id") is None:
            setattr(obj, self.owner_field, request.user)
        super().save_model(request, obj, form, change)


class OwnedParentInline(admin.TabularInline):
    """An inline (choices, a quiz's questions, a source's passages) is changed only by who may change its parent."""

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or may_change(request.user, obj))


class ChoiceInline(OwnedParentInline):
    model = Choice
    formset = ChoiceInlineFormSet
    fields = ("position", "text", "is_correct", "feedback")
    ordering = ("position", "id")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 50})}}

    def get_extra(self, request, obj=None, **kwargs):
        # Blank rows so choices can be added without JavaScript; unchanged ones are ignored.
        return 4 if obj is None else 2


def _answer_stats(queryset):
    """Times answered and share fully correct, as correlated subqueries.

    Subqueries rather than a JOIN + COUNT so the quiz filter (another JOIN) cannot
    multiply the counts, and the changelist stays one query whatever the history.
    """
    responses = Response.objects.filter(question=OuterRef("pk")).order_by().values("question")
    answered = Subquery(responses.annotate(total=Count("pk")).values("total"))
    correct = Subquery(responses.filter(is_correct=True).annotate(total=Count("pk")).values("total"))
    return queryset.annotate(times_answered=Coalesce(answered, 0), times_correct=Coalesce(correct, 0)).annotate(
        percent_correct=Case(
            When(times_answered=0, then=Value(None)),
            default=ExpressionWrapper(F("times_correct") * 100.0 / F("times_answered"), output_field=FloatField()),
            output_field=FloatField(),
        )
    )


def _key_cues(question: Question) -> list[str]:
    return answer_key_cues(question.prompt, [(c.text, c.is_correct) for c in question.choices.all()])


@admin.register(Question)
class QuestionAdmin(OwnedContentAdmin):
    owner_field = "author"
    form = QuestionAdminForm
    change_list_template = "admin/quiz/question/change_list.html"
    change_form_template = "admin/quiz/question/change_form.html"
    list_display = ("prompt_column", "kind", "citation", "published", "answered_column", "correct_column", "preview")
    list_display_links = ("prompt_column",)
    list_filter = (
        "kind",
        "cognitive_level",
        ("passage__source", admin.RelatedFieldListFilter),
        ("passage", admin.RelatedOnlyFieldListFilter),
        ("quizzes", admin.RelatedFieldListFilter),
        "is_published",
        ("author", admin.RelatedOnlyFieldListFilter),
    )
    list_select_related = ("passage__source",)
    search_fields = ("prompt", "quote", "explanation", "key")
    readonly_fields = ("author", "cited_fingerprint", "created_at", "updated_at", "key_cues")
    inlines = [ChoiceInline]
    actions = ["publish", "unpublish", "duplicate", "add_to_quiz", "regrade", "export_json", "export_gift"]
    list_per_page = 50
    fieldsets = (
        (None, {"fields": ("kind", "prompt", "cognitive_level", "points", "is_published", "key", "key_cues")}),
        ("Citation", {"fields": ("source", "passage", "quote", "explanation"), "classes": ("citation-fieldset",)}),
        (
            "Numeric answer",
            {
                "fields": ("numeric_answer", "numeric_tolerance", ("numeric_min", "numeric_max"), "numeric_unit"),
                "classes": ("kind-fieldset", "kind-numeric"),
                "description": "Numeric questions only: the right value, how far off an answer may be (± tolerance, "
                "or a lowest and/or highest accepted value instead), and its unit. Students may type the unit, "
                "its synonyms or words of the prompt after the number; another unit is refused with a sentence.",
            },
        ),
        (
            "Short-text answer",
            {
                "fields": ("accepted_answers", "match_whole_words", "allow_typos", "read_other_scripts"),
                "classes": ("kind-fieldset", "kind-short_text"),
            },
        ),
        ("History", {"fields": ("author", "cited_fingerprint", "created_at", "updated_at"), "classes": ("collapse",)}),
    )

    class Media:
        js = AUTHORING_MEDIA_JS
        css = AUTHORING_MEDIA_CSS

    def get_queryset(self, request: HttpRequest):
        return _answer_stats(super().get_queryset(request))

    def get_urls(self):
        view = self.admin_site.admin_view
        custom = [
            path("citations/", view(admin_views.citation_check), name="quiz_question_citations"),
            path("regrade/", view(admin_views.regrade), name="quiz_question_regrade"),
            path("import/", view(admin_views.bank_import), name="quiz_question_import"),
            path("export/", view(admin_views.bank_export), name="quiz_question_export"),
            path("<int:pk>/preview/", view(admin_views.question_preview), name="quiz_question_preview"),
        ]
        return custom + super().get_urls()

    @admin.display(description="Question", ordering="prompt")
    def prompt_column(self, question: Question) -> str:
        return str(question)

    @admin.display(description="Cites", ordering="passage__position")
    def citation(self, question: Question) -> str:
        return f"{question.passage.source.slug} ¶{question.passage.position}"

    @admin.display(description="Published", boolean=True, ordering="is_published")
    def published(self, question: Question) -> bool:
        return question.is_published

    @admin.display(description="Times answered", ordering="times_answered")
    def answered_column(self, question: Question) -> int:
        return question.times_answered  # type: ignore[attr-defined]  # annotated by get_queryset

    @admin.display(description="% correct", ordering="percent_correct")
    def correct_column(self, question: Question) -> str:
        percent = question.percent_correct  # type: ignore[attr-defined]  # annotated by get_queryset
        return "—" if percent is None else f"{percent:.0f}%"

    @admin.display(description="Preview")
    def preview(self, question: Question) -> str:
        url = reverse("admin:quiz_question_preview", args=[question.pk])
        return format_html('<a href="{}">Preview<span class="visually-hidden"> {}</span></a>', url, question.key)

    @admin.display(description="Answer-key cues")
    def key_cues(self, question: Question) -> str:
        if not question.pk or not question.has_choices:
            return "—"
        cues = _key_cues(question)
        if not cues:
            return "None: the right choice does not stand out by length or wording."
        return format_html(
            '<ul class="cue-list">{}</ul>', format_html_join("", "<li>{}</li>", ((cue,) for cue in cues))
        )

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        question = form.instance
        for cue in _key_cues(question) if question.has_choices else []:
            messages.warning(request, cue)
        if change and request.user.has_perm("quiz.add_regradelog"):
            # Counted over this teacher's own students: a regrade never reaches another class.
            changed = regrade_plan(
                Question.objects.filter(pk=question.pk),
                students=None if request.user.is_superuser else students_taught_by(request.user),
            )
            if changed:
                url = reverse("admin:quiz_question_regrade") + "?" + urlencode({"ids": question.pk})
                messages.warning(
                    request,
                    format_html(
                        "Past answers were scored with the old answer key: {} attempt(s) would score differently now. "
                        '<a href="{}">Review the regrade</a> — scores change only when you confirm it.',
                        len(changed),
                        url,
                    ),
                )

    def has_regrade_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perms(["quiz.change_question", "quiz.add_regradelog"])

    def _only_changeable(self, request, queryset):
        """The selected questions this user may change; says how many others were left alone."""
        changeable = questions_changeable_by(request.user, queryset)
        skipped = queryset.count() - changeable.count()
        if skipped:
            self.message_user(
                request,
                f"{skipped} selected question(s) were left as they are: they are not yours to change "
                "(duplicate them to adapt them).",
                messages.WARNING,
            )
        return changeable

    @admin.action(description="Publish selected questions", permissions=["change"])
    def publish(self, request, queryset) -> None:
        count = self._only_changeable(request, queryset).update(is_published=True)
        self.message_user(request, f"Published {count} question(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected questions", permissions=["change"])
    def unpublish(self, request, queryset) -> None:
        count = self._only_changeable(request, queryset).update(is_published=False)
        self.message_user(request, f"Unpublished {count} question(s); quizzes skip them from the next attempt on.")

    @admin.action(description="Duplicate selected questions (copies start unpublished)", permissions=["add"])
    def duplicate(self, request, queryset) -> None:
        originals = list(queryset.select_related("passage").prefetch_related("choices").order_by("key"))
        taken = set(Question.objects.filter(key__regex=r"-copy(-[0-9]+)?$").values_list("key", flat=True))
        copies = []
        for original in originals:
            key = unique_key(f"{original.key[:90]}-copy", taken)
            taken.add(key)
            copies.append(
                Question(
                    key=key,
                    kind=original.kind,
                    prompt=original.prompt,
                    explanation=original.explanation,
                    passage=original.passage,
                    quote=original.quote,
                    cited_fingerprint=original.cited_fingerprint,
                    numeric_answer=original.numeric_answer,
                    numeric_tolerance=original.numeric_tolerance,
                    numeric_min=original.numeric_min,
                    numeric_max=original.numeric_max,
                    numeric_unit=original.numeric_unit,
                    accepted_answers=list(original.accepted_answers),
                    match_whole_words=original.match_whole_words,
                    allow_typos=original.allow_typos,
                    read_other_scripts=original.read_other_scripts,
                    points=original.points,
                    is_published=False,
                    author=request.user,
                )
            )
        with transaction.atomic():
            Question.objects.bulk_create(copies)
            Choice.objects.bulk_create(
                Choice(question=copy, position=c.position, text=c.text, is_correct=c.is_correct, feedback=c.feedback)
                for original, copy in zip(originals, copies, strict=True)
                for c in original.choices.all()
            )
        self.message_user(
            request, f"Made {len(copies)} unpublished copy(ies): {', '.join(c.key for c in copies)}.", messages.SUCCESS
        )

    @admin.action(description="Add selected questions to a quiz…", permissions=["change"])
    def add_to_quiz(self, request, queryset):
        if not request.user.has_perm("quiz.add_quizquestion"):
            self.message_user(request, "You may not change quizzes.", messages.ERROR)
            return None
        form = AddToQuizForm(request.POST if "apply" in request.POST else None, user=request.user)
        if form.is_bound and form.is_valid():
            quiz = form.cleaned_data["quiz"]
            added = quiz_add_questions(quiz=quiz, questions=queryset)
            skipped = queryset.count() - added
            note = f" ({skipped} already in it)" if skipped else ""
            self.message_user(request, f"Added {added} question(s) to “{quiz}”{note}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Add questions to a quiz",
            "opts": self.model._meta,
            "form": form,
            "questions": queryset.order_by("key"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/quiz/question/add_to_quiz.html", context)

    @admin.action(description="Regrade selected questions…", permissions=["regrade"])
    def regrade(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return admin_views.redirect_with_query("admin:quiz_question_regrade", ids=ids)

    @admin.action(description="Export selected questions (JSON)", permissions=["view"])
    def export_json(self, request, queryset):
        return admin_views.bank_download(queryset, "json")

    @admin.action(description="Export selected questions (GIFT)", permissions=["view"])
    def export_gift(self, request, queryset):
        return admin_views.bank_download(queryset, "gift")


class QuizQuestionInline(OwnedParentInline):
    model = QuizQuestion
    formset = PositionedInlineFormSet
    fields = ("position", "question")
    autocomplete_fields = ("question",)
    ordering = ("position", "id")
    extra = 1
    verbose_name = "question"
    verbose_name_plural = "Questions, in order (positions left at 0 go last)"

    def get_queryset(self, request):
        # Each row's title prints its quiz: joined here rather than fetched once per row.
        return super().get_queryset(request).select_related("quiz")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs["widget"] = PrefetchedAutocompleteSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        labels = {}
        if obj is not None:
            labels = {str(q.pk): str(q) for q in Question.objects.filter(quiz_questions__quiz=obj)}
        widget = formset.form.base_fields["question"].widget
        getattr(widget, "widget", widget).labels = labels
        return formset


@admin.register(Quiz)
class QuizAdmin(OwnedContentAdmin):
    actions = ["duplicate"]
    list_display = (
        "title",
        "is_published",
        "question_count",
        "feedback_mode",
        "pass_mark",
        "opens_at",
        "closes_at",
        "owner",
        "play",
    )
    # Whose quiz it is tells a teacher at a glance which ones they may change.
    list_select_related = ("owner",)
    list_filter = ("is_published", "feedback_mode", ("owner", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "slug", "description")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("play", "leaks")
    inlines = [QuizQuestionInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "description", "owner", "play")}),
        (
            "Answers given away",
            {
                "fields": ("leaks",),
                "description": "A question must not print another's answer in its prompt or choices, nor in its "
                "explanation or feedback when students see feedback after each question.",
            },
        ),
        ("How it plays", {"fields": ("shuffle_questions", "shuffle_choices", "feedback_mode", "time_limit_minutes")}),
        ("Attempts and passing", {"fields": ("attempts_allowed", "grading_method", "pass_mark")}),
        (
            "Review: what the results page shows, and when",
            {
                "fields": ("review_answers", "review_key", "review_feedback"),
                "description": "For a graded quiz keep the right answers and explanations until the student has "
                "no attempts left or the quiz has closed, so one attempt cannot feed the next. "
                "A practice quiz can show everything right after each attempt.",
            },
        ),
        (
            "Availability",
            {
                "fields": ("is_published", "opens_at", "closes_at"),
                "description": "Students see the quiz once it is published, between its opening and closing times.",
            },
        ),
    )

    class Media:
        css = AUTHORING_MEDIA_CSS

    def get_queryset(self, request):
        links = QuizQuestion.objects.filter(quiz=OuterRef("pk")).order_by().values("quiz")
        count = Subquery(links.annotate(total=Count("pk")).values("total"))
        return super().get_queryset(request).annotate(questions_total=Coalesce(count, 0))

    @admin.display(description="Questions", ordering="questions_total")
    def question_count(self, quiz: Quiz) -> int:
        return quiz.questions_total  # type: ignore[attr-defined]  # annotated by get_queryset

    @admin.action(
        description="Duplicate selected quizzes (copies are yours and start unpublished)", permissions=["add"]
    )
    def duplicate(self, request, queryset) -> None:
        copies = [
            quiz_duplicate(quiz=quiz, owner=request.user)
            for quiz in queryset.prefetch_related("quiz_questions").order_by("slug")
        ]
        self.message_user(
            request, f"Made {len(copies)} unpublished copy(ies): {', '.join(c.slug for c in copies)}.", messages.SUCCESS
        )

    @admin.display(description="Play it")
    def play(self, quiz: Quiz) -> str:
        if not quiz.pk:
            return "Save the quiz first."
        if not quiz.is_published:
            return "Publish the quiz to play it as a student would."
        return format_html('<a href="{}">Play “{}” as a student</a>', quiz.get_absolute_url(), quiz.title)

    @admin.display(description="Leaks")
    def leaks(self, quiz: Quiz) -> str:
        if not quiz.pk:
            return "Save the quiz first."
        found = leaks_in_quiz(quiz)
        if not found:
            return "None: no question gives away another's answer in this quiz."
        return format_html(
            '<ul class="leak-list">{}</ul>', format_html_join("", "<li>{}</li>", ((leak.describe(),) for leak in found))
        )

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # The questions are saved with the inline, so the quiz is checked only now.
        found = leaks_in_quiz(form.instance)
        if found:
            url = reverse("admin:quiz_quiz_change", args=[form.instance.pk])
            messages.warning(
                request,
                format_html(
                    'In “{}”, {} time(s) a question gives away another\'s answer. <a href="{}">See which</a>.',
                    form.instance.title,
                    len(found),
                    url,
                ),
            )


class TeacherScopedAdmin(admin.ModelAdmin):
    """Students' records: a teacher sees their own classes' students only; a superuser sees all.

    Objects outside the scope are treated by the admin as not existing. The records
    are written by the app alone (taking quizzes, regrading), never added by hand.
    """

    student_path = "student"
    # "View on site" would open the student's own quiz page: a 404 for anyone but the student.
    view_on_site = False

    def has_add_permission(self, request):
        return False

    @staticmethod
    def people_shown_as_names(model, *people: str) -> tuple[str, ...]:
        """Every field read-only, a person as their name: the admin would link a person to the
        user admin, which a teacher may not open."""
        return tuple(f"{field.name}_name" if field.name in people else field.name for field in model._meta.fields)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.student_path}__in": students_taught_by(request.user)})


@admin.register(Attempt)
class AttemptAdmin(TeacherScopedAdmin):
    list_display = ("quiz", "student", "number", "started_at", "finished_at", "score", "max_score")
    list_filter = ("quiz",)
    list_select_related = ("quiz", "student")
    readonly_fields = fields = TeacherScopedAdmin.people_shown_as_names(Attempt, "student")

    @admin.display(description="student")
    def student_name(self, attempt: Attempt) -> str:
        return str(attempt.student)


@admin.register(Response)
class ResponseAdmin(TeacherScopedAdmin):
    student_path = "attempt__student"
    list_display = ("attempt", "question", "is_correct", "points_awarded", "answered_at")
    list_select_related = ("attempt__quiz", "attempt__student", "question")
    readonly_fields = [field.name for field in Response._meta.fields]


@admin.register(RegradeLog)
class RegradeLogAdmin(TeacherScopedAdmin):
    student_path = "attempt__student"
    list_display = ("regraded_at", "attempt", "question", "old_score", "new_score", "regraded_by", "reason")
    list_select_related = ("attempt__quiz", "attempt__student", "question", "regraded_by")
    readonly_fields = fields = TeacherScopedAdmin.people_shown_as_names(RegradeLog, "regraded_by")

    @admin.display(description="regraded by")
    def regraded_by_name(self, log: RegradeLog) -> str:
        return str(log.regraded_by or "—")

    def has_change_permission(self, request, obj=None):
        return False


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


class MembershipInline(admin.TabularInline):
    """The class's students, with the date each joined (a superuser's tool: see get_inlines)."""

    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "joined_at")
    verbose_name = "student"
    verbose_name_plural = "students"


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "teacher", "join_code")
    list_select_related = ("teacher",)
    inlines = [AssignmentInline]

    def get_inlines(self, request, obj=None):
        # Students join with the class code; only a superuser adds or removes them here.
        return [AssignmentInline, MembershipInline] if request.user.is_superuser else [AssignmentInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(teacher=request.user)

    def get_exclude(self, request, obj=None):
        # A teacher's classes are their own; only a superuser hands a class to someone else.
        return () if request.user.is_superuser else ("teacher",)

    def get_readonly_fields(self, request, obj=None):
        # Students join with the class code; listing every account on the site to pick
        # from would show teachers people who are not theirs.
        return ("students",) if request.user.is_superuser else ("students", "join_code")

    def save_model(self, request, obj, form, change):
        if not change and not request.user.is_superuser:
            obj.teacher = request.user
        super().save_model(request, obj, form, change)


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    actions = ["grant_teacher", "revoke_teacher"]

    def has_teacher_role_permission(self, request) -> bool:
        return request.user.is_superuser

    @admin.action(description="Make selected users teachers", permissions=["teacher_role"])
    def grant_teacher(self, request, queryset) -> None:
        for user in queryset:
            make_teacher(user)
        self.message_user(request, f"{queryset.count()} user(s) are now teachers.", messages.SUCCESS)

    @admin.action(description="Remove selected users from the teachers", permissions=["teacher_role"])
    def revoke_teacher(self, request, queryset) -> None:
        for user in queryset:
            remove_teacher(user)
        self.message_user(request, f"{queryset.count()} user(s) are no longer teachers.", messages.SUCCESS)
