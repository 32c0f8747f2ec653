"""Helpers for the real-browser tests: tool checks, the watched-page opener, axe-core, the Nu Html Checker, screenshots.

Debian's Chromium (never a downloaded browser) is driven by Playwright. axe-core and vnu.jar come from npm
(`npm ci --ignore-scripts --prefix tests/browser`, into the git-ignored tests/browser/node_modules).
"""

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent.parent
SCREENSHOTS = BASE_DIR / "screenshots"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_TOOLS = "npm ci --ignore-scripts --prefix tests/browser"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

WIDTHS = {"phone": 375, "desktop": 1280}
HEIGHTS = {375: 812, 1280: 900}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# The longest a script run in the page (axe-core) or a wait before printing may take.
EVALUATE_LIMIT_MS = 60_000

skip_reasons: set[str] = set()


def require(*needs: str) -> None:
    """Skip (locally) or fail (CI=true) the current test when a tool it needs is missing, saying how to get it."""
    missing = []
    if "chromium" in needs:
        if not CHROMIUM.exists():
            missing.append(f"Chromium not found at {CHROMIUM} (install it: apt-get install -y chromium)")
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing.append("the Python package playwright is not installed (pip install -r requirements-dev.txt)")
    if "axe" in needs and not AXE_JS.exists():
        missing.append(f"axe-core not found at {AXE_JS.relative_to(BASE_DIR)} (install it: {INSTALL_TOOLS})")
    if "vnu" in needs:
        if not shutil.which("java"):
            missing.append("java not found, needed by the Nu Html Checker (install it: apt-get install -y default-jre)")
        if not VNU_JAR.exists():
            missing.append(f"vnu.jar not found at {VNU_JAR.relative_to(BASE_DIR)} (install it: {INSTALL_TOOLS})")
    if not missing:
        return
    reason = "; ".join(missing)
    if IN_CI:
        pytest.fail(f"CI=true and a browser-test tool is missing: {reason}", pytrace=False)
    skip_reasons.add(reason)
    pytest.skip(f"browser tests skipped: {reason}")


def where(url: str) -> str:
    """A page's path and query, the way a failure message names it."""
    parts = urlsplit(url)
    return (parts.path + (f"?{parts.query}" if parts.query else "")) or url


# Runs before any page script (Playwright's init scripts are not subject to the page's CSP).
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__reportProblem(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`
    + ` (${event.sourceFile || 'the page'}:${event.lineNumber})`);
});
"""


@dataclass
class Monitor:
    """Problems seen in one browser context, each tagged with the page it happened on."""

    origin: str
    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Expect a problem matching this regex (a routed failure, a page's own 404 status)."""
        self.allowed.append(re.compile(pattern))

    def add(self, url: str, problem: str) -> None:
        if not any(pattern.search(problem) for pattern in self.allowed):
            self.problems.append(f"on {where(url)}: {problem}")

    def is_offsite(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme not in {"data", "blob", "about"} and f"{parts.scheme}://{parts.netloc}" != self.origin


@dataclass
class Site:
    """Opens watched pages on the live server: `site.open("/", width=375, scheme="dark")` returns a Playwright Page."""

    browser: object
    base_url: str
    monitors: list[Monitor] = field(default_factory=list)
    contexts: list = field(default_factory=list)

    def context(self, *, width: int = 1280, scheme: str = "light", javascript: bool = True):
        context = self.browser.new_context(
            viewport={"width": width, "height": HEIGHTS.get(width, 900)},
            color_scheme=scheme,
            reduced_motion="reduce",
            java_script_enabled=javascript,
            base_url=self.base_url,
        )
        # Every wait Playwright offers a limit for (clicks, locators, navigation, screenshots) has this one. Those it
        # offers none for (``page.evaluate``, ``page.pdf``) are bounded below (``axe_violations``, ``print_pdf``) and,
        # last, by the per-test limit (pyproject.toml, tests/conftest.py): a hang fails with every thread's stack.
        context.set_default_timeout(10_000)
        context.set_default_navigation_timeout(30_000)
        monitor = Monitor(origin=self.base_url)
        self.monitors.append(monitor)
        self.contexts.append(context)
        context.monitor = monitor

        def offsite(route):
            frame_url = route.request.frame.url if route.request.frame else route.request.url
            monitor.add(frame_url, f"request to another host: {route.request.url}")
            route.abort("blockedbyclient")

        context.route(monitor.is_offsite, offsite)
        context.expose_binding("__reportProblem", lambda source, problem: monitor.add(source["frame"].url, problem))
        context.add_init_script(CSP_LISTENER)

        def watch(page):
            def console(message):
                if message.type == "error":
                    source = message.location.get("url") or page.url
                    monitor.add(page.url, f"console error: {message.text} [{source}]")

            page.on("console", console)
            page.on("pageerror", lambda error: monitor.add(page.url, f"uncaught exception: {error}"))

        context.on("page", watch)
        return context

    def open(self, path: str, *, width: int = 1280, scheme: str = "light", javascript: bool = True, status: int = 200):
        context = self.context(width=width, scheme=scheme, javascript=javascript)
        if status != 200:  # Chromium logs a page's own error status as a console error: expected here, nowhere else
            url = re.escape(self.base_url + path)
            context.monitor.allow(rf"Failed to load resource: .*status of {status} .*\[{url}\]$")
        page = context.new_page()
        response = page.goto(path)
        got = response.status if response else "no response"
        assert got == status, f"{path}: HTTP {got}, expected {status}"
        return page

    def problems(self) -> list[str]:
        return [problem for monitor in self.monitors for problem in monitor.problems]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def screenshot(page, name: str, element=None) -> Path:
    """Save screenshots/<name>-<width>.png for people to look at: the full page, or just one element (a locator)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
    if element is not None:
        element.screenshot(path=path)
    else:
        page.screenshot(path=path, full_page=True)
    return path


def print_pdf(page, **options) -> bytes:
    """``page.pdf(**options)`` once what Chromium waits for before printing (web fonts, images) has arrived, each wait
    limited: ``page.pdf`` itself has no time limit, and a print that waits on a font or an image that never comes
    hangs until the per-test limit."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "document.fonts.status === 'loaded' && [...document.images].every((image) => image.complete)",
        timeout=EVALUATE_LIMIT_MS,
    )
    return page.pdf(**options)


def axe_violations(page) -> list[str]:
    """Run axe-core with the WCAG 2.0/2.1/2.2 A and AA rules on the page as it is now: one line per failing node."""
    require("axe")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    # page.evaluate has no time limit of its own: the page's promise races a timer.
    result = page.evaluate(
        """async ([tags, limit]) => await Promise.race([
            axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`axe-core took over ${limit} ms`)), limit)),
        ])""",
        [AXE_TAGS, EVALUATE_LIMIT_MS],
    )
    lines = []
    for violation in result["violations"]:
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"{violation['id']} ({violation['impact']}) {violation['help']}: {node['target']}: {summary}")
    return lines


def vnu_errors(documents: dict[str, Path]) -> dict[str, list[str]]:
    """Validate files with the Nu Html Checker in one Java run: {name: ["line N: message", ...]} for errors only."""
    require("vnu")
    by_file = {path.name: name for name, path in documents.items()}  # vnu names them "file:/abs/path"
    assert len(by_file) == len(documents), "give each document its own file name"
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *map(str, documents.values())],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            url = message.get("url", "?")
            name = by_file.get(url.rsplit("/", 1)[-1], url)
            errors.setdefault(name, []).append(f"line {message.get('lastLine', '?')}: {message['message']}")
    return errors
