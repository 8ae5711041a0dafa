"""db.fetch against a loopback server serving real captured API answers, with faults injected."""

from __future__ import annotations

import json
from datetime import date

import pytest

from papershelf.db import fetched
from papershelf.db.fetch import Client, FetchError
from papershelf.db.models import ParsedPaper
from tests.support.hf_api import (
    DAILY_5,
    DAILY_2024,
    DAILY_2026,
    closed_port,
    expected,
    point_at,
    serve_pages,
    silent_server,
)


@pytest.fixture
def hf(httpserver, monkeypatch):
    point_at(monkeypatch, httpserver.url_for("/"))
    return httpserver


def client(sleeps: list[float] | None = None) -> Client:
    return Client(sleep=(sleeps.append if sleeps is not None else lambda _s: None))


def serve(hf, path, body: bytes, **kw) -> None:
    hf.expect_request(path, **kw).respond_with_data(body, content_type="application/json")


def shown(papers):
    return [
        {
            "arxiv_id": p.arxiv_id,
            "title": p.title,
            "upvotes": p.upvotes,
            "comments": p.comments,
            "published": p.published.isoformat(),
            "authors": list(p.authors),
            "organization": p.organization,
            "github": p.github,
        }
        for p in papers
    ]


@pytest.mark.parametrize("capture", [DAILY_2026, DAILY_5, DAILY_2024])
def test_a_day_gives_every_item_of_the_capture(hf, capture):
    query = {"date": "2026-06-12", "limit": "100", "p": "0"}
    serve(hf, "/api/daily_papers", capture.read_bytes(), query_string=query)
    listing = client().daily(day=date(2026, 6, 12))
    assert listing.problems == ()
    got, want = shown(listing.papers), expected(capture)
    for paper, seen, wanted in zip(listing.papers, got, want):
        if wanted["github"] is None and "github.com/" in paper.abstract:
            # No githubRepo, but the abstract may name the code: then that is the code link.
            assert (seen.pop("github") or "https://github.com/").startswith("https://github.com/")
            wanted.pop("github")
    assert got == want


def test_the_api_fields_are_kept(hf):
    serve(hf, "/api/daily_papers", DAILY_2026.read_bytes())
    papers = {p.arxiv_id: p for p in client().daily(day=date(2026, 6, 12)).papers}
    paper = papers["2606.12730"]
    assert paper.github == "https://github.com/psychology-of-AI/Rethinking-Pyschometric-Eval-LLMs"
    assert paper.github_stars == 1
    assert paper.ai_summary.startswith("Psychometric assessments of LLM behavior")
    assert paper.ai_keywords[:3] == ("LLMs", "psychometric probes", "self-reports")
    assert paper.daily_day == date(2026, 6, 12)
    assert paper.submitter == "RKocielnik"
    assert papers["2606.00467"].organization == "California institute of technology"
    assert sum(p.github is not None for p in papers.values()) == 16


def test_project_page_and_organisation(hf):
    serve(hf, "/api/daily_papers", DAILY_5.read_bytes())
    papers = {p.arxiv_id: p for p in client().daily(day=date(2026, 7, 31)).papers}
    assert papers["2607.28582"].project_page == "https://umd-huang-lab.github.io/beta-opsd/"
    assert papers["2607.28582"].organization == "Furong Huang's Lab at UMD"
    assert papers["2607.27958"].organization == "Nanyang Technological University"
    assert papers["2607.23193"].github_stars == 3
    assert {p.submitter for p in papers.values()} >= {"Consonnm", "Jackbrocp"}


def test_2024_items_take_their_day_from_the_listing(hf):
    serve(hf, "/api/daily_papers", DAILY_2024.read_bytes())
    papers = client().daily(week="2024-W34").papers
    assert len(papers) == 7
    assert {p.daily_day for p in papers} == {date(2024, 8, 19)}
    assert {p.ai_summary for p in papers} == {None}
    wrapped = next(p for p in papers if p.arxiv_id == "2408.07931")
    assert wrapped.title == (
        "Surgical SAM 2: Real-time Segment Anything in Surgical Video by Efficient Frame Pruning"
    )


