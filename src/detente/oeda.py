"""Convert the Open Event Data Alliance CAMEO verb dictionary into Detente's base lexicon.

``python -m detente.oeda /path/to/oeda [--out src/detente/data/events/oeda_verbs.yaml]`` reads
``CAMEO.2.0.txt`` (PETRARCH's verb dictionary: synonym sets, verb blocks with a CAMEO code,
phrase patterns that refine it by the verb's object) and writes the same schema as
``patterns.yaml``: one verb pattern per block, the block's one-element phrase patterns as
refinements over generated noun classes, and nominal forms of the verbs (derived with the
suffix table of ``data/events/oeda_rules.yaml``, kept if WordNet knows the noun). The output
carries the MIT licence notice and the sha256 of its source. Hand-written patterns override it
lemma by lemma at load time (see ``patterns.load_patterns``).
"""

from __future__ import annotations

import argparse
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import Settings
from .nlp import load_model
from .ontology import ontology

DATA = Path(__file__).parent / "data" / "events"
RULES = DATA / "oeda_rules.yaml"
OUT = DATA / "oeda_verbs.yaml"
SOURCE = "CAMEO.2.0.txt"
LICENCE = """\
MIT License

Copyright (c) 2016 Open Event Data Alliance

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE."""

PARTICLES = {"up", "down", "out", "off", "on", "in", "with", "for", "to", "into", "over", "away",
             "back", "against", "at", "from", "about", "upon", "through", "forward", "aside",
             "apart", "around"}
ARTICLES = {"a", "an", "the"}
BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
VERB = re.compile(r"^(\+?)([A-Z][A-Z_'\-]*)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?")
PHRASE = re.compile(r"^-\s+(.*?)\s*\[([^\]]*)\]")
ELEMENT = re.compile(r"\([^)]*\)|\{[^}]*\}|\S+")


@dataclass
class Block:
    """One ``--- NAME [code] ---`` verb block."""

    name: str
    code: str | None
    verbs: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    # (prep, words, code) per one-element phrase pattern, in file order
    phrases: list[tuple[str | None, list[str], str]] = field(default_factory=list)


def read_lines(path: Path) -> list[str]:
    """Lines of a dictionary file: UTF-8, with a Latin-1 fallback per line."""
    out = []
    for raw in path.read_bytes().splitlines():
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            out.append(raw.decode("latin-1"))
    return out


def _code(text: str | None) -> str | None:
    """``042:043`` -> ``042``; ``---``, ``:020`` and unknown codes -> None."""
    if not text:
        return None
    first = text.split(":")[0].strip().strip("-").strip()
    return first if first and ontology().known(first) else None


def _word(token: str) -> str:
    return token.strip("+").strip("_").replace("_", " ").lower()


def parse(path: Path) -> tuple[dict[str, list[str]], list[Block]]:
    """Synonym sets and verb blocks of ``CAMEO.2.0.txt``."""
    sets: dict[str, list[str]] = defaultdict(list)
    blocks: list[Block] = []
    current_set: str | None = None
    in_verbs = False
    for line in read_lines(path):
        text = line.split("#", 1)[0].rstrip()
        if line.startswith("####### VERB PATTERNS"):
            in_verbs = True
            continue
        if not in_verbs:
            if text.startswith("&"):
                current_set = text[1:].strip().rstrip("_")
            elif text.startswith("+") and current_set:
                sets[current_set].append(_word(text.split()[0]))
            elif not text.strip():
                current_set = None
            continue
        m = BLOCK.match(text)
        if m:
            blocks.append(Block(m.group(1), _code(m.group(2))))
            continue
        if not blocks or not text.strip():
            continue
        if text.startswith("-"):
            p = PHRASE.match(text)
            if p:
                _phrase(blocks[-1], p.group(1), p.group(2))
            continue
        v = VERB.match(text)
        if v:
            plus, name, forms, code = v.groups()
            words = _word(name).split()
            if plus and not (len(words) == 2 and words[1] in PARTICLES):
                continue
            if not plus and len(words) != 1:
                continue
            ing = next((f.lower() for f in (forms or "").strip("{}").split()
                        if f.endswith("ING") and "_" not in f), None)
            blocks[-1].verbs.append((" ".join(words), _code(code.strip("[]")) if code else
                                     blocks[-1].code, ing))
    return dict(sets), blocks


