"""The web app and REST API, against a real SQLite store filled with hand-made rows.

The rows are written through Store methods (no spaCy), except in the ingest test, which runs
one short article of our own through the real pipeline.
"""

from __future__ import annotations

import re
import time
import warnings
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from detente.rows import EVENT
from detente.store import Store, open_store
from detente.web import create_app
from detente.web.highlight import Span, highlight
from detente.web.timeline import timeline_svg

with warnings.catch_warnings():  # starlette asks for httpx2, which is not installed
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

EVIL = "<script>alert('x')</script> <img src=x onerror=alert(1)>"


def _doc(store: Store, doc_id: str, title: str, published: str,
         paragraphs: list[list[str]], events: list[dict[str, Any]]) -> str:
    """Store a document made of ``paragraphs`` of sentences; events name their words."""
    text, sentences, pos = "", [], 0
    for p, para in enumerate(paragraphs):
        if text:
            text += "\n\n"
            pos = len(text)
        for s, sent in enumerate(para):
            if s:
                text += " "
                pos = len(text)
            text += sent
            sentences.append({"doc_id": doc_id, "idx": len(sentences), "paragraph": p,
                              "start": pos, "end": pos + len(sent), "text": sent})
            pos = len(text)
    rows = []
    for n, spec in enumerate(events):
        sent = sentences[spec["sentence"]]

        def span(words: str | None, sent: dict[str, Any] = sent) -> tuple[Any, Any]:
            if not words:
                return None, None
            start = sent["start"] + sent["text"].index(words)
            return start, start + len(words)

        t0, t1 = span(spec["trigger"])
        s0, s1 = span(spec.get("source_text"))
        g0, g1 = span(spec.get("target_text"))
        rows.append({
            "id": f"{doc_id}-{n}", "doc_id": doc_id, "sentence_idx": spec["sentence"],
            "trigger_text": spec["trigger"], "trigger_start": t0, "trigger_end": t1,
            "cameo": spec["cameo"], "cameo_name": spec.get("cameo_name", "Some action"),
            "plover_type": spec["plover"], "plover_mode": None, "plover_context": None,
            "goldstein": 1.0, "quad_class": spec.get("quad", 1),
            "source_code": spec.get("source"), "source_text": spec.get("source_text"),
            "source_start": s0, "source_end": s1, "target_code": spec.get("target"),
            "target_text": spec.get("target_text"), "target_start": g0, "target_end": g1,
            "modality": spec.get("modality", "asserted"), "attribution_kind": "author",
            "date_start": spec["date"], "date_end": spec["date"], "date_precision": "day",
            "pattern_id": "test", "coder_version": "test", "confidence": 0.9,
        })
    store.add_document(
        {"id": doc_id, "source": f"{doc_id}.txt", "format": "txt", "title": title,
         "outlet": "Test Wire", "author": "A. Writer", "published": published,
         "published_precision": "day", "text": text, "input_hash": doc_id,
         "n_sentences": len(sentences), "n_mentions": 0, "ingested_at": "2024-01-01"},
        sentences, [], rows,
        claims=[{"id": f"{doc_id}-c", "doc_id": doc_id, "sentence_idx": 0,
                 "start": sentences[0]["start"], "end": sentences[0]["start"] + 6,
                 "text": sentences[0]["text"][:6], "value": 3.0, "category": "losses"}],
        terms=[{"id": f"{doc_id}-t", "doc_id": doc_id, "sentence_idx": 0,
                "start": sentences[0]["start"], "end": sentences[0]["start"] + 6,
                "text": sentences[0]["text"][:6], "provision_id": "P1",
                "provision": "CEASEFIRE", "negated": 0}])
    return doc_id