def _items(count: int) -> list[dict]:
    base = json.loads(DAILY_2024.read_text())[0]
    out = []
    for n in range(count):
        item = json.loads(json.dumps(base))
        item["paper"]["id"] = f"2501.{n:05d}"
        item["paper"]["title"] = f"Paper number {n}"
        out.append(item)
    return out


def test_pages_until_the_list_ends(hf):
    serve_pages(hf, _items(250), month="2025-01")
    c = client()
    papers = c.daily(month="2025-01").papers
    assert [p.arxiv_id for p in papers] == [f"2501.{n:05d}" for n in range(250)]
    assert c.requests == 3  # 100 + 100 + 50: the short page ends it


def test_a_server_that_ignores_p_is_read_once(hf):
    serve(hf, "/api/daily_papers", json.dumps(_items(100)).encode())
    c = client()
    assert len(c.daily(day=date(2025, 1, 2)).papers) == 100
    assert c.requests == 2  # the repeated page adds nothing: the end


def test_429_then_success_waits_as_retry_after_says(hf):
    hf.expect_ordered_request("/api/daily_papers").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    hf.expect_ordered_request("/api/daily_papers").respond_with_data(
        DAILY_5.read_bytes(), content_type="application/json"
    )
    sleeps: list[float] = []
    assert len(client(sleeps).daily(day=date(2026, 7, 31)).papers) == 5
    assert sleeps == [7.0]


def test_5xx_backs_off_then_gives_up_in_one_sentence(hf, monkeypatch):
    monkeypatch.setenv("PAPERSHELF_HTTP_BACKOFF", "0.5")
    hf.expect_request("/api/daily_papers").respond_with_data("oops", status=500)
    sleeps: list[float] = []
    c = client(sleeps)
    with pytest.raises(FetchError, match=r"HTTP 500 .* after 4 attempts: http"):
        c.daily(day=date(2026, 7, 31))
    assert sleeps == [0.5, 1.0, 2.0]
    assert c.requests == 4


def test_a_retry_after_too_long_ends_the_fetch(hf):
    hf.expect_request("/api/daily_papers").respond_with_data(
        "", status=503, headers={"Retry-After": "3600"}
    )
    with pytest.raises(FetchError, match="asked to wait 3600 s"):
        client().daily()


def test_truncated_json_is_one_sentence(hf):
    serve(hf, "/api/daily_papers", DAILY_2026.read_bytes()[:5000])
    with pytest.raises(FetchError, match=r"not valid JSON \(cut off"):
        client().daily()


def test_json_of_another_shape_is_one_sentence(hf):
    serve(hf, "/api/daily_papers", b'{"error": "nope"}')
    with pytest.raises(FetchError, match="is JSON but not"):
        client().daily()


def test_a_silent_server_times_out(monkeypatch):
    with silent_server() as url:
        point_at(monkeypatch, url)
        with pytest.raises(FetchError, match=r"No answer within 0.5 s"):
            client().daily()


