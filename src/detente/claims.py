"""Quantitative claims: losses, forces, munitions, money, territory and people, as sources
state them.

``extract_claims`` reads one parsed document. Numbers are found by rules over the sentence
text (digits with scales, number words, "half a million", "two dozen", vague magnitudes,
ranges, qualifiers); quantulum3 names the unit of figures written with digits (currency,
area, percentage, or a duration or length, which is not a claim). A number is kept only when
it counts something of the vocabulary (``data/claims/quantities.yaml``): a counted noun
("500,000 dead", "10,000 artillery shells"), persons with a predicate ("14,000 people died"),
money, an area, or a percentage with a subject. Each claim gets its rate ("per day"), whose
figure it is (the actor named in the phrase or, for verbs such as "lose" or "fire", the
subject of its clause), its period, and who asserts it (detente.attribution).

Row conventions (value, value_max, approx as the written qualifier, vague magnitudes as
lower bounds, percentages restating a quantity) are documented at the top of the data file.
Where claims of different documents disagree is ``disagreements.quantity_conflicts``.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from .actors import MentionIndex, Resolution
from .attribution import (
    AUTHOR,
    REPORTING,
    Attribution,
    Speakers,
    reporting_head,
    reporting_speaker,
)
from .datafiles import DataFile, load_all, merged
from .dates import PartialDate
from .event_dates import find_expressions, resolve_expression
from .nlp import paragraphs
from .rows import CLAIM
from .wordlists import alt

DATA = "claims/quantities.yaml"
SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_WORD = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[A-Za-z]+|\S")


# -- vocabulary ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lexeme:
    """What a counted noun counts."""

    counted: str
    category: str


class Vocabulary:
    """The data file, ready for matching."""

    def __init__(self, files: Sequence[DataFile], data: dict[str, Any]):
        self.files, self.data = tuple(files), data
        d = data
        num = d["numbers"]
        self.words = {k: float(v) for k, v in num["words"].items()}
        self.hundred = {k: float(v) for k, v in num["hundred"].items()}
        self.scales = {k: float(v) for k, v in num["scales"].items()}
        self.abbreviations = {k: float(v) for k, v in num["abbreviations"].items()}
        self.multipliers = {k: float(v) for k, v in num["multipliers"].items()}
        self.fractions = {k: float(v) for k, v in num["fractions"].items()}
        self.vague: list[tuple[tuple[str, ...], float]] = sorted(
            ((tuple(k.split()), float(v)) for k, v in num["vague"].items()),
            key=lambda kv: -len(kv[0]))
        self.not_counts = frozenset(num["not_counts"])
        self.compounds: dict[str, str] = dict(num["compounds"])
        self.years = tuple(num["years"])
        q = d["qualifiers"]
        self.bounds = {p.lower(): bound for bound in ("about", "lower", "upper") for p in q[bound]}
        self.prefix_re = re.compile(rf"(?:^|(?<=[\s(\[—–-]))(?P<q>"
                                    rf"{alt(p for p in self.bounds if p not in q['postfix'])})"
                                    r"\s+(?:a\s+mere\s+|only\s+|just\s+)?$", re.I)
        self.postfix_re = re.compile(rf"^\s*(?P<q>{alt(q['postfix'])})(?![\w])", re.I)
        units = d["units"]
        self.quantulum_entities: dict[str, str] = dict(units["quantulum_entities"])
        cur = units["currencies"]
        self.currency_prefix = dict(cur["prefix"])
        self.currency_suffix = {k.lower(): v for k, v in cur["suffix"].items()}
        self.prefix_currency_re = re.compile(rf"(?P<c>{alt(cur['prefix'])})\s?$")
        self.suffix_currency_re = re.compile(rf"^\s+(?P<c>{alt(cur['suffix'])})\b", re.I)
        self.area_units = {k.lower(): v for k, v in units["area"].items()}
        self.area_re = re.compile(rf"^\s*(?P<u>{alt(units['area'])})(?!\w)", re.I)
        self.quantulum_area: dict[str, str] = dict(units["quantulum_area"])
        self.km2: dict[str, float] = {k: float(v) for k, v in units["km2"].items()}
        self.percent_re = re.compile(rf"^\s*(?P<u>{alt(units['percent'])})(?!\w)", re.I)
        self.nouns: dict[str, list[tuple[tuple[str, ...], Lexeme]]] = {}
        for category, kinds in d["counted"].items():
            for counted, forms in kinds.items():
                for form in forms:
                    words = tuple(str(form).lower().split())
                    self.nouns.setdefault(words[-1], []).append(
                        (words[:-1], Lexeme(counted, category)))
        for entries in self.nouns.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.persons = frozenset(d["persons"])
        self.person_kinds = frozenset(d["person_kinds"])
        self.predicates = [(counted, tuple(p.split()[1:]), p.split()[0])
                           for counted, items in d["predicates"].items() for p in items]
        self.casualty_parts = frozenset(d["casualty_parts"])
        self.owner_verbs = frozenset(d["owner_verbs"])
        self.owner_preps = frozenset(d["owner_preps"])
        self.copulas = frozenset(d["copulas"])
        self.rates = {p.lower(): rate for rate, items in d["rates"].items() for p in items}
        self.rate_re = re.compile(rf"(?<!\w)(?:{alt(self.rates)})(?!\w)"
                                  r"(?!\s+(?:ago|after|before|later|earlier|of)\b)", re.I)
        per = d["periods"]
        self.period_preps = frozenset(per["prepositions"])
        self.since = frozenset(per["since"])
        self.deadlines = frozenset(per["deadlines"])
        self.period_res = [re.compile(rf"(?<!\w){p}(?!\w)", re.I) for p in per["patterns"]]
        self.reporting = REPORTING | frozenset(d["reporting"])
        self.counting = frozenset(d["counting"])
        self.conflicts: dict[str, Any] = d["conflicts"]
        vague_words = {w for phrase, _ in self.vague for w in phrase} - {
            "a", "an", "of", "few", "several"}
        starts = (set(self.words) | set(self.scales) | set(self.multipliers) | set(self.hundred)
                  | vague_words | set(self.fractions))
        self.gate_re = re.compile(rf"\d|\b(?:{alt(starts)})\b", re.I)

    def lexeme(self, token: Token) -> Lexeme | None:
        """What ``token`` counts, if it is a counted noun (multi-word forms end on it)."""
        for key in (token.lower_, token.lemma_.lower()):
            for before, lex in self.nouns.get(key, []):
                if not before:
                    return lex
                start = token.i - len(before)
                if start >= 0 and tuple(t.lower_ for t in token.doc[start:token.i]) == before:
                    return lex
        return None


def load_vocabulary(extra: Iterable[str] | str = ()) -> Vocabulary:
    """The packaged vocabulary with the user's files ``extra`` merged over it (lists are
    appended, mappings merged key by key: see :func:`detente.datafiles.merge`)."""
    return _vocabulary((extra,) if isinstance(extra, str) else tuple(str(p) for p in extra))


@lru_cache(maxsize=4)
def _vocabulary(extra: tuple[str, ...]) -> Vocabulary:
    files = load_all(DATA, "quantities", extra)
    return Vocabulary(files, merged(files))


# -- numbers ---------------------------------------------------------------------------------
@dataclass
class Number:
    """A number found in a sentence (offsets into the document text)."""

    start: int  # the phrase: qualifier, currency sign, "between"
    end: int
    num_start: int  # the figure itself
    num_end: int
    value: float
    value_max: float | None = None
    approx: str | None = None
    digits: bool = False
    year: bool = False
    compound: str | None = None  # "strong" in "10,000-strong"; "year" in "30-year"
    not_count: bool = False  # "5 times"
    dated: bool = False  # within a date ("on Jan. 3")


def find_numbers(text: str, vocab: Vocabulary | None = None, base: int = 0) -> list[Number]:
    """Numbers in ``text`` by the rules of the vocabulary (offsets shifted by ``base``)."""
    v = vocab or load_vocabulary()
    toks = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
    low = [t[0].lower() for t in toks]
    out: list[Number] = []
    i = 0
    while i < len(toks):
        s = toks[i][1]
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-_/."):
            i += 1
            continue
        parsed = _parse(toks, low, i, v)
        if parsed is None:
            i += 1
            continue
        value, j, digits, vague, scale = parsed
        if j < len(toks) and digits and toks[j][1] == toks[j - 1][2] and toks[j][0][:1].isalpha() \
                and toks[j][0].lower() not in v.abbreviations:
            i = j  # "1990s", "24th", "G7"
            continue
        num = Number(s + base, toks[j - 1][2] + base, s + base, toks[j - 1][2] + base, value,
                     digits=digits)
        if vague:
            num.approx = vague
        else:
            j = _range(toks, low, i, j, num, (value, scale), v, base)
        figure = text[num.num_start - base:num.num_end - base]
        words = {w.lower() for w in re.findall(r"[A-Za-z]+", figure)}
        if digits and not vague and words <= {"and", "to"} and all(
                re.fullmatch(r"\d{4}", d) and v.years[0] <= int(d) <= v.years[1]
                for d in re.findall(r"[\d,.]+", figure)):
            num.year = True  # "2023", "2014-2021"
        if j + 1 < len(toks) and toks[j][0] in "-–" and toks[j][1] == toks[j - 1][2] \
                and toks[j + 1][0][:1].isalpha():
            num.compound = toks[j + 1][0].lower()
        if j < len(toks) and toks[j][0].lower() in v.not_counts:
            num.not_count = True
        _qualify(text, num, v, base)
        out.append(num)
        i = max(j, i + 1)
    return out


def _parse(toks: list[tuple[str, int, int]], low: list[str], i: int, v: Vocabulary
           ) -> tuple[float, int, bool, str | None, float] | None:
    """(value, next index, has digits, vague phrase, last scale) of a number at ``i``."""
    for words, value in v.vague:
        if tuple(low[i:i + len(words)]) == words:
            return value, i + len(words), False, " ".join(words), 1.0
    j = i
    if low[j] in ("a", "an") and j + 1 < len(low) and low[j + 1] in v.fractions:
        j += 1
    if low[j] in v.fractions:
        k = j + 1
        if k + 1 < len(low) and low[k] == "of" and low[k + 1] in ("a", "an"):
            k += 2
        elif k < len(low) and low[k] in ("a", "an"):
            k += 1
        if k < len(low) and (low[k] in v.scales or low[k] in v.hundred):
            scale = v.scales.get(low[k]) or v.hundred[low[k]]
            return v.fractions[low[j]] * scale, k + 1, False, None, scale
        return None
    total, current, digits, scale, last = 0.0, None, False, 1.0, ""
    if low[j] in ("a", "an"):
        if j + 1 < len(low) and (low[j + 1] in v.scales or low[j + 1] in v.hundred
                                 or low[j + 1] in v.multipliers):
            current, j = 1.0, j + 1
        else:
            return None
    start = j
    while j < len(low):
        w = low[j]
        if j == start and toks[j][0][0].isdigit():
            current, digits = float(w.replace(",", "")), True
            if j + 1 < len(low) and toks[j + 1][1] == toks[j][2] and low[j + 1] in v.abbreviations:
                scale = v.abbreviations[low[j + 1]]
                current *= scale
                j += 2
                break
            last = "digits"
        elif w in v.words and not digits:
            n = v.words[w]
            if current is None:
                current, last = n, ("tens" if n >= 20 else "unit")
            elif last == "tens" and n < 10 or last == "hundred" and n < 100:
                current, last = current + n, ("tens" if n >= 20 else "unit")
            else:
                break
        elif ((w, last) in (("-", "tens"), ("and", "hundred")) and j + 1 < len(low)
              and low[j + 1] in v.words):
            pass  # "twenty-five", "three hundred and ten"
        elif w in v.hundred and current is not None and last != "hundred":
            current, scale, last = current * v.hundred[w], v.hundred[w], "hundred"
        elif w in v.multipliers and current is not None:
            current, last = current * v.multipliers[w], "multiplier"
        elif w in v.scales and (current is not None or total):
            total += (current if current is not None else 1.0) * v.scales[w]
            current, scale, last = None, v.scales[w], "scale"
        else:
            break
        j += 1
    if j == start or (current is None and not total):
        return None
    if low[j - 1] in ("-", "and"):
        j -= 1
    return total + (current or 0.0), j, digits, None, scale


def _range(toks: list[tuple[str, int, int]], low: list[str], i: int, j: int, num: Number,
           first: tuple[float, float], v: Vocabulary, base: int) -> int:
    """Extend ``num`` over "between A and B", "A to B", "A-B"; the next index."""
    value, scale = first
    between = i > 0 and low[i - 1] == "between"
    if j + 1 >= len(low) or not (low[j] in ("to", "-", "–", "—") or (between and low[j] == "and")):
        return j
    if i > 0 and low[i - 1] == "from":
        return j  # "from 28,000 to 100,000": a change, not a range
    other = _parse(toks, low, j + 1, v)
    if other is None:
        return j
    value2, k, digits2, _, scale2 = other
    if scale == 1 and scale2 > 1 and value * scale2 <= value2:
        value *= scale2  # "between 5 and 7 million"
    if value2 <= value:
        return j
    num.value, num.value_max, num.digits = value, value2, num.digits or digits2
    num.num_end = num.end = toks[k - 1][2] + base
    if between:
        num.start = toks[i - 1][1] + base
    return k


def _qualify(text: str, num: Number, v: Vocabulary, base: int) -> None:
    before = text[: num.start - base]
    m = v.prefix_re.search(before)
    if m and num.approx is None:
        num.approx = m.group("q").lower()
        num.start = m.start("q") + base
    m = v.postfix_re.match(text[num.end - base:])
    if m:
        num.approx = num.approx or m.group("q").lower().lstrip("-")
        num.end += m.end("q")


def bound_of(approx: str | None, vocab: Vocabulary | None = None) -> str | None:
    """``about``, ``lower`` or ``upper`` for a qualifier; vague magnitudes are lower bounds."""
    if not approx:
        return None
    v = vocab or load_vocabulary()
    key = approx.lower()
    if key in v.bounds:
        return v.bounds[key]
    if "-" + key in v.bounds:
        return v.bounds["-" + key]
    if any(" ".join(w) == key for w, _ in v.vague):
        return "lower"
    return "about"


# -- quantulum3 ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _QUnit:
    start: int
    end: int
    entity: str
    name: str
    currency: str | None


def warm_units() -> None:
    """Load quantulum3's unit tables (seconds on the first parse) ahead of the first claim."""
    _quantulum("a warm-up of 5 km")


