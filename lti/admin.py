from django.contrib import admin
from lti_tool.admin import LtiRegistrationAdmin
from lti_tool.models import LtiRegistration

from lti.models import GradeSync, PlatformFraming


class PlatformFramingInline(admin.StackedInline):
    model = PlatformFraming
    can_delete = False
    verbose_name = "Pages that may show Source Quiz in a frame"


admin.site.unregister(LtiRegistration)


@admin.register(LtiRegistration)
class RegistrationAdmin(LtiRegistrationAdmin):
    inlines = [*LtiRegistrationAdmin.inlines, PlatformFramingInline]


@admin.register(GradeSync)
class GradeSyncAdmin(admin.ModelAdmin):
    """Grades on their way to an LMS: for the operator to watch; teachers use their class's LMS page."""

    list_display = ["student", "placement", "score_given", "score_maximum", "state", "tries", "sent_at"]
    list_filter = ["state"]
    readonly_fields = [field.name for field in GradeSync._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