def fill(store: Store) -> None:
    a = _doc(store, "a" * 64, "Brazil offers talks", "2023-03-06", [
        ["Before that, fighting went on.",
         "Brazil proposed peace talks between Russia and Ukraine on March 3.",
         "Lula said so."],
        ["Ukraine rejected the Brazilian offer on March 5.", EVIL]], [
        {"sentence": 1, "trigger": "proposed", "source": "BRA", "source_text": "Brazil",
         "target": "RUS", "target_text": "Russia", "cameo": "036", "plover": "CONSULT",
         "date": "2023-03-03"},
        {"sentence": 3, "trigger": "rejected", "source": "UKR", "source_text": "Ukraine",
         "target": "BRA", "target_text": "Brazilian", "cameo": "1243", "plover": "REJECT",
         "quad": 3, "date": "2023-03-05"},
        {"sentence": 4, "trigger": "alert", "source": "XSS", "cameo": "010",
         "plover": "COMMENT", "date": "2023-03-05", "modality": "reported"}])
    b = _doc(store, "b" * 64, "Japan and China", "2023-04-30", [
        ["Japan proposed talks with China on April 20."]], [
        {"sentence": 0, "trigger": "proposed", "source": "JPN", "source_text": "Japan",
         "target": "CHN", "target_text": "China", "cameo": "036", "plover": "CONSULT",
         "date": "2023-04-20"}])
    episodes = [
        {"id": "ep-brazil", "kind": "proposal", "title": "2023-03 BRA proposal to RUS",
         "proposer": ["BRA"], "addressee": ["RUS", "UKR"], "date_start": "2023-03-03",
         "date_end": "2023-03-03", "date_precision": "day", "n_mentions": 1, "n_sources": 1,
         "n_answers": 1, "answers_summary": [{"by": ["UKR"], "kind": "rejected",
                                              "event_id": f"{a}-1"}],
         "builder_version": "test", "built_at": "2024-01-01"},
        {"id": "ep-japan", "kind": "talks", "title": "2023-04 JPN–CHN talks <b>x</b>",
         "proposer": ["JPN"], "addressee": ["CHN"], "date_start": "2023-04-20",
         "date_end": "2023-04-28", "date_precision": "day", "n_mentions": 1, "n_sources": 1,
         "n_answers": 0, "builder_version": "test", "built_at": "2024-01-01"},
        {"id": "ep-undated", "kind": "mediation", "title": "undated mediation",
         "proposer": [], "addressee": [], "n_mentions": 1, "n_sources": 1, "n_answers": 0,
         "builder_version": "test", "built_at": "2024-01-01"},
    ]
    members = [
        {"episode_id": "ep-brazil", "event_id": f"{a}-0", "role": "mention",
         "answer_kind": None, "reason": "first mention"},
        {"episode_id": "ep-brazil", "event_id": f"{a}-1", "role": "answer",
         "answer_kind": "rejected", "reason": "addressee rejects"},
        {"episode_id": "ep-japan", "event_id": f"{b}-0", "role": "mention",
         "answer_kind": None, "reason": "first mention"},
        {"episode_id": "ep-undated", "event_id": f"{a}-2", "role": "mention",
         "answer_kind": None, "reason": "first mention"},
    ]
    parties = [{"episode_id": "ep-brazil", "role": "proposer", "code": "BRA"},
               {"episode_id": "ep-brazil", "role": "addressee", "code": "RUS"},
               {"episode_id": "ep-japan", "role": "proposer", "code": "JPN"}]
    sides = [{"disagreement_id": "d1", "side": n, "doc_id": d, "sentence_idx": 0,
              "start": None, "end": None, "text": "x", "position": p}
             for n, (d, p) in enumerate([(a, "talks offered"), (b, "no talks")], start=1)]
    store.replace_episodes(
        episodes, members, parties, [{"episode_id": "ep-brazil", "term_id": f"{a}-t",
                                      "reason": "near"}],
        [{"id": "d1", "kind": "characterisation", "about": "the offer",
          "episode_id": "ep-brazil"}], sides)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("web") / "web.db"
    store = open_store(path)
    fill(store)
    store.close()
    return path


@pytest.fixture(scope="module")
def client(db_path: Path) -> TestClient:
    return TestClient(create_app(db_path, allowed_hosts=("testserver",)))


def _is_error(response: Any, status: int | None = None) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    err = body["error"]
    assert {"status", "code", "message"} <= set(err)
    assert err["status"] == response.status_code
    if status is not None:
        assert response.status_code == status, body
    return err


# -- API shapes --------------------------------------------------------------------------
@pytest.mark.parametrize("path, n", [
    ("/api/episodes", 3), ("/api/documents", 2), ("/api/events", 4), ("/api/claims", 2),
    ("/api/disagreements", 1)])
def test_every_list_has_the_list_shape(client: TestClient, path: str, n: int) -> None:
    r = client.get(path, params={"limit": 2, "offset": 0})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"items", "total", "limit", "offset"}
    assert body["total"] == n and body["limit"] == 2 and body["offset"] == 0
    assert len(body["items"]) == min(2, n)


