"""The bank stamp, and the triggers that renew it on every write to the bank.

Triggers rather than model signals: queryset updates, bulk imports and
bulk_update never send signals, and the admin's publish action, the JSON/GIFT
importer and the citation check all write that way. A trigger sees them all.

The stamp is random rather than counted: a count goes back down when a
transaction rolls back, and a later edit could then reuse a number already used
as a cache key for other contents. The row is put back if something removed it
(a test database flush), so a missing row only ever means "do not cache".
"""

from django.db import migrations, models

BANK_TABLES = ["quiz_question", "quiz_choice", "content_passage", "content_source"]

SQLITE_RENEW = (
    "UPDATE quiz_bankstamp SET stamp = random() WHERE id = 1; "
    "INSERT INTO quiz_bankstamp (id, stamp) SELECT 1, random() WHERE NOT EXISTS (SELECT 1 FROM quiz_bankstamp WHERE id = 1);"
)

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION quiz_bank_stamp_renew() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE quiz_bankstamp SET stamp = (random() * 9007199254740991)::bigint WHERE id = 1;
    IF NOT FOUND THEN
        INSERT INTO quiz_bankstamp (id, stamp) VALUES (1, (random() * 9007199254740991)::bigint)
        ON CONFLICT (id) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;
"""


def create_triggers(apps, schema_editor):
    connection = schema_editor.connection
    apps.get_model("quiz", "BankStamp").objects.using(connection.alias).create(id=1, stamp=0)
    if connection.vendor == "sqlite":
        for table in BANK_TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(
                    f"CREATE TRIGGER bank_stamp_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN {SQLITE_RENEW} END"
                )
    elif connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in BANK_TABLES:
            # Once per statement: a bulk import of a whole bank renews the stamp once.
            schema_editor.execute(
                f"CREATE TRIGGER bank_stamp_{table} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION quiz_bank_stamp_renew()"
            )


def drop_triggers(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for table in BANK_TABLES:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS bank_stamp_{table}_{event}")
    elif connection.vendor == "postgresql":
        for table in BANK_TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS bank_stamp_{table} ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS quiz_bank_stamp_renew()")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("quiz", "0003_login_failure"),
    ]

    operations = [
        migrations.CreateModel(
            name="BankStamp",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("stamp", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
