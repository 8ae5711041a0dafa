"""`python -m bench.fetch`: `papershelf fetch --since` of 30 days x 100 papers from a loopback server.

A local HTTP server plays Hugging Face's `/api/daily_papers` (pages of `limit`, then an empty page)
with 100 items a day made from a real captured answer (tests/fixtures/api), so the figure is
papershelf's own cost: requests through huggingface_hub's session, parsing, merging, indexing.
Three figures, medians of `--runs`: the CLI end to end in a fresh process (start-up included), and
in-process the fetch (30 days, 60 requests) and the import apart. Written to
bench/results_fetch.json; `make bench` runs it after the query benchmarks.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

ROOT = Path(__file__).resolve().parent.parent
CAPTURE = ROOT / "tests" / "fixtures" / "api" / "04_api-json-pretty2_allnewsai-daily.json"
RESULTS = Path(__file__).resolve().parent / "results_fetch.json"
DAYS = 30
PER_DAY = 100


@functools.cache
def _base() -> list[dict]:
    return json.loads(CAPTURE.read_text(encoding="utf-8"))


def day_items(day: str, count: int = PER_DAY) -> list[dict]:
    """`count` distinct items for `day`, cycled from the capture's items."""
    base = _base()
    number = int(day.replace("-", "")) % 100_000
    items = []
    for n in range(count):
        item = json.loads(json.dumps(base[n % len(base)]))
        item["paper"]["id"] = f"{number % 10_000:04d}.{n:05d}"
        item["paper"]["title"] = f"{item['paper']['title']} ({day} #{n})"
        items.append(item)
    return items


@functools.cache
def page_body(day: str, page: int, limit: int) -> bytes:
    """One page of a day's list as the API sends it (made once: the server's cost is not ours)."""
    return json.dumps(day_items(day)[page * limit : (page + 1) * limit]).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Hugging Face's servers do

    def do_GET(self) -> None:  # noqa: N802 - http.server's hook
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path != "/api/daily_papers" or "date" not in query:
            self.send_error(404)
            return
        page, limit = int(query.get("p", 0)), int(query.get("limit", 50))
        body = page_body(query["date"], page, limit)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve() -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def environment(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PAPERSHELF_DB"}
    env.update(
        HF_ENDPOINT=url,
        HF_HUB_DISABLE_IMPLICIT_TOKEN="1",
        HF_HUB_DISABLE_TELEMETRY="1",
        HF_HUB_OFFLINE="0",
        PYTHONPATH=str(ROOT),
    )
    return env


def cli_run(url: str, since: str, folder: Path) -> float:
    """Seconds for `papershelf fetch --since` into a new library, in a fresh process."""
    db = folder / f"cli-{time.monotonic_ns()}.db"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "from papershelf.tui.cli import main; main()"]
        + ["--db", str(db), "fetch", "--since", since, "--json"],
        capture_output=True,
        text=True,
        env=environment(url),
        cwd=ROOT,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"fetch failed: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    assert report["new"] == DAYS * PER_DAY, report
    return elapsed


def split_run(url: str, folder: Path) -> tuple[float, float]:
    """(fetch seconds, import + index seconds) in-process, the same calls the CLI makes."""
    os.environ.update(environment(url))
    from papershelf.db import fetched
    from papershelf.db.fetch import Client, days_between, today_utc
    from papershelf.db.store import Store

    today = today_utc()
    days = days_between(today - timedelta(days=DAYS - 1), today)
    started = time.perf_counter()
    client = Client()
    papers = [p for day in days for p in client.daily(day=day).papers]
    fetch_s = time.perf_counter() - started
    assert len(papers) == DAYS * PER_DAY and client.requests == 2 * DAYS
    with Store.open(folder / f"split-{time.monotonic_ns()}.db") as store:
        started = time.perf_counter()
        store.import_papers(
            papers,
            source=fetched.source(days, today),
            captured_on=today,
            format=fetched.FORMAT,
        )
        store.index_pending()
        import_s = time.perf_counter() - started
    return fetch_s, import_s


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fetch", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server, url = serve()
    from papershelf.db.fetch import today_utc

    first = today_utc() - timedelta(days=DAYS - 1)
    since = str(first)
    papers = DAYS * PER_DAY
    for n in range(DAYS):  # every page made before the clock starts
        page_body(str(first + timedelta(days=n)), 0, 100)
        page_body(str(first + timedelta(days=n)), 1, 100)
    with tempfile.TemporaryDirectory(prefix="papershelf-bench-fetch-") as tmp:
        folder = Path(tmp)
        cli = [cli_run(url, since, folder) for _ in range(args.runs)]
        split = [split_run(url, folder) for _ in range(args.runs)]
    server.shutdown()
    cli_s = statistics.median(cli)
    fetch_s = statistics.median(s[0] for s in split)
    import_s = statistics.median(s[1] for s in split)
    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "days": DAYS,
        "papers": papers,
        "requests": 2 * DAYS,
        "runs": args.runs,
        "cli_s": cli_s,
        "cli_pps": papers / cli_s,
        "fetch_s": fetch_s,
        "fetch_pps": papers / fetch_s,
        "import_s": import_s,
        "import_pps": papers / import_s,
        "loadavg_after": os.getloadavg(),
    }
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(
        f"fetch  {DAYS} days x {PER_DAY} papers from a loopback server: "
        f"CLI {cli_s:.2f} s ({papers / cli_s:,.0f} papers/s, start-up included); "
        f"in-process fetch {fetch_s:.2f} s ({papers / fetch_s:,.0f} papers/s, {2 * DAYS} requests)"
        f" + import {import_s:.2f} s ({papers / import_s:,.0f} papers/s)"
    )


if __name__ == "__main__":
    main()