def test_details_of_an_episode_and_a_document(client: TestClient) -> None:
    ep = client.get("/api/episodes/ep-brazil").json()
    assert ep["proposer"] == ["BRA"] and ep["answers"][0]["kind"] == "rejected"
    assert {m["role"] for m in ep["members"]} == {"mention", "answer"}
    assert ep["terms_detail"][0]["provision"] == "CEASEFIRE"
    assert ep["disagreements"][0]["sides"][1]["position"] == "no talks"
    doc = client.get("/api/documents/" + "a" * 8).json()  # a unique id prefix works
    assert doc["id"] == "a" * 64 and len(doc["events"]) == 3 and doc["text"].endswith(EVIL)


@pytest.mark.parametrize("path", ["/api/episodes/nope", "/api/documents/nope",
                                  "/api/jobs/nope", "/api/nothing-here",
                                  "/api/events?doc=nope"])
def test_unknown_ids_and_routes_are_404_in_the_error_shape(client: TestClient,
                                                           path: str) -> None:
    err = _is_error(client.get(path), 404)
    assert err["code"] == "not_found" and err["message"]


@pytest.mark.parametrize("path", [
    "/api/events?limit=-1", "/api/events?limit=0", "/api/events?limit=1001",
    "/api/events?offset=-1", "/api/events?offset=99999999999999999999999",
    "/api/events?date_from=notadate", "/api/events?date_to=2023-02-30",
    "/api/events?modality=maybe", "/api/events?cameo=abc", "/api/events?format=xml",
    "/api/events?date_from=2023-02-29",
    "/api/episodes?kind=bogus", "/api/episodes?date_from=2023-13",
    "/api/claims?limit=x", "/api/disagreements?kind=bogus", "/api/documents?offset=-5"])
def test_bad_filters_are_4xx_in_the_error_shape(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert 400 <= r.status_code < 500
    err = _is_error(r, 422)
    assert err["code"] == "invalid_parameter" and err["details"]


def test_date_errors_say_what_to_write(client: TestClient) -> None:
    err = _is_error(client.get("/api/events", params={"date_from": "notadate"}), 422)
    assert "YYYY-MM-DD" in err["message"]


def test_filters_select_rows(client: TestClient) -> None:
    rows = client.get("/api/events", params={"actor": "bra"}).json()["items"]
    assert {r["id"][-1] for r in rows} == {"0", "1"}  # source or target, any case
    assert client.get("/api/events", params={"date_from": "2023-04"}).json()["total"] == 1
    assert client.get("/api/events", params={"cameo": "12"}).json()["total"] == 1
    eps = client.get("/api/episodes", params={"party": "JPN", "kind": "talks"}).json()
    assert [e["id"] for e in eps["items"]] == ["ep-japan"]
    assert client.get("/api/episodes", params={"doc": "b" * 64}).json()["total"] == 1


def test_unexpected_failures_are_500_in_the_error_shape(db_path: Path, monkeypatch) -> None:
    from detente.web import data

    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(data, "episodes_page", boom)
    r = TestClient(create_app(db_path, allowed_hosts=("testserver",)),
                   raise_server_exceptions=False).get("/api/episodes")
    err = _is_error(r, 500)
    assert err["code"] == "internal_error" and "boom" not in err["message"]
    assert "Content-Security-Policy" in r.headers


def test_openapi_describes_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/episodes", "/api/episodes/{episode_id}", "/api/documents", "/api/events",
            "/api/claims", "/api/disagreements"} <= set(schema["paths"])
    assert not any(p in schema["paths"] for p in ("/", "/ingest", "/events"))
    responses = schema["paths"]["/api/events"]["get"]["responses"]
    assert "text/csv" in responses["200"]["content"]
    assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ErrorResponse")


