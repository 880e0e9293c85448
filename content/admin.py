from django.contrib import admin

from content.models import Passage, Source


class PassageInline(admin.TabularInline):
    model = Passage
    extra = 0
    fields = ("position", "kind", "text")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "publisher", "published_on")
    prepopulated_fields = {"slug": ("title",)}
    search_fields = ("title", "text")
    inlines = [PassageInline]


@admin.register(Passage)
class PassageAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "position", "kind")
    list_filter = ("source", "kind")
    search_fields = ("text",)
