"""Quizzes join the bank stamp, so the answer path can read its quiz from the cache too.

A quiz's settings (closing date, feedback mode, time limit) decide how an
answer is taken, so a teacher's edit must reach every worker at its next
request, as an edited question does. Same triggers as 0004, on one more table.
"""

from django.db import migrations

TABLE = "quiz_quiz"
SQLITE_RENEW = (
    "UPDATE quiz_bankstamp SET stamp = random() WHERE id = 1; "
    "INSERT INTO quiz_bankstamp (id, stamp) SELECT 1, random() WHERE NOT EXISTS (SELECT 1 FROM quiz_bankstamp WHERE id = 1);"
)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER bank_stamp_{TABLE}_{event.lower()} AFTER {event} ON {TABLE} BEGIN {SQLITE_RENEW} END"
            )
    elif vendor == "postgresql":
        # quiz_bank_stamp_renew() comes from 0004.
        schema_editor.execute(
            f"CREATE TRIGGER bank_stamp_{TABLE} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION quiz_bank_stamp_renew()"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for event in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bank_stamp_{TABLE}_{event}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS bank_stamp_{TABLE} ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0004_bank_stamp"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
