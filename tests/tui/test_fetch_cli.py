"""`papershelf fetch`, `add` and `refresh` against a loopback server serving real API captures."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from papershelf.db.fetch import today_utc
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
from tests.support.library import dump

FIELDS = ("arxiv_id", "title", "upvotes", "comments", "published", "authors", "organization")


@pytest.fixture
def hf(httpserver, monkeypatch):
    point_at(monkeypatch, httpserver.url_for("/"))
    return httpserver


def day_list(hf, day, capture=None, **query):
    """Serve `capture` (or an empty list) as the Daily Papers list of `day`."""
    args = {"date": str(day), "limit": "100", "p": "0", **query}
    body = capture.read_bytes() if capture else b"[]"
    hf.expect_request("/api/daily_papers", query_string=args).respond_with_data(
        body, content_type="application/json"
    )


def listed(cli):
    return {p["arxiv_id"]: p for p in cli.json("list", "--format", "json")}


def fails(cli, *args, match):
    """The command fails in one sentence on stderr and leaves the library byte-identical."""
    before = cli("list", "--format", "json").stdout
    rows = dump(cli.db)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("papershelf: ")
    assert match in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert cli("list", "--format", "json").stdout == before
    assert dump(cli.db) == rows
    return result.stderr


@pytest.mark.parametrize("capture", [DAILY_2026, DAILY_5, DAILY_2024])
def test_fetch_a_day_stores_every_paper_of_the_capture(cli, hf, capture):
    day_list(hf, "2026-06-12", capture)
    report = cli.json("fetch", "--date", "2026-06-12", "--json")
    want = expected(capture)
    assert report == {
        "new": len(want),
        "updated": 0,
        "unchanged": 0,
        "format": "json",
        "dry_run": False,
        "problems": [],
    }
    papers = listed(cli)
    assert len(papers) == len(want)
    for wanted in want:
        paper = papers[wanted["arxiv_id"]]
        assert {k: paper[k] for k in FIELDS} == {k: wanted[k] for k in FIELDS}
        if wanted["github"]:
            assert paper["github"] == wanted["github"]


def test_the_api_fields_reach_the_export_and_has_code(cli, hf):
    day_list(hf, "2026-07-31", DAILY_5)
    cli("fetch", "--date", "2026-07-31")
    paper = listed(cli)["2607.27958"]
    assert paper["github"] == "https://github.com/declare-lab/sigma-mem"
    assert paper["github_stars"] == 1
    assert paper["organization"] == "Nanyang Technological University"
    assert paper["daily_day"] == "2026-07-31"
    assert paper["submitter"] == "Jackbrocp"
    with_code = {p["arxiv_id"] for p in cli.json("list", "has:code", "--format", "json")}
    assert with_code == {"2607.23193", "2607.27958"}


def test_fetching_again_merges_and_keeps_tags_and_read_marks(cli, hf):
    day_list(hf, "2026-07-31", DAILY_5)
    cli("fetch", "--date", "2026-07-31")
    ids = {p["arxiv_id"]: p["id"] for p in listed(cli).values()}
    assert cli("tag", "add", "memory", str(ids["2607.27958"])).exit_code == 0
    assert cli("read", str(ids["2607.23193"])).exit_code == 0
    hf.clear()
    items = json.loads(DAILY_5.read_text())
    items[1]["paper"]["upvotes"] = 40
    items[1]["numComments"] = 9
    hf.expect_request("/api/daily_papers").respond_with_data(json.dumps(items))
    report = cli.json("fetch", "--date", "2026-07-31", "--json")
    assert (report["new"], report["updated"], report["unchanged"]) == (0, 1, 4)
    papers = listed(cli)
    assert len(papers) == 5
    assert (papers["2607.27958"]["upvotes"], papers["2607.27958"]["comments"]) == (40, 9)
    assert papers["2607.27958"]["tags"] == ["memory"]
    assert papers["2607.23193"]["read"] is True
    conn = sqlite3.connect(cli.db)
    history = conn.execute(
        "SELECT upvotes, comments FROM snapshots WHERE paper_id = ? ORDER BY id",
        [ids["2607.27958"]],
    ).fetchall()
    assert history == [(11, 2), (40, 9)]
    # One command, one undo step: the second fetch is undone as a whole.
    assert cli("undo").exit_code == 0
    assert listed(cli)["2607.27958"]["upvotes"] == 11


def test_todays_empty_list_is_said_and_nothing_is_written(cli, hf):
    day_list(hf, today_utc())
    result = cli("fetch")
    assert result.exit_code == 0
    assert f"Today's list ({today_utc()}, UTC) is still empty" in result.output
    assert cli.json("list", "--format", "json") == []


def test_since_fetches_each_day_once(cli, hf):
    today = today_utc()
    days = [today - timedelta(days=n) for n in (3, 2, 1, 0)]
    day_list(hf, days[0], DAILY_2024)
    day_list(hf, days[1])
    day_list(hf, days[2], DAILY_5)
    day_list(hf, days[3])
    report = cli.json("fetch", "--since", str(days[0]), "--json")
    assert report["new"] == 12
    assert len(hf.log) == 4
    # The complete days are recorded; today's list is fetched again, the rest skipped.
    result = cli("fetch", "--since", str(days[0]))
    assert result.exit_code == 0
    assert len(hf.log) == 5 and f"date={today}" in hf.log[-1][0].query_string.decode()
    # --again fetches them all again.
    report = cli.json("fetch", "--since", str(days[0]), "--again", "--json")
    assert (report["new"], report["unchanged"]) == (0, 12)
    assert len(hf.log) == 9
    # That changed nothing, so it left no undo step; undoing the first fetch forgets its days.
    assert cli("undo").exit_code == 0
    assert cli.json("list", "--format", "json") == []
    cli("fetch", "--since", str(days[0]))
    assert len(hf.log) == 13


def test_a_multi_day_fetch_is_all_or_nothing(cli, hf):
    today = today_utc()
    day_list(hf, today - timedelta(days=1), DAILY_5)
    today_args = {"date": str(today), "limit": "100", "p": "0"}
    hf.expect_request("/api/daily_papers", query_string=today_args).respond_with_data(
        "down", status=503
    )
    fails(cli, "fetch", "--since", str(today - timedelta(days=1)), match="HTTP 503")
    assert cli.json("list", "--format", "json") == []


@pytest.mark.parametrize(
    ("args", "query"),
    [
        (("--week", "2026-W31"), {"week": "2026-W31"}),
        (("--month", "2026-07"), {"month": "2026-07"}),
        (("--month", "2026-07", "--sort", "trending"), {"month": "2026-07", "sort": "trending"}),
        (
            ("--week", "2026-W31", "--submitter", "Jackbrocp"),
            {"week": "2026-W31", "submitter": "Jackbrocp"},
        ),
    ],
)
def test_week_month_sort_and_submitter_are_sent(cli, hf, args, query):
    serve_pages(hf, json.loads(DAILY_5.read_text()), **query)
    report = cli.json("fetch", *args, "--json")
    assert report["new"] == 5


def test_search(cli, hf):
    hf.expect_request("/api/papers/search", query_string={"q": "memory agents"}).respond_with_data(
        DAILY_5.read_bytes(), content_type="application/json"
    )
    assert cli.json("fetch", "--search", "memory agents", "--json")["new"] == 5


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("--date", "2026-07-31", "--week", "2026-W31"), "cannot be used together"),
        (("--week", "2026-W60"), "not an ISO week"),
        (("--month", "2026-13"), "not a month"),
        (("--again",), "--again only goes with --since"),
        (("--search", "x", "--sort", "trending"), "cannot be combined"),
    ],
)
def test_bad_options_are_one_sentence(cli, hf, args, match):
    result = cli("fetch", *args)
    assert result.exit_code != 0 and match in result.output
    assert hf.log == []


def _library_with_papers(cli, hf):
    day_list(hf, "2026-07-31", DAILY_5)
    cli("fetch", "--date", "2026-07-31")
    hf.clear()


def test_faults_change_nothing(cli, hf, monkeypatch):
    _library_with_papers(cli, hf)
    hf.expect_request("/api/daily_papers").respond_with_data("oops", status=500)
    fails(cli, "fetch", "--date", "2026-07-30", match="HTTP 500")
    hf.clear()
    hf.expect_request("/api/daily_papers").respond_with_data(DAILY_2026.read_bytes()[:9000])
    fails(cli, "fetch", "--date", "2026-07-30", match="not valid JSON (cut off")
    hf.clear()
    hf.expect_request("/api/papers/2607.99999").respond_with_data("{}", status=404)
    fails(cli, "add", "2607.99999", match="Hugging Face has no paper 2607.99999")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fails(cli, "fetch", match="HF_HUB_OFFLINE")
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{closed_port()}")
    fails(cli, "fetch", match="Connection refused")
    with silent_server() as url:
        monkeypatch.setenv("HF_ENDPOINT", url)
        fails(cli, "fetch", match="No answer within 0.5 s")


def test_429_then_success(cli, hf):
    hf.expect_ordered_request("/api/daily_papers").respond_with_data(
        "", status=429, headers={"Retry-After": "0"}
    )
    hf.expect_ordered_request("/api/daily_papers").respond_with_data(DAILY_5.read_bytes())
    assert cli.json("fetch", "--date", "2026-07-31", "--json")["new"] == 5
    assert len(hf.log) == 2


@pytest.mark.parametrize(
    "target",
    [
        "2607.27958",
        "2607.27958v2",
        "https://huggingface.co/papers/2607.27958",
        "huggingface.co/papers/2607.27958",
        "https://arxiv.org/abs/2607.27958v1",
        "https://arxiv.org/pdf/2607.27958.pdf",
    ],
)
def test_add_by_id_or_url(cli, hf, target):
    paper = json.loads(DAILY_5.read_text())[1]["paper"]
    hf.expect_request("/api/papers/2607.27958").respond_with_data(json.dumps(paper))
    assert cli.json("add", target, "--json")["new"] == 1
    stored = listed(cli)["2607.27958"]
    assert (stored["upvotes"], stored["comments"], stored["github_stars"]) == (11, None, 1)


@pytest.mark.parametrize(
    "target",
    [
        "hello",
        "https://example.org/abs/2607.27958",
        "2607.1",
        "[2607.27958]",
        "https://[::1",
        "hel\x1b]52;c;aGk=\x07lo",
    ],
)
def test_add_refuses_what_is_not_a_paper_before_asking(cli, hf, target):
    fails(cli, "add", target, match="is not an arXiv id")
    assert hf.log == []


@pytest.mark.parametrize("answer", ["list", "other"])
def test_add_refuses_an_answer_that_is_not_the_paper_asked_for(cli, hf, answer):
    """A server answering /api/papers/ID with the daily list, or with another paper, adds
    nothing: one sentence, exit 1, the library untouched."""
    items = json.loads(DAILY_5.read_text())
    body = items if answer == "list" else items[0]["paper"]
    hf.expect_request("/api/papers/2401.00001").respond_with_data(json.dumps(body))
    fails(cli, "add", "2401.00001", match="answer for 2401.00001 is")
    assert listed(cli) == {}


def test_refresh_updates_numbers_and_keeps_snapshots(cli, hf):
    _library_with_papers(cli, hf)
    items = json.loads(DAILY_5.read_text())
    for item in items[:4]:
        paper = dict(item["paper"], upvotes=item["paper"]["upvotes"] + 100)
        hf.expect_request(f"/api/papers/{paper['id']}").respond_with_data(json.dumps(paper))
    hf.expect_request(f"/api/papers/{items[4]['paper']['id']}").respond_with_data("", status=404)
    result = cli("refresh", "--days", "100000", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["updated"], report["unchanged"]) == (4, 0)
    assert "is not on Hugging Face" in report["problems"][0]["message"]
    papers = listed(cli)
    assert papers["2607.27958"]["upvotes"] == 111
    assert papers["2607.27958"]["comments"] == 2  # a paper object has no count: kept
    conn = sqlite3.connect(cli.db)
    assert conn.execute("SELECT count(*) FROM snapshots").fetchone()[0] == 9


def test_refresh_with_a_query(cli, hf):
    _library_with_papers(cli, hf)
    paper = json.loads(DAILY_5.read_text())[1]["paper"]
    hf.expect_request("/api/papers/2607.27958").respond_with_data(json.dumps(paper))
    assert cli.json("refresh", "id:2607.27958", "--json")["unchanged"] == 1
    assert len(hf.log) == 1


def test_refresh_of_nothing_says_so(cli, hf):
    result = cli("refresh")
    assert result.exit_code == 0 and "nothing to refresh" in result.output
    assert hf.log == []


def test_a_failed_fetch_into_a_new_library_leaves_no_file(cli, monkeypatch):
    point_at(monkeypatch, f"http://127.0.0.1:{closed_port()}")
    result = cli("fetch", "--since", str(today_utc() - timedelta(days=2)))
    assert result.exit_code == 1
    assert not cli.db.exists()


def test_show_prints_the_api_fields(cli, hf):
    day_list(hf, "2026-06-12", DAILY_2026)
    cli("fetch", "--date", "2026-06-12")
    out = cli("show", "2606.12730").stdout
    assert (
        "code:      https://github.com/psychology-of-AI/Rethinking-Pyschometric-Eval-LLMs   ★ 1"
        in out
    )
    assert "daily:     2026-06-12   submitted by RKocielnik" in out
    assert "keywords:  LLMs, psychometric probes, self-reports" in out
    summary = out.index("AI summary (generated by Hugging Face, not by the authors):")
    assert summary < out.index("Anticipating LLM behavioral tendencies")
