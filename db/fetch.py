"""The Hugging Face papers API -> `ParsedPaper` records. The network lives here and only here.

Three endpoints: `GET /api/daily_papers` (one day, ISO week or month; `sort`, `submitter`, paged
by `p` and `limit`), `GET /api/papers/<arxiv id>` and `GET /api/papers/search?q=`.

Why not `HfApi.list_daily_papers` / `paper_info` / `list_papers`: they build `PaperInfo` objects,
which keep no raw JSON, so everything would be re-read by a second converter beside the one
`db.parse` already has for saved API responses (one reader per format is the rule here);
`paper_info` takes no timeout and sends no token; `list_papers` cannot page; none retries. So the
same endpoints are called through the client's own plumbing instead: the shared session from
`huggingface_hub.utils.get_session` (proxies, the offline hook for `HF_HUB_OFFLINE`, a client a
user may have replaced with `set_client_factory`), `get_token` (`HF_TOKEN`, the saved login,
`HF_HUB_DISABLE_IMPLICIT_TOKEN` honoured) and `hf_raise_for_status` (HF's error classes). The
answers are read by `db.parse` (the `json` format), exactly as an imported API response is.
`build_hf_headers` is not used: its user agent fetches an "agent harness" registry from the
endpoint first (a request nobody asked for; a server answering `[]` there makes it raise
AttributeError), so the headers are built here from the same parts.

`huggingface_hub.constants` reads `HF_ENDPOINT` and `HF_HUB_OFFLINE` once, when it is first
imported; both are looked up again here on every call (the environment first), so a process that
changes them after importing the client (the test suite, a long-running app) is still obeyed.

Every failure a person can meet (offline, nothing listening, DNS, a timeout, an HTTP error after
the retries, an answer that is not the JSON expected) is one `FetchError` sentence. The client is
imported lazily: `import papershelf.db.fetch` costs nothing at start-up.
"""

from __future__ import annotations

import email.utils
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from papershelf.db.formats import hfjson
from papershelf.db.models import ParsedPaper, Problem
from papershelf.db.parse import ParseError, parse_text
from papershelf.db.text import clean_line, clean_text

__all__ = [
    "DEFAULT_ENDPOINT",
    "Client",
    "FetchError",
    "Listing",
    "days_between",
    "today_utc",
]

DEFAULT_ENDPOINT = "https://huggingface.co"
PAGE_SIZE = 100  # the API's largest `limit`
MAX_PAGES = 200  # a listing that never ends is the server's bug, not a reason to loop forever
TIMEOUT = 20.0  # seconds to connect and between bytes; PAPERSHELF_HTTP_TIMEOUT overrides
RETRIES = 3  # further attempts after a 429 or 5xx; PAPERSHELF_HTTP_RETRIES overrides
BACKOFF = 1.0  # first wait without Retry-After, doubled each time; PAPERSHELF_HTTP_BACKOFF
MAX_WAIT = 60.0  # a Retry-After longer than this ends the fetch instead of hanging it
WORKERS = 4  # requests in flight at once when many papers are re-read
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A fetch that could not be completed, as one sentence a person can act on."""


@dataclass(frozen=True, slots=True)
class Listing:
    """What one request (or one paged listing) gave: the papers and what could not be read."""

    papers: tuple[ParsedPaper, ...]
    problems: tuple[Problem, ...] = ()


def today_utc() -> date:
    """The current day on Hugging Face's clock (Daily Papers days are UTC days)."""
    return datetime.now(UTC).date()


