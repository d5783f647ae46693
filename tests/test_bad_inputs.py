"""A batch of bad inputs of many kinds: each gives one line naming the input and the reason,
the rest is stored, the exit status says something failed. Also: `detente code` and `eval`
on bad input, URL fetches that drip, overflow or redirect away, cross-site posts and unknown
hosts on the web app, and CSV cells that a spreadsheet would run as formulas.

Every fixture here is written by the test itself (our own sentences)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from detente.cli import main
from detente.config import Settings
from detente.export import write_events
from detente.ingest import ingest
from detente.output import spreadsheet_cell
from detente.readers import ReadError, read_sources
from detente.store import open_store
from detente.web import create_app
from detente.web.data import CLAIM_CSV_COLUMNS, csv_lines

from .test_ingest import FRENCH, GOOD

OTHER = ("Officials in Kenya rejected the proposal from Ethiopia on Monday, saying the "
         "border dispute must first be settled by the joint commission, a spokesman said.\n")


def _corpus(root: Path) -> None:
    """Good documents among bad ones: (file -> expected words of the reason) in BAD_FILES."""
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "utf16.txt").write_bytes(OTHER.encode("utf-16"))  # with a byte-order mark
    mixed = ("Qatar said the talks in Doha would resume, a spokesman for Sudan said "
             "on Friday at the café in the capital. ").encode() + b"\xff\xfe\x9d" + \
        b" The delegation agreed to meet again next week, officials said.\n"
    (root / "mostly_utf8.txt").write_bytes(mixed)
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (root / "french.txt").write_text(FRENCH, encoding="utf-8")
    (root / "broken.html").write_text("<html><body><div><<<>>></div>", encoding="utf-8")
    (root / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (root / "big.txt").write_text(GOOD * 200, encoding="utf-8")  # over --max-bytes
    (root / "words.txt").write_text("Share this\n", encoding="utf-8")
    (root / "sidecar_bad.txt").write_text(GOOD.replace("Armenia", "Georgia"), encoding="utf-8")
    (root / "meta.jsonl").write_text(json.dumps({"file": "sidecar_bad.txt",
                                                 "outlet": ["A", "B"]}) + "\n")
    good_line = json.dumps({"text": GOOD.replace("Washington", "Vienna"), "title": "Talks"})
    lines = [
        good_line.encode(),
        json.dumps({"text": GOOD, "title": ["a", "list"]}).encode(),
        json.dumps({"text": GOOD, "outlet": {"name": "x"}}).encode(),
        b'{"text": "Armenia and\x00 Azerbaijan met", "title": "nul"}',
        '{"text": "caf\u00e9 talks", "title": "bad byte"}'.encode()[:-14] + b"\xff\"}",
        b"{not json",
        json.dumps({"title": "no text"}).encode(),
        json.dumps({"text": "   "}).encode(),
        json.dumps({"text": GOOD.replace("Washington", "Geneva"), "published": 2023}).encode(),
    ]
    (root / "batch.jsonl").write_bytes(b"\n".join(lines) + b"\n")


BAD = {  # source (end of it) -> words of the reason
    "empty.txt": "empty",
    "binary.txt": "binary",
    "french.txt": "not English",
    "broken.html": "HTML",
    "scan.pdf": "unsupported file type",
    "big.txt": "too large",
    "words.txt": "no article text",
    "sidecar_bad.txt": '"outlet" must be a string, not a list',
    "batch.jsonl:2": '"title" must be a string, not a list',
    "batch.jsonl:3": '"outlet" must be a string, not an object',
    "batch.jsonl:4": "NUL byte",
    "batch.jsonl:5": "invalid UTF-8",
    "batch.jsonl:6": "invalid JSON",
    "batch.jsonl:7": '"text"',
    "batch.jsonl:8": "empty text",
    "http://[::1": "malformed URL",
    "nope.txt": "no such file",
}


def test_a_batch_of_bad_inputs_reports_each_and_stores_the_rest(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _corpus(corpus)
    db = tmp_path / "t.db"
    result = CliRunner().invoke(main, ["ingest", str(corpus), "http://[::1",
                                       str(tmp_path / "nope.txt"), "--db", str(db),
                                       "--workers", "1", "--max-bytes", "20000", "-q"])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    for source, words in BAD.items():
        mine = [e for e in errors if e.split(": ", 2)[1].endswith(source)]
        assert len(mine) == 1, (source, errors)
        assert words in mine[0], mine[0]
    assert len(errors) == len(BAD)
    assert "Traceback" not in result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "mostly_utf8.txt" in warnings[0] and "U+FFFD" in warnings[0]
    assert "5 stored, 0 already present, 17 failed" in result.stderr
    store = open_store(db)
    texts = {d["source"].rsplit("/", 1)[-1]: store.document(d["id"])["text"]
             for d in store.documents()}
    assert "Kenya rejected the proposal" in texts["utf16.txt"]
    assert "café" in texts["mostly_utf8.txt"] and "\ufffd" in texts["mostly_utf8.txt"]
    assert {"good.txt", "batch.jsonl:1", "batch.jsonl:9"} <= set(texts)
    assert not store.episodes_stale()


def test_a_rerun_skips_stored_documents_before_parsing_and_rebuilds_lost_episodes(
        tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Brazil proposed peace talks between Russia and Ukraine on March 3, 2023.\n\n"
                   "Ukraine rejected the Brazilian proposal on March 5, 2023.\n", "utf-8")
    store = open_store(tmp_path / "t.db")
    ingest([str(src)], store, Settings(), workers=1)
    built = store.count_episodes()
    assert built > 0
    with store.transaction() as con:  # what a run killed before its rebuild leaves
        con.execute("DELETE FROM episodes")
    again = ingest([str(src)], store, Settings(), workers=1)
    assert again.duplicates and not again.stored
    assert again.words == 0 and "spacy" not in again.timings  # found before parsing
    assert store.count_episodes() == built


# -- detente code ------------------------------------------------------------------------

def test_code_reports_bad_records_and_codes_the_others() -> None:
    good = json.dumps({"id": "g", "text": "Kenya rejected the proposal from Ethiopia.",
                       "date": "2024-05-03"}).encode()
    records = [
        good,
        b'{"id": "u", "text": "caf\xff"}',
        json.dumps({"id": "long", "text": "a " * 600_000}).encode(),
        b"{oops",
        json.dumps({"id": "d", "text": "Peace.", "date": "someday"}).encode(),
        json.dumps({"id": "g2", "text": "Norway offered to mediate between Sudan and Chad."
                    }).encode(),
    ]
    result = CliRunner().invoke(main, ["code", "-"], input=b"\n".join(records) + b"\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["g", None, "long", None, "d", "g2"]
    assert out[0]["events"] and "error" not in out[0] and "error" not in out[5]
    assert "invalid UTF-8" in out[1]["error"] and out[1]["line"] == 2
    assert "too long" in out[2]["error"]
    assert "invalid JSON" in out[3]["error"]
    assert "date" in out[4]["error"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: line ")]
    assert len(errors) == 4


# -- eval with a bad gold file ---------------------------------------------------------------

@pytest.mark.parametrize(("content", "words"), [
    ("episodes: [\n  - id: E1\n    date: : :\n", "not valid YAML at line"),
    ("- id: E1\n- id: E2\n", "top level is a list"),
    ("episodes:\n  - id: E1\n    mentions: [{file: a, phrase: b}]\n", "missing key 'date'"),
    ("episodes:\n  - id: E1\n    date: 2023\n    mentions: [{file: a}]\n",
     "missing key 'phrase'"),
    ("", "empty"),
    ("other_events:\n  - {id: O1, file: a, phrase: b, date: sometime}\n", "unreadable date"),
])
def test_eval_with_a_bad_gold_file_says_why_and_exits_2(tmp_path: Path, content: str,
                                                       words: str) -> None:
    gold = tmp_path / "gold.yaml"
    gold.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "--gold", str(gold), "--db",
                                       str(tmp_path / "t.db")])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: gold file {gold}: ")
    assert words in lines[0]
    assert not (tmp_path / "t.db").exists()  # the database is not even opened


# -- URL fetches ---------------------------------------------------------------------------

ARTICLE = GOOD.encode()


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        port = self.server.server_address[1]
        if self.path == "/ok":
            self._send(ARTICLE)
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(ARTICLE)))
            self.end_headers()
            for i in range(0, len(ARTICLE), 8):  # about 2.4 s in all
                self.wfile.write(ARTICLE[i:i + 8])
                self.wfile.flush()
                time.sleep(0.05)
        elif self.path == "/big":
            self._send(ARTICLE * 200)
        elif self.path == "/same":
            self._redirect("/ok")
        elif self.path == "/away":  # the same server under another name: another host
            self._redirect(f"http://localhost:{port}/ok")
        elif self.path == "/scheme":
            self._redirect(f"ftp://127.0.0.1:{port}/ok")
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client stopped reading: the size cap
            self.wfile.write(body)

    def _redirect(self, where: str) -> None:
        self.send_response(302)
        self.send_header("Location", where)
        self.end_headers()


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _fetch(url: str, **settings: float) -> object:
    return next(read_sources([url], Settings(**settings)))  # type: ignore[arg-type]


def test_url_fetch_has_a_total_deadline(site: str) -> None:
    start = time.monotonic()
    item = _fetch(f"{site}/drip", url_deadline=0.8, url_timeout=5)
    assert isinstance(item, ReadError) and "stopped after 0.8 s" in item.reason
    assert time.monotonic() - start < 2.0  # each read waits 0.05 s: no single wait times out


def test_url_fetch_has_a_size_cap(site: str) -> None:
    item = _fetch(f"{site}/big", url_max_bytes=20_000)
    assert isinstance(item, ReadError) and "larger than the limit" in item.reason


def test_url_redirects_stay_on_the_same_site(site: str) -> None:
    same = _fetch(f"{site}/same")
    assert not isinstance(same, ReadError) and "Armenia" in same.text  # type: ignore[attr-defined]
    for path in ("/away", "/scheme"):
        item = _fetch(f"{site}{path}")
        assert isinstance(item, ReadError) and "redirected to another site" in item.reason


# -- web app: cross-site posts and hosts ------------------------------------------------------

@pytest.fixture()
def web(tmp_path: Path) -> TestClient:
    app = create_app(tmp_path / "w.db", allowed_hosts=("localhost", "127.0.0.1"))
    return TestClient(app, base_url="http://localhost:8000")


def _stored(tmp_path: Path) -> int:
    store = open_store(tmp_path / "w.db")
    try:
        return store.count_documents()
    finally:
        store.close()


def test_a_cross_site_form_post_is_refused(web: TestClient, tmp_path: Path) -> None:
    form = {"text": GOOD}
    for headers in ({"Origin": "http://evil.example"},
                    {"Referer": "http://evil.example/page.html"},
                    {"Origin": "null"},
                    {"Origin": "http://localhost:9999"},  # another port is another site
                    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost:8000"}):
        r = web.post("/ingest", data=form, headers=headers, follow_redirects=False)
        assert r.status_code == 403, headers
        assert "another site" in r.text
    api = web.post("/api/ingest", json={"text": GOOD},
                   headers={"Origin": "http://evil.example"})
    assert api.status_code in (403, 404, 405)
    assert _stored(tmp_path) == 0


def test_a_same_site_form_post_is_accepted(web: TestClient) -> None:
    for headers in ({"Origin": "http://localhost:8000"},
                    {"Sec-Fetch-Site": "same-origin", "Origin": "null"}):  # no-referrer pages
        r = web.post("/ingest", data={"text": ""}, headers=headers, follow_redirects=False)
        assert r.status_code == 400 and "Nothing to ingest" in r.text  # reached the view


def test_an_unknown_host_is_refused(web: TestClient) -> None:
    assert web.get("/api/episodes").status_code == 200
    for host in ("evil.example", "evil.example:8000", "[::1"):
        r = web.get("/api/episodes", headers={"Host": host})
        assert r.status_code == 400, host
        assert r.json()["error"]["code"] == "bad_request" and "--allowed-host" in r.text
    assert web.get("/api/episodes", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_serve_takes_allowed_hosts() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "--allowed-host" in result.output


# -- CSV formula injection ---------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil.example\")", "+1+1", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
            "\tTAB", "\rCR"]


def test_csv_cells_that_start_like_formulas_are_neutralised() -> None:
    assert [spreadsheet_cell(f) for f in FORMULAS] == ["'" + f for f in FORMULAS]
    assert [spreadsheet_cell(v) for v in ("talks", -3, None, "")] == ["talks", -3, "", ""]
    plain = [f for f in FORMULAS if "\r" not in f]
    rows = [{"trigger_text": f, "sentence": f, "cameo": "036", "goldstein": -5.0}
            for f in plain]
    out = io.StringIO()
    write_events(rows, "csv", out)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["trigger_text"] for r in read] == ["'" + f for f in plain]
    assert all(r["goldstein"] == "-5.0" for r in read)  # numbers stay numbers
    tsv = io.StringIO()
    full = {"id": "x", "doc_id": "d", "quad_class": 1, "plover_type": "AGREE",
            "plover_mode": None, "modality": "asserted", "attribution_kind": "author",
            "sentence_idx": 0, "trigger_start": 0, "trigger_end": 4}
    write_events([{**full, **r, "source_text": r["sentence"]} for r in rows], "cameo-tsv",
                 tsv)
    assert not any(cell.startswith(("=", "+", "-", "@"))
                   for line in tsv.getvalue().splitlines()[1:] for cell in line.split("\t")
                   if cell and not cell.lstrip("-").replace(".", "").isdigit())
    claims = "".join(csv_lines(CLAIM_CSV_COLUMNS,
                               [{"text": "=1+2", "attribution_text": "@x", "value": -3}]))
    assert "'=1+2" in claims and "'@x" in claims and ",-3," in claims
