from django.contrib import admin

from quiz.models import Assignment, Attempt, Choice, Classroom, Question, Quiz, QuizQuestion, Response


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0
    fields = ("position", "text", "is_correct", "feedback")


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "passage", "is_published")
    list_filter = ("kind", "is_published", "passage__source")
    search_fields = ("prompt", "quote", "explanation", "key")
    autocomplete_fields = ("passage",)
    inlines = [ChoiceInline]


class QuizQuestionInline(admin.TabularInline):
    model = QuizQuestion
    extra = 0
    autocomplete_fields = ("question",)


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "is_published", "feedback_mode", "pass_mark")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuizQuestionInline]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("quiz", "student", "number", "started_at", "finished_at", "score", "max_score")
    list_filter = ("quiz",)
    readonly_fields = [field.name for field in Attempt._meta.fields]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("attempt", "question", "is_correct", "points_awarded", "answered_at")
    readonly_fields = [field.name for field in Response._meta.fields]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "teacher", "join_code")
    filter_horizontal = ("students",)
    inlines = [AssignmentInline]
