"""LoginFailure now belongs to the accounts app (its migration 0001); its table stays as it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0009_question_range_and_level"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LoginFailure")],
            database_operations=[],
        ),
    ]
