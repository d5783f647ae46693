"""Run the schemathesis CLI against a live `detente serve` and print the cases and 5xx counts.

Builds a small database from two short articles of our own through the real pipeline (or
uses --db), starts `detente serve` on a free port of 127.0.0.1, runs `schemathesis run` on
its /openapi.json with every phase (examples, coverage, fuzzing, stateful), stops the
server and prints, last, one line of key=value figures:

    cases=2057 failures=0 server_errors=0 responses=2190 responses_5xx=0 operations=8
    seconds=46.0

``failures`` counts schemathesis' failing test cases and ``server_errors`` its distinct
server-error failures (both after shrinking and de-duplication); ``responses`` and
``responses_5xx`` count all answers and the 5xx ones in the server's own access log. Exits 1
when schemathesis reports a failure or the log shows a 5xx.

    python bench/web_schema_check.py [--db PATH] [--max-examples 100] [--checks all]
                                     [--seed 1] [--max-time S] [--keep-report PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ARTICLES = {
    "brazil.txt": "title: Brazil offers talks\noutlet: Test Wire\npublished: 2023-03-06\n\n"
                  "Brazil proposed peace talks between Russia and Ukraine on March 3, 2023.\n\n"
                  "Ukraine rejected the Brazilian offer on March 5, 2023.\n",
    "norway.txt": "title: Norway offers to host talks\noutlet: Nordic Wire\n"
                  "published: 2023-05-10\n\nNorway proposed talks between Colombia and the ELN "
                  "rebels in Oslo on May 8, 2023.\n\nColombia rejected the Norwegian proposal "
                  "on May 10, 2023.\n",
}
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_db(folder: Path) -> Path:
    from detente.config import Settings
    from detente.ingest import ingest
    from detente.store import open_store

    paths = []
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    db = folder / "schema.db"
    store = open_store(db)
    try:
        report = ingest(paths, store, Settings())
    finally:
        store.close()
    if not report.ok:
        sys.exit(f"ingest failed: {report.failed}")
    return db


def wait_until_up(base: str, proc: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"detente serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/openapi.json", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    sys.exit(f"detente serve did not answer in {seconds} s:\n{log.read_text()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="Serve this database (default: build a small one).")
    parser.add_argument("--max-examples", type=int, default=100,
                        help="Cases per operation and phase (schemathesis -n).")
    parser.add_argument("--checks", default="not_a_server_error",
                        help="schemathesis --checks (e.g. all).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-time", type=int, default=None,
                        help="schemathesis --max-time: a time budget in seconds.")
    parser.add_argument("--keep-report", metavar="PATH",
                        help="Also save schemathesis' JSON run report here.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="detente-schema-") as tmp:
        folder = Path(tmp)
        db = Path(args.db) if args.db else build_db(folder)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = folder / "server.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [str(BIN / "detente"), "serve", "--db", str(db), "--host", "127.0.0.1",
                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
            try:
                wait_until_up(base, proc, log, 30)
                report = folder / "report.json"
                command = [
                    str(BIN / "schemathesis"), "run", f"{base}/openapi.json",
                    "--checks", args.checks, "--max-examples", str(args.max_examples),
                    "--seed", str(args.seed), "--generation-database", "none", "--no-color",
                    "--report", "json", "--report-json-path", str(report),
                    "--report-dir", str(folder / "reports"), "--request-timeout", "30",
                ]
                if args.max_time:
                    command += ["--max-time", str(args.max_time)]
                started = time.monotonic()
                run = subprocess.run(command, capture_output=True, text=True, cwd=folder)
                seconds = time.monotonic() - started
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        print(run.stdout[-4000:])
        if not report.exists():
            print(run.stderr[-4000:], file=sys.stderr)
            sys.exit(f"schemathesis wrote no report (exit {run.returncode})")
        data = json.loads(report.read_text())
        if args.keep_report:
            Path(args.keep_report).write_text(json.dumps(data, indent=1), encoding="utf-8")
        access = log.read_text(errors="replace")
        statuses = re.findall(r'HTTP/[0-9.]+" (\d{3})\b', access)
        responses_5xx = sum(status.startswith("5") for status in statuses)
        server_errors = sum(int(f.get("count") or 1) for f in data["failures"]
                            if f.get("type") == "ServerError")
        cases = data["test_cases"]["generated"]
        failures = data["test_cases"]["with_failures"]
        print(f"cases={cases} failures={failures} server_errors={server_errors} "
              f"responses={len(statuses)} responses_5xx={responses_5xx} "
              f"operations={data['operations']['tested']} seconds={seconds:.1f}")
        return 1 if failures or responses_5xx else 0


if __name__ == "__main__":
    sys.exit(main())
