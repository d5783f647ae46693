"""What `detente ingest` prints while it runs: a bar with docs/s, words/s and an ETA on a
terminal; plain lines otherwise; failures and the summary only with --quiet."""

from __future__ import annotations

import fcntl
import os
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from detente.readers import count_inputs

from .conftest import ROOT, SAMPLES

FILES = sorted(str(p) for p in SAMPLES.glob("*.txt"))[:3]


def _run(args: list[str], tty: bool) -> str:
    """The command's standard error, from a pseudo-terminal when ``tty``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "detente.cli", "ingest", *args, "--workers", "1"]
    if not tty:
        return subprocess.run(cmd, env=env, capture_output=True, text=True,
                              timeout=300).stderr
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 200, 0, 0))
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:   # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_count_inputs(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    (tmp_path / "d" / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n')
    (tmp_path / "c.html").write_text("<p>x</p>")
    assert count_inputs([str(tmp_path / "d"), str(tmp_path / "c.html")]) == 4
    assert count_inputs(["https://example.org/a"]) is None


@pytest.mark.slow
def test_terminal_shows_a_bar_with_rates_and_eta(tmp_path: Path) -> None:
    out = _run([*FILES, "--db", str(tmp_path / "t.db")], tty=True)
    assert "docs/s" in out and "words/s" in out
    assert "3/3" in out                       # the bar knows the total, so it has an ETA
    assert "<00:" in out                      # elapsed<remaining
    assert "timings:" in out and "3 stored" in out
    assert "stored: " not in out              # no line per document under the bar


@pytest.mark.slow
def test_plain_lines_without_a_terminal_or_when_quiet(tmp_path: Path) -> None:
    out = _run([*FILES, "--db", str(tmp_path / "t.db")], tty=False)
    assert "\r" not in out
    assert out.count("stored: ") == 3 and "timings:" in out
    quiet = _run([*FILES, str(tmp_path / "missing.txt"), "--db", str(tmp_path / "q.db"),
                  "--quiet"], tty=False)
    lines = quiet.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("error: ")
    assert "3 stored" in lines[1] and "1 failed" in lines[1]