def _quantulum(text: str) -> list[_QUnit]:
    """Units quantulum3 finds in ``text`` (imported on first use: it is slow to load)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import parser
        try:
            found = parser.parse(text)
        except Exception:  # quantulum3 raises on odd input; the rules still apply
            return []
    return [_QUnit(q.span[0], q.span[1], q.unit.entity.name, q.unit.name,
                   getattr(q.unit, "currency_code", None)) for q in found]


# -- the extractor ---------------------------------------------------------------------------
@dataclass
class _Claim:
    """A claim while it is being built."""

    num: Number
    sentence_idx: int
    start: int
    end: int
    counted: str | None = None
    category: str | None = None
    unit: str | None = None
    method: str = "rules"
    counted_tok: Token | None = None
    head: Token | None = None  # the syntactic head of the quantity phrase
    gov: Token | None = None  # the verb governing it
    rate: str | None = None
    whose: list[str] = field(default_factory=list)
    whose_text: str | None = None
    period: tuple[str, Any, Any, str | None] | None = None
    attribution: Attribution = field(default_factory=lambda: AUTHOR)
    inherit: _Claim | None = None  # the figure an elliptic one or a restatement repeats


class _Doc:
    """Per-document state: mentions by token, quotations, the paragraph's speaker."""

    def __init__(self, doc: Doc, mentions: Iterable[Resolution], published: PartialDate | None,
                 v: Vocabulary):
        self.doc, self.published, self.v = doc, published, v
        self.text = doc.text  # Doc.text is rebuilt on every access
        self.starts = [t.idx for t in doc]
        self.date_ents = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "DATE"]
        self.date_starts = [s for s, _ in self.date_ents]  # sorted, as doc.ents are
        self.by_token = MentionIndex.of(doc, mentions).by_token
        self.speakers = Speakers(doc, self.mention, self.text)

    def mention(self, token: Token) -> Resolution | None:
        return self.by_token.get(token.i)

    def codes(self, token: Token) -> list[tuple[str, Token]]:
        """Actor codes named on ``token`` and its conjuncts ("Russians and Ukrainians")."""
        out = []
        for t in (token, *token.conjuncts):
            m = self.mention(t)
            if m is not None and m.code:
                out.append((m.code, t))
        return out


