"""Real-browser fixtures: Debian's Chromium driven by Playwright, axe-core, screenshots.

``scripts/browser_deps.sh`` installs Chromium (``apt-get``; ``playwright install``
cannot download here) and axe-core (npm). When either is missing the browser tests
skip on a laptop but fail under ``CI=true``, so a CI run never passes by skipping them.
"""

import os
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from quiz.bank.shipped import load_all
from quiz.models import Classroom

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps dialling Google services,
# which on a closed network means a flood of refused connections and slow starts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOT_DIR = BASE_DIR / "test-output" / "screenshots"
VIEWPORTS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1280, "height": 900}}
# Short enough that a broken flow fails in seconds, long enough for a loaded 2-core CI box.
ACTION_TIMEOUT_MS = 10_000


def _missing(what: str, how: str) -> None:
    message = f"{what} is missing: {how}"
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        _missing(f"Chromium ({CHROMIUM})", "run scripts/browser_deps.sh (apt-get install -y chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORTS["desktop"], "locale": "en-GB"}


@pytest.fixture
def new_context(new_context):
    """Every browser context of a test, the ``context`` fixture's included, fails the
    test when a page throws a JavaScript error or the CSP refuses something."""
    problems: list[str] = []

    def report(message) -> None:
        # A 4xx answer (a refused form, swapped in by htmx) is expected, not a fault.
        # htmx logs a request the network refused (a test that goes offline on purpose);
        # what the page tells the student is what such a test checks.
        expected = ("Failed to load resource", "htmx:sendError", "htmx:afterRequest")
        if message.type == "error" and not message.text.startswith(expected) and expected[0] not in message.text:
            problems.append(f"console: {message.text} at {message.location['url']}")

    def create(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.on("weberror", lambda error: problems.append(f"uncaught error: {error.error}"))
        context.on("console", report)
        return context

    yield create
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def bank(live_server):
    """The shipped article, its 67 questions and four quizzes, served by the live server."""
    return load_all()


@pytest.fixture
def demo_class(bank):
    """The demo class of ``seed_demo``: 25 students and 70 attempts, so the teacher's
    tables, charts and flags are full, as a teacher will see them."""
    with override_settings(DEBUG=True):  # seed_demo refuses to run without it
        call_command("seed_demo", stdout=StringIO())
    return Classroom.objects.get(join_code="SEED2526")


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        _missing(f"axe-core ({AXE_SCRIPT})", "run scripts/browser_deps.sh (npm install axe-core)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def axe_violations(axe_source):
    """Run axe-core on the page as it stands; return its serious and critical violations.

    The script is injected through Playwright (``add_script_tag(content=...)`` would
    be blocked by our CSP, which allows no inline script; ``page.evaluate`` is not).
    """

    def run(page, *, impacts=("serious", "critical")) -> list[dict]:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
                "summary": violation["nodes"][0].get("failureSummary", "") if violation["nodes"] else "",
            }
            for violation in results["violations"]
            if violation["impact"] in impacts
        ]

    return run


@dataclass
class Screenshots:
    paths: list[Path]
    # How far the page scrolls sideways on a 360-pixel phone; 0 when it fits.
    phone_overflow: int


@pytest.fixture
def screenshot():
    """Save the page as it stands at phone and desktop widths, as full-page PNGs.

    Files land in ``test-output/screenshots/<name>-phone.png`` and ``-desktop.png``,
    with ``-screen.png`` for what the window shows as it stands (a scrolled-to quote,
    say); the README's screenshots are copies of some of them. While at phone width
    it also measures whether the page fits without scrolling sideways.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Screenshots:
        original = page.viewport_size
        # Animations off, so the loading indicator or a caret never blurs the picture.
        options = {"animations": "disabled", "caret": "hide"}
        screen = SCREENSHOT_DIR / f"{name}-screen.png"
        page.screenshot(path=screen, **options)
        saved, overflow = [screen], 0
        for width_name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            if width_name == "phone":
                overflow = page.evaluate(
                    "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
            path = SCREENSHOT_DIR / f"{name}-{width_name}.png"
            page.screenshot(path=path, full_page=True, **options)
            saved.append(path)
        if original:
            page.set_viewport_size(original)
        return Screenshots(saved, overflow)

    return take