def days_between(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included (empty if first is after last)."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise FetchError(f"{name} must be a number of seconds, not {raw!r}.") from None
    if value < 0:
        raise FetchError(f"{name} cannot be negative.")
    return value


def _is_true(value: str | None) -> bool:
    return (value or "").strip().upper() in {"1", "ON", "YES", "TRUE"}


def _endpoint() -> str:
    from huggingface_hub import constants

    return (os.environ.get("HF_ENDPOINT") or constants.ENDPOINT or DEFAULT_ENDPOINT).rstrip("/")


def _offline() -> bool:
    from huggingface_hub import constants

    if "HF_HUB_OFFLINE" in os.environ or "TRANSFORMERS_OFFLINE" in os.environ:
        env = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE")
        return _is_true(env)
    return bool(constants.HF_HUB_OFFLINE)


def _headers() -> dict[str, str]:
    """A user agent, and the person's HF token when they have one and allow sending it."""
    from huggingface_hub import __version__ as hub_version
    from huggingface_hub import constants, get_token

    headers = {"user-agent": f"papershelf; hf_hub/{hub_version}"}
    implicit_off = "HF_HUB_DISABLE_IMPLICIT_TOKEN" in os.environ
    if implicit_off:
        implicit_off = _is_true(os.environ["HF_HUB_DISABLE_IMPLICIT_TOKEN"])
    else:
        implicit_off = constants.HF_HUB_DISABLE_IMPLICIT_TOKEN
    if not implicit_off:
        try:
            token = get_token()
        except Exception:  # the papers API is public: a token that cannot be read is not needed
            token = None
        if token:
            headers["authorization"] = f"Bearer {token}"
    return headers


def _transport_reason(error: Exception) -> str | None:
    """A short reason for an error raised by the HTTP library, else None (not a network error).

    Matched by class name along the MRO so this module does not import the client's HTTP
    library (a dependency of huggingface_hub, not of papershelf)."""
    names = {cls.__name__ for cls in type(error).__mro__}
    if not names & {"HTTPError", "TransportError", "RequestError", "StreamError"}:
        return None
    if names & {"TimeoutException", "ReadTimeout", "ConnectTimeout", "PoolTimeout"}:
        return "timeout"
    text = str(error).lower()
    if "name or service" in text or "nodename" in text or "getaddrinfo" in text:
        return "the host name could not be resolved"
    if "refused" in text:
        return "connection refused"
    if names & {"ConnectError"}:
        return f"cannot connect ({clean_line(str(error)) or 'no reason given'})"
    return f"the connection failed ({clean_line(str(error)) or type(error).__name__})"


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Retry-After in seconds (delay-seconds or an HTTP date), else None."""
    raw = (headers.get("retry-after") or "").strip()
    if not raw:
        return None
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class Client:
    """The papers API over huggingface_hub's session, with timeouts, retries and one-sentence errors.

    Thread-safe: the shared session is, and a Client holds no per-request state, so `refresh`
    runs several `paper` calls at once. `sleep` is how it waits between retries (tests pass
    one that records instead).
    """

    def __init__(
        self,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = (
            timeout if timeout is not None else _env_float("PAPERSHELF_HTTP_TIMEOUT", TIMEOUT)
        )
        env_retries = _env_float("PAPERSHELF_HTTP_RETRIES", RETRIES)
        self.retries = retries if retries is not None else int(env_retries)
        self.backoff = (
            backoff if backoff is not None else _env_float("PAPERSHELF_HTTP_BACKOFF", BACKOFF)
        )
        self.sleep = sleep
        self.endpoint = _endpoint()
        self.requests = 0

    # -- one request ---------------------------------------------------------------------------

    def get_text(self, path: str, params: Mapping[str, str | int] | None = None) -> str | None:
        """The body of GET endpoint+path; None for 404; FetchError for everything else that fails.

        Messages put the reason first: the app's status line has room for one line.
        """
        from huggingface_hub.errors import HfHubHTTPError
        from huggingface_hub.utils import hf_raise_for_status

        url = f"{self.endpoint}{path}"
        shown = _shown(url, params)
        if _offline():
            raise FetchError(f"Offline (HF_HUB_OFFLINE is set): cannot fetch {shown}.")
        headers = _headers()
        wait = self.backoff
        for attempt in range(self.retries + 1):
            response = self._send(url, params, headers, shown)
            status = response.status_code
            if status == 404:
                return None
            if status in _RETRY_STATUS and attempt < self.retries:
                delay = _retry_after(response.headers)
                if delay is None:
                    delay, wait = wait, wait * 2
                elif delay > MAX_WAIT:
                    raise FetchError(
                        f"Hugging Face asked to wait {delay:.0f} s (HTTP {status}); try later: "
                        f"cannot fetch {shown}."
                    )
                self.sleep(delay)
                continue
            try:
                hf_raise_for_status(response)
            except HfHubHTTPError:
                tried = f" after {attempt + 1} attempts" if attempt else ""
                phrase = clean_line(response.reason_phrase or "")
                answer = f"HTTP {status} {phrase}".rstrip()
                raise FetchError(f"Hugging Face answered {answer}{tried}: {shown}.") from None
            return str(response.text)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _send(
        self, url: str, params: Mapping[str, str | int] | None, headers: dict[str, str], shown: str
    ) -> Any:
        """One GET through huggingface_hub's session (the body read); transport errors as
        FetchError. Errors that are not the network's (bugs) propagate."""
        from huggingface_hub.errors import OfflineModeIsEnabled
        from huggingface_hub.utils import get_session

        self.requests += 1
        try:
            return get_session().get(
                url, params=dict(params or {}), headers=headers, timeout=self.timeout
            )
        except OfflineModeIsEnabled:
            raise FetchError(f"Offline (HF_HUB_OFFLINE is set): cannot fetch {shown}.") from None
        except Exception as error:
            reason = _transport_reason(error)
            if reason is None:
                raise
            if reason == "timeout":
                reason = f"no answer within {self.timeout:g} s (PAPERSHELF_HTTP_TIMEOUT)"
            raise FetchError(f"{reason[:1].upper()}{reason[1:]}: cannot fetch {shown}.") from None

    def _read(self, text: str | None, source: str, *, day: date | None = None) -> Listing:
        if text is None:
            return Listing(())
        try:
            result = parse_text(text, source=source, captured_on=today_utc(), format=hfjson.NAME)
        except ParseError as error:
            detail = str(error).removeprefix(f"{source} ").rstrip(".")
            raise FetchError(f"Hugging Face's answer {detail}: {source}.") from None
        return Listing(_with_api_fields(result.papers, text, day), result.problems)

    # -- endpoints -----------------------------------------------------------------------------

    def daily(
        self,
        *,
        day: date | None = None,
        week: str | None = None,
        month: str | None = None,
        sort: str | None = None,
        submitter: str | None = None,
        limit: int = PAGE_SIZE,
    ) -> Listing:
        """One Daily Papers listing (a day, an ISO week `2026-W31`, a month `2026-07`), all pages."""
        params: dict[str, str | int] = {"limit": limit}
        if day is not None:
            params["date"] = day.isoformat()
        for key, value in (("week", week), ("month", month), ("sort", sort)):
            if value:
                params[key] = value
        if submitter:
            params["submitter"] = submitter
        papers: list[ParsedPaper] = []
        problems: list[Problem] = []
        seen: set[str] = set()
        for page in range(MAX_PAGES):
            params["p"] = page
            path = "/api/daily_papers"
            text = self.get_text(path, params)
            listing = self._read(text, _shown(path, params), day=day)
            items = len(listing.papers) + len(listing.problems)
            fresh = [p for p in listing.papers if not p.arxiv_id or p.arxiv_id not in seen]
            seen.update(p.arxiv_id for p in listing.papers if p.arxiv_id)
            papers.extend(fresh)
            problems.extend(listing.problems)
            # The list ends with a short page; a server that ignores `p` repeats a page.
            if items < limit or not fresh:
                break
        return Listing(tuple(papers), tuple(problems))

    def paper(self, arxiv_id: str) -> ParsedPaper | None:
        """One paper by arXiv id (no version suffix), or None when Hugging Face does not know it."""
        path = f"/api/papers/{arxiv_id}"
        listing = self._read(self.get_text(path), path)
        if not listing.papers:
            return None
        found = [p.arxiv_id or "no id" for p in listing.papers]
        if found != [arxiv_id]:
            # A server that answers with a listing or another paper must not add that instead.
            what = "another paper" if len(found) == 1 else f"{len(found)} papers"
            shown = ", ".join(found[:3]) + (", …" if len(found) > 3 else "")
            raise FetchError(
                f"Hugging Face's answer for {arxiv_id} is {what} ({shown}), not that one: {path}."
            )
        return listing.papers[0]

    def papers(
        self, arxiv_ids: Sequence[str], *, workers: int = WORKERS
    ) -> Iterator[tuple[str, ParsedPaper | None]]:
        """(id, paper or None) for each id, `workers` requests at a time, in the order given."""
        if not arxiv_ids:
            return
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            yield from zip(arxiv_ids, pool.map(self.paper, arxiv_ids))

    def search(self, query: str) -> Listing:
        """Hugging Face's paper search (`/api/papers/search?q=`)."""
        path = "/api/papers/search"
        params: dict[str, str | int] = {"q": query}
        return self._read(self.get_text(path, params), _shown(path, params))


def _shown(url: str, params: Mapping[str, str | int] | None) -> str:
    """The URL as a person would type it (for messages), without the paging noise."""
    from urllib.parse import urlencode

    query = {k: v for k, v in (params or {}).items() if k not in ("p", "limit")}
    return f"{url}?{urlencode(query)}" if query else url


# -- fields the parser may not keep yet -------------------------------------------------------


def _with_api_fields(
    papers: Sequence[ParsedPaper], text: str, day: date | None
) -> tuple[ParsedPaper, ...]:
    """Fill API-only fields the `json` format left empty, from the same answer's items.

    The format reader owns these fields; this only fills what it left empty, so once it keeps
    them all this changes nothing. `day` (the listing's requested day) is the Daily Papers day
    of items that do not say theirs (2024-era answers).
    """
    try:
        value: Any = json.loads(text, strict=False)
    except ValueError:
        return tuple(papers)
    items = value if isinstance(value, list) else [value]
    by_id: dict[str, dict[str, Any]] = {}
    for item in items:
        if isinstance(item, dict):
            paper = item["paper"] if isinstance(item.get("paper"), dict) else item
            if isinstance(paper.get("id"), str):
                by_id[paper["id"]] = item
    return tuple(_fill(p, by_id.get(p.arxiv_id or ""), day) for p in papers)


def _fill(p: ParsedPaper, item: dict[str, Any] | None, day: date | None) -> ParsedPaper:
    extra = api_fields(item) if item is not None else {}
    if "daily_day" not in extra:
        # 2024-era items lack submittedOnDailyAt; the day asked for is the day listed, and a
        # listing item's own `publishedAt` is when it was put on the list.
        listed = item.get("publishedAt") if item is not None and "paper" in item else None
        if day is not None:
            extra["daily_day"] = day
        elif isinstance(listed, str) and len(listed) >= 10:
            try:
                extra["daily_day"] = date.fromisoformat(listed[:10])
            except ValueError:
                pass
    changes = {k: v for k, v in extra.items() if getattr(p, k) in (None, (), "")}
    if item is not None and not _has_comment_count(item):
        # `/api/papers/<id>` gives no comment count: unknown, not 0 (a refresh keeps the old).
        changes["comments"] = None
    return replace(p, **changes) if changes else p


def _has_comment_count(item: dict[str, Any]) -> bool:
    paper = item.get("paper")
    return "numComments" in item or (isinstance(paper, dict) and "numComments" in paper)


def api_fields(item: dict[str, Any]) -> dict[str, Any]:
    """AI summary and keywords, project page, stars, Daily Papers day, submitter of one item."""
    paper: dict[str, Any] = item["paper"] if isinstance(item.get("paper"), dict) else item
    out: dict[str, Any] = {}
    summary = paper.get("ai_summary")
    if isinstance(summary, str) and clean_text(summary):
        out["ai_summary"] = clean_text(summary)
    keywords = paper.get("ai_keywords")
    if isinstance(keywords, list):
        words = tuple(dict.fromkeys(clean_line(k) for k in keywords if isinstance(k, str)))
        if any(words):
            out["ai_keywords"] = tuple(w for w in words if w)
    page = paper.get("projectPage")
    if isinstance(page, str) and page.strip().startswith(("http://", "https://")):
        out["project_page"] = clean_line(page)
    stars = paper.get("githubStars")
    if isinstance(stars, int) and not isinstance(stars, bool):
        out["github_stars"] = stars
    listed = paper.get("submittedOnDailyAt")
    if isinstance(listed, str):
        try:
            out["daily_day"] = date.fromisoformat(listed[:10])
        except ValueError:
            pass
    for who in (item.get("submittedBy"), paper.get("submittedOnDailyBy")):
        if isinstance(who, dict) and isinstance(who.get("name"), str) and clean_line(who["name"]):
            out["submitter"] = clean_line(who["name"])
            break
    return out