def extract_claims(doc: Doc, doc_id: str, mentions: Sequence[Resolution],
                   published: PartialDate | None,
                   vocab: Vocabulary | None = None) -> list[dict[str, Any]]:
    """Claim rows (the fields of ``rows.CLAIM``) for one parsed document.

    ``mentions`` are the resolver's mentions of ``doc``; ``published`` is the publication
    date (it resolves relative periods). Sentence indices follow ``doc.sents``. ``vocab``
    defaults to the packaged vocabulary.
    """
    v = vocab or load_vocabulary()
    ctx = _Doc(doc, mentions, published, v)
    rows: list[dict[str, Any]] = []
    para = paragraphs(doc)
    for idx, sent in enumerate(doc.sents):
        if idx == 0 or para[idx] != para[idx - 1]:
            ctx.speakers.paragraph()
        speaker = ctx.speakers.sentence(sent)
        if not v.gate_re.search(sent.text):
            continue
        for claim in _sentence_claims(idx, sent, ctx, speaker):
            rows.append(_row(ctx.text, doc_id, claim))
    return rows


def _sentence_claims(idx: int, sent: Span, ctx: _Doc,
                     speaker: Attribution | None) -> list[_Claim]:
    v = ctx.v
    numbers = find_numbers(sent.text, v, sent.start_char)
    if not numbers:
        return []
    units = _Units(sent)
    lo = bisect.bisect_left(ctx.date_starts, sent.start_char)
    hi = bisect.bisect_left(ctx.date_starts, sent.end_char)
    dates = ctx.date_ents[lo:hi]
    claims: list[_Claim] = []
    for num in numbers:
        if num.not_count or (num.compound and num.compound not in v.compounds):
            continue
        num.dated = any(s <= num.num_start < e for s, e in dates)
        if num.year and num.dated:
            continue
        claim = _Claim(num, idx, num.start, num.end)
        if not _measure(claim, sent, ctx, units, claims):
            continue
        if (num.year or num.dated) and claim.counted_tok is None and claim.unit == "count":
            continue  # "on Jan. 3", "in 2023": part of a date, not a figure
        if claim.gov is None and claim.head is not None:
            claim.gov = _governor(claim.head)
        claim.attribution = _attribution(claim, sent, ctx, speaker)
        _context(claim, sent, ctx, dates)
        claims.append(claim)
    return claims


