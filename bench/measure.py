"""The measurements behind `make bench`: import, tagging, query latency, fzf, relevance.

Each function measures one thing and returns plain numbers (seconds, papers/s, counts) so
`bench.__main__` can print them and write them to results.json. Timing uses perf_counter and
wall time of whole subprocesses; nothing here runs in the test suite.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.corpus import CAPTURED_ON, ROOT, SAMPLE, SEED

_SCRIPT = Path(sys.executable).parent / "papershelf"
# The installed console script when `make` has installed it, else the same entry point by hand.
PAPERSHELF = (
    [str(_SCRIPT)]
    if _SCRIPT.exists()
    else [sys.executable, "-c", "from papershelf.tui.cli import main; main()"]
)
FZF = shutil.which("fzf")

# Thirty queries a person types into the filter box, covering the whole language: typos,
# half-typed words, fields and states, exclusions, ORs, exact and anchored terms, dates.
QUERIES: tuple[str, ...] = (
    "vision transfomer",
    "flash decod",
    "quantizaton llm",
    "atention",
    "tag:vision is:unread",
    "tag:llm quant",
    "difusion !stable",
    "mamba | ssm",
    "convolution -tag:vision",
    "'gemm kernel",
    "^efficient transformer",
    "segmentation$",
    "year:>=2024 vision",
    "comments:>3 llm",
    "is:read",
    "no:tags attention",
    "title:mamba",
    "abstract:gemm",
    "sparse inferenc",
    "super resolutoin",
    "mixture of experts",
    '"state space"',
    "tag:rl/ gpu",
    "segmen | detectoin",
    "low rank adaptation",
    "neighborhood",
    "kv cache compression",
    "lightweight mobile vit",
    "after:2024-01-01 before:2024-06-30 token",
    "image captioning !video",
)

# Tags applied after import (fraction of the library each), so `tag:x` queries mean something.
TAGS: tuple[tuple[str, float], ...] = (
    ("llm", 0.08),
    ("vision", 0.08),
    ("quantization", 0.03),
    ("efficiency", 0.05),
    ("rl/ppo", 0.01),
    ("rl/dpo", 0.01),
    ("to-read", 0.10),
)
READ_FRACTION = 0.2


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))  # ceil without floats
    return ordered[int(rank) - 1]


def fuzzy_words(query: str) -> str:
    """The plain (fuzzy) words of a query, for fzf; `|` between two kept words is kept."""
    out: list[str] = []
    for term in query.split():
        if term == "|":
            if out and out[-1] != "|":
                out.append("|")
            continue
        if term[0] in "!-'\"^" or term.endswith(("$", '"')) or ":" in term:
            continue
        out.append(term)
    while out and out[-1] == "|":
        out.pop()
    return " ".join(out)


def import_cli(corpus: Path, db: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of `papershelf --db DB import CORPUS` into a new library, in a
    subprocess: the whole command, the search index included."""
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [
            *PAPERSHELF,
            "--db",
            str(db),
            "import",
            "--captured-on",
            CAPTURED_ON,
            "--json",
            str(corpus),
        ],
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, proc.args)
    return seconds, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def import_split(corpus: Path, db: Path) -> dict[str, float]:
    """Parse and store timed apart, in this process; leaves the library at `db`."""
    from papershelf.db.parse import parse_text
    from papershelf.db.store import Store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    text = corpus.read_text(encoding="utf-8")
    start = time.perf_counter()
    parsed = parse_text(text, source=corpus.name, captured_on=date.fromisoformat(CAPTURED_ON))
    parse_s = time.perf_counter() - start
    store = Store.open(db)
    start = time.perf_counter()
    report = store.import_papers(
        parsed.papers,
        source=corpus.name,
        captured_on=date.fromisoformat(CAPTURED_ON),
        format="text",
    )
    store_s = time.perf_counter() - start
    # The search index is filled after the import transaction (db.search_index.sync); that
    # work is part of getting a searchable library, so it is timed too, as the CLI runs it.
    start = time.perf_counter()
    store.index_pending()
    sync_s = time.perf_counter() - start
    # A big import copies its write-ahead log into the file in the background (during the
    # sync above); closing waits for that copy, and that wait is timed too.
    start = time.perf_counter()
    store.close()
    close_s = time.perf_counter() - start
    return {
        "papers": len(parsed.papers),
        "problems": len(parsed.problems),
        "parse_s": parse_s,
        "store_s": store_s,
        "sync_s": sync_s,
        "close_s": close_s,
        "new": report.new,
    }


def tag_and_read(db: Path) -> dict[str, float]:
    """Tag a seeded subset per TAGS and mark READ_FRACTION read: Store calls, timed."""
    from papershelf.db.store import Store

    with Store.open(db) as store:
        conn = store.reader()
        ids = [row[0] for row in conn.execute("SELECT id FROM papers ORDER BY id")]
        conn.close()
        rng = random.Random(SEED)
        start = time.perf_counter()
        for tag, fraction in TAGS:
            store.add_tags(rng.sample(ids, int(len(ids) * fraction)), [tag])
        tag_s = time.perf_counter() - start
        start = time.perf_counter()
        store.set_read(rng.sample(ids, int(len(ids) * READ_FRACTION)), True)
        read_s = time.perf_counter() - start
    return {"tag_s": tag_s, "read_s": read_s}