def _phrase(block: Block, body: str, code_text: str) -> None:
    """Keep ``- * OBJECT [code]`` and ``- * (PREP OBJECT) [code]`` patterns."""
    code = _code(code_text)
    elements = ELEMENT.findall(body)
    if code is None or len(elements) != 2 or elements[0] != "*":
        return
    element = elements[1]
    prep = None
    if element.startswith("("):
        inner = element.strip("()").split(None, 1)
        if len(inner) != 2:
            return
        prep, element = inner[0].lower(), " ".join(
            w for w in inner[1].split() if w.lower() not in ARTICLES)
        if not element:
            return
    if element.startswith("{"):
        words = [element.strip("{}")]
    elif re.fullmatch(r"&?[A-Z][A-Z'\-]*_?|[A-Z][A-Z'\- ]*", element):
        words = [element]
    else:
        return
    if prep is None and _word(words[0]) in PARTICLES:
        return  # "SET OUT VIEWS": a phrasal verb, not an object
    block.phrases.append((prep, words, code))


def _expand(words: list[str], sets: dict[str, list[str]]) -> list[str]:
    """Lower-cased words and phrases, with ``&SET`` references expanded."""
    out: list[str] = []
    for entry in words:
        variants = [""]
        for token in entry.split():
            if token.startswith("&"):
                members = sets.get(token[1:].rstrip("_"), [])
                variants = [f"{v} {m}".strip() for v in variants for m in members]
            else:
                variants = [f"{v} {_word(token)}".strip() for v in variants]
        out += [v for v in variants if v]
    return out


def _nominals(verb: str, ing: str | None, rules: dict[str, Any], nouns: set[str]) -> list[str]:
    if verb in rules["irregular"]:
        found = list(rules["irregular"][verb])
    else:
        stem = verb[:-1] if verb.endswith("e") and not verb.endswith("ee") else verb
        found = []
        for suffix in rules["suffixes"]:
            if suffix == "ing":
                cand = ing or stem + "ing"
            else:
                cand = (stem if suffix[0] in "aeiou" else verb) + suffix
            if cand in nouns:
                found.append(cand)
    return [n for n in found if n not in set(rules["not_nominals"])]


def _wordnet_nouns() -> set[str]:
    lemmatizer = load_model(Settings().model).get_pipe("lemmatizer")
    return set(lemmatizer.lookups.get_table("lemma_index")["noun"])  # type: ignore[attr-defined]


