"""The TOML config: keys by binding id, theme, sort, saved filters validated by the parser."""

from __future__ import annotations

from papershelf.tui.config import Config, dump_config, load_config, parse_config
from papershelf.tui.settings import DEFAULT_FILTERS, SavedFilter
from tests.support.app import SIZE, make_app, settle


def test_no_file_means_defaults(tmp_path):
    loaded = load_config(tmp_path / "missing.toml")
    assert loaded.config == Config() and loaded.problems == ()


def test_a_full_config_reads_back_from_what_dump_writes():
    config = Config(
        theme="nord",
        sort="published",
        read_moves_on=False,
        keys={"dismiss": "x,delete"},
        saved_filters=(SavedFilter('Quote "x"', "tag:rl/ is:unread", "title"),)
        + tuple(SavedFilter(f"F{n}", "comments:>0") for n in range(8)),
    )
    loaded = parse_config(dump_config(config), ["dismiss"])
    assert loaded.problems == ()
    assert loaded.config == config


def test_bad_entries_are_refused_one_sentence_each():
    loaded = parse_config(
        """
sort = "sideways"
read_moves_on = "yes"
colour = "red"
[keys]
no_such = "x"
[[filters]]
name = "Broken"
query = "upvotes:>lots"
[[filters]]
query = "is:unread"
sort = "nope"
""",
        ["dismiss"],
    )
    problems = "\n".join(loaded.problems)
    assert "`sort` 'sideways'" in problems
    assert "read_moves_on" in problems and "colour" in problems
    assert "no_such: no such binding id" in problems
    assert "Saved filter 1 (upvotes:>lots):" in problems
    assert "unknown sort 'nope'" in problems
    assert loaded.config.saved_filters[0] == DEFAULT_FILTERS[0]  # the bad one kept the default
    assert loaded.config.saved_filters[1].query == "is:unread"
    assert loaded.config.sort is None and loaded.config.read_moves_on is True


def test_broken_toml_gives_defaults_and_says_so():
    loaded = parse_config("theme = ")
    assert loaded.config == Config()
    assert "not valid TOML" in loaded.problems[0]


async def test_keymap_rebinds_by_binding_id(sample_store, tmp_path):
    (tmp_path / "config.toml").write_text('[keys]\ndismiss = "X"\n')
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.paper_list.current_id
        await pilot.press("x")
        await settle(app, pilot)
        assert sample_store.paper(first).dismissed_at is None
        await pilot.press("X")
        await settle(app, pilot)
        assert sample_store.paper(first).dismissed_at


async def test_config_sort_and_theme_win_over_the_last_used(sample_store, tmp_path):
    (tmp_path / "config.toml").write_text('sort = "title"\ntheme = "nord"\n')
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.sort == "title" and app.theme == "nord"


async def test_config_problems_are_shown(sample_store, tmp_path):
    (tmp_path / "config.toml").write_text('sort = "sideways"\n')
    app = make_app(sample_store, tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert any("sideways" in str(n.message) for n in app._notifications)  # noqa: SLF001


def test_cli_config_check_and_keys(cli, tmp_path, monkeypatch):
    where = tmp_path / "c.toml"
    monkeypatch.setenv("PAPERSHELF_CONFIG", str(where))
    assert "does not exist" in cli("config", "check").output
    where.write_text('[[filters]]\nquery = "upvotes:>lots"\n')
    bad = cli("config", "check")
    assert bad.exit_code == 1 and "upvotes:>lots" in bad.stderr
    keys = cli("config", "keys").output
    assert "dismiss" in keys and "snooze" in keys and "toggle_read" in keys


def test_an_old_settings_file_is_carried_over_once(tmp_path):
    import json

    from papershelf.tui.config import migrate_legacy
    from papershelf.tui.settings import load_settings

    legacy = tmp_path / "settings.json"
    old = [{"name": "Mine", "query": "tag:x", "sort": "title"}]
    legacy.write_text(json.dumps({"theme": "nord", "sort": "upvotes", "saved_filters": old}))
    state, config = tmp_path / "state" / "state.json", tmp_path / "config.toml"
    assert "saved filters now in" in migrate_legacy(legacy, state, config)
    assert load_settings(state).sort == "upvotes" and load_settings(state).theme == "nord"
    assert load_config(config).config.saved_filters[0] == SavedFilter("Mine", "tag:x", "title")
    assert migrate_legacy(legacy, state, config) is None  # once only
