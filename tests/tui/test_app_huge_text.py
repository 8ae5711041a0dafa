"""A paper with megabytes of text is drawn in bounded work: the row and the detail pane clip
what they lay out (the store keeps everything)."""

from __future__ import annotations

from datetime import date

import pytest

from papershelf.db.models import ParsedPaper
from papershelf.tui.widgets.detail import paper_text
from papershelf.tui.widgets.paper_list import PaperList
from tests.support.app import SIZE, make_app, settle, shown

HUGE_TITLE = "Huge " + "title words " * 175_000  # ~2 MB
HUGE_ABSTRACT = "abstract words " * 350_000  # ~5 MB


def test_the_detail_of_a_huge_paper_is_clipped(sample_store):
    sample_store.import_papers(
        [ParsedPaper(title=HUGE_TITLE, abstract=HUGE_ABSTRACT, published=date(2025, 12, 1))],
        source="huge",
        captured_on=date(2025, 12, 8),
    )
    (paper,) = [p for p in sample_store.papers() if p.title.startswith("Huge")]
    assert len(paper.title) > 2_000_000 and len(paper.abstract) > 5_000_000  # stored whole
    drawn = paper_text(paper).plain
    assert len(drawn) < 30_000
    assert "more characters not shown" in drawn


@pytest.mark.slow  # a 2 MB abstract through filtering and the detail pane
async def test_filtering_and_showing_a_huge_paper_stays_bounded(sample_store, tmp_path):
    sample_store.import_papers(
        [ParsedPaper(title=HUGE_TITLE, abstract=HUGE_ABSTRACT, published=date(2025, 12, 1))],
        source="huge",
        captured_on=date(2025, 12, 8),
    )
    app = make_app(sample_store, tmp_path)
    seen: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"huge")
        await settle(app, pilot)
        plist = app.query_one(PaperList)
        assert shown(app)
        highlighter = plist._highlighter  # noqa: SLF001 - count the work the row does
        assert highlighter is not None

        def counting(title: str):
            seen.append(len(title))
            return highlighter(title)

        plist._highlighter = counting  # noqa: SLF001
        plist._strips.clear()  # noqa: SLF001
        plist.refresh()
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.query_one(PaperList).current_paper.title.startswith("Huge")
        body = app.query_one("#detail-body")
        assert len(str(body.render())) < 40_000
    assert seen and max(seen) <= SIZE[0] + 1
    assert sample_store.count() == 54