def test_connection_refused(monkeypatch):
    point_at(monkeypatch, f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(FetchError, match=r"^Connection refused: cannot fetch "):
        client().daily()


def test_offline_mode_sends_nothing(hf, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(FetchError, match="HF_HUB_OFFLINE"):
        client().daily()
    assert hf.log == []


def test_one_paper_and_an_unknown_one(hf):
    item = json.loads(DAILY_5.read_text())[1]
    serve(hf, "/api/papers/2607.27958", json.dumps(item["paper"]).encode())
    hf.expect_request("/api/papers/2607.99999").respond_with_data("{}", status=404)
    found = dict(client().papers(["2607.27958", "2607.99999"]))
    paper = found["2607.27958"]
    assert (paper.title, paper.upvotes, paper.github_stars) == (
        "Σ-Mem: An Online Reliability Memory for LLM-based Multi-Agent Systems",
        11,
        1,
    )
    assert paper.comments is None  # a paper object has no comment count: unknown, not 0
    assert found["2607.99999"] is None


def test_search(hf):
    serve(hf, "/api/papers/search", DAILY_5.read_bytes(), query_string={"q": "memory"})
    assert len(client().search("memory").papers) == 5


def test_a_bad_timeout_setting_is_one_sentence(monkeypatch):
    monkeypatch.setenv("PAPERSHELF_HTTP_TIMEOUT", "soon")
    with pytest.raises(FetchError, match="PAPERSHELF_HTTP_TIMEOUT must be a number"):
        Client()


def test_fetched_days_are_written_as_ranges_and_read_back():
    days = [date(2026, 7, 1), date(2026, 7, 2), date(2026, 7, 3), date(2026, 7, 6)]
    source = fetched.describe(days, with_today=True)
    assert source == (
        "Hugging Face Daily Papers 2026-07-01..2026-07-03, 2026-07-06 and today's list so far"
    )
    assert fetched.parse(source) == set(days)
    assert fetched.parse("Hugging Face Daily Papers 2026-07-01 (submitted by x)") == set()
    assert fetched.parse("page.txt") == set()


def test_api_fields_fill_empty_ones_and_refresh_numbers_and_undo_puts_them_back(store):
    from dataclasses import replace

    bare = ParsedPaper(title="Σ-Mem", arxiv_id="2607.27958", upvotes=1, comments=0)
    store.import_papers([bare], source="page.txt", captured_on=date(2026, 7, 30))
    store.add_tags([1], ["memory"])
    api = replace(
        bare,
        upvotes=11,
        comments=2,
        github="https://github.com/declare-lab/sigma-mem",
        github_stars=1,
        ai_summary="An online memory.",
        ai_keywords=("memory", "agents"),
        project_page="https://example.org/sigma",
        daily_day=date(2026, 7, 31),
        submitter="Jackbrocp",
        organization="Nanyang Technological University",
    )
    report = store.import_papers([api], source="api", captured_on=date(2026, 7, 31))
    assert (report.new, report.updated) == (0, 1)
    paper = store.paper(1)
    assert paper.to_json() | {"added_at": None, "abstract": None} == {
        "id": 1,
        "arxiv_id": "2607.27958",
        "title": "Σ-Mem",
        "abstract": None,
        "authors": [],
        "authors_count": None,
        "organization": "Nanyang Technological University",
        "published": None,
        "upvotes": 11,
        "comments": 2,
        "links": [],
        "tags": ["memory"],
        "read": False,
        "read_at": None,
        "added_at": None,
        "github": "https://github.com/declare-lab/sigma-mem",
        "github_stars": 1,
        "project_page": "https://example.org/sigma",
        "ai_summary": "An online memory.",
        "ai_keywords": ["memory", "agents"],
        "daily_day": "2026-07-31",
        "submitter": "Jackbrocp",
        "note": None,
        "snoozed_until": None,
        "dismissed_at": None,
    }
    # Filled fields stay; stars are refreshed like upvotes; a later answer without them keeps them.
    store.import_papers(
        [replace(api, github_stars=5, ai_summary="Other.", upvotes=12)],
        source="api",
        captured_on=date(2026, 8, 1),
    )
    paper = store.paper(1)
    assert (paper.github_stars, paper.ai_summary, paper.upvotes) == (5, "An online memory.", 12)
    store.undo()
    store.undo()
    paper = store.paper(1)
    assert (paper.github, paper.ai_summary, paper.ai_keywords, paper.upvotes) == (None, None, (), 1)
    assert paper.tags == ("memory",)


def test_the_source_of_a_fetch_records_only_complete_days():
    today = date(2026, 7, 10)
    assert fetched.parse(fetched.source([today], today)) == set()
    both = fetched.source([date(2026, 7, 9), today], today)
    assert fetched.parse(both) == {date(2026, 7, 9)}
    assert fetched.parse(fetched.source([date(2026, 7, 9)], today, complete=False)) == set()
