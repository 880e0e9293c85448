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
# The worker that drafts long sources in the background (django.tasks, database-backed)
# runs beside the server; both stop when this script does (Ctrl+C or a TERM signal).
.venv/bin/python manage.py db_worker --no-reload &
WORKER_PID=$!
echo "Serving on http://127.0.0.1:${PORT:-8000}/ with the drafting worker (Ctrl+C stops both)"
.venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}" &
SERVER_PID=$!
stop() {
  # runserver's autoreloader runs the server as its child: stop that child too.
  pkill -TERM -P "$SERVER_PID" 2>/dev/null || true
  kill -TERM "$SERVER_PID" "$WORKER_PID" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM
wait "$SERVER_PID"
