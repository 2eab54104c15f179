"""Browser test set-up: Debian's Chromium driven by pytest-playwright against pytest-django's
live server (see /work/shared/STACK-NOTES.md, "Browser tests").

- Chromium is launched by path: SRH_CHROMIUM, else /usr/bin/chromium, else `chromium` on PATH
  (`playwright install` cannot download browsers here).
- Without Chromium the tests are skipped ("Chromium not installed: browser tests skipped"),
  except when CI=true: there they fail, so a CI machine that lost its browser cannot go green.
- The site's real Content-Security-Policy stays on in every test (no `bypass_csp`), so the
  console-error check also catches anything the policy blocks. See axe.py for how axe-core gets
  in regardless.
- Every test here is marked `browser` (`pytest -m "not browser"` leaves them out).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from safeguarding.accounts.testing import app_device, unused_code
from safeguarding.testing.factories import PASSWORD

# Playwright's sync API keeps an asyncio event loop in the test thread; without this Django
# refuses ORM calls from that thread (SynchronousOnlyOperation). The browser session lives
# until the end of the run, so it is set for the whole run; the app has no async code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
SKIP_REASON = "Chromium not installed: browser tests skipped"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium floods the closed network with refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Fail a missing element or a stuck page sooner than Playwright's default 30 s, with room for a
# busy CI machine (make test runs the SQLite and PostgreSQL suites side by side on two cores).
TIMEOUT_MS = 20_000
expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str | None:
    """The Chromium to launch, or None when there is none."""
    configured = os.environ.get("SRH_CHROMIUM")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    if os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    return shutil.which("chromium")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # This hook sees the whole session's items: mark only the ones in this folder.
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = chromium_path()
    if path is None:
        wanted = os.environ.get("SRH_CHROMIUM") or DEFAULT_CHROMIUM
        if in_ci():
            pytest.fail(
                f"Chromium not installed ({wanted} not found) and CI=true: browser tests must "
                "run in CI. Install Debian's chromium package (.ci/run does).",
                pytrace=False,
            )
        pytest.skip(f"{SKIP_REASON} (looked for {wanted}; set SRH_CHROMIUM to another path)")
    return path


@pytest.fixture(scope="session", autouse=True)
def _require_chromium(chromium_executable: str) -> None:
    """Skip (or, in CI, fail) every test in this folder before any browser is started."""


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], chromium_executable: str
) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": chromium_executable,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # No bypass_csp here on purpose: see the module docstring.
    return {
        **browser_context_args,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def page(page: Any) -> Any:
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return page


@dataclass
class ConsoleErrors:
    """Console errors (including CSP refusals and failed loads) and uncaught page errors."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url") or self.page.url
            self.errors.append(f"console error on {self.page.url} ({where}): {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"page error on {self.page.url}: {error}")

    def assert_none(self, where: str = "") -> None:
        """Fail if anything was logged since the last check; then start afresh."""
        found, self.errors = self.errors, []
        if found:
            raise AssertionError(
                f"{len(found)} console/page error(s){' ' + where if where else ''}:\n"
                + "\n".join(found)
            )


@pytest.fixture
def console_errors(page: Any) -> Iterator[ConsoleErrors]:
    """Collects console and page errors from `page`; any left unchecked fail the test."""
    collector = ConsoleErrors(page)
    page.on("console", collector.on_console)
    page.on("pageerror", collector.on_page_error)
    yield collector
    collector.assert_none("(found at the end of the test)")


@pytest.fixture
def login(page: Any, live_server: Any, console_errors: ConsoleErrors) -> Callable[..., Any]:
    """Sign a user in through the real login form and the two-factor code page (the code is
    computed from the device's key, as the user's app would); returns the page, signed in."""

    def _login(user: Any, password: str = PASSWORD, *, check: Callable[[], None] | None = None):
        page.goto(f"{live_server.url}/accounts/login/")
        if check is not None:
            check()  # e.g. run axe on the login page itself
        device = app_device(user)  # an authenticator app already set up
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.get_by_role("button", name="Sign in").click()
        # The second factor: the code the user's app would show, computed from its key.
        heading = "Enter the code from your authenticator app"
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        page.fill("input[name=code]", unused_code(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        assert "/accounts/" not in page.url, f"{user.username} could not sign in"
        return page

    return _login


@pytest.fixture
def screenshot(page: Any) -> Callable[[str], None]:
    """Save a full-page screenshot to $SRH_SCREENSHOT_DIR/<name>.png when that is set."""

    def _shot(name: str) -> None:
        folder = os.environ.get("SRH_SCREENSHOT_DIR")
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)

    return _shot
