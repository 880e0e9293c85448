"""The code's layout: which package may import which, and no import cycles."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_PACKAGES = ("accounts", "content", "quiz", "drafting", "practice", "lti")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports() -> dict[str, set[str]]:
    """Each app module → the app modules it imports, at any depth of the file (function-level imports too)."""
    modules = {
        _module_name(path): path
        for package in APP_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from quiz.bank import gift" depends on quiz.bank.gift, not on the package's __init__.
                submodules = [f"{node.module}.{alias.name}" for alias in node.names]
                candidates = [m for m in submodules if m in modules] or [node.module]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            targets |= {candidate for candidate in candidates if candidate in modules and candidate != name}
        graph[name] = targets
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules along it, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return stack[stack.index(target) :] + [target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_app_packages_have_no_import_cycle():
    assert _cycle(_imports()) is None


def test_content_imports_nothing_from_quiz_or_accounts():
    imported = {target for module, targets in _imports().items() if module.startswith("content") for target in targets}
    assert not {target for target in imported if target.split(".")[0] in ("quiz", "accounts")}


def test_accounts_imports_nothing_from_quiz_or_content():
    imported = {target for module, targets in _imports().items() if module.startswith("accounts") for target in targets}
    assert not {target for target in imported if target.split(".")[0] in ("quiz", "content")}


def test_content_imports_and_runs_without_the_quiz_app():
    script = """
import sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "content"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    ROOT_URLCONF="content.urls",
)
django.setup()
import content.loading, content.models, content.splitting, content.urls, content.views
loaded = sorted(name for name in sys.modules if name == "quiz" or name.startswith("quiz."))
print(loaded)
sys.exit(1 if loaded else 0)
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
