"""`make bench` / `python -m bench [--sizes 1k,10k,100k] [--quick]`: one table + results.json.

For each size: generate the corpus if missing (bench/corpus/, git-ignored), import it through
the CLI in a subprocess (end to end) and again in-process with parse and store timed apart, tag
a seeded subset, time the 30 queries through db.query.Searcher and fzf over the same lines,
and run the headless app in fresh subprocesses. Relevance runs on the 100k library with the
sample mixed in. Figures are medians of several runs; the targets (`TARGETS`) are checked at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import measure
from bench.corpus import CORPUS_DIR, SIZES, corpus_path

RESULTS = Path(__file__).resolve().parent / "results.json"


def _median(values):
    return statistics.median(values) if values else None


def app_runs(db: Path, runs: int) -> dict:
    """Run bench.app_probe `runs` times (fresh processes); medians of each figure."""
    samples, errors = [], []
    for i in range(runs + 2):  # up to two failed runs are retried (and reported)
        if len(samples) == runs:
            break
        settings = CORPUS_DIR / f"settings-{os.getpid()}-{i}.json"
        done = subprocess.run(
            [sys.executable, "-m", "bench.app_probe", str(db), str(settings)],
            capture_output=True,
            text=True,
            cwd=measure.ROOT,
        )
        settings.unlink(missing_ok=True)
        if done.returncode != 0:
            errors.append(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
            continue
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    if not samples:
        return {"error": errors[-1], "errors": errors}
    keys = [k for k in samples[0] if k not in ("keystrokes_s", "repaints_s")]
    out = {k: _median([s[k] for s in samples]) for k in keys}
    out["refilter_p50_s"] = _median([measure.percentile(s["keystrokes_s"], 50) for s in samples])
    out["refilter_p95_s"] = _median([measure.percentile(s["keystrokes_s"], 95) for s in samples])
    out["repaint_p50_s"] = _median([measure.percentile(s["repaints_s"], 50) for s in samples])
    out["repaint_p95_s"] = _median([measure.percentile(s["repaints_s"], 95) for s in samples])
    out["keystrokes"] = len(samples[0]["keystrokes_s"])
    out["runs"] = len(samples)
    out["errors"] = errors
    return out


def bench_size(label: str, args) -> dict:
    """Every figure for one corpus size."""
    n = SIZES[label]
    big = n >= 100_000
    started = time.perf_counter()
    corpus = corpus_path(label)
    gen_s = time.perf_counter() - started
    db = CORPUS_DIR / f"papers-{label}.db"
    cli_db = CORPUS_DIR / f"papers-{label}-cli.db"
    runs = 1 if (args.quick or big) else 3
    res: dict = {"papers": n, "corpus_mb": corpus.stat().st_size / 1e6, "generate_s": gen_s}
    print(f"[{label}] corpus ready ({res['corpus_mb']:.0f} MB); importing…", file=sys.stderr)

    # At 1M one import takes minutes: the CLI run is skipped there and the in-process split
    # (the same parse_text + import_papers the CLI calls) stands for it.
    if n < 1_000_000:
        cli = [measure.import_cli(corpus, cli_db) for _ in range(runs)]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{cli_db}{suffix}").unlink(missing_ok=True)
        res["import_cli_s"] = _median([seconds for seconds, _ in cli])
        res["import_cli_pps"] = n / res["import_cli_s"]
        res["import_cli_rss_mb"] = _median([rss for _, rss in cli])
    splits = [measure.import_split(corpus, db) for _ in range(runs)]
    for key in ("parse_s", "store_s", "sync_s", "close_s"):
        res[key] = _median([s[key] for s in splits])
    res["problems"] = splits[-1]["problems"]
    res["parse_pps"] = n / res["parse_s"]
    res["store_pps"] = n / res["store_s"]
    res["import_split_pps"] = n / (res["parse_s"] + res["store_s"])
    res["import_indexed_pps"] = n / (
        res["parse_s"] + res["store_s"] + res["sync_s"] + res["close_s"]
    )
    res["db_mb"] = db.stat().st_size / 1e6
    res.update(measure.tag_and_read(db))

    print(f"[{label}] queries…", file=sys.stderr)
    q = measure.query_latency(db, passes=1 if args.quick else 3)
    res["query"] = q
    if measure.FZF:
        lines = measure.lines_file(db, CORPUS_DIR / f"lines-{label}.txt", abstracts=True)
        # fzf takes seconds a query over 100k long lines (it subsequence-matches nearly every
        # line): the first 10 fuzzy queries at 100k, 2 at 1M, all below; the ratio is taken
        # over the same queries for both.
        limit = 2 if n >= 1_000_000 else 10 if big else None
        if args.quick:
            limit = 1 if n >= 1_000_000 else 5
        f = measure.fzf_latency(lines, passes=1 if (args.quick or big) else 3, limit=limit)
        ours_same = [q["per_query_s"][k] for k in f["per_query_s"]]
        f["ours_p50_same_s"] = measure.percentile(ours_same, 50)
        f["ours_p95_same_s"] = measure.percentile(ours_same, 95)
        f["ratio_p50"] = f["p50_s"] / f["ours_p50_same_s"]
        f["ratio_p95"] = f["p95_s"] / f["ours_p95_same_s"]
        res["fzf"] = f
        lines.unlink()

    print(f"[{label}] app…", file=sys.stderr)
    res["app"] = app_runs(db, runs=1 if args.quick else 3)
    if label == "100k" and not args.no_relevance:
        print(f"[{label}] relevance…", file=sys.stderr)
        res["relevance"] = measure.relevance(db, CORPUS_DIR)
    return res


def _ms(s):
    return "—" if s is None else f"{s * 1000:.1f}"


def table(results: dict) -> str:
    """One table: a row per figure, a column per size."""
    sizes = [s for s in SIZES if s in results["sizes"]]  # smallest first, however merged
    cols = [results["sizes"][s] for s in sizes]
    rows = []

    def row(name, fn):
        cells = []
        for r in cols:
            try:
                cells.append(fn(r))
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("—")
        rows.append([name, *cells])

    row("papers", lambda r: f"{r['papers']:,}")
    row("import via CLI, papers/s", lambda r: f"{r['import_cli_pps']:,.0f}")
    row("import via CLI, peak RSS, MB", lambda r: f"{r['import_cli_rss_mb']:.0f}")
    row("  parse + store in-process, papers/s", lambda r: f"{r['import_split_pps']:,.0f}")
    row("  parse only, papers/s", lambda r: f"{r['parse_pps']:,.0f}")
    row("  store only, papers/s", lambda r: f"{r['store_pps']:,.0f}")
    row("  search index sync after import, s", lambda r: f"{r['sync_s']:.2f}")
    row("  close (waits for the log checkpoint), s", lambda r: f"{r['close_s']:.2f}")
    row(
        "  parse + store + index sync + close, papers/s",
        lambda r: f"{r['import_indexed_pps']:,.0f}",
    )
    row("tag 36% + mark 20% read, s", lambda r: f"{r['tag_s']:.2f} + {r['read_s']:.2f}")
    row("search index load (1st query), ms", lambda r: _ms(r["query"]["load_s"]))
    row(
        "query p50 / p95, ms (30 queries, cold)",
        lambda r: f"{_ms(r['query']['p50_s'])} / {_ms(r['query']['p95_s'])}",
    )
    row(
        "  same, repeated (warm caches), ms",
        lambda r: f"{_ms(r['query']['warm_p50_s'])} / {_ms(r['query']['warm_p95_s'])}",
    )
    if measure.FZF:
        row(
            "fzf --filter p50 / p95, ms",
            lambda r: (
                f"{_ms(r['fzf']['p50_s'])} / {_ms(r['fzf']['p95_s'])} ({r['fzf']['queries']}q)"
            ),
        )
        row(
            "  ours on the same queries, ms",
            lambda r: f"{_ms(r['fzf']['ours_p50_same_s'])} / {_ms(r['fzf']['ours_p95_same_s'])}",
        )
        row(
            "  fzf / ours (p50, p95)",
            lambda r: f"{r['fzf']['ratio_p50']:.0f}x, {r['fzf']['ratio_p95']:.0f}x",
        )
    else:
        row("fzf --filter", lambda r: "fzf not installed: skipped")
    row("app first paint, ms (from App())", lambda r: _ms(r["app"]["paint_s"]))
    row("  from process start, ms", lambda r: _ms(r["app"]["paint_from_process_s"]))
    row("app filter-ready, ms", lambda r: _ms(r["app"]["filter_ready_s"]))
    row(
        "keystroke→first screen repainted p50 / p95, ms",
        lambda r: f"{_ms(r['app']['repaint_p50_s'])} / {_ms(r['app']['repaint_p95_s'])}",
    )
    row(
        "keystroke→complete list p50 / p95, ms",
        lambda r: f"{_ms(r['app']['refilter_p50_s'])} / {_ms(r['app']['refilter_p95_s'])}",
    )
    row("app peak RSS (VmHWM), MB", lambda r: f"{r['app']['vmhwm_mb']:.0f}")
    widths = [max(len(str(c)) for c in col) for col in zip(["figure", *sizes], *rows)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(["figure", *sizes], widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in rows]
    rel = results["sizes"].get("100k", {}).get("relevance")
    if rel:
        n = len(rel["ours_detail"])
        lines.append("")
        lines.append(
            f"relevance, top-3 of {n} judged queries ({rel['papers']:,} papers = 100k + sample): "
            f"ours {rel['ours']}/{n}, fzf titles {rel.get('fzf_titles', '—')}/{n}, "
            f"fzf title+abstract {rel.get('fzf_both', '—')}/{n}"
        )
    return "\n".join(lines)


# (size, label, path into a size's result, limit, True when lower is better)
TARGETS = (
    ("100k", "query p50 ≤ 20 ms", ("query", "p50_s"), 0.020, True),
    ("100k", "query p95 ≤ 60 ms", ("query", "p95_s"), 0.060, True),
    ("100k", "≥ 10× faster than fzf (p50)", ("fzf", "ratio_p50"), 10, False),
    ("100k", "first paint ≤ 0.5 s", ("app", "paint_s"), 0.5, True),
    ("100k", "filter-ready ≤ 2 s", ("app", "filter_ready_s"), 2.0, True),
    ("100k", "refilter→repaint p95 ≤ 50 ms", ("app", "repaint_p95_s"), 0.050, True),
    ("100k", "app peak RSS ≤ 150 MB", ("app", "vmhwm_mb"), 150, True),
    # Import end to end: the CLI's wall time, start-up, reading and the search index included.
    ("100k", "import ≥ 20,000 papers/s", ("import_cli_pps",), 20_000, False),
    ("100k", "import peak RSS ≤ 300 MB", ("import_cli_rss_mb",), 300, True),
    ("1m", "first paint ≤ 1 s", ("app", "paint_s"), 1.0, True),
    ("1m", "query p50 ≤ 200 ms", ("query", "p50_s"), 0.200, True),
    ("1m", "peak RSS ≤ 1.5 GB", ("app", "vmhwm_mb"), 1536, True),
    ("1m", "import ≥ 20,000 papers/s", ("import_split_pps",), 20_000, False),
    ("100k", "relevance top-3 ≥ 90% (45/50)", ("relevance", "ours"), 45, False),
)


def check_targets(results: dict) -> list[dict]:
    out = []
    for size, label, path, limit, lower in TARGETS:
        value = results["sizes"].get(size)
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            out.append({"size": size, "target": label, "value": None, "met": None})
            continue
        met = value <= limit if lower else value >= limit
        out.append(
            {
                "size": size,
                "target": label,
                "value": value,
                "met": met,
                "by": value / limit if limit else None,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes", default="1k,10k,100k,1m", help="comma-separated sizes out of " + ",".join(SIZES)
    )
    parser.add_argument(
        "--quick", action="store_true", help="one run of everything, 5 fzf queries (1 at 1M)"
    )
    parser.add_argument("--no-relevance", action="store_true")
    args = parser.parse_args()
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]!r}; choose from {', '.join(SIZES)}")
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "fzf": measure.FZF,
        },
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "quick": args.quick,
        "sizes": {},
        # other work on this 2-core machine inflates every figure: recorded, not hidden
        "loadavg_at_start": os.getloadavg(),
    }
    # Sizes measured by an earlier run and not re-run now are kept (each says when and how it
    # was measured), so `--sizes 1m` adds to a 1k–100k run instead of erasing it.
    if RESULTS.exists():
        try:
            earlier = json.loads(RESULTS.read_text())["sizes"]
        except (ValueError, KeyError):
            earlier = {}
        results["sizes"] = {k: v for k, v in earlier.items() if k not in sizes}
    for label in sizes:
        results["sizes"][label] = bench_size(label, args)
        results["sizes"][label]["when"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
        results["sizes"][label]["quick"] = args.quick
        results["sizes"][label]["loadavg_after"] = os.getloadavg()
        results["targets"] = check_targets(results)
        RESULTS.write_text(json.dumps(results, indent=1))  # partial results survive a crash
    print(table(results))
    print()
    for t in results["targets"]:
        if t["met"] is not None:
            print(
                f"{'MET   ' if t['met'] else 'MISSED'} {t['size']:>4}  {t['target']:<32} "
                f"value {t['value']:.4g}"
            )
    for size, r in results["sizes"].items():
        if "import_indexed_pps" in r:
            cli = (
                f"; via the CLI {r['import_cli_pps']:,.0f} (Python start-up and reading included)"
                if "import_cli_pps" in r
                else ""
            )
            print(
                f"info   {size:>4}  import with the search index built: parse + store + index + close "
                f"{r['import_indexed_pps']:,.0f} papers/s{cli}"
            )


if __name__ == "__main__":
    main()
