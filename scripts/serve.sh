#!/usr/bin/env bash
# Set up and serve the app on SQLite with the article, its quizzes and demo accounts.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
prepare_venv
export DEBUG="${DEBUG:-true}"
.venv/bin/python manage.py migrate --no-input
.venv/bin/python manage.py load_content
.venv/bin/python manage.py seed_demo
echo "Serving on http://127.0.0.1:${PORT:-8000}/ (Ctrl+C stops it)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
