"""The tags panel groups `a/b` tags under `a/`; Enter on a group filters by the prefix."""

from __future__ import annotations

from papershelf.db.models import TagCount
from papershelf.tui.widgets.tags_panel import group_tags
from tests.support.app import SIZE, make_app, screen_text, settle, shown


def test_a_group_counts_what_the_store_counted_for_it():
    tags = [TagCount("llm", 2, 1), TagCount("rl", 1, 1), TagCount("rl/offline", 3, 2)]
    root = group_tags(tags, {"rl": TagCount("rl", 3, 2)})  # the `rl` paper is also rl/offline
    assert sorted(root.children) == ["llm", "rl"]
    rl = root.children["rl"]
    assert (rl.count, rl.unread) == (3, 2)
    assert rl.tag == TagCount("rl", 1, 1)
    assert (rl.children["offline"].count, root.children["llm"].count) == (3, 2)


def test_the_store_counts_each_paper_of_a_group_once(sample_store):
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[:2], ["rl/offline", "rl/ppo/clip"])
    sample_store.add_tags(ids[1:3], ["rl"])
    sample_store.set_read(ids[:1], True)
    assert sample_store.tag_group_counts() == {
        "rl": TagCount("rl", 3, 2),
        "rl/ppo": TagCount("rl/ppo", 2, 1),
    }


async def test_enter_on_a_group_filters_by_its_prefix(sample_store, tmp_path):
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[:2], ["rl/offline", "rl/ppo"])  # two tags, two papers
    sample_store.add_tags(ids[2:3], ["rl/online"])
    sample_store.add_tags(ids[3:4], ["[x]"])
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await settle(app, pilot)
        text = screen_text(app)
        assert "rl/  3/3" in text and "offline  2/2" in text and "[x]  1/1" in text
        await pilot.press("down", "enter")  # [x] sorts first, then the rl/ group
        await settle(app, pilot)
        assert app.query_one("#filter").value == "tag:rl/"
        assert sorted(shown(app)) == sorted(ids[:3])


async def test_the_panel_narrows_on_a_small_terminal(sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await settle(app, pilot)
        assert app.query_one("#tags").region.width <= 22


async def test_j_and_k_move_in_the_tags_panel(sample_store, tmp_path):
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[:1], ["alpha", "beta"])
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("T")
        await settle(app, pilot)
        await pilot.press("j", "enter")
        await settle(app, pilot)
        assert app.query_one("#filter").value == "tag:beta"
