"""The bank-stamp triggers kept in place after every ``migrate``.

Migrations 0004 and 0005 create triggers that renew the bank stamp on any write
to the bank's tables. SQLite cannot alter most columns in place: Django rebuilds
the table instead, and the rebuilt table has no triggers, so a later migration
that changes a question column would silently switch cache invalidation off.
``ensure_stamp_triggers`` runs on ``post_migrate`` and puts back any that are missing.
PostgreSQL alters tables in place and keeps its triggers.
"""

from django.db import connections

BANK_TABLES = ["quiz_question", "quiz_choice", "quiz_quiz", "content_passage", "content_source"]

SQLITE_RENEW = (
    "UPDATE quiz_bankstamp SET stamp = random() WHERE id = 1; "
    "INSERT INTO quiz_bankstamp (id, stamp) SELECT 1, random() "
    "WHERE NOT EXISTS (SELECT 1 FROM quiz_bankstamp WHERE id = 1);"
)


def ensure_stamp_triggers(*, using: str = "default", **kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    if "quiz_bankstamp" not in tables:
        return  # migrated only part of the way: 0004 has not run yet
    with connection.cursor() as cursor:
        for table in BANK_TABLES:
            if table not in tables:
                continue
            for event in ("INSERT", "UPDATE", "DELETE"):
                cursor.execute(
                    f"CREATE TRIGGER IF NOT EXISTS bank_stamp_{table}_{event.lower()} AFTER {event} ON {table} "
                    f"BEGIN {SQLITE_RENEW} END"
                )
