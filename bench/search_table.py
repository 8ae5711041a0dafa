"""papershelf beside fzf, end to end: `python -m bench.search_table [--sizes 50k,100k]`.

For each size, a library of the generated corpus plus the bundled sample, and a file of its
titles, one a line (what a person would give fzf). Every judged query (bench.judged.ALL: the
thirty original ones and twenty compound and fragment ones) runs both ways in the same run:

- papershelf: `papershelf --db DB list QUERY --limit 10 --format ids`, a new process each time
  (Python start-up, imports, opening the library and the search: what a script calling the
  command line waits for);
- fzf: `fzf --filter QUERY < titles` (skipped, and said so, where fzf is not installed).

A hit is the intended paper in the top 3. Times are wall-clock medians of `--runs` runs per
query, the two tools alternating so both see the same machine. The table goes to stdout and
bench/results_search.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.corpus import CAPTURED_ON, CORPUS_DIR, ROOT, SAMPLE, SIZES, corpus_path
from bench.judged import ALL, COMPOUNDS
from bench.measure import FZF, PAPERSHELF, import_split, lines_file, percentile

RESULTS = Path(__file__).resolve().parent / "results_search.json"
# The examples, shown query by query.
SHOWN = (
    "lutgemm",
    "casvit",
    "emo v2",
    "selfslimmed",
    "multiscale vmamba",
    "ecanet",
    "flash decodng",
)


def library(label: str) -> Path:
    """The size's corpus plus the sample, imported and indexed (built once, then reused)."""
    db = CORPUS_DIR / f"papers-{label}-search.db"
    if db.exists():
        return db
    corpus = corpus_path(label)
    import_split(corpus, db)
    from papershelf.db.parse import parse_text
    from papershelf.db.store import Store

    day = date.fromisoformat(CAPTURED_ON)
    parsed = parse_text(SAMPLE.read_text(encoding="utf-8"), source=SAMPLE.name, captured_on=day)
    with Store.open(db) as store:
        store.import_papers(parsed.papers, source=SAMPLE.name, captured_on=day, format="text")
        store.index_pending()
    return db


def ours(db: Path, query: str) -> tuple[float, list[int]]:
    """Seconds for the CLI's `list QUERY --limit 10` in a new process, and the ids it printed."""
    start = time.perf_counter()
    done = subprocess.run(
        [*PAPERSHELF, "--db", str(db), "list", *query.split(), "--limit", "10", "--format", "ids"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"papershelf list {query!r} failed: {done.stderr.strip()}")
    return elapsed, [int(line) for line in done.stdout.split()]


def fzf(titles: Path, query: str) -> tuple[float, list[str]]:
    """Seconds for `fzf --filter QUERY < titles` and its lines, best first."""
    assert FZF is not None
    with titles.open("rb") as stdin:
        start = time.perf_counter()
        done = subprocess.run([FZF, "--filter", query], stdin=stdin, capture_output=True)
        elapsed = time.perf_counter() - start
    return elapsed, done.stdout.decode("utf-8", "replace").splitlines()


def compare(label: str, runs: int) -> dict:
    """Hits and times of both tools over every judged query, for one size."""
    db = library(label)
    titles = lines_file(db, CORPUS_DIR / f"titles-{label}.txt", abstracts=False)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = []
    for query, kind, wanted in ALL:
        our_times, fzf_times = [], []
        ids: list[int] = []
        lines: list[str] = []
        for _ in range(runs):
            seconds, ids = ours(db, query)
            our_times.append(seconds)
            if FZF:
                seconds, lines = fzf(titles, query)
                fzf_times.append(seconds)
        marks = ",".join("?" * len(ids[:3]))
        top = [
            r[0] for r in conn.execute(f"SELECT title FROM papers WHERE id IN ({marks})", ids[:3])
        ]
        rows.append(
            {
                "query": query,
                "kind": kind,
                "ours_hit": wanted in top,
                "ours_s": statistics.median(our_times),
                "fzf_hit": wanted in lines[:3] if FZF else None,
                "fzf_s": statistics.median(fzf_times) if FZF else None,
            }
        )
    conn.close()
    papers = sum(1 for _ in titles.open(encoding="utf-8"))
    titles.unlink()
    return {"papers": papers, "runs": runs, "rows": rows, "loadavg": os.getloadavg()}


def summary(result: dict, queries: set[str] | None = None) -> dict:
    """Hits and time percentiles over the rows of `queries` (all rows if None)."""
    rows = [r for r in result["rows"] if queries is None or r["query"] in queries]
    out = {
        "queries": len(rows),
        "ours_hits": sum(r["ours_hit"] for r in rows),
        "ours_p50_s": percentile([r["ours_s"] for r in rows], 50),
        "ours_p95_s": percentile([r["ours_s"] for r in rows], 95),
    }
    if FZF:
        out["fzf_hits"] = sum(bool(r["fzf_hit"]) for r in rows)
        out["fzf_p50_s"] = percentile([r["fzf_s"] for r in rows], 50)
        out["fzf_p95_s"] = percentile([r["fzf_s"] for r in rows], 95)
    return out


def table(results: dict) -> str:
    labels = list(results["sizes"])
    lines = []
    head = ["query", *(f"{label} ours" for label in labels)]
    if FZF:
        head += [f"{label} fzf" for label in labels]
    lines.append(" | ".join(head))
    lines.append(" | ".join("---" for _ in head))

    def cell(row: dict, who: str) -> str:
        hit = "found" if row[f"{who}_hit"] else "missed"
        return f"{hit} {row[f'{who}_s'] * 1000:.0f} ms"

    for query in SHOWN:
        cells = [f"`{query}`"]
        for who in ("ours", "fzf") if FZF else ("ours",):
            for label in labels:
                row = next(r for r in results["sizes"][label]["rows"] if r["query"] == query)
                cells.append(cell(row, who))
        lines.append(" | ".join(cells))
    lines.append("")
    for label in labels:
        result = results["sizes"][label]
        coined = {q for q, _, _ in COMPOUNDS}
        for name, queries in (("all 50", None), ("the 20 compound and fragment ones", coined)):
            s = summary(result, queries)
            text = (
                f"{label} ({result['papers']:,} papers), {name}: papershelf top-3 "
                f"{s['ours_hits']}/{s['queries']}, CLI p50/p95 {s['ours_p50_s'] * 1000:.0f}/"
                f"{s['ours_p95_s'] * 1000:.0f} ms"
            )
            if FZF:
                text += (
                    f"; fzf titles top-3 {s['fzf_hits']}/{s['queries']}, p50/p95 "
                    f"{s['fzf_p50_s'] * 1000:.0f}/{s['fzf_p95_s'] * 1000:.0f} ms; ratio p50 "
                    f"{s['ours_p50_s'] / s['fzf_p50_s']:.1f}x"
                )
            else:
                text += "; fzf not installed: skipped"
            lines.append(text)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search_table", description=__doc__)
    parser.add_argument("--sizes", default="50k,100k")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--table-only", action="store_true", help="print the table of the last results_search.json"
    )
    args = parser.parse_args()
    if args.table_only:
        print(table(json.loads(RESULTS.read_text())))
        return
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "fzf": FZF,
        "python": sys.version.split()[0],
        "sizes": {},
    }
    for label in sizes:
        print(f"[{label}] papershelf vs fzf…", file=sys.stderr)
        results["sizes"][label] = compare(label, args.runs)
        RESULTS.write_text(json.dumps(results, indent=1))
    print(table(results))


if __name__ == "__main__":
    main()