# -- downloads ---------------------------------------------------------------------------
def test_events_csv_has_the_header_and_the_filtered_rows(client: TestClient) -> None:
    r = client.get("/api/events", params={"actor": "BRA", "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().split("\n")
    assert lines[0] == ",".join((*EVENT.names, "doc_title", "outlet", "doc_published", "doc_url",
                                 "sentence"))
    assert len(lines) == 3 and all("BRA" in line for line in lines[1:])


def test_claims_csv(client: TestClient) -> None:
    lines = client.get("/api/claims?format=csv&category=losses").text.strip().split("\n")
    assert lines[0].startswith("id,doc_id,") and len(lines) == 3


# -- pages -------------------------------------------------------------------------------
def test_security_headers_everywhere(client: TestClient) -> None:
    for path in ("/", "/api/episodes", "/static/app.css", "/nope", "/api/nope"):
        r = client.get(path)
        csp = r.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_render_and_have_no_inline_script_or_style(client: TestClient) -> None:
    a = "a" * 64
    for path in ("/", "/episodes/ep-brazil", "/documents", f"/documents/{a}",
                 "/events", "/claims", "/disagreements", "/ingest", "/?episode=ep-brazil",
                 "/episodes/ep-brazil/sources", "/charts", "/search?q=Brazil", "/search",
                 f"/events/{a}-1", f"/claims/{a}-c", f"/documents/{a}/sentences/1"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", r.text), path
        assert " style=" not in r.text and "<style" not in r.text, path


def test_timeline_page_has_one_link_per_episode(client: TestClient) -> None:
    html = client.get("/").text
    svg = html[html.index('<svg id="timeline"'):html.index("</svg>")]
    assert len(re.findall(r'<a class="episode[^"]*" data-id="', svg)) == 3
    assert 'href="/episodes/ep-brazil"' in svg and 'id="dossier"' in html
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html
    filtered = client.get("/", params={"kind": "talks", "party": "", "date_from": ""}).text
    assert len(re.findall(r'<a class="episode ', filtered)) == 1


def test_bad_page_filters_show_an_error_page(client: TestClient) -> None:
    r = client.get("/events", params={"limit": "-1"})
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    assert "limit" in r.text


def test_dossier_page_and_fragment(client: TestClient) -> None:
    full = client.get("/episodes/ep-brazil").text
    frag = client.get("/episodes/ep-brazil", params={"fragment": 1}).text
    assert 'id="dossier"' in full and "<html" not in frag
    for cls in ("trigger", "source", "target"):
        assert f'<mark class="{cls}"' in frag
    assert "Before that, fighting went on." in frag  # paragraph context
    assert "the article itself" in frag  # who says the answer
    assert "talks offered" in frag and "no talks" in frag  # disagreement sides
    assert client.get("/episodes/nope").status_code == 404


def test_document_page_highlights_events_and_escapes_the_text(client: TestClient) -> None:
    html = client.get("/documents/" + "a" * 64).text
    assert html.count('<mark class="event q') == 3
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "<img src=x" not in html
    assert 'title="CAMEO 036' in html


# -- pure functions ----------------------------------------------------------------------
def test_highlight_escapes_markup_in_text_and_titles() -> None:
    text = "Kyiv said <script>alert(1)</script> and <img src=x onerror=alert(1)> today."
    start = text.index("<script>")
    out = str(highlight(text, [Span(start, start + 8, "trigger", 'say "<b>"'),
                               Span(0, 4, "source"), Span(None, None, "target")]))
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert '<mark class="source">Kyiv</mark>' in out
    assert 'title="say &#34;&lt;b&gt;&#34;"' in out


def test_highlight_nests_and_splits_crossing_spans() -> None:
    out = str(highlight("abcdef", [Span(0, 4, "a"), Span(2, 6, "b"), Span(1, 2, "c")]))
    assert out.count("<mark") == out.count("</mark>")
    assert re.sub(r"<[^>]+>", "", out) == "abcdef"
    assert out == ('<mark class="a">a<mark class="c">b</mark><mark class="b">cd</mark></mark>'
                   '<mark class="b">ef</mark>')
    offset = str(highlight("xyz", [Span(11, 12, "t")], offset=10))
    assert offset == 'x<mark class="t">y</mark>z'


def test_timeline_svg_has_one_element_per_episode() -> None:
    eps = [{"id": f"ep-{i}", "kind": kind, "title": f"<t{i}>", "proposer": ["RUS"],
            "date_start": f"2023-0{i + 1}-01", "date_end": f"2023-0{i + 1}-0{i + 1}",
            "answers": [{"by": ["UKR"], "kind": "accepted"}] if i else []}
           for i, kind in enumerate(["proposal", "talks", "agreement", "ceasefire"])]
    eps.append({"id": 'ep-"x', "kind": "mediation", "title": "undated", "proposer": []})
    svg = str(timeline_svg(eps))
    assert svg.count('<a class="episode') == 5
    assert "<t1>" not in svg and "&lt;t1&gt;" in svg and 'data-id="ep-&#34;x"' in svg
    assert "undated" in svg and svg.count('class="answer answer-accepted"') >= 3
    assert str(timeline_svg([])).count('<a class="episode') == 0


def test_timeline_svg_keeps_answer_marks_and_legend_inside_the_drawing() -> None:
    answers = [{"by": ["UKR"], "kind": "rejected"}] * 6
    eps = [{"id": "ep-a", "kind": "proposal", "title": "a", "proposer": ["RUS"],
            "date_start": "2020-01-01", "date_end": "2020-01-01"},
           {"id": "ep-b", "kind": "proposal", "title": "b", "proposer": ["RUS"],
            "date_start": "2024-06-14", "date_end": "2024-06-14", "answers": answers}]
    svg = str(timeline_svg(eps, width=960))
    xs = [float(x) for x in re.findall(r'class="answer answer-rejected" '
                                       r'transform="translate\(([0-9.]+) ', svg)]
    assert len(xs) >= 6 and max(xs) + 4 <= 960
    labels = re.findall(r'class="legend-label" x="([0-9.]+)" y="[0-9.]+">(\w+)<', svg)
    assert len(labels) == 13  # five kinds, seven answers, disputed
    assert all(float(x) + 8 * len(label) <= 960 for x, label in labels)
    narrow = str(timeline_svg(eps, width=400))  # the legend wraps instead of overflowing
    assert all(float(x) + 8 * len(label) <= 400 for x, label in re.findall(
        r'class="legend-label" x="([0-9.]+)" y="[0-9.]+">(\w+)<', narrow))


# -- ingest ------------------------------------------------------------------------------
def test_empty_upload_gives_the_clear_message(client: TestClient) -> None:
    r = client.post("/ingest", files={"file": ("empty.txt", b"")}, data={"text": ""})
    assert r.status_code == 400 and 'id="ingest-result"' in r.text
    assert "empty.txt: empty file" in r.text


@pytest.mark.parametrize("files, data, status, message", [
    ({"file": ("x.txt", b"\x00\x01\x02binary")}, {}, 400, "binary file"),
    ({"file": ("x.pdf", b"%PDF-1.4")}, {}, 415, "unsupported file type"),
    (None, {"text": "   "}, 400, "pasted text: empty file"),
    (None, {"text": ""}, 400, "Nothing to ingest"),
    (None, {"text": "Some text here.", "published": "soon"}, 400, "YYYY-MM-DD"),
])
def test_bad_input_is_refused_with_the_cli_messages(client: TestClient, files: Any,
                                                    data: dict[str, str], status: int,
                                                    message: str) -> None:
    r = client.post("/ingest", files=files, data=data)
    assert r.status_code == status and message in r.text


def test_too_large_upload_is_413(client: TestClient) -> None:
    r = client.post("/ingest", files={"file": ("big.txt", b"word " * (1_100_000))})
    assert r.status_code == 413 and "file too large" in r.text and "limit 5 MiB" in r.text


@pytest.mark.slow
def test_ingest_of_pasted_text_stores_a_document(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "ingest.db", allowed_hosts=("testserver",)))
    text = ("Brazil proposed peace talks between Russia and Ukraine on March 3, 2023.\n\n"
            "Ukraine rejected the Brazilian proposal on March 5, 2023.\n")
    r = client.post("/ingest", data={"text": text, "title": "Brazil offers talks",
                                     "outlet": "Test Wire", "published": "2023-03-06"},
                    follow_redirects=False)
    assert r.status_code == 303
    job_url = r.headers["location"]
    assert client.get(job_url).status_code == 200
    job_id = job_url.rsplit("/", 1)[1]
    deadline = time.time() + 120
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.time() > deadline:
            break
        time.sleep(0.2)
    assert job["failed"] == [] and len(job["stored"]) == 1, job
    docs = client.get("/api/documents").json()["items"]
    assert [(d["title"], d["outlet"], d["published"]) for d in docs] == [
        ("Brazil offers talks", "Test Wire", "2023-03-06")]
    assert docs[0]["n_events"] >= 1
    page = client.get(job_url).text
    assert 'id="ingest-result"' in page and 'data-status="' in page


# -- command line ------------------------------------------------------------------------
def test_serve_runs_uvicorn_on_localhost(tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    from detente.cli import main

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--port",
                                       "8123", "--create"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8123
    assert calls[0]["app"].title == "Detente"


def test_serve_refuses_a_mistyped_database_path(tmp_path: Path, monkeypatch) -> None:
    import uvicorn

    from detente.cli import main

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: pytest.fail("server started"))
    missing = tmp_path / "typo" / "demo.db"
    result = CliRunner().invoke(main, ["serve", "--db", str(missing)])
    assert result.exit_code != 0 and "no database at" in result.output
    assert "--create" in result.output
    assert not missing.parent.exists()
