"""The web app in a real browser: Playwright drives Debian's Chromium against `detente serve`.

A module fixture ingests a few short articles of our own through the real pipeline, starts
the real server (uvicorn, in a subprocess) on a free local port, and stops it at the end.
Each test checks what a person sees: the timeline, the dossier opened in place, the
highlighted words, filters, an ingest through the page, and hostile text shown as text.

Set DETENTE_SCREENSHOTS=DIR to also save screenshots there (timeline, dossier, compare
sources, charts and search at 1440 px; most of them at 390 px too), as in docs/screenshots.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (make browser installs Debian's Chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

pytestmark = pytest.mark.slow

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking"]
SERVER_START_S = 30
INGEST_WAIT_MS = 90_000

# Two outlets report the same proposal of talks; the second also reports its rejection.
ARTICLES = {
    "nordic.txt": """title: Norway offers to host talks
outlet: Nordic Wire
published: 2023-05-10

Norway proposed talks between Colombia and the ELN rebels in Oslo on May 8, 2023.

The Norwegian foreign minister said the meeting could start in June.
""",
    "andes.txt": """title: Oslo talks offer for Colombia
outlet: Andes Daily
published: 2023-05-11

Norway proposed peace talks between Colombia and the ELN rebels on May 8, 2023.

Colombia rejected the Norwegian proposal on May 10, 2023.
""",
    "southern.txt": """title: Brazil offers mediation
outlet: Southern Post
published: 2023-03-06

Brazil proposed peace talks between Russia and Ukraine on March 3, 2023.

Ukraine rejected the Brazilian offer on March 5, 2023.
""",
    "bosphorus.txt": """title: Istanbul round
outlet: Bosphorus Times
published: 2022-03-30

Turkey mediated talks between Russia and Ukraine in Istanbul on March 29, 2022.

Russia and Ukraine held peace talks in Istanbul on March 29, 2022.
""",
}
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=2">'
EVIL_TITLE = f"Hostile {SCRIPT} title"
EVIL = f"""title: {EVIL_TITLE}
outlet: Evil <b>Wire</b>
published: 2023-06-01

Qatar proposed talks between Israel and Hamas {SCRIPT} on May 30, 2023.

