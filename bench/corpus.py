"""Deterministic synthetic corpora in the bundled sample's plain-text page format.

`write_corpus(n, path)` writes a page of `n` papers that `db.parse` reads exactly like the real
capture in db/samples/: the same header chrome, then per paper a title, an abstract paragraph, an
author line, a `·` line and a date line (full or yearless, sometimes with a comment count).

Everything is drawn from the sample's own vocabulary with a fixed seed, so a corpus is the same on
every machine and every run, and import is measured through the real parser. Two rules keep the
synthetic library *realistic for search* rather than merely large:

- Titles recombine the sample's title fragments (`Name: phrase for X in Y`), with coined
  `Name`s (pieces of the sample's names glued together: `FlashPIMs`, `NeuQuant`) and 70% of the
  words swapped for other ordinary sample words, so 100k titles are all different and no
  sample phrase is repeated hundreds of times.
- Abstracts are sample sentences, but the sample's *rare* words (those it uses at most twice:
  `im2col`, `GemFilter`) are replaced by coined words almost always. Otherwise copying sentences
  would turn every distinctive word into a common one (a sentence reused 2,000 times), and no
  search engine could find the one paper a person means; with the rule, the long tail of the
  vocabulary stays a long tail and grows with the corpus, like a real one (Heaps' law).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

from papershelf.db.sample import sample_path
from papershelf.db.text import title_key

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = sample_path()
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
SEED = 20251208
# The sample page was captured on 2025-12-08 and its day header says `Dec 8`; corpora share both.
CAPTURED_ON = "2025-12-08"
SIZES = {"1k": 1_000, "10k": 10_000, "50k": 50_000, "100k": 100_000, "1m": 1_000_000}

# Probability that a rare sample word survives in a generated abstract (see the module docstring).
_KEEP_RARE = 0.005
# Probability that a title word is swapped for another sample word.
_SWAP = 0.7
_CONNECTORS = {"for", "with", "on", "via", "in", "of", "to", "from", "at", "by", "through"}
_STOP = {
    "the",
    "and",
    "a",
    "an",
    "is",
    "are",
    "we",
    "our",
    "that",
    "this",
    "which",
    "as",
    "be",
    "it",
    "its",
    "can",
    "has",
    "have",
    "not",
    "but",
    "or",
    "these",
    "such",
    "than",
    "into",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-+]*")
# Organisation names shown instead of an author count on some real pages.
_ORGS = ("NVIDIA", "Intel", "Salesforce AI Research", "Hugging Face", "AMD", "Google DeepMind")


def _term_like(word: str) -> bool:
    return any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:])


def sample_entries(path: Path = SAMPLE) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """Split the sample page into its header lines and (title, abstract, author line, date line).

    Independent of db.parse on purpose: the generator must not inherit a parser bug it is meant
    to exercise. The sample is regular, so anchoring on the `·` line is enough.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    dots = [i for i, line in enumerate(lines) if line.strip() == "·"]
    # The header ends with the yearless day header (`Dec 8`).
    header_end = next(
        i for i, line in enumerate(lines) if re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", line)
    )
    entries = []
    start = header_end + 1
    for dot in dots:
        block = [line for line in lines[start : dot - 1] if line.strip()]
        entries.append((block[0], " ".join(block[1:]), lines[dot - 1], lines[dot + 1]))
        start = dot + 2
    return lines[: header_end + 1], entries


