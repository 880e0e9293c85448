"""Create the Teachers group with exactly the permissions authoring needs.

The list is frozen here (quiz.roles.teacher_permission_names() is the living
copy, and a test keeps them equal). Permissions are normally created after all
migrations have run, so on a fresh database they are created here first.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TEACHER_PERMISSIONS = sorted(
    [
        f"{app}.{action}_{model}"
        for app, models in {
            "content": ["source", "passage"],
            "quiz": ["question", "choice", "quiz", "quizquestion", "classroom", "assignment"],
        }.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    + ["quiz.view_attempt", "quiz.view_response", "quiz.view_regradelog", "quiz.add_regradelog"]
)


def create_teachers_group(apps, schema_editor):
    for app_label in ("content", "quiz"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Teachers")
    wanted = [name.split(".") for name in TEACHER_PERMISSIONS]
    permissions = [
        Permission.objects.get(content_type__app_label=app_label, codename=codename) for app_label, codename in wanted
    ]
    group.permissions.set(permissions)


def remove_teachers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Teachers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("content", "0001_initial"),
        ("quiz", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_teachers_group, remove_teachers_group)]