def convert(source: Path, rules: dict[str, Any], nouns: set[str]) -> dict[str, Any]:
    """The base lexicon as a ``patterns.yaml``-shaped mapping."""
    sets, blocks = parse(source)
    exclude = set(rules["exclude"])
    needs_object = set(rules["needs_object"]) | set(rules["needs_object_general"])
    preps_for = {str(k): v for k, v in rules["target_preps"].items()}
    symmetric = tuple(str(c) for c in rules["symmetric_codes"])
    classes: dict[str, list[str]] = {}
    verbs: list[dict[str, Any]] = []
    nominals: list[dict[str, Any]] = []
    seen_lemmas: set[str] = set()
    for block in blocks:
        refine: list[tuple[int, int, dict[str, Any]]] = []
        taken: set[tuple[str | None, str]] = set()
        for order, (prep, words, code) in enumerate(block.phrases):
            for phrase in _expand(words, sets):
                if (prep, phrase) in taken:
                    continue
                taken.add((prep, phrase))
                size = len(phrase.split())
                name = f"OEDA_{block.name}_{code}_{size}" + (f"_{prep}" if prep else "")
                if name not in classes:
                    classes[name] = []
                    rule: dict[str, Any] = {"if": name, "cameo": code}
                    if prep:
                        rule["prep"] = prep
                    refine.append((size, order, rule))
                classes[name].append(phrase)
        rules_sorted = [r for _s, _o, r in sorted(refine, key=lambda x: (-x[0], x[1]))]
        groups: dict[str | None, list[str]] = defaultdict(list)
        for verb, code, ing in block.verbs:
            if verb in seen_lemmas and code is None or verb in exclude:
                continue
            default = None if verb in needs_object else code
            if default is None and not rules_sorted:
                continue
            groups[default].append(verb)
            seen_lemmas.add(verb)
            if default is None or " " in verb or (
                    verb != block.name.lower() and verb not in rules["irregular"]):
                continue  # nominals of the block's head verb only: "denounce" -> "denunciation"
            for noun in _nominals(verb, ing, rules, nouns):
                nominals.append({"lemma": noun, "cameo": default, "block": block.name})
        for default, lemmas in groups.items():
            code = default or (rules_sorted[0]["cameo"] if rules_sorted else "")
            spec: dict[str, Any] = {
                "id": f"oeda.{block.name.lower()}",
                "lemmas": sorted(set(lemmas)),
                "cameo": default,
            }
            if rules_sorted:
                spec["refine"] = rules_sorted
            spec["target"] = "object"
            spec["target_preps"] = preps_for.get(code[:2], [])
            if code.startswith(symmetric):
                spec["symmetric"] = True
            verbs.append(spec)
    by_code: dict[tuple[str, str], list[str]] = defaultdict(list)
    for n in nominals:
        by_code[(n["block"], n["cameo"])].append(n["lemma"])
    nominal_specs = []
    for (block_name, code), lemmas in by_code.items():
        spec = {"id": f"oeda.{block_name.lower()}.n", "lemmas": sorted(set(lemmas)),
                "cameo": code, "needs_actor": True,
                "target_preps": preps_for.get(code[:2], [])}
        if code.startswith(symmetric):
            spec["symmetric"] = True
        nominal_specs.append(spec)
    used = {r["if"] for v in verbs for r in v.get("refine", [])}
    return {
        "version": rules["version"],
        "noun_classes": {k: sorted(set(v)) for k, v in classes.items() if k in used},
        "verbs": verbs,
        "nominals": nominal_specs,
    }


def header(sources: list[Path]) -> str:
    lines = ["Generated by `python -m detente.oeda` (src/detente/oeda.py) from the Open Event",
             "Data Alliance dictionaries; do not edit by hand: edit data/events/oeda_rules.yaml",
             "and rerun. Hand-written patterns (patterns.yaml) override these lemma by lemma.",
             "", "Sources (sha256):"]
    lines += [f"  {p.name} {hashlib.sha256(p.read_bytes()).hexdigest()}" for p in sources]
    lines += ["", "Derived from data under this licence:", "", *LICENCE.splitlines()]
    return "".join(f"# {ln}".rstrip() + "\n" for ln in lines)


def write(source_dir: Path, out: Path = OUT) -> dict[str, Any]:
    source = source_dir / SOURCE
    if not source.is_file():
        raise SystemExit(f"{source} not found: pass the folder that holds the OEDA dictionaries "
                         f"(CAMEO.2.0.txt, LICENSE)")
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    data = convert(source, rules, _wordnet_nouns())
    body = yaml.safe_dump(data, sort_keys=False, width=100, allow_unicode=True,
                          default_flow_style=None)
    out.write_text(header([source, RULES]) + body, encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder with CAMEO.2.0.txt (OEDA dictionaries)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    data = write(args.source, args.out)
    n_verbs = sum(len(v["lemmas"]) for v in data["verbs"])
    n_noms = sum(len(v["lemmas"]) for v in data["nominals"])
    print(f"{args.out}: {n_verbs} verb lemmas, {n_noms} nominals, "
          f"{len(data['noun_classes'])} noun classes")


if __name__ == "__main__":
    main()
