"""Turn captured article text into clean paragraphs.

General rules, no per-site hacks:

- markdown link stubs ``[text](url)`` are reduced to their text; lines made mostly of links
  (navigation, "Articles by: [name]") are dropped by link density;
- lines and paragraphs matching boilerplate patterns (data file ``boilerplate.yaml``) are
  dropped; an end marker ("Share this article:", "Tags:") in the last part of the text drops
  the rest;
- hard line breaks from PDF extraction are rejoined by line shape (terminal punctuation,
  lower-case continuation, the text's wrap width, open parentheses);
- photo captions (a short paragraph closed by a parenthesised credit) are dropped.

The clean text is what Detente stores; every offset refers to it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .datafiles import DataFile, load_all, merged
from .dates import find_date

DATA = "cleaning/boilerplate.yaml"

_LINK_RE = re.compile(r"!?\[([^\[\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\))?[^()\s]*)\)")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_TERMINAL = tuple('.!?:;"”’\'…')
_MD_ESCAPE_RE = re.compile(r"\\([$*_\[\]#`>+\-.!|{}()])")
_HEADER_ZONE = 6
_BYLINE_RE = re.compile(r"^by\s+([A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|and|&|de|van|von|al))*)$",
                        re.I)
_CAPS_LIST_RE = re.compile(r"^[^a-z]*(,[^a-z]*){2,}$")
_END_PART = 0.6
_CAPTION_MAX_CHARS = 400


@dataclass(frozen=True)
class Rules:
    """Compiled boilerplate rules."""

    drop: tuple[re.Pattern[str], ...]
    end_markers: tuple[re.Pattern[str], ...]
    caption_credits: tuple[re.Pattern[str], ...]
    files: tuple[DataFile, ...]

    @classmethod
    def load(cls, *paths: Path) -> Rules:
        """The built-in rules with the files ``paths`` merged over them (lists are appended)."""
        files = load_all(DATA, "boilerplate", paths)
        data = merged(files)

        def comp(key: str) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(p, re.I) for p in data.get(key) or [])

        return cls(comp("drop"), comp("end_markers"), comp("caption_credits"), tuple(files))


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return Rules.load()


@dataclass
class Cleaned:
    """Clean text and what was taken out, for reports and tests."""

    text: str
    removed: list[tuple[str, str]] = field(default_factory=list)
    bylines: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return self.text.split("\n\n") if self.text else []


@dataclass
class _Line:
    text: str
    link_ratio: float
    block: int


def normalize(text: str) -> str:
    """Unicode NFC, unified newlines and spaces, no zero-width or soft-hyphen characters."""
    text = unicodedata.normalize("NFC", text).translate(_ZERO_WIDTH)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\t\u00a0\u2007\u202f\u2009\u200a]", " ", text)
    return "\n".join(line.rstrip() for line in text.split("\n"))


def reduce_links(line: str) -> tuple[str, float]:
    """Replace markdown links by their text; return the line and its share of link text."""
    link_chars = 0

    def repl(m: re.Match[str]) -> str:
        nonlocal link_chars
        if m.group(0).startswith("!"):
            return ""
        link_chars += len(m.group(1))
        return m.group(1)

    out = _MD_ESCAPE_RE.sub(r"\1", _LINK_RE.sub(repl, line))
    letters = len(out.strip())
    return out, (link_chars / letters if letters else 0.0)


def clean_text(
    raw: str,
    *,
    paragraphs_are_lines: bool = False,
    rules: Rules | None = None,
    known: tuple[str, ...] = (),
) -> Cleaned:
    """Clean ``raw`` article text; see the module docstring for the rules.

    ``known`` are metadata strings (title, author, outlet): a short paragraph at the top that
    repeats them is a title or byline, not article text.
    """
    rules = rules or default_rules()
    result = Cleaned(text="")
    lines = _split_lines(normalize(raw), paragraphs_are_lines)
    lines = _drop_lines(lines, rules, result)
    paragraphs = _join_lines(lines)
    kept = []
    keys = [_key(k) for k in known if k and len(_key(k)) >= 4]
    for i, para in enumerate(paragraphs):
        reason = _paragraph_reason(para, rules)
        if not reason and i < _HEADER_ZONE:
            reason = _header_reason(para, keys)
        if reason:
            result.removed.append((reason, para))
        else:
            kept.append(para)
    result.text = "\n\n".join(kept)
    return result


def _split_lines(text: str, paragraphs_are_lines: bool) -> list[_Line]:
    out: list[_Line] = []
    block = 0
    for raw_line in text.split("\n"):
        line, ratio = reduce_links(raw_line)
        line = re.sub(r" {2,}", " ", line).strip()
        if not line:
            block += 1
            continue
        out.append(_Line(line, ratio, block))
        if paragraphs_are_lines:
            block += 1
    return out


def _line_reason(line: _Line, rules: Rules) -> str | None:
    text = line.text
    if not any(ch.isalpha() for ch in text):
        return "no words"
    if any(p.search(text) for p in rules.drop):
        return "boilerplate"
    words = len(text.split())
    dense = line.link_ratio >= (0.4 if words <= 8 else 0.5)
    if dense and (words <= 15 or not text.endswith(_TERMINAL)):
        return "links"
    if _CAPS_LIST_RE.match(text) and words <= 40:
        return "tag list"
    date = find_date(text)
    if date and len(re.sub(r"[\W\d_]+", "", text[: date[1]] + text[date[2]:])) == 0:
        return "date line"
    return None


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def _is_heading(text: str) -> bool:
    return len(text) < 80 and not text.endswith(_TERMINAL)


def _header_reason(para: str, keys: list[str]) -> str | None:
    """Title, byline or dateline lines at the top of an article."""
    key = _key(para)
    if key in keys:
        return "title or byline"
    if not _is_heading(para) or len(para.split()) > 14:
        return None
    if any(key == k or (k in key) or (key in k and len(key) >= 6) for k in keys):
        return "title or byline"
    if find_date(para):
        return "dateline"
    return None


def _drop_lines(lines: list[_Line], rules: Rules, result: Cleaned) -> list[_Line]:
    kept: list[_Line] = []
    total = sum(len(ln.text) for ln in lines) or 1
    seen = 0
    for i, line in enumerate(lines):
        seen += len(line.text)
        late = seen >= total * _END_PART
        if late and any(p.search(line.text) for p in rules.end_markers):
            result.removed.extend(("after end marker", ln.text) for ln in lines[i:])
            break
        byline = _BYLINE_RE.match(line.text)
        if byline and len(line.text.split()) <= 10:
            result.bylines.append(byline.group(1))
            result.removed.append(("byline", line.text))
            continue
        reason = _line_reason(line, rules)
        if reason:
            result.removed.append((reason, line.text))
        else:
            kept.append(line)
    return kept


def _wrap_width(lines: list[_Line]) -> int:
    """The width a hard-wrapped text was wrapped at (0 when it does not look wrapped)."""
    if len(lines) < 8:
        return 0
    lengths = sorted(len(ln.text) for ln in lines)
    width = lengths[int(len(lengths) * 0.9) - 1]
    near = sum(1 for n in lengths if n >= width * 0.75)
    return width if width <= 200 and near >= len(lengths) * 0.3 else 0


def _continues(prev: str, nxt: str, same_block: bool, width: int) -> bool:
    """Whether ``nxt`` continues the sentence that ``prev`` leaves open."""
    if prev.count("(") > prev.count(")"):
        return True
    first = nxt[0]
    if first == "(" and nxt.endswith(")") and len(nxt) < 80 and prev.endswith("."):
        return True  # a credit line that belongs to the caption above it
    if (first.islower() or first in ",;)") and not prev.endswith(("!", "?")):
        return True
    if prev.endswith(_TERMINAL):
        return False
    if not same_block:
        # a sentence cut by a blank line: long open text followed by more prose
        return len(prev) > 150 and (prev[-1].isalnum() or prev[-1] == ",") and not _is_heading(nxt)
    if prev.endswith("-") or prev.endswith(","):
        return True
    return bool(width) and len(prev) >= width * 0.55


def _join_lines(lines: list[_Line]) -> list[str]:
    width = _wrap_width(lines)
    paragraphs: list[str] = []
    current = ""
    prev_block = None
    for line in lines:
        if current and _continues(current, line.text, line.block == prev_block, width):
            if current.endswith("-") and line.text[0].isalpha():
                current += line.text
            else:
                current += " " + line.text
        else:
            if current:
                paragraphs.append(current)
            current = line.text
        prev_block = line.block
    if current:
        paragraphs.append(current)
    return paragraphs


def _paragraph_reason(para: str, rules: Rules) -> str | None:
    if any(p.search(para) for p in rules.drop):
        return "boilerplate"
    if _is_caption(para, rules):
        return "caption"
    return None


def _is_caption(para: str, rules: Rules) -> bool:
    """A short paragraph closed by a parenthesised credit ("(Jane Doe, Wikimedia Commons)")."""
    if not para.endswith(")") or len(para) > _CAPTION_MAX_CHARS:
        return False
    start = para.rfind("(")
    if start <= 0:
        return False
    credit = para[start + 1 : -1]
    if any(p.search(credit) for p in rules.caption_credits):
        return True
    # "(First Last, Agency)" or "(Agency)" after a short sentence: a credit, not an aside
    parts = [p.strip() for p in credit.split(",")]
    return (
        para[:start].rstrip().endswith(".")
        and len(para) <= 300
        and len(credit.split()) <= 8
        and "." not in credit
        and all(p[:1].isupper() for p in parts if p)
    )

