"""Issue 12 at the HTTP level: paging, HEAD, unknown parameters, exports, names as filters,
search, errors that keep the page, readable values, and ingest jobs that outlive the server.

The store is filled through Store methods (see test_web_api.fill), except where an ingest
runs our own short article through the real pipeline.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import warnings
from pathlib import Path
from typing import Any

import pytest

from detente.store import open_store
from detente.web import create_app, data
from detente.web.present import number, quantity, when

from .test_web_api import _doc, _is_error, fill

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

N_EXTRA = 60  # documents of two events each: 120 more events, enough to page through


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("research") / "r.db"
    store = open_store(path)
    fill(store)
    for n in range(N_EXTRA):
        _doc(store, f"{n:02d}" + "c" * 62, f"Round {n}", f"2021-01-{n % 28 + 1:02d}", [
            [f"Chile proposed talks with Peru in round {n}.", f"Peru accepted round {n}."]], [
            {"sentence": 0, "trigger": "proposed", "source": "CHL", "source_text": "Chile",
             "target": "PER", "target_text": "Peru", "cameo": "036", "plover": "CONSULT",
             "date": f"2021-01-{n % 28 + 1:02d}"},
            {"sentence": 1, "trigger": "accepted", "source": "PER", "source_text": "Peru",
             "cameo": "081", "plover": "AGREE", "date": f"2021-01-{n % 28 + 1:02d}"}])
    store.close()
    return path


@pytest.fixture(scope="module")
def client(db_path: Path) -> TestClient:
    return TestClient(create_app(db_path), base_url="http://localhost")


def _ids(html: str) -> list[str]:
    return re.findall(r'<tr data-id="([^"]+)"', html)


# -- paging ------------------------------------------------------------------------------
def test_paging_walks_every_event_forward_and_back(client: TestClient) -> None:
    total = client.get("/api/events").json()["total"]
    assert total >= 120
    seen: list[str] = []
    url = "/events"
    pages = []
    while url:
        html = client.get(url).text
        pages.append(url)
        seen += _ids(html)
        nxt = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert len(seen) == total == len(set(seen))
    assert len(pages) == -(-total // 50)
    last = client.get(pages[-1]).text
    prev = re.search(r'<a rel="prev" href="([^"]+)"', last).group(1).replace("&amp;", "&")
    assert _ids(client.get(prev).text) == _ids(client.get(pages[-2]).text)
    assert f"of {total}" in last


def test_columns_sort_both_ways(client: TestClient) -> None:
    dates = [e["date_start"] for e in client.get(
        "/api/events", params={"sort": "-date", "limit": 1000}).json()["items"]]
    assert dates == sorted(dates, reverse=True) and dates[0] > dates[-1]
    html = client.get("/events").text
    link = re.search(r'<a class="sort" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "sort=-date" in link
    newest = _ids(client.get(link).text)[0]
    assert newest == client.get("/api/events", params={"sort": "-date"}).json()["items"][0]["id"]
    most = client.get("/api/episodes", params={"sort": "-sources"}).json()["items"]
    assert [e["n_sources"] for e in most] == sorted((e["n_sources"] for e in most), reverse=True)


def test_paging_keeps_the_filters(client: TestClient) -> None:
    html = client.get("/events", params={"actor": "PER", "limit": 7}).text
    nxt = re.search(r'<a rel="next" href="([^"]+)"', html).group(1)
    assert "actor=PER" in nxt and "offset=7" in nxt and "limit=7" in nxt


# -- HEAD, unknown parameters, exports -----------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/events", "/documents", "/api/episodes", "/api/events",
                                  "/api/search?q=peru", "/static/app.css"])
def test_head_answers_like_get_without_a_body(client: TestClient, path: str) -> None:
    r = client.head(path)
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"] == client.get(path).headers["content-type"]


@pytest.mark.parametrize("path", ["/api/episodes", "/api/events", "/api/claims",
                                  "/api/documents", "/api/disagreements"])
def test_unknown_parameters_are_400(client: TestClient, path: str) -> None:
    err = _is_error(client.get(path, params={"formatt": "csv"}), 400)
    assert err["code"] == "unknown_parameter" and "formatt" in err["message"]


def test_episodes_and_disagreements_export_as_csv(client: TestClient) -> None:
    r = client.get("/api/episodes", params={"format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["id"] for row in rows} == {"ep-brazil", "ep-japan", "ep-undated"}
    brazil = next(row for row in rows if row["id"] == "ep-brazil")
    assert brazil["answers"] == "UKR rejected" and brazil["n_disagreements"] == "1"
    r = client.get("/api/disagreements", params={"format": "csv"})
    sides = list(csv.DictReader(io.StringIO(r.text)))
    assert [s["position"] for s in sides] == ["talks offered", "no talks"]
    assert all(s["outlet"] == "Test Wire" and s["sentence"] for s in sides)


def test_exports_are_streamed_without_a_row_cap(client: TestClient, db_path: Path) -> None:
    total = client.get("/api/events").json()["total"]
    lines = client.get("/api/events", params={"format": "jsonl"}).text.splitlines()
    assert len(lines) == total and len({json.loads(x)["id"] for x in lines}) == total
    # the chunked reader gives every row whatever the chunk size
    rows = list(data.all_rows(str(db_path), lambda s, n, o: s.events(limit=n, offset=o),
                              None, 0, chunk=7))
    assert len(rows) == total
    events_csv = list(csv.DictReader(io.StringIO(
        client.get("/api/events", params={"format": "csv", "actor": "BRA"}).text)))
    assert events_csv and all(e["doc_title"] and e["outlet"] == "Test Wire" for e in events_csv)


def test_csv_cells_that_look_like_formulas_are_neutralised() -> None:
    out = "".join(data.csv_lines(["a", "b"], [{"a": "=HYPERLINK(1)", "b": -2.5}]))
    assert out.splitlines()[1] == "'=HYPERLINK(1),-2.5"


# -- names as filters, roles, facets, search ---------------------------------------------------
def test_a_party_can_be_named_and_given_a_role(client: TestClient) -> None:
    def ids(**params: Any) -> set[str]:
        return {e["id"] for e in client.get("/api/episodes", params=params).json()["items"]}

    assert ids(party="Brazil") == ids(party="BRA") == {"ep-brazil"}
    assert ids(party="Brasília") == {"ep-brazil"}  # a capital names its country
    assert ids(party="RUS", role="addressee") == {"ep-brazil"}
    assert ids(party="RUS", role="proposer") == set()
    assert ids(answer="rejected") == {"ep-brazil"}
    assert ids(disputed="true") == {"ep-brazil"}
    assert ids(provision="ceasefire") == {"ep-brazil"}
    html = client.get("/", params={"party": "Brazil"}).text
    assert '<span class="code">BRA</span> (“Brazil”)' in html


def test_search_finds_a_sentence_by_a_word_and_an_actor_by_a_name(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "Brazilian offer"}).json()
    assert [s["text"] for s in found["sentences"]] == [
        "Ukraine rejected the Brazilian offer on March 5."]
    assert found["actors"] == [] or all(a["code"] for a in found["actors"])
    assert [a["code"] for a in client.get("/api/search", params={"q": "Japan"}).json()[
        "actors"]][:1] == ["JPN"]
    page = client.get("/search", params={"q": "round 17"}).text
    assert '<mark class="hit">17</mark>' in page and "Round 17" in page
    words = client.get("/api/events", params={"q": "Brazilian"}).json()
    assert [e["trigger_text"] for e in words["items"]] == ["rejected"]


# -- errors --------------------------------------------------------------------------------
def test_a_bad_filter_keeps_the_page_and_the_other_filters(client: TestClient) -> None:
    r = client.get("/events", params={"date_from": "2023-13", "actor": "BRA"})
    assert r.status_code == 422 and 'id="filters"' in r.text
    assert "date_from" in r.text and "2023-13" in r.text
    assert set(_ids(r.text)) == {e["id"] for e in client.get(
        "/api/events", params={"actor": "BRA"}).json()["items"]}


def test_html_404_points_to_pages_not_the_api(client: TestClient) -> None:
    html = client.get("/documents/nothing-like-this").text
    assert "GET /api" not in html and "/documents" in html


# -- what the pages show ----------------------------------------------------------------------
def test_dossier_puts_answers_and_disagreements_before_terms(client: TestClient) -> None:
    frag = client.get("/episodes/ep-brazil", params={"fragment": 1}).text
    assert frag.index('class="answers"') < frag.index('class="disagreements"') < frag.index(
        'class="terms"') < frag.index('class="mentions"')


def test_timeline_marks_disputed_episodes_and_every_answer_kind(client: TestClient) -> None:
    html = client.get("/").text
    svg = html[html.index('<svg id="timeline"'):html.index("</svg>")]
    assert re.search(r'<a class="episode kind-proposal disputed" data-id="ep-brazil"', svg)
    for kind in ("accepted", "rejected", "refused", "ignored", "abandoned", "subverted",
                 "threatened", "disputed"):
        assert f">{kind}</text>" in svg


def test_document_page_lists_its_claims_terms_and_episodes(client: TestClient) -> None:
    html = client.get("/documents/" + "a" * 64).text
    assert 'href="/?episode=ep-brazil"' in html and "CEASEFIRE" in html
    assert 'class="doc-claims"' in html and "/claims?doc=" in html
    assert 'tabindex="0"' in html  # highlights reachable with the keyboard


def test_values_read_at_their_precision() -> None:
    assert when("1999-01-01", "1999-12-31", "year") == "1999"
    assert when("1970-01-01", "1975-12-31", "range") == "1970 – 1975"
    assert when("2024-06-01", "2024-06-30", "month") == "June 2024"
    assert when("2023-03-03", "2023-03-03", "day") == "3 Mar 2023"
    assert when(None) == "undated"
    assert number(16600000000.000002) == "16.6 billion"
    assert quantity({"value": 5000.0, "approx": "more than", "unit": "count"}) == \
        "more than 5,000"


# -- ingest through the API; jobs survive a restart ---------------------------------------------
TEXT = ("Chile proposed talks with Peru on June 2, 2023.\n\n"
        "The Peruvian government accepted the Chilean proposal on June 3, 2023.\n")


def _wait(client: TestClient, job_id: str) -> dict[str, Any]:
    deadline = time.time() + 180
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed") or time.time() > deadline:
            return job
        time.sleep(0.2)


@pytest.mark.slow
def test_post_api_ingest_and_the_result_page_link_everything(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "i.db"), base_url="http://localhost")
    r = client.post("/api/ingest", json={"text": TEXT, "outlet": "Andes Daily",
                                         "published": "2023-06-04"})
    assert r.status_code == 202 and r.headers["location"] == f"/api/jobs/{r.json()['id']}"
    job = _wait(client, r.json()["id"])
    assert job["status"] == "done" and len(job["stored"]) == 1, job
    page = client.get(f"/ingest/jobs/{job['id']}").text
    doc_id = re.search(r'class="doc-result" href="/documents/([0-9a-f]+)"', page).group(1)
    assert doc_id.startswith(job["stored"][0])
    assert f'href="/events?doc={doc_id}"' in page and f'href="/claims?doc={doc_id}"' in page
    joined = re.findall(r'class="joined-episode" href="/\?episode=([^"]+)"', page)
    assert joined and set(joined) <= {e["id"] for e in client.get("/api/episodes").json()[
        "items"]}
    # an untitled paste is named by its first line, not "pasted text"
    assert client.get(f"/api/documents/{doc_id}").json()["title"].startswith("Chile proposed")
    assert _is_error(client.post("/api/ingest", json={"text": "x", "bogus": 1}), 400)


@pytest.mark.slow
def test_a_paste_and_a_file_sent_together_are_both_ingested(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "both.db"), base_url="http://localhost")
    upload = ("title: Oslo offer\noutlet: Nordic Wire\n\n"
              "Norway proposed talks between Colombia and the ELN on May 8, 2023.\n")
    r = client.post("/ingest", data={"text": TEXT}, follow_redirects=False,
                    files={"file": ("oslo.txt", upload.encode())})
    assert r.status_code == 303
    job = _wait(client, r.headers["location"].rsplit("/", 1)[1])
    assert job["total"] == 2 and len(job["stored"]) == 2, job
    titles = sorted(d["title"] for d in client.get("/api/documents").json()["items"])
    assert titles[1] == "Oslo offer" and titles[0].startswith("Chile proposed talks")


@pytest.mark.slow
def test_a_job_accepted_before_a_restart_runs_when_the_server_starts(tmp_path: Path) -> None:
    from detente.readers import RawDocument
    from detente.web.jobs import _pack

    db = tmp_path / "j.db"
    store = open_store(db)
    doc = RawDocument(source="pasted text", text=TEXT, format="txt", input_hash="h1",
                      meta={"title": "Lima talks"}, meta_origin={"title": "option"})
    store.save_job({"id": "left-running", "status": "running", "stage": "processing",
                    "total": 1, "done": 0, "stored": [], "duplicates": [], "failed": [],
                    "error": None, "created_at": "2026-01-01T00:00:00+00:00",
                    "finished_at": None, "inputs": _pack([doc])})
    store.close()
    # a new server over the same database
    client = TestClient(create_app(db), base_url="http://localhost")
    job = _wait(client, "left-running")
    assert job["status"] == "done" and len(job["stored"]) == 1, job
    titles = [d["title"] for d in client.get("/api/documents").json()["items"]]
    assert titles == ["Lima talks"]
    store = open_store(db)
    assert store.job("left-running")["inputs"] is None  # the text is not kept once stored
    store.close()


# -- charts, compare sources, permalinks, citations -------------------------------------------
def test_each_chart_has_its_numbers_as_a_table_csv_and_json(client: TestClient) -> None:
    html = client.get("/charts").text
    for name in ("episodes-over-time", "events-over-time", "answers-by-kind", "dyads"):
        assert f'<svg class="chart chart-{name}"' in html
        body = client.get(f"/api/charts/{name}").json()
        rows = list(csv.DictReader(io.StringIO(client.get(
            f"/api/charts/{name}", params={"format": "csv"}).text)))
        assert [list(r.values()) for r in rows] == [
            [str(v) for v in r.values()] for r in body["rows"]]
    months = {r["month"]: r["events"] for r in client.get(
        "/api/charts/events-over-time").json()["rows"]}
    assert months["2021-01"] == 2 * N_EXTRA and sum(months.values()) == client.get(
        "/api/events").json()["total"]
    assert list(months)[:3] == ["2021-01", "2021-02", "2021-03"]  # months without any: 0
    assert months["2021-02"] == 0
    assert client.get("/api/charts/dyads").json()["rows"] == [
        {"proposer": "BRA", "addressee": "RUS", "episodes": 1}]
    assert client.get("/api/charts/answers-by-kind").json()["rows"] == [
        {"answer": "rejected", "answers": 1}]


def test_compare_sources_has_one_column_per_source(client: TestClient) -> None:
    html = client.get("/episodes/ep-brazil/sources").text
    docs = re.findall(r'<section class="source-column" data-doc="([^"]+)"', html)
    detail = client.get("/api/episodes/ep-brazil").json()
    assert set(docs) == {m["doc_id"] for m in detail["members"]}
    assert "CEASEFIRE" in html and "rejected" in html


def test_permalinks_to_an_event_a_claim_and_a_sentence(client: TestClient) -> None:
    event = client.get("/api/events", params={"actor": "UKR"}).json()["items"][0]
    page = client.get(f"/events/{event['id']}").text
    assert '<mark class="trigger"' in page and event["sentence"].split()[0] in page
    assert f'/documents/{event["doc_id"]}/sentences/{event["sentence_idx"]}' in page
    assert client.get(f"/api/events/{event['id']}").json()["id"] == event["id"]
    claim = client.get("/api/claims").json()["items"][0]
    assert client.get(f"/claims/{claim['id']}").status_code == 200
    assert client.get(f"/api/claims/{claim['id']}").json()["value"] == claim["value"]
    sent = client.get(f"/documents/{event['doc_id']}/sentences/{event['sentence_idx']}").text
    assert f'href="/events/{event["id"]}"' in sent
    assert client.get(f"/documents/{event['doc_id']}/sentences/999").status_code == 404
    _is_error(client.get("/api/events/nope"), 404)


def test_an_episode_cites_its_sources_as_csl_json_and_text(client: TestClient) -> None:
    items = client.get("/api/episodes/ep-brazil/cite").json()
    assert [i["id"] for i in items] == ["a" * 64]
    assert items[0]["container-title"] == "Test Wire"
    assert items[0]["issued"] == {"date-parts": [[2023, 3, 6]]}
    text = client.get("/api/episodes/ep-brazil/cite", params={"format": "text"}).text
    assert text == "Test Wire (2023-03-06). “Brazil offers talks”. A. Writer.\n"


@pytest.mark.slow
def test_a_paste_accepted_before_sigterm_is_stored_once_after_a_restart(tmp_path: Path) -> None:
    """The real server: a paste is accepted, the server gets SIGTERM at once, a new server
    on the same database finishes the job (or finds it finished) with one document."""
    import signal
    import socket
    import subprocess
    import sys
    import urllib.request

    db = tmp_path / "term.db"

    def start() -> tuple[subprocess.Popen[bytes], str]:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        proc = subprocess.Popen(
            [sys.executable, "-c", "import sys; from detente.cli import main; sys.exit(main())",
             "serve", "--db", str(db), "--create", "--port", str(port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(base + "/api/documents", timeout=2).close()
                return proc, base
            except OSError:
                time.sleep(0.1)
        proc.kill()
        pytest.fail("the server did not start")

    proc, base = start()
    try:
        req = urllib.request.Request(base + "/api/ingest", method="POST",
                                     data=json.dumps({"text": TEXT}).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 202
            job_id = json.load(r)["id"]
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    proc, base = start()
    try:
        deadline = time.time() + 180
        while True:
            with urllib.request.urlopen(f"{base}/api/jobs/{job_id}", timeout=10) as r:
                job = json.load(r)
            if job["status"] in ("done", "failed") or time.time() > deadline:
                break
            time.sleep(0.3)
        assert job["status"] == "done" and len(job["stored"]) == 1, job
        with urllib.request.urlopen(base + "/api/documents", timeout=10) as r:
            assert json.load(r)["total"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    store = open_store(db)
    try:  # no run of the web ingest is left unfinished
        runs = [r for r in store.runs() if r["command"] == "web ingest"]
        assert runs and all(r["finished_at"] for r in runs), runs
    finally:
        store.close()