class Generator:
    """Draws papers from the sample's vocabulary; one instance = one deterministic stream."""

    def __init__(self, n: int, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.header, entries = sample_entries()
        titles = [e[0] for e in entries]
        abstracts = [e[1] for e in entries]
        counts = Counter(w for text in titles + abstracts for w in _WORD.findall(text))
        docs = Counter(
            w for t, a in zip(titles, abstracts) for w in set(_WORD.findall(t + " " + a))
        )
        # "Rare" = a term-like word (digits or inner capitals: im2col, GemFilter, cuBLAS) that at
        # most two sample papers use: a paper's own names. Shared jargon (GPU, LLMs, GEMM) and
        # ordinary English words stay as they are.
        rare = {w for w, c in docs.items() if c <= 2 and _term_like(w)}
        self.authors = [
            int(m.group(1)) for e in entries if (m := re.search(r"(\d+) authors", e[2]))
        ]
        self._sentences = self._templates(abstracts, rare)
        self._names, self._tails = self._title_parts(titles)
        self._title_words = sorted(
            {
                w
                for t in titles
                for w in t.replace(":", "").split()
                if w.lower() not in _CONNECTORS and w.lower() not in _STOP and w not in rare
            }
        )
        # Ordinary words only: a name (`NeuPIMs`) swapped into titles would leak the sample's
        # distinctive words into thousands of generated papers.
        self._content = sorted(
            {
                w.lower()
                for w in counts
                if len(w) > 3 and w.isalpha() and not _term_like(w) and w.lower() not in _STOP
            }
        )
        # The coined pool grows with the corpus so the vocabulary tail grows too.
        pieces = sorted(
            {
                p
                for w in self._names + sorted(rare)
                for p in re.findall(r"[A-Z][a-z]+|[A-Z]{2,}(?![a-z])|[a-z]{3,}", w)
            }
        )
        rare_list = sorted(rare)
        rng = self.rng
        # Title names glue two name pieces (`Flash` + `PIMs`); abstract terms glue halves of
        # two rare terms (`Snap` + `Filter`). Both pools grow with the corpus.
        size = max(5_000, n // 4)
        self._names_pool = [
            rng.choice(pieces).capitalize() + rng.choice(pieces) for _ in range(size)
        ]
        self._coined = []
        for _ in range(size):
            a, b = rng.choice(rare_list), rng.choice(rare_list)
            self._coined.append(a[: max(2, len(a) // 2)] + b[len(b) // 2 :])
        self._seen = {title_key(t) for t in titles}  # never collide with the real sample

    @staticmethod
    def _templates(abstracts: list[str], rare: set[str]) -> list[tuple[str, tuple[str, ...]]]:
        """Sample sentences as format strings whose `{}` slots held rare words."""
        out = []
        for abstract in abstracts:
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", abstract):
                if len(sentence) < 25:
                    continue
                slots: list[str] = []

                def slot(m: re.Match, slots: list[str] = slots) -> str:
                    if m.group(0) in rare:
                        slots.append(m.group(0))
                        return "{}"
                    return m.group(0)

                template = _WORD.sub(slot, sentence.replace("{", "{{").replace("}", "}}"))
                out.append((template, tuple(slots)))
        return out

    @staticmethod
    def _title_parts(titles: list[str]) -> tuple[list[str], list[list[str]]]:
        """Names (`LUT-GEMM`) and tails cut into chunks at connector words."""
        names, tails = [], []
        for title in titles:
            head, sep, tail = title.partition(": ")
            if sep and len(head.split()) <= 3:
                names.append(head)
            else:
                tail = title
            chunks, current = [], []
            for word in tail.split():
                if word.lower() in _CONNECTORS and current:
                    chunks.append(" ".join(current))
                    current = []
                current.append(word)
            chunks.append(" ".join(current))
            tails.append(chunks)
        return names, tails

    def _coin(self) -> str:
        return self.rng.choice(self._coined)

    def title(self) -> str:
        """A new title, distinct (by title_key) from every title generated so far."""
        rng = self.rng
        while True:
            first = rng.choice(self._tails)
            parts = [first[0]] + [
                rng.choice(rng.choice(self._tails)[1:] or [""])
                for _ in range(rng.choice((0, 1, 1, 2)))
            ]
            if len(" ".join(parts)) > 110:  # real titles are rarely longer
                parts = parts[:2]
            words = " ".join(p for p in parts if p).split()
            # Swap most words: whole sample phrases would otherwise recur in ~2% of all
            # titles ("Group Generalized Mean Pooling" 2,000 times at 100k; at a 50% swap,
            # "Monotone deep Boltzmann machines" still 120 times), which no real library does.
            for i, word in enumerate(words):
                if word.lower() not in _CONNECTORS and rng.random() < _SWAP:
                    words[i] = (
                        rng.choice(self._title_words)
                        if rng.random() < 0.7
                        else rng.choice(self._content).capitalize()
                    )
            text = " ".join(words)
            if rng.random() < 0.55:
                text = f"{rng.choice(self._names_pool)}{rng.choice(('', '', '', '++', '-2', 'Net', 'LM'))}: {text}"
            key = title_key(text)
            if key not in self._seen:
                self._seen.add(key)
                return text

    def abstract(self) -> str:
        rng = self.rng
        chosen = rng.choices(self._sentences, k=rng.randint(4, 10))
        out = []
        for template, slots in chosen:
            fill = [w if rng.random() < _KEEP_RARE else self._coin() for w in slots]
            out.append(template.format(*fill))
        return " ".join(out)

    def footer(self) -> tuple[str, str]:
        """The author line and the date line (`Mon D, YYYY` or yearless, maybe + comments)."""
        rng = self.rng
        if rng.random() < 0.03:
            author = f"  • {rng.choice(_ORGS)}"
        else:
            author = f"  • {rng.choice(self.authors)} authors"
        month, day = rng.choice(_MONTHS), rng.randint(1, 28)
        if rng.random() < 0.25:
            when = f"{month} {day}"
        else:
            when = f"{month} {day}, {rng.randint(2018, 2025)}"
        if rng.random() < 0.25:
            when += f" {rng.randint(1, 12)}"
        return author, when

    def entry(self) -> str:
        author, when = self.footer()
        return f"{self.title()}\n\n{self.abstract()}\n\n{author}\n·\n{when}\n\n"


def write_corpus(n: int, path: Path, seed: int = SEED) -> Path:
    """Write a page of `n` papers to `path` (header chrome exactly like the sample)."""
    gen = Generator(n, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        out.write("\n".join(gen.header) + "\n\n")
        for _ in range(n):
            out.write(gen.entry())
    tmp.replace(path)
    return path


def corpus_path(label: str) -> Path:
    """Path of the corpus for a size label (`1k`, `100k`, ...), generated if missing."""
    path = CORPUS_DIR / f"papers-{label}.txt"
    if not path.exists():
        write_corpus(SIZES[label], path)
    return path
