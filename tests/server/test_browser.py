"""The web pages in real headless Chromium (Debian's `chromium`, driven by Playwright for Python;
no browser is downloaded) against a live `forethought serve` on a free port, on SQLite and
PostgreSQL: the whole loop a person does in a browser, ingest, what a viewer sees, hostile
content, phone width, the reader's time zone, and accessibility basics on every main page.

Screenshots of each main page go to the test's folder, or to FORETHOUGHT_SCREENSHOTS=DIR to keep
them and look at them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.server.test_process import run, serving

pytestmark = pytest.mark.slow
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
PASSWORD = "a long enough password"
PEOPLE = (("ada", "admin"), ("bob", "forecaster"), ("cy", "forecaster"),
          ("rita", "resolver"), ("vic", "viewer"))
# a document written for this test: two forecasts, one claim, an attribution, a horizon
DOCUMENT = """Harbour expansion review

The port authority said on 3 March 2025 that cargo volumes rose by 12 percent last year.
Officials say the new container terminal is likely to open within the next six months.
The city council will probably approve the second phase of the project by the end of the year.
A court challenge by local fishermen is unlikely to succeed in the coming weeks.
"""
HOSTILE = ('<img src=x onerror="window.pwned=1"> </script><script>window.pwned=2</script> '
           "שלום עולם 🎉 " + "W" * 300)


@pytest.fixture
def site(tmp_path: Path, backend: str) -> Iterator[str]:
    if CHROMIUM is None:
        pytest.skip("no chromium binary (apt-get install chromium)")
    folder = tmp_path / "team"
    folder.mkdir()
    db = [] if backend.startswith("sqlite") else ["--db", backend]
    run(folder, "init", *db)
    for name, role in PEOPLE:
        run(folder, "user", "add", name, "--role", role, "--password-stdin",
            stdin=PASSWORD + "\n")
    with serving(folder) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FORETHOUGHT_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Person:
    """One person's browser (own cookies), logged in."""

    def __init__(self, browser: Any, base: str, name: str, **context: Any) -> None:
        self.base, self.name = base, name
        self.context = browser.new_context(**context)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("dialog", lambda d: self.errors.append(f"dialog: {d.message}"))
        self.go("/login")
        self.page.fill("#name", name)
        self.page.fill("#password", PASSWORD)
        self.page.click("form[action='/login'] button")
        self.page.wait_for_url(f"{base}/")

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status < 400, (path, response and
                                                                 response.status)
        return self.page

    def shot(self, folder: Path, name: str, full: bool = True) -> None:
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=full)

    def text(self, selector: str = "main") -> str:
        return self.page.inner_text(selector)


