"""LoginFailure moves here from the quiz app: only Django's record of it changes.

The table ``quiz_loginfailure`` was created by quiz's migration 0003 and keeps its
name, so no row is copied and nothing is locked.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("quiz", "0003_login_failure"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LoginFailure",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "key",
                            models.CharField(help_text='"user:<name>" or "addr:<ip>".', max_length=300, unique=True),
                        ),
                        ("failures", models.PositiveIntegerField(default=0)),
                        ("window_started_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                    ],
                    options={"db_table": "quiz_loginfailure"},
                ),
            ],
            database_operations=[],
        ),
    ]
