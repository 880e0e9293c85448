from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from lti_tool.admin import LtiRegistrationAdmin
from lti_tool.models import LtiRegistration

from lti.models import GradeSync, PlatformFraming, RegistrationInvite


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


@admin.register(RegistrationInvite)
class RegistrationInviteAdmin(admin.ModelAdmin):
    """One-time links for LTI Dynamic Registration: paste the link in the LMS's tool registration."""

    list_display = ["__str__", "created_at", "used_at", "registration"]
    fields = ["note", "link", "created_at", "used_at", "registration"]
    readonly_fields = ["link", "created_at", "used_at", "registration"]

    @admin.display(description="Registration URL to paste in the LMS")
    def link(self, invite: RegistrationInvite) -> str:
        if not invite.pk:
            return "Save to get the link."
        path = reverse("lti_register", args=[invite.token])
        return format_html("This site's address followed by <code>{}</code> (works once, for 7 days)", path)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser
