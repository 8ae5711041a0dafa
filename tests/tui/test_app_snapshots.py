"""Snapshots of the key screens at 120x35 (no clock anywhere). Update: pytest --snapshot-update."""

from __future__ import annotations

from tests.support.app import SIZE, make_app, settle


def typing(*keys: str):
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot)
        await pilot.press(*keys)
        await settle(pilot.app, pilot)

    return run_before


def test_main_screen(snap_compare, sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=typing("j", "j", "space", "j"))


def test_main_screen_filtered(snap_compare, sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=typing("slash", *"'gemm", "enter"))


def test_tag_dialog(snap_compare, sample_store, tmp_path):
    ids = [p.id for p in sample_store.papers()]
    sample_store.add_tags(ids[:3], ["vision"])
    sample_store.add_tags(ids[:1], ["quantization", "to-read"])
    app = make_app(sample_store, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=typing("t", *"vi"))


def test_help_screen(snap_compare, sample_store, tmp_path):
    app = make_app(sample_store, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=typing("question_mark"))


def test_empty_library(snap_compare, store, tmp_path):
    app = make_app(store, tmp_path)
    assert snap_compare(app, terminal_size=SIZE, run_before=typing())
