#!/usr/bin/env bash
# Set up and run the whole test suite (browser tests included) on SQLite,
# or on PostgreSQL when DATABASE_URL points at one.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
prepare_venv dev
scripts/browser_deps.sh
export DEBUG=true
.venv/bin/python manage.py check
.venv/bin/python manage.py makemigrations --check --dry-run
# The citation and leak checks run over the whole shipped bank, loaded into a fresh database.
bank_db=$(mktemp -d)/bank.sqlite3
DATABASE_URL="sqlite:///$bank_db" .venv/bin/python manage.py migrate --no-input -v0
DATABASE_URL="sqlite:///$bank_db" .venv/bin/python manage.py load_content
DATABASE_URL="sqlite:///$bank_db" .venv/bin/python manage.py check_citations
DATABASE_URL="sqlite:///$bank_db" .venv/bin/python manage.py check_leaks
rm -f "$bank_db"
.venv/bin/python -m pytest --create-db "$@"
