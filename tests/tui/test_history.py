"""The detail pane draws a paper's upvotes over the imports that saw it."""

from __future__ import annotations

from datetime import date

from textual.widgets import Sparkline

from papershelf.db.models import ParsedPaper
from tests.support.app import SIZE, make_app, screen_text, settle


async def test_upvote_history_sparkline(store, tmp_path):
    for day, upvotes in ((1, 3), (2, 10), (3, 25)):
        paper = ParsedPaper(
            title="Rising paper",
            arxiv_id="2512.00001",
            published=date(2025, 12, 1),
            upvotes=upvotes,
        )
        store.import_papers([paper], source=f"day{day}", captured_on=date(2025, 12, day))
    app = make_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        line = app.query_one("#detail-history", Sparkline)
        assert line.display and list(line.data) == [3, 10, 25]
        assert "3 → 25 (+22)" in screen_text(app)


async def test_no_sparkline_for_a_single_import(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not app.query_one("#detail-history", Sparkline).display
