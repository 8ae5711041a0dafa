"""A loopback stand-in for Hugging Face's papers API: real captured answers, faults on demand.

`point_at(monkeypatch, url)` makes papershelf (in-process, or a child given `env_for(url)`)
talk to the loopback server only: HF_ENDPOINT, no token, no telemetry, short timeouts and no
backoff waits. `expected(name)` reads a capture with plain `json` to know what a fetch of it
must give, independently of papershelf's own reader.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

API = Path(__file__).resolve().parent.parent / "fixtures" / "api"
DAILY_2026 = API / "01_api-json-minified_sotawhat-daily.json"  # 30 items, listed 2026-06-12
DAILY_5 = API / "04_api-json-pretty2_allnewsai-daily.json"  # 5 items, listed 2026-07-31
DAILY_2024 = API / "11_api-json-pretty4-2024_newsletter-cn-2024-08-19.json"  # 7, 2024 schema

TIMEOUT = "0.5"  # PAPERSHELF_HTTP_TIMEOUT in tests: the slow server never answers in time


def hf_env(url: str) -> dict[str, str]:
    """Environment variables that aim papershelf at `url` and keep everything else local."""
    return {
        "HF_ENDPOINT": url.rstrip("/"),
        "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_OFFLINE": "0",
        "PAPERSHELF_HTTP_TIMEOUT": TIMEOUT,
        "PAPERSHELF_HTTP_BACKOFF": "0",
    }


def point_at(monkeypatch: Any, url: str) -> None:
    """Set `hf_env(url)` for this test (read at call time by papershelf.db.fetch)."""
    for key, value in hf_env(url).items():
        monkeypatch.setenv(key, value)


def closed_port() -> int:
    """A loopback port nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def capture(path: Path) -> bytes:
    return path.read_bytes()


def expected(path: Path) -> list[dict[str, Any]]:
    """What each item of a capture says, read with plain json (the values tests compare to)."""
    items = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in items:
        paper = item["paper"]
        org = paper.get("organization") or item.get("organization")
        out.append(
            {
                "arxiv_id": paper["id"],
                "title": " ".join(paper["title"].split()),
                "upvotes": paper["upvotes"],
                "comments": item["numComments"],
                "published": paper["publishedAt"][:10],
                "authors": [a["name"] for a in paper["authors"]],
                "organization": org["fullname"] if org else None,
                "github": paper.get("githubRepo") or None,
            }
        )
    return out


def serve_pages(httpserver: Any, items: list[Any], *, limit: int = 100, **query: str) -> None:
    """Serve `items` at /api/daily_papers page by page (`p`, `limit`), then an empty page."""
    pages = [items[n : n + limit] for n in range(0, len(items), limit)] + [[]]
    for number, page in enumerate(pages):
        args = {**query, "limit": str(limit), "p": str(number)}
        httpserver.expect_request("/api/daily_papers", query_string=args).respond_with_data(
            json.dumps(page), content_type="application/json"
        )


@contextmanager
def silent_server() -> Iterator[str]:
    """A loopback URL that accepts connections and never answers (a server slower than any
    timeout): the socket listens, nothing ever accepts, the kernel queues the request."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