Hamas rejected the proposal {IMG} on May 31, 2023.
"""
PASTED_TITLE = "Chile and Peru meet in Lima"
PASTED = ("Chile proposed talks with Peru on June 2, 2023.\n\n"
          "The Peruvian government accepted the Chilean proposal on June 3, 2023.\n")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve_command(db: Path, port: int) -> list[str]:
    script = Path(sys.executable).with_name("detente")
    head = [str(script)] if script.exists() else [
        sys.executable, "-c", "import sys; from detente.cli import main; sys.exit(main())"]
    return [*head, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)]


class Server:
    """A running `detente serve` and its database."""

    def __init__(self, base: str, db: Path, evil_doc: str):
        self.base, self.db, self.evil_doc = base, db, evil_doc

    def url(self, path: str, **params: Any) -> str:
        query = urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        return f"{self.base}{path}" + (f"?{query}" if query else "")

    def api(self, path: str, **params: Any) -> Any:
        with urllib.request.urlopen(self.url(path, **params), timeout=30) as response:
            return json.load(response)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from detente.config import Settings
    from detente.ingest import ingest
    from detente.store import open_store

    root = tmp_path_factory.mktemp("browser")
    paths = []
    for name, text in {**ARTICLES, "evil.txt": EVIL}.items():
        (root / name).write_text(text, encoding="utf-8")
        paths.append(str(root / name))
    db = root / "web.db"
    store = open_store(db)
    try:
        report = ingest(paths, store, Settings())
        assert report.ok and len(report.stored) == len(paths), report
        evil = [d for d in store.documents_page() if d["source"].endswith("evil.txt")]
        assert len(evil) == 1
        evil_doc = str(evil[0]["id"])
        assert store.count_episodes() >= 3, store.episodes()
    finally:
        store.close()

    with _serving(db, root) as base:
        yield Server(base, db, evil_doc)


@contextmanager
def _serving(db: Path, root: Path) -> Iterator[str]:
    """`detente serve` on ``db`` on a free local port, stopped on exit; yields its base URL."""
    port = _free_port()
    log = (root / "server.log").open("wb")
    proc = subprocess.Popen(_serve_command(db, port), stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if proc.poll() is not None:
                pytest.fail(f"detente serve exited with {proc.returncode}:\n"
                            + (root / "server.log").read_text(errors="replace"))
            try:
                with urllib.request.urlopen(base + "/api/documents?limit=1", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("detente serve did not answer within "
                            f"{SERVER_START_S} s:\n" + (root / "server.log").read_text())
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def big_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server over hand-made rows (no spaCy): the small store of test_web_api plus 60
    documents of two events each, so that the events table has more than 120 rows."""
    from detente.store import open_store

    from .test_web_api import _doc, fill

    root = tmp_path_factory.mktemp("big")
    db = root / "big.db"
    store = open_store(db)
    try:
        fill(store)
        for n in range(60):
            day = f"2021-01-{n % 28 + 1:02d}"
            _doc(store, f"{n:02d}" + "c" * 62, f"Round {n}", day, [
                [f"Chile proposed talks with Peru in round {n}.", f"Peru accepted round {n}."]],
                [{"sentence": 0, "trigger": "proposed", "source": "CHL", "source_text": "Chile",
                  "target": "PER", "target_text": "Peru", "cameo": "036", "plover": "CONSULT",
                  "date": day},
                 {"sentence": 1, "trigger": "accepted", "source": "PER", "source_text": "Peru",
                  "cameo": "081", "plover": "AGREE", "date": day}])
    finally:
        store.close()
    with _serving(db, root) as base:
        yield Server(base, db, "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watched:
    """A page with its dialogs, console errors and uncaught page errors recorded."""

    def __init__(self, page: Any):
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("dialog", self._dialog)
        page.on("console", lambda msg: self.errors.append(f"console: {msg.text}")
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield Watched(page)
    finally:
        context.close()


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("DETENTE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=full_page)


# JS: each <mark> of `cls` under `root`, with its text and its character offsets within the
# text of `root` (what the browser shows, so a mark on the wrong words is caught).
MARKS_JS = """(root, cls) => {
  const out = [];
  for (const mark of root.querySelectorAll('mark.' + cls)) {
    const range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(mark, 0);
    const start = range.toString().length;
    out.push({start, end: start + mark.textContent.length, text: mark.textContent,
              events: mark.getAttribute('data-event')});
  }
  return out;
}"""


def _marks(handle: Any, cls: str) -> set[tuple[int, int, str]]:
    """Marks of ``cls`` under ``handle`` as (start, end, text), adjacent pieces joined."""
    pieces = sorted((m["start"], m["end"], m["text"])
                    for m in handle.evaluate(MARKS_JS, cls) if m["text"])
    joined: list[tuple[int, int, str]] = []
    for start, end, text in pieces:
        if joined and joined[-1][1] == start:
            s, _, t = joined.pop()
            joined.append((s, end, t + text))
        else:
            joined.append((start, end, text))
    return set(joined)


def _expected(members: list[dict[str, Any]], cls: str) -> set[tuple[int, int, str]]:
    """Where ``cls`` (trigger, source, target) of ``members`` lies in their sentence."""
    out = set()
    for m in members:
        start, end = m.get(f"{cls}_start"), m.get(f"{cls}_end")
        if start is None or end is None:
            continue
        s0 = m["sentence_start"]
        out.add((start - s0, end - s0, m["sentence"][start - s0:end - s0]))
    return out


# -- (a) the timeline --------------------------------------------------------------------
def test_timeline_draws_one_link_per_episode(server: Server, watched: Watched) -> None:
    api = server.api("/api/episodes", limit=1000)
    assert api["total"] >= 3
    page = watched.page
    page.goto(server.url("/"))
    links = page.locator("#timeline a.episode")
    assert links.count() == api["total"]
    drawn = {links.nth(i).get_attribute("data-id") for i in range(links.count())}
    assert drawn == {e["id"] for e in api["items"]}
    assert page.locator("table.episodes a.episode-link").count() == api["total"]
    # Each drawn episode has a visible box on the page (not collapsed or off the drawing).
    svg_box = page.locator("#timeline").bounding_box()
    assert svg_box and svg_box["width"] > 300
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box and box["width"] > 0 and box["height"] > 0
        assert svg_box["x"] <= box["x"]
        assert box["x"] + box["width"] <= svg_box["x"] + svg_box["width"] + 0.5  # answers too
    assert watched.errors == [] and watched.dialogs == []
    _shot(page, "timeline-1440.png")


# -- (b) the dossier opens in place ------------------------------------------------------
def _episode_with_answer(server: Server) -> dict[str, Any]:
    eps = server.api("/api/episodes", limit=1000)["items"]
    best = max(eps, key=lambda e: (e["n_answers"] > 0, e["n_sources"], e["n_mentions"]))
    return server.api(f"/api/episodes/{urllib.parse.quote(best['id'], safe='')}")


def _open_dossier(server: Server, watched: Watched, ep: dict[str, Any]) -> Any:
    page = watched.page
    page.goto(server.url("/"))
    page.evaluate("window.__marker = 1")
    page.locator(f'#timeline a.episode[data-id="{ep["id"]}"]').click()
    page.wait_for_selector(f'#dossier article.dossier[data-id="{ep["id"]}"]')
    assert page.evaluate("window.__marker") == 1, "the click reloaded the page"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query["episode"] == [ep["id"]]
    return page


def test_clicking_an_episode_opens_its_dossier_without_a_reload(server: Server,
                                                               watched: Watched) -> None:
    ep = _episode_with_answer(server)
    page = _open_dossier(server, watched, ep)
    dossier = page.locator("#dossier")
    assert dossier.locator("h2").inner_text().strip() == ep["title"]
    assert "open" in (dossier.get_attribute("class") or "")
    assert page.locator(f'#timeline a.episode.selected[data-id="{ep["id"]}"]').count() == 1
    assert dossier.locator(".n-sources").inner_text().strip() == str(ep["n_sources"])
    shown_docs = {dossier.locator(".mentions div.source").nth(i).get_attribute("data-doc")
                  for i in range(dossier.locator(".mentions div.source").count())}
    assert shown_docs == {m["doc_id"] for m in ep["members"] if m["role"] != "answer"}
    assert dossier.locator(".answers .answer-item").count() == sum(
        m["role"] == "answer" for m in ep["members"])
    assert page.locator(".dossier").count() == 1  # the fragment, not a whole page nested
    assert watched.errors == [] and watched.dialogs == []
    _shot(page, "dossier-1440.png", full_page=False)
    # The close button empties the panel, still without a reload.
    dossier.locator(".close-dossier").click()
    assert page.locator("#dossier article.dossier").count() == 0
    assert page.evaluate("window.__marker") == 1


# -- (c) the highlights are on the right words -------------------------------------------
def test_dossier_marks_the_stored_trigger_source_and_target(server: Server,
                                                            watched: Watched) -> None:
    ep = _episode_with_answer(server)
    page = _open_dossier(server, watched, ep)
    checked = 0
    sources = page.locator("#dossier .mentions div.source")
    for i in range(sources.count()):
        src = sources.nth(i)
        doc = src.get_attribute("data-doc")
        mentions = src.locator(".mention .focus")
        by_idx: dict[int, list[dict[str, Any]]] = {}
        for m in ep["members"]:
            if m["doc_id"] == doc and m["role"] != "answer":
                by_idx.setdefault(m["sentence_idx"], []).append(m)
        assert mentions.count() == len(by_idx)
        for n, idx in enumerate(sorted(by_idx)):
            focus = mentions.nth(n)
            members = by_idx[idx]
            assert focus.text_content() == members[0]["sentence"]
            for cls in ("trigger", "source", "target"):
                want = _expected(members, cls)
                assert _marks(focus.element_handle(), cls) == want, (cls, members[0])
                checked += len(want)
    answers = [m for m in ep["members"] if m["role"] == "answer"]
    quotes = page.locator("#dossier .answers .answer-item blockquote")
    assert quotes.count() == len(answers)
    for n, m in enumerate(answers):
        quote = quotes.nth(n)
        assert quote.text_content() == m["sentence"]
        for cls in ("trigger", "source", "target"):
            want = _expected([m], cls)
            assert _marks(quote.element_handle(), cls) == want, (cls, m)
            checked += len(want)
    # Every member's trigger is a real word of its sentence, e.g. "proposed", "rejected".
    assert {t for m in ep["members"] for (_, _, t) in _expected([m], "trigger")} <= {
        m["trigger_text"] for m in ep["members"]}
    assert checked >= 4
    assert watched.errors == []


def test_document_page_marks_each_event_trigger(server: Server, watched: Watched) -> None:
    docs = server.api("/api/documents")["items"]
    doc = next(d for d in docs if d["title"] == "Oslo talks offer for Colombia")
    events = server.api("/api/events", doc=doc["id"], limit=1000)["items"]
    assert len(events) >= 3
    text = server.api(f"/api/documents/{doc['id']}")["text"]
    page = watched.page
    page.goto(server.url(f"/documents/{doc['id']}"))
    body = page.locator(".doc-text").element_handle()
    assert body.text_content() == text
    want = {(e["trigger_start"], e["trigger_end"], e["trigger_text"]) for e in events}
    assert all(text[s:e] == t for s, e, t in want)
    assert _marks(body, "event") == want
    # Marks over the same words carry every event: one list item per event.
    anchors = [a for m in body.evaluate(MARKS_JS, "event") for a in
               (m["events"] or "").split()]
    assert len(anchors) == len(events) == page.locator("#event-panel li.event-item").count()
    # Clicking a mark selects its event(s) in the side panel.
    page.locator(".doc-text mark.event").first.click()
    assert page.locator("#event-panel li.event-item.current").count() >= 1
    assert watched.errors == []


# -- (d) filters narrow the lists --------------------------------------------------------
def test_kind_and_party_filters_narrow_the_timeline(server: Server, watched: Watched) -> None:
    page = watched.page
    page.goto(server.url("/"))
    before = page.locator("#timeline a.episode").count()
    page.select_option("#filters select[name=kind]", "talks")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url("**/?*kind=talks*")
    links = page.locator("#timeline a.episode")
    assert 0 < links.count() < before
    for i in range(links.count()):
        assert "kind-talks" in (links.nth(i).get_attribute("class") or "")
        ep_id = links.nth(i).get_attribute("data-id")
        assert server.api(f"/api/episodes/{ep_id}")["kind"] == "talks"
    assert page.locator("#filters select[name=kind]").input_value() == "talks"

    page.goto(server.url("/"))
    page.fill("#filters input[name=party]", "nor")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url("**/?*party=nor*")
    links = page.locator("#timeline a.episode")
    assert 0 < links.count() < before
    for i in range(links.count()):
        ep = server.api(f"/api/episodes/{links.nth(i).get_attribute('data-id')}")
        assert "NOR" in {p["code"] for p in ep["parties"]}
    assert watched.errors == []


def test_actor_filter_narrows_the_events_table(server: Server, watched: Watched) -> None:
    page = watched.page
    page.goto(server.url("/events"))
    rows = page.locator("table.events tbody tr[data-id]")
    before = rows.count()
    page.fill("#filters input[name=actor]", "COL")
    page.locator("#filters button[type=submit]").click()
    page.wait_for_url("**/events?*actor=COL*")
    assert 0 < rows.count() < before
    for i in range(rows.count()):
        codes = rows.nth(i).locator("td").nth(1).locator(".code").all_inner_texts()
        assert "COL" in codes
    assert watched.errors == []


# -- (e) ingest through the page ---------------------------------------------------------
def test_ingest_through_the_page_adds_a_document(server: Server, watched: Watched) -> None:
    before = server.api("/api/documents")["total"]
    page = watched.page
    page.goto(server.url("/ingest"))
    page.fill("#ingest-form textarea[name=text]", PASTED)
    page.fill("#ingest-form input[name=title]", PASTED_TITLE)
    page.fill("#ingest-form input[name=published]", "2023-06-04")
    page.locator("#ingest-form button[type=submit]").click()
    page.wait_for_url("**/ingest/jobs/*")
    # The page polls the job and reloads when it is done (the server loads spaCy first).
    result = page.wait_for_selector("#ingest-result.status-done, #ingest-result.status-failed",
                                    timeout=INGEST_WAIT_MS)
    assert "status-done" in (result.get_attribute("class") or ""), result.inner_text()
    # The result says where it went: the document, its events, claims and episodes.
    stored = page.locator("#ingest-result .job-doc.stored")
    assert stored.count() == 1
    doc_href = stored.locator("a.doc-result").get_attribute("href")
    doc_id = doc_href.rsplit("/", 1)[1]
    assert stored.locator("a.doc-events").get_attribute("href") == f"/events?doc={doc_id}"
    assert stored.locator("a.doc-claims").get_attribute("href") == f"/claims?doc={doc_id}"
    joined = stored.locator("a.joined-episode")
    assert joined.count() == len(server.api("/api/episodes", doc=doc_id)["items"]) >= 1
    stored.locator("a.doc-events").click()
    page.wait_for_url("**/events?doc=*")
    assert page.locator("table.events tbody tr[data-id]").count() == len(
        server.api("/api/events", doc=doc_id)["items"])
    page.go_back()
    page.locator("#ingest-result a.joined-episode").first.click()
    page.wait_for_selector("#dossier article.dossier")
    page.goto(server.url("/documents"))
    titles = page.locator("table.documents tbody td a").all_inner_texts()
    assert PASTED_TITLE in titles and len(titles) == before + 1
    page.get_by_role("link", name=PASTED_TITLE).click()
    page.wait_for_url("**/documents/*")
    assert page.locator("h1").inner_text() == PASTED_TITLE
    assert "Chile proposed talks with Peru" in page.locator(".doc-text").inner_text()
    assert watched.errors == []


# -- (f) hostile text is shown, never run ------------------------------------------------
def test_hostile_article_is_shown_as_text_and_runs_nothing(server: Server,
                                                          watched: Watched) -> None:
    page = watched.page
    doc = server.evil_doc
    eps = server.api("/api/episodes", doc=doc)["items"]
    pages = [f"/documents/{doc}", f"/events?doc={doc}", "/", "/documents"]
    pages += [f"/episodes/{e['id']}" for e in eps]
    pages += [f"/episodes/{e['id']}/sources" for e in eps] + [f"/?episode={e['id']}"
                                                               for e in eps]
    pages += ["/search?q=Hamas+rejected", "/search?q=script", "/charts"]
    pages += [f"/events/{e['id']}" for e in server.api("/api/events", doc=doc)["items"]]
    for path in pages:
        page.goto(server.url(path))
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pwned") == "undefined", path
        assert page.locator('img[src="x"]').count() == 0, path
        assert page.locator("script:not([src])").count() == 0, path
        assert page.locator("b", has_text="Wire").count() == 0, path

    page.goto(server.url(f"/documents/{doc}"))
    shown = page.locator(".doc-text").inner_text()
    assert SCRIPT in shown and IMG in shown
    assert page.locator(".doc-text img, .doc-text script").count() == 0
    assert page.locator("h1").inner_text() == EVIL_TITLE
    assert "Evil <b>Wire</b>" in page.locator("dl.facts").inner_text()
    # Opening its dossier in place (HTML inserted by script) runs nothing either.
    if eps:
        page.goto(server.url("/"))
        page.locator(f'#timeline a.episode[data-id="{eps[0]["id"]}"]').click()
        page.wait_for_selector(f'#dossier article.dossier[data-id="{eps[0]["id"]}"]')
        assert SCRIPT in page.locator("#dossier").inner_text()
        assert page.locator("#dossier img, #dossier script").count() == 0
        assert page.evaluate("typeof window.__pwned") == "undefined"
    assert watched.dialogs == [], watched.dialogs
    assert watched.errors == [], watched.errors



# -- (g) issue 12: paging, a shareable dossier, a phone, search ----------------------------
def test_paging_through_120_events_forward_and_back(big_server: Server,
                                                    watched: Watched) -> None:
    total = big_server.api("/api/events")["total"]
    assert total >= 120
    page = watched.page
    page.goto(big_server.url("/events"))
    seen: list[str] = []
    firsts: list[str] = []
    while True:
        rows = page.locator("table.events tbody tr[data-id]")
        ids = [rows.nth(i).get_attribute("data-id") for i in range(rows.count())]
        firsts.append(ids[0])
        seen += ids
        nxt = page.locator('.pager a[rel="next"]')
        if nxt.count() == 0:
            break
        nxt.click()
        page.wait_for_load_state("load")
    assert len(seen) == total == len(set(seen)) and len(firsts) == -(-total // 50)
    assert page.locator(".pager .count").inner_text().endswith(f"of {total}")
    for want in reversed(firsts[:-1]):
        page.locator('.pager a[rel="prev"]').click()
        page.wait_for_load_state("load")
        assert page.locator("table.events tbody tr[data-id]").first.get_attribute(
            "data-id") == want
    assert page.locator('.pager a[rel="prev"]').count() == 0
    assert watched.errors == []


def test_an_opened_dossier_has_a_url_back_and_escape_close_it(server: Server, browser: Any,
                                                              watched: Watched) -> None:
    ep = _episode_with_answer(server)
    page = watched.page
    page.goto(server.url("/"))
    link = page.locator(f'table.episodes a.episode-link[data-id="{ep["id"]}"]')
    link.click()
    page.wait_for_selector(f'#dossier article.dossier[data-id="{ep["id"]}"]')
    shared = page.url
    assert f"episode={urllib.parse.quote(ep['id'])}" in shared
    # Back closes the panel and stays in the app.
    page.go_back()
    page.wait_for_selector("#dossier article.dossier", state="detached")
    assert urllib.parse.urlsplit(page.url).path == "/" and "episode=" not in page.url
    # Forward opens it again.
    page.go_forward()
    page.wait_for_selector(f'#dossier article.dossier[data-id="{ep["id"]}"]')
    # The address opens the same dossier in a new page.
    other = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        fresh = other.new_page()
        fresh.goto(shared)
        assert fresh.locator(f'#dossier article.dossier[data-id="{ep["id"]}"]').count() == 1
        assert fresh.locator("#dossier h2").inner_text().strip() == ep["title"]
        # Escape closes a dossier the server opened, too.
        fresh.keyboard.press("Escape")
        fresh.wait_for_selector("#dossier article.dossier", state="detached")
        assert "episode=" not in fresh.url
    finally:
        other.close()
    # Escape closes the panel and gives focus back to the episode that opened it.
    page.goto(server.url("/"))
    link = page.locator(f'table.episodes a.episode-link[data-id="{ep["id"]}"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#dossier article.dossier[data-id="{ep["id"]}"]')
    page.keyboard.press("Escape")
    page.wait_for_selector("#dossier article.dossier", state="detached")
    assert page.evaluate("document.activeElement.getAttribute('data-id')") == ep["id"]
    assert page.evaluate("document.activeElement.classList.contains('episode-link')")
    assert "episode=" not in page.url
    assert watched.errors == []


PAGES = ["/", "/events", "/claims", "/documents", "/disagreements", "/ingest",
         "/search?q=talks", "/search?q=Norway", "/charts"]


def test_no_page_scrolls_sideways_on_a_phone(server: Server, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    try:
        page = context.new_page()
        watched = Watched(page)
        docs = server.api("/api/documents")["items"]
        ep = _episode_with_answer(server)
        quoted = urllib.parse.quote(ep["id"])
        for path in [*PAGES, f"/documents/{docs[0]['id']}", f"/?episode={quoted}",
                     f"/episodes/{quoted}/sources", f"/episodes/{quoted}"]:
            page.goto(server.url(path))
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= 390, (path, wide)
            if path.endswith("/sources"):
                _shot(page, "compare-390.png", full_page=False)
            elif path == "/charts":
                _shot(page, "charts-390.png", full_page=False)
        _shot(page, "dossier-390.png", full_page=False)
        # Tapping an episode brings its dossier into view.
        page.goto(server.url("/"))
        _shot(page, "timeline-390.png", full_page=False)
        page.locator(f'table.episodes a.episode-link[data-id="{ep["id"]}"]').tap()
        page.wait_for_selector(f'#dossier article.dossier[data-id="{ep["id"]}"]')
        page.wait_for_function("() => { const r = document.getElementById('dossier')"
                               ".getBoundingClientRect(); return r.top < 844 && r.bottom > 0; }")
        assert watched.errors == []
    finally:
        context.close()


def test_search_finds_a_sentence_by_a_word_and_an_actor_by_a_name(server: Server,
                                                                  watched: Watched) -> None:
    page = watched.page
    page.goto(server.url("/"))
    page.fill("#site-q", "Oslo")
    page.locator(".site-search button").click()
    page.wait_for_url("**/search?q=Oslo")
    hits = page.locator(".sentence-hit")
    assert hits.count() >= 1
    for i in range(hits.count()):
        assert "oslo" in hits.nth(i).locator("blockquote").inner_text().lower()
        assert hits.nth(i).locator("mark.hit").first.inner_text() == "Oslo"
    page.fill("#search-form input[name=q]", "Norwegian")
    page.locator("#search-form button").click()
    page.wait_for_url("**/search?q=Norwegian")
    assert page.locator('.actor-hit[data-code="NOR"]').count() == 1
    page.locator('.actor-hit[data-code="NOR"] a').first.click()
    page.wait_for_url("**/?party=NOR")
    assert page.locator("#timeline a.episode").count() >= 1
    _shot(page, "search-1440.png")
    assert watched.errors == []


def test_compare_sources_and_charts_pages(server: Server, watched: Watched) -> None:
    ep = _episode_with_answer(server)
    page = watched.page
    page.goto(server.url("/"))
    page.locator(f'table.episodes a.episode-link[data-id="{ep["id"]}"]').click()
    page.locator("#dossier a.compare-link").click()
    page.wait_for_url("**/sources")
    columns = page.locator(".source-column")
    assert columns.count() == len({m["doc_id"] for m in ep["members"]})
    boxes = [columns.nth(i).bounding_box() for i in range(columns.count())]
    if len(boxes) > 1:  # side by side on a desktop
        assert abs(boxes[0]["y"] - boxes[1]["y"]) < 1 and boxes[0]["x"] < boxes[1]["x"]
    _shot(page, "compare-1440.png", full_page=False)
    page.goto(server.url("/charts"))
    assert page.locator("svg.chart").count() == 4
    months = server.api("/api/charts/episodes-over-time")["rows"]
    assert page.locator("svg.chart-episodes-over-time rect.bar").count() == len(months)
    _shot(page, "charts-1440.png", full_page=False)
    assert watched.errors == []