def ask(person: Person, title: str, *, criteria: str = "", kind: str = "binary",
        options: str = "", visibility: str = "") -> str:
    page = person.go("/ask")
    page.fill("#title", title)
    page.fill("#resolve_by", "2099-12-31")
    page.fill("#criteria", criteria)
    page.fill("#fine_print", "Fine print of " + title)
    page.fill("#tags", "tested, browser")
    if kind == "multiple":
        page.check("input[name=kind][value=multiple]")
        page.fill("#options", options)
    page.check(f"input[name=visibility][value='{visibility}']")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/questions/*?done=asked")
    return page.url.split("/questions/")[1].split("?")[0]


def forecast(person: Person, qid: str, value: str, why: str) -> None:
    page = person.go(f"/questions/{qid}")
    page.fill("#probability", value)
    page.fill("#rationale", why)
    page.click("#forecast button[type=submit]")
    page.wait_for_url("**?done=forecast*")


def image_loaded(page: Any, selector: str) -> bool:
    return page.eval_on_selector(selector, "i => i.complete && i.naturalWidth > 0")


def test_the_whole_loop_in_a_browser(site, browser, shots):
    """Ask, forecast in words and in odds, the crowd appearing only after forecasting, a
    resolver resolving, the score and the calibration chart changing."""
    cy = Person(browser, site, "cy")
    qid = ask(cy, "Will the harbour terminal open before the festival?",
              criteria="Yes if ships dock at the new terminal before the festival starts.")
    forecast(cy, qid, "likely", "The cranes are already installed.")
    assert "70%" in cy.text("#mine") and "likely" in cy.text("#mine")

    bob = Person(browser, site, "bob")
    page = bob.go(f"/questions/{qid}")
    crowd = bob.text("#crowd")
    assert "hidden" in crowd and "cranes" not in page.content() and "70%" not in crowd
    bob.shot(shots, "question-hidden")
    forecast(bob, qid, "3:1", "Permits came through last week.")
    crowd = bob.text("#crowd")
    assert "cranes" in crowd and "75%" in crowd and "72.5%" in crowd  # median of 70 and 75
    assert image_loaded(page, "#crowd img.chart")
    assert "No resolved question" in bob.go("/").inner_text("#my-scores + *")
    bob.shot(shots, "desk-before")

    rita = Person(browser, site, "rita")
    page = rita.go(f"/questions/{qid}")
    page.select_option("#outcome", "yes")
    page.fill("#note", "Opened on the 3rd; see the port's notice.")
    page.fill("#evidence", "https://example.org/notice\njavascript:alert(1)")
    page.click("#resolve button[type=submit]")
    page.wait_for_url("**?done=resolved")
    assert page.locator("a[href='https://example.org/notice']").count() == 1
    assert page.locator("a[href^='javascript']").count() == 0
    rita.shot(shots, "question-resolved")

    page = bob.go("/")
    scores = bob.text("section[aria-labelledby=my-scores]")
    assert "Brier" in scores and "Questions scored\n1" in scores.replace("\t", "\n")
    assert image_loaded(page, "img.chart")
    bob.shot(shots, "desk")
    page = bob.go("/scores")
    board = bob.text("section[aria-labelledby=board-h]")
    assert "bob" in board and "cy" in board and "Policy: time-averaged" in board
    assert image_loaded(page, "img.chart")
    bob.shot(shots, "scores")
    for person in (cy, bob, rita):
        assert person.errors == []


def test_ingest_two_candidates_from_the_browser(site, browser, shots, tmp_path):
    bob = Person(browser, site, "bob")
    doc = tmp_path / "harbour-review.txt"
    doc.write_text(DOCUMENT, encoding="utf-8")
    page = bob.go("/ingest")
    page.set_input_files("#file", str(doc))
    page.fill("#published", "2025-03-05")
    page.fill("#as_name", "Harbour Weekly")
    page.click("main form button[type=submit]")
    page.wait_for_selector("ol.candidates")
    bob.shot(shots, "ingest-review")
    forecasts = page.locator("li.kind-forecast")
    assert forecasts.count() == 3
    for box in page.locator("input[name=accept]").all():
        box.uncheck()
    first = forecasts.nth(0).locator("input[name=accept]").get_attribute("value")
    second = forecasts.nth(1).locator("input[name=accept]").get_attribute("value")
    page.check(f"#accept-{first}")
    page.check(f"#accept-{second}")
    page.fill(f"#title_suggestion-{first}", "Will the new container terminal open by September?")
    page.fill(f"#p-{second}", "65%")
    page.locator("form[action='/ingest/accept'] button").first.click()
    page.wait_for_url("**/sources/*?done=ingested")
    source = page.url.split("/sources/")[1].split("?")[0]
    page = bob.go(f"/questions?source={source}")
    listed = bob.text("table.questions")
    assert "Will the new container terminal open by September?" in listed
    assert page.locator("table.questions tbody tr").count() == 2
    page.click("text=Will the new container terminal open by September?")
    assert "Harbour" in bob.text("#crowd") or "Officials" in bob.text("#crowd")
    assert bob.errors == []


def test_a_viewer_sees_no_forms(site, browser, shots):
    cy = Person(browser, site, "cy")
    qid = ask(cy, "Will the ferry timetable change?", visibility="open")
    forecast(cy, qid, "1 in 20", "No plans announced.")
    vic = Person(browser, site, "vic")
    for path in ("/", "/questions", f"/questions/{qid}", "/scores", "/sources", "/integrity",
                 "/tokens"):
        page = vic.go(path)
        writing = page.locator("form[method=post]:not(.session)")
        assert writing.count() == 0, path
        assert page.locator("a[href='/ask'], a[href='/ingest']").count() == 0, path
    vic.go(f"/questions/{qid}")
    assert "No plans announced." in vic.text("#crowd")
    vic.shot(shots, "question-viewer")


def test_hostile_content_renders_as_text(site, browser, shots):
    cy = Person(browser, site, "cy")
    qid = ask(cy, HOSTILE, criteria=HOSTILE + ' <a href="javascript:alert(1)">x</a>',
              visibility="open")
    forecast(cy, qid, "40%", HOSTILE)
    for path in (f"/questions/{qid}", "/questions", "/"):
        page = cy.go(path)
        assert page.evaluate("window.pwned") is None, path
        assert page.locator("main img[src=x], main script, a[href^='javascript']").count() == 0
        assert "שלום עולם 🎉" in cy.text() and "<img src=x" in cy.text()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        cy.shot(shots, "hostile-" + ("question" if "/questions/" in path else
                                      path.strip("/") or "desk"))
    assert cy.errors == []


def test_phone_width_and_the_readers_time_zone(site, browser, shots):
    cy = Person(browser, site, "cy", viewport={"width": 390, "height": 844},
                timezone_id="Asia/Kolkata", device_scale_factor=1)
    qid = ask(cy, "Will the bridge reopen to cyclists?", visibility="open")
    forecast(cy, qid, "0.3", "Repairs are behind schedule.")
    for path in ("/", "/questions", f"/questions/{qid}", "/scores", "/ask", "/ingest",
                 "/integrity", "/tokens", "/sources"):
        page = cy.go(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page = cy.go(f"/questions/{qid}")
    stamp = page.locator("#mine time[data-local]").first
    assert "UTC" in (stamp.get_attribute("title") or "")
    assert "GMT+5:30" in stamp.inner_text() or "IST" in stamp.inner_text()
    cy.shot(shots, "question-phone")


def _accessibility_problems(page: Any) -> list[str]:
    return page.evaluate("""() => {
      const problems = [];
      const h1 = document.querySelectorAll("h1").length;
      if (h1 !== 1) problems.push(`${h1} h1 elements`);
      for (const el of document.querySelectorAll("input, select, textarea")) {
        if (el.type === "hidden") continue;
        const named = (el.labels && el.labels.length) || el.getAttribute("aria-label")
                      || el.getAttribute("aria-labelledby");
        if (!named) problems.push(`no label: ${el.outerHTML.slice(0, 80)}`);
      }
      for (const img of document.images) {
        if (!img.getAttribute("alt")) problems.push(`no alt: ${img.src}`);
      }
      return problems;
    }""")


def _not_reached_by_keyboard(page: Any) -> list[str]:
    """The controls on the page that pressing Tab through it never reaches."""
    # a group of radio buttons is one stop for Tab (arrow keys move inside it)
    count = page.evaluate("""() => { const groups = new Set(); let n = 0;
        for (const e of document.querySelectorAll("a[href], button, input:not([type=hidden]), "
                                                  + "select, textarea, summary, [tabindex='0']")) {
          if (!e.checkVisibility()) continue;  // hidden, or inside a closed <details>
          if (e.type === "radio") {
            if (groups.has(e.name)) continue;
            groups.add(e.name);
            for (const r of document.getElementsByName(e.name)) r.dataset.control = "1";
          } else { e.dataset.control = "1"; }
          n++;
        }
        return n; }""")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    for _ in range(count * 4 + 10):  # a date field takes a Tab per part
        page.keyboard.press("Tab")
        page.evaluate("""() => { const e = document.activeElement;
            if (!e || e === document.body) return;
            e.dataset.reached = "1";
            if (e.type === "radio")
              for (const r of document.getElementsByName(e.name)) r.dataset.reached = "1"; }""")
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        "[data-control]:not([data-reached])")).map(e => e.outerHTML.slice(0, 100))""")


def test_accessibility_basics_on_every_main_page(site, browser, shots):
    ada = Person(browser, site, "ada")
    qid = ask(ada, "Will the library extend its opening hours?")
    forecast(ada, qid, "60%", "The budget allows it.")
    pages = {"desk": "/", "questions": "/questions", "ask": "/ask",
             "question": f"/questions/{qid}", "scores": "/scores", "sources": "/sources",
             "ingest": "/ingest", "integrity": "/integrity", "tokens": "/tokens"}
    for name, path in pages.items():
        page = ada.go(path)
        assert _accessibility_problems(page) == [], name
        assert _not_reached_by_keyboard(page) == [], name
        ada.shot(shots, f"a11y-{name}")
    page = ada.go("/integrity")
    page.click("form[action='/integrity/verify'] button")
    assert "OK: every record matches the ledger" in ada.text("pre.verify")
    ada.shot(shots, "integrity")
    page = ada.go("/login")  # the login page itself, logged in or not
    assert _accessibility_problems(page) == []