def query_latency(db: Path, passes: int) -> dict:
    """Index load time, then per-query latencies through db.query.Searcher (full result list).

    The Searcher caches per word and per term (LRU), so a query repeated is not what a person
    typing a new word gets. Each pass therefore builds a fresh Searcher (its load timed apart,
    through a word no query uses) and runs the 30 queries once: "cold" (a word's first
    appearance in the pass is a cache miss; later queries sharing it reuse it, as typing does).
    A second run of the same 30 on that Searcher is "warm". p50/p95 are taken per pass over the
    30 queries and the median pass is reported, with per-query medians for the fzf ratio.
    """
    from papershelf.db.query import Searcher
    from papershelf.db.store import Store

    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    cold50, cold95, warm50, warm95, loads = [], [], [], [], []
    with Store.open(db, readonly=True) as store:
        for _ in range(passes):
            start = time.perf_counter()
            searcher = Searcher(store)
            searcher.search("benchmark", sort="relevance")  # the first fuzzy search loads the index
            loads.append(time.perf_counter() - start)
            for times, p50s, p95s in (([], cold50, cold95), ([], warm50, warm95)):
                for q in QUERIES:
                    t = time.perf_counter()
                    searcher.search(q)
                    times.append(time.perf_counter() - t)
                    if p50s is cold50:
                        per_query[q].append(times[-1])
                p50s.append(percentile(times, 50))
                p95s.append(percentile(times, 95))
        totals = {q: searcher.search(q).total for q in QUERIES}
        if hasattr(searcher, "close"):
            searcher.close()
    return {
        "load_s": statistics.median(loads),
        "p50_s": statistics.median(cold50),
        "p95_s": statistics.median(cold95),
        "warm_p50_s": statistics.median(warm50),
        "warm_p95_s": statistics.median(warm95),
        "per_query_s": {q: statistics.median(v) for q, v in per_query.items()},
        "totals": totals,
    }


def lines_file(db: Path, dest: Path, *, abstracts: bool) -> Path:
    """One line per paper (`title` or `title abstract`) in id order: fzf's input."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    column = "title || ' ' || abstract" if abstracts else "title"
    with dest.open("w", encoding="utf-8") as out:
        for (line,) in conn.execute(f"SELECT {column} FROM papers ORDER BY id"):
            out.write(line.replace("\n", " ") + "\n")
    conn.close()
    return dest


def fzf_filter(lines: Path, query: str) -> tuple[float, list[str]]:
    """Seconds for `fzf --filter QUERY < lines` and its output lines (its ranking, best first)."""
    with lines.open("rb") as stdin:
        start = time.perf_counter()
        done = subprocess.run([FZF, "--filter", query], stdin=stdin, capture_output=True)
        elapsed = time.perf_counter() - start
    return elapsed, done.stdout.decode("utf-8", "replace").splitlines()


def fzf_latency(lines: Path, passes: int, limit: int | None) -> dict:
    """fzf over the fuzzy words of each query (queries with none are skipped)."""
    chosen = [(q, fuzzy_words(q)) for q in QUERIES if fuzzy_words(q)][:limit]
    per_query = {}
    for q, words in chosen:
        per_query[q] = statistics.median(fzf_filter(lines, words)[0] for _ in range(passes))
    times = list(per_query.values())
    return {
        "p50_s": percentile(times, 50),
        "p95_s": percentile(times, 95),
        "per_query_s": per_query,
        "queries": len(chosen),
    }


def relevance(db: Path, workdir: Path) -> dict:
    """Import the sample into `db`, then top-3 hits for the judged set: ours and fzf's."""
    from bench.judged import ALL as JUDGED
    from papershelf.db.parse import parse_text
    from papershelf.db.query import Searcher
    from papershelf.db.store import Store

    parsed = parse_text(
        SAMPLE.read_text(encoding="utf-8"),
        source=SAMPLE.name,
        captured_on=date.fromisoformat(CAPTURED_ON),
    )
    with Store.open(db) as store:
        store.import_papers(
            parsed.papers,
            source=SAMPLE.name,
            captured_on=date.fromisoformat(CAPTURED_ON),
            format="text",
        )
        searcher = Searcher(store)
        ours = []
        for query, kind, title in JUDGED:
            top = [p.title for p in store.papers(searcher.search(query, limit=3).ids)]
            ours.append({"query": query, "kind": kind, "hit": title in top, "top": top})
        total = store.count()
    result = {"papers": total, "ours": sum(r["hit"] for r in ours), "ours_detail": ours}
    if FZF:
        titles = lines_file(db, workdir / "rel-titles.txt", abstracts=False)
        both = lines_file(db, workdir / "rel-both.txt", abstracts=True)
        for name, path in (("fzf_titles", titles), ("fzf_both", both)):
            hits = 0
            for query, _kind, title in JUDGED:
                top = fzf_filter(path, query)[1][:3]
                # a title+abstract line starts with the title and a space
                hits += any(line == title or line.startswith(title + " ") for line in top)
            result[name] = hits
    return result