class _Units:
    """quantulum3's reading of the words around a figure, on demand (it is the slow part, and
    its cost grows with the length of the text, so it reads a window, not the sentence)."""

    BEFORE, AFTER = 12, 40

    def __init__(self, sent: Span):
        self.sent = sent
        self.text = sent.text

    def at(self, num: Number) -> _QUnit | None:
        if not num.digits:
            return None  # quantulum3 misreads number words ("half a million": 1.5 million)
        s, e = num.num_start - self.sent.start_char, num.num_end - self.sent.start_char
        lo = max(0, s - self.BEFORE)
        window = self.text[lo:e + self.AFTER]
        return next((replace(u, start=u.start + lo, end=u.end + lo) for u in _quantulum(window)
                     if u.start + lo < e and s < u.end + lo), None)


def _measure(c: _Claim, sent: Span, ctx: _Doc, units: _Units, earlier: list[_Claim]) -> bool:
    """Set unit, what is counted and the phrase's tokens; False if the number is no claim.

    The rules read currency, area and percent units; quantulum3 confirms them for figures in
    digits, and names the unit of a figure in digits that counts no noun of the vocabulary
    (a currency or area the rules do not know, or a duration or length: not a claim)."""
    v, doc, num, text = ctx.v, ctx.doc, c.num, ctx.text
    span = doc.char_span(num.num_start, num.num_end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    c.head = root
    after = text[num.end:sent.end_char]
    m = v.prefix_currency_re.search(text[sent.start_char:num.num_start])
    if m and m.end() + sent.start_char == num.num_start:
        c.start = min(c.start, m.start("c") + sent.start_char)
        return _unit_claim(c, "money", v.currency_prefix[m.group("c")], c.end, units)
    if m := v.suffix_currency_re.match(after):
        return _unit_claim(c, "money", v.currency_suffix[m.group("c").lower()],
                           num.end + m.end("c"), units)
    if m := v.area_re.match(after):
        unit = v.area_units[re.sub(r"\s+", " ", m.group("u").lower())]
        return _unit_claim(c, "area", unit, num.end + m.end(), units, ctx)
    if m := v.percent_re.match(after):
        _unit_claim(c, "percent", "percent", num.end + m.end(), units)
        return _percent(c, sent, ctx, earlier)
    if num.compound:
        c.counted = v.compounds[num.compound]
        c.category = _category_of(c.counted, v)
        c.end = num.end + 1 + len(num.compound)
        c.unit = "count"
        return True
    nxt = _next_token(ctx, num.end)
    lex, toks = _counted_after(nxt, sent, ctx, num)
    # quantulum3 only for a bare figure or one after a sign: "64 episodes" is no claim anyway
    bare = nxt is None or nxt.i >= sent.end or nxt.pos_ not in ("NOUN", "PROPN", "ADJ")
    sign = text[num.num_start - 1:num.num_start] not in ("", " ", "\n")
    rate = v.rate_re.match(text, num.end + 1)  # "37,000 per month": a figure, no unit
    if (lex is None and (bare or sign) and not (num.year or num.dated or rate)
            and (q := units.at(num)) is not None):
        end = sent.start_char + q.end
        if q.entity == "currency" and q.currency:
            return _unit_claim(c, "money", q.currency, end, units)
        if q.entity == "area" and q.name in v.quantulum_area:
            return _unit_claim(c, "area", v.quantulum_area[q.name], end, units, ctx)
        if q.name == "percentage":
            _unit_claim(c, "percent", "percent", end, units)
            return _percent(c, sent, ctx, earlier)
        if q.entity not in v.quantulum_entities:
            return False  # a duration, a length, a weight
    # a counted noun after the number, or before it ("a death toll of 500")
    # a counted noun after the number, or before it ("a death toll of 500")
    if lex is not None:
        c.counted_tok = toks[0]
        c.end = max(c.end, toks[-1].idx + len(toks[-1]))
        c.head = toks[0] if root.i in {t.i for t in toks[0].subtree} else root
        c.counted, c.category = lex.counted, lex.category
        if lex.counted in v.person_kinds or lex.counted == "people":
            said = _predicate(toks[0], c.head, v)
            if said is not None and (lex.counted == "people" or said in v.casualty_parts):
                c.counted, c.category = said, _category_of(said, v)
            elif lex.counted == "people":
                return False
    else:
        found = _counted_before(root, v)
        if found is not None:
            tok, lex = found
            c.counted_tok, c.head = tok, root
            c.counted, c.category = lex.counted, lex.category
            first = min(tok.left_edge.i, tok.i)
            while first < tok.i and doc[first].dep_ not in ("compound", "amod"):
                first += 1
            c.start = min(c.start, doc[first].idx)
        elif not _elliptic(c, root, sent, earlier, ctx):
            return False
    c.unit = c.unit or "count"
    c.gov = _governor(c.head or root)
    return True


def _unit_claim(c: _Claim, kind: str, unit: str, end: int, units: _Units,
                ctx: _Doc | None = None) -> bool:
    """A figure in money, an area or a percentage; method quantulum3 when it reads the same
    unit kind."""
    q = units.at(c.num)
    entity = {"money": "currency", "area": "area"}.get(kind)
    if q is not None and (q.entity == entity or kind == "percent" and q.name == "percentage"):
        c.method = "quantulum3"
    c.unit, c.end = unit, max(c.end, end)
    if kind != "percent":
        c.counted = c.category = kind
    if kind == "area" and ctx is not None:
        c.head = _tail_token(ctx, c.end) or c.head
    return True


def _next_token(ctx: _Doc, char: int) -> Token | None:
    """The first token that starts at or after ``char``, spaces skipped."""
    i = bisect.bisect_left(ctx.starts, char)
    while i < len(ctx.doc) and ctx.doc[i].is_space:
        i += 1
    return ctx.doc[i] if i < len(ctx.doc) else None


def _tail_token(ctx: _Doc, char: int) -> Token | None:
    """The token that ends at ``char`` (or contains its last character)."""
    i = bisect.bisect_left(ctx.starts, char) - 1
    return ctx.doc[i] if i >= 0 else None


def _counted_after(tok: Token | None, sent: Span, ctx: _Doc, num: Number
                   ) -> tuple[Lexeme | None, list[Token]]:
    """The counted noun(s) just after the number: "500,000 dead", "3,600 U.S. casualties",
    "1,000 or more dead and wounded", "tens of thousands of soldiers"."""
    if tok is None:
        return None, []
    doc, v = ctx.doc, ctx.v
    found: list[tuple[Token, Lexeme]] = []
    of_ok = num.approx is not None and bound_of(num.approx, v) == "lower" or (
        ctx.text[num.num_start:num.num_end].split()[-1].lower() in v.scales)
    i, steps = tok.i, 0
    while i < sent.end and steps < 6:
        t = doc[i]
        steps += 1
        if t.lower_ == "of" and of_ok and not found:
            of_ok = False
            i += 1
            continue
        lex = v.lexeme(t)
        verbal = t.pos_ in ("VERB", "AUX")
        if lex is not None and (not verbal or i == tok.i or (
                found and doc[i - 1].lower_ in ("and", "or", ","))):
            found.append((t, lex))
            i += 1
            continue
        if not found and (t.lower_ in v.persons or _demonym(t, ctx)):
            found.append((t, Lexeme("people", "population")))
            i += 1
            continue
        if found and t.lower_ in ("and", "or", ",") and i + 1 < sent.end:
            nxt = v.lexeme(doc[i + 1])
            if nxt is not None and nxt.counted in v.casualty_parts:
                i += 1
                continue
            break
        if t.pos_ == "NOUN" and found:
            found = []  # the counted word was a modifier: "500 drone strikes"
            break
        if t.pos_ in ("ADJ", "PROPN", "NOUN") or t.tag_ in ("NNP", "NNPS", "HYPH"):
            i += 1
            continue
        break
    if not found:
        return None, []
    kinds = {lex.counted for _, lex in found}
    if len(kinds) > 1 and kinds <= v.casualty_parts:
        return Lexeme("casualties", "casualties"), [t for t, _ in found]
    return found[-1][1], [t for t, _ in found]


def _demonym(token: Token, ctx: _Doc) -> bool:
    """A plural people's name resolved to an actor: "Ukrainians", "Russians"."""
    m = ctx.mention(token)
    return m is not None and token.tag_ == "NNPS" and m.method == "demonym"


def _counted_before(root: Token, v: Vocabulary) -> tuple[Token, Lexeme] | None:
    """A counted noun the number is the figure of: "a population of about 31,000", "the death
    toll stood at 500", "Russian losses were 300,000"."""
    head = root.head
    if head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN"):
        lex = v.lexeme(head.head)
        return (head.head, lex) if lex is not None else None
    verb = head.head if head.dep_ == "prep" and head.lower_ in ("at", "to") else head
    if root.dep_ in ("attr", "dobj", "pobj", "npadvmod") and verb.lemma_ in v.copulas:
        subj = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
        if subj is not None:
            lex = v.lexeme(subj)
            return (subj, lex) if lex is not None else None
    return None


def _category_of(counted: str, v: Vocabulary) -> str:
    for category, kinds in v.data["counted"].items():
        if counted in kinds:
            return category
    return "other"


def _predicate(noun: Token, head: Token, v: Vocabulary) -> str | None:
    """What a count of persons counts, from its verb or participle: "14,000 people died"
    (dead), "soldiers killed and wounded" (casualties), "mobilised 300,000 men" (troops)."""
    words: list[Token] = []
    if head.dep_ in ("nsubj", "nsubjpass", "dobj") and head.head.pos_ in ("VERB", "AUX", "ADJ"):
        words += [head.head, *head.head.conjuncts]
    words += [c for c in noun.children if c.dep_ in ("acl", "amod", "relcl")]
    found = []
    for w in words:
        lemmas = {t.lemma_.lower() for t in w.subtree}
        for counted, rest, lemma in v.predicates:
            if w.lemma_.lower() == lemma and all(r in lemmas for r in rest):
                found.append((len(rest), counted))
        if found:
            found = [max(found)]  # "paid with their lives" over a plain verb
    kinds = {k for _, k in found}
    if not kinds:
        return None
    if len(kinds) > 1:
        return "casualties" if kinds <= v.casualty_parts else None
    return kinds.pop()


def _elliptic(c: _Claim, root: Token, sent: Span, earlier: list[_Claim], ctx: _Doc) -> bool:
    """A bare figure that repeats what an earlier one in the sentence counted: "Russia fires
    10,000 shells per day, while Ukraine can only fire 2,000"."""
    if not earlier or c.num.year or (not c.num.digits and c.num.value < 10):
        return False
    nxt = _next_token(ctx, c.num.end)
    if nxt is not None and nxt.i < sent.end and nxt.pos_ in ("NOUN", "PROPN", "ADJ"):
        return False
    prev = earlier[-1]
    if prev.counted is None or prev.category == "area" or prev.unit == "percent":
        return False
    gov = _governor(root)
    rate = ctx.v.rate_re.match(ctx.text, c.num.end + 1) if nxt is not None else None
    same_verb = gov is not None and prev.gov is not None and gov.lemma_ == prev.gov.lemma_
    linked = root.dep_ in ("conj", "appos") and prev.head is not None and root.head.i in (
        prev.head.i, prev.counted_tok.i if prev.counted_tok is not None else -1)
    if not (same_verb or linked or rate):
        return False
    c.counted, c.category, c.unit = prev.counted, prev.category, prev.unit
    c.head, c.gov = root, gov
    c.rate = prev.rate if same_verb or linked else None
    c.whose, c.whose_text = [], None
    c.inherit = prev
    return True


def _percent(c: _Claim, sent: Span, ctx: _Doc, earlier: list[_Claim]) -> bool:
    """A percentage restating the quantity before it, or "X% of <counted, persons, country>"."""
    doc, v = ctx.doc, ctx.v
    span = doc.char_span(c.num.num_start, c.num.num_end, alignment_mode="expand")
    c.head = span.root if span is not None else None
    if earlier:
        prev = earlier[-1]
        gap = ctx.text[prev.end:c.start]
        no_figure = not re.search(r"\d", re.sub(r"\b[12]\d{3}\b", "", gap))
        if len(gap) < 60 and no_figure and re.search(
                r"(?:,\s*or|\bi\.e\.,?|\bthat is,?|\(|—|–)\s*$", gap):
            c.counted, c.category = prev.counted, prev.category
            c.whose, c.whose_text = list(prev.whose), prev.whose_text
            c.rate, c.period, c.inherit = prev.rate, prev.period, prev
            c.gov = prev.gov
            m = re.match(r"\s+of\s+\S", ctx.text[c.end:sent.end_char])
            obj = _next_token(ctx, c.end + m.end() - 1) if m else None
            if obj is not None and obj.i < sent.end:  # "0.1% of Ukraine"
                last = obj.head.right_edge if obj.head.lower_ == "of" else obj
                c.end = last.idx + len(last)
            return True
    m = re.match(r"\s+of\s+(?:the\s+|all\s+|its\s+|their\s+|this\s+)?",
                 ctx.text[c.end:sent.end_char])
    if not m:
        return False
    obj = _next_token(ctx, c.end + m.end())
    if obj is None or obj.i >= sent.end:
        return False
    while obj.i + 1 < sent.end and obj.dep_ in ("amod", "compound") and obj.head.i > obj.i:
        obj = obj.head
    lex = v.lexeme(obj)
    mention = ctx.mention(obj)
    if lex is not None:
        c.counted, c.category = lex.counted, lex.category
    elif obj.lower_ in v.persons or (mention is not None and obj.tag_ in ("NNPS", "NNS")):
        c.counted, c.category = "people", "population"
    elif mention is not None and mention.method in ("name", "place"):
        c.counted, c.category = "area", "area"  # "Russia occupies 18% of Ukraine": RUS
        c.end = obj.idx + len(obj)
        c.gov = _governor(c.head or obj)
        subj = _subject(c.gov) if c.gov is not None else None
        owners = ctx.codes(subj) if subj is not None and c.gov is not None and (
            c.gov.lemma_.lower() in v.owner_verbs) else []
        if not owners and mention.code:
            owners = [(mention.code, obj)]
        c.whose = sorted({code for code, _ in owners})
        c.whose_text = " and ".join(dict.fromkeys(
            ctx.mention(t).text for _, t in owners))  # type: ignore[union-attr]
        return True
    else:
        return False
    c.counted_tok = obj
    c.end = obj.idx + len(obj)
    c.gov = _governor(c.head or obj)
    return True


def _governor(tok: Token) -> Token | None:
    """The verb (or copula) the quantity phrase belongs to."""
    cur, steps = tok, 0
    while cur.head.i != cur.i and steps < 8:
        cur, steps = cur.head, steps + 1
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return cur if cur.pos_ in ("VERB", "AUX") else None


def _subject(verb: Token) -> Token | None:
    """The subject of ``verb``, through xcomp, conjunction and participial clauses."""
    cur, steps = verb, 0
    while steps < 5:
        subj = next((c for c in cur.children if c.dep_ in SUBJECTS), None)
        if subj is not None:
            return subj
        if cur.dep_ in ("xcomp", "conj", "advcl", "acomp", "ccomp") and cur.head.i != cur.i and (
                cur.dep_ != "advcl" or cur.tag_ == "VBG"):
            cur, steps = cur.head, steps + 1
            continue
        if cur.dep_ in ("acl", "relcl") and cur.head.pos_ in ("NOUN", "PROPN"):
            return cur.head
        return None
    return None


# -- context: rate, whose, period, attribution -------------------------------------------------
def _context(c: _Claim, sent: Span, ctx: _Doc, dates: list[tuple[int, int]]) -> None:
    anchors = {t.i for t in (c.counted_tok, c.head, c.gov) if t is not None}
    if c.counted_tok is not None:  # "civilians killed or wounded over the past decade"
        anchors |= {y.i for x in c.counted_tok.children if x.dep_ in ("acl", "relcl")
                    for y in (x, *x.conjuncts)}
    cur = c.head
    while cur is not None and c.gov is not None and cur.i != c.gov.i and cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ in ("NOUN", "PROPN"):
            anchors.add(cur.i)  # "a target of 37,000 per month by April 2024"
    subj = _subject(c.gov) if c.gov is not None else None
    if c.gov is not None and c.gov.lemma_ in ctx.v.copulas and subj is not None:
        anchors.add(subj.i)
    rate_span = _rate(c, sent, ctx, anchors)
    if not c.whose:
        _whose(c, ctx, subj)
        inherit = c.inherit
        if not c.whose and inherit is not None:
            c.whose, c.whose_text = list(inherit.whose), inherit.whose_text
    if c.period is None:
        c.period = _period(c, sent, ctx, dates, anchors, rate_span)


def _rate(c: _Claim, sent: Span, ctx: _Doc, anchors: set[int]) -> tuple[int, int] | None:
    doc, v = ctx.doc, ctx.v
    for m in v.rate_re.finditer(ctx.text, sent.start_char, sent.end_char):
        s, e = m.span()
        if s < c.end and c.start < e:
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        root = span.root
        adjacent = ctx.text[c.end:s].strip() == "" and s >= c.end
        attached = root.head.i in anchors  # "per day" of the verb, "monthly" of the subject
        if adjacent or (attached and not _crosses(root, c)):
            c.rate = v.rates[re.sub(r"\s+", " ", m.group(0).lower())]
            if adjacent:
                c.end = e
            return s, e
    return None


def _crosses(tok: Token, c: _Claim) -> bool:
    """Whether ``tok`` belongs to another figure's phrase (a number between it and the claim)."""
    lo, hi = sorted((tok.i, c.head.i if c.head is not None else tok.i))
    return any(t.like_num and t.ent_type_ not in ("DATE", "TIME") and not c.start <= t.idx < c.end
               for t in tok.doc[lo + 1:hi])


def _whose(c: _Claim, ctx: _Doc, subj: Token | None) -> None:
    found: list[tuple[str, Token]] = []
    noun = c.counted_tok
    if noun is not None:
        found = _noun_owners(noun, ctx)
    if not found and c.head is not None:
        cur, steps = c.head, 0
        while not found and cur.head.i != cur.i and steps < 8:
            dep, cur, steps = cur.dep_, cur.head, steps + 1
            if cur.pos_ in ("NOUN", "PROPN") and dep != "appos":
                found = _noun_owners(cur, ctx, own=ctx.mention(cur) is None)
            elif cur.pos_ in ("VERB", "AUX"):
                lemma = cur.lemma_.lower()
                if subj is not None and (lemma in ctx.v.owner_verbs or (
                        lemma in ctx.v.copulas and dep in ("attr", "acomp", "dobj", "prep"))):
                    found = ctx.codes(subj) or _noun_owners(subj, ctx, own=False)
                    if not found and subj.lower_ in ("we", "us") and c.attribution.code:
                        c.whose = [c.attribution.code]  # "We have lost ...," Zelensky said
                        c.whose_text = c.attribution.text
                break
    codes = sorted({code for code, _ in found})
    if codes:
        c.whose = codes
        toks = sorted({t.i: t for _, t in found}.values(), key=lambda t: t.i)
        texts = dict.fromkeys(ctx.mention(t).text for t in toks)  # type: ignore[union-attr]
        c.whose_text = " and ".join(texts)


def _noun_owners(noun: Token, ctx: _Doc, own: bool = True) -> list[tuple[str, Token]]:
    """Actors named on a noun: "Russian casualties", "Ukraine's losses", "casualties among
    Ukrainian troops", "a gain to Russia"."""
    found = ctx.codes(noun) if own else []
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod"):
            found += ctx.codes(child)
            found += [x for g in child.children if g.dep_ in ("compound", "amod")
                      for x in ctx.codes(g)]
        elif child.dep_ == "prep" and child.lower_ in ctx.v.owner_preps:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    found += ctx.codes(obj) or _noun_owners(obj, ctx, own=False)
    return found


def _period(c: _Claim, sent: Span, ctx: _Doc, dates: list[tuple[int, int]],
            anchors: set[int], rate: tuple[int, int] | None
            ) -> tuple[str, Any, Any, str | None] | None:
    """(text, start, end, precision) of the period the quantity is stated for."""
    doc, v = ctx.doc, ctx.v
    spans = dates + [(sent.start_char + s, sent.start_char + e)
                     for s, e in find_expressions(sent.text)]
    for rx in v.period_res:
        spans += [m.span() for m in rx.finditer(ctx.text, sent.start_char, sent.end_char)]
    best: tuple[int, str, Any, Any, str | None] | None = None
    for s, e in spans:
        if (s < c.end and c.start < e) or (rate and s < rate[1] and rate[0] < e):
            continue
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is None:
            continue
        first = span[0]
        prep = first if first.lower_ in v.period_preps and first.pos_ in ("ADP", "SCONJ") else None
        if prep is None and first.i > sent.start and doc[first.i - 1].lower_ in v.period_preps:
            prep = doc[first.i - 1]
        root = span.root
        attach = root.head
        if root.dep_ == "pobj" or (prep is not None and root.head.i == prep.i):
            attach = (prep or root.head).head
        elif prep is not None and root.i == prep.i:
            attach = prep.head
        if attach.i not in anchors and root.i not in anchors:
            continue
        start = prep.idx if prep is not None else span.start_char
        text = ctx.text[start:span.end_char]
        resolved = _resolve_period(text, prep.lower_ if prep is not None else "", ctx)
        own = c.head or c.counted_tok
        distance = abs(span.start - own.i) if own is not None else 0
        if best is None or distance < best[0] or (distance == best[0] and resolved[0] and
                                                  not best[2]):
            best = (distance, text, *resolved)
    return best[1:] if best else None  # type: ignore[return-value]


def _resolve_period(text: str, prep: str, ctx: _Doc) -> tuple[Any, Any, str | None]:
    """(start, end, precision) of a period phrase, or Nones when it has no calendar date."""
    v, published = ctx.v, ctx.published
    if prep in v.deadlines:
        return None, None, None
    rest = text[len(prep):].strip() if prep in v.since else text
    found = resolve_expression(rest, published)
    if found is None:
        years = re.findall(r"\b(?:1[89]|20)\d\d\b", rest)
        if len(years) == 1:
            y = int(years[0])
            found_iv: tuple[date, date, str] = (date(y, 1, 1), date(y, 12, 31), "year")
        else:
            return None, None, None
    else:
        found_iv = (found.start, found.end, found.precision)
    if prep in v.since:
        end = published.end if published is not None else None
        return found_iv[0], end, "range"
    return found_iv


def _attribution(c: _Claim, sent: Span, ctx: _Doc, speaker: Attribution | None) -> Attribution:
    """Who asserts the figure: a reporting verb above it, "according to", the speaker of the
    quotation it stands in, or the author."""
    tok = c.head or c.counted_tok
    inherit = c.inherit
    if tok is None:
        return inherit.attribution if inherit is not None else speaker or AUTHOR
    head = reporting_head(tok) or _extra_reporting(tok, ctx.v)
    att = reporting_speaker(head, ctx.mention) if head is not None else None
    return att or speaker or AUTHOR


def _extra_reporting(tok: Token, v: Vocabulary) -> Token | None:
    cur = tok
    while cur.head.i != cur.i:
        parent = cur.head
        lemma = parent.lemma_.lower()
        if lemma in v.reporting and cur.dep_ in ("ccomp", "xcomp", "parataxis") or (
                lemma in v.counting and cur.dep_ in ("dobj", "prep")):
            return parent
        cur = parent
    return None


def claim_id(doc_id: str, start: int, end: int) -> str:
    """Stable id of a claim: a hash of its document and character span."""
    return "clm-" + hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def _row(text: str, doc_id: str, c: _Claim) -> dict[str, Any]:
    period = c.period
    row = {
        "id": claim_id(doc_id, c.start, c.end),
        "doc_id": doc_id,
        "sentence_idx": c.sentence_idx,
        "start": c.start,
        "end": c.end,
        "text": text[c.start:c.end],
        "value": c.num.value,
        "value_max": c.num.value_max,
        "approx": c.num.approx,
        "unit": c.unit,
        "counted": c.counted,
        "category": c.category,
        "rate": c.rate,
        "whose": ",".join(c.whose) or None,
        "whose_text": c.whose_text,
        "period_text": period[0] if period else None,
        "date_start": period[1].isoformat() if period and period[1] else None,
        "date_end": period[2].isoformat() if period and period[2] else None,
        "date_precision": period[3] if period and period[1] else None,
        "attribution_kind": c.attribution.kind,
        "attribution_text": c.attribution.text,
        "attribution_code": c.attribution.code,
        "method": c.method,
    }
    assert tuple(row) == CLAIM.names
    return row
