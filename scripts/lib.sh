# Shared by the scripts: find a working Python >= 3.12 and prepare .venv with the pinned packages.
# Django 6 needs Python 3.12 or newer; pip on 3.11 would silently install Django 5.2 instead.

find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3 \
      "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
      /usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
      command -v "$candidate" 2>/dev/null || echo "$candidate"
      return 0
    fi
  done
  echo "No working Python 3.12 or newer was found (Django 6 needs one). Install python3.12 and run this again." >&2
  return 1
}

# prepare_venv: what the site needs; prepare_venv dev: that, plus the test and developer tools.
prepare_venv() {
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
    local python
    python=$(find_python) || exit 1
    echo "Creating .venv with $python ($("$python" --version))"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  local requirements=requirements.txt
  if [ "${1:-}" = dev ]; then requirements=requirements-dev.txt; fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
}
