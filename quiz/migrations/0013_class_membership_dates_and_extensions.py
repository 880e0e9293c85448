"""Students' class membership keeps the date they joined; per-student extensions of due dates.

The membership table is the one the plain many-to-many already had
(``quiz_classroom_students``): the model takes it over in the migration state, and the
database only gains a ``joined_at`` column, empty for students who joined before it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def add_joined_at(apps, schema_editor):
    membership = apps.get_model("quiz", "Membership")
    # Added as a plain nullable column: the model's default (now) would otherwise date
    # every earlier member to the day of the migration.
    column = models.DateTimeField(null=True, blank=True)
    column.set_attributes_from_name("joined_at")
    schema_editor.add_field(membership, column)


def remove_joined_at(apps, schema_editor):
    membership = apps.get_model("quiz", "Membership")
    schema_editor.remove_field(membership, membership._meta.get_field("joined_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0012_question_starts_as_draft"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("joined_at", models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True)),
                        (
                            "classroom",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="memberships",
                                to="quiz.classroom",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="class_memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"db_table": "quiz_classroom_students", "unique_together": {("classroom", "user")}},
                ),
                migrations.AlterField(
                    model_name="classroom",
                    name="students",
                    field=models.ManyToManyField(
                        blank=True, related_name="classrooms", through="quiz.Membership", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(add_joined_at, remove_joined_at),
        migrations.CreateModel(
            name="Extension",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("due_at", models.DateTimeField()),
                (
                    "assignment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="extensions", to="quiz.assignment"
                    ),
                ),
                (
                    "student",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="extensions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("assignment", "student"), name="extension_unique")]
            },
        ),
    ]
