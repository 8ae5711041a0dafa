"""The tags panel: tags as a tree grouped by `a/b` prefixes, with unread/total counts.

Enter (or a click) on a tag filters by it; on a group (`rl/`) it filters by every tag under it
(`tag:rl/`). Space folds and unfolds a group. Tag names are user text: labels are rich `Text`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from papershelf.db.models import TagCount


@dataclass
class _Group:
    """Tags under one prefix, with its papers' counts."""

    children: dict[str, _Group] = field(default_factory=dict)
    tag: TagCount | None = None  # a tag named exactly like the group (`rl` beside `rl/x`)
    count: int = 0
    unread: int = 0


def group_tags(tags: Sequence[TagCount], groups: Mapping[str, TagCount]) -> _Group:
    """The tags as a tree of `/`-separated parts; a group counts its papers as `groups` says
    (a paper tagged twice under `rl/` is one paper of `rl/`)."""
    root = _Group()
    for tag in tags:
        node, path = root, []
        for part in tag.name.split("/"):
            path.append(part)
            node = node.children.setdefault(part, _Group())
            counted = groups.get("/".join(path))
            if counted is not None:
                node.count, node.unread = counted.count, counted.unread
        node.tag = tag
        if tag.name not in groups:
            node.count, node.unread = tag.count, tag.unread
    return root


def tag_prompt(name: str, unread: int, count: int) -> Text:
    """`name  unread/total` as plain text (tag names are user text)."""
    text = Text(no_wrap=True, overflow="ellipsis", end="")
    text.append(name)
    text.append(f"  {unread}/{count}", "dim")
    return text


class TagsPanel(Tree[str]):
    """Tags in a tree; choosing one posts `TagChosen` with the tag (or `prefix/`) to filter by."""

    BINDINGS = [
        Binding(
            "space", "toggle_node", "Fold", show=False, id="tags.fold", tooltip="Fold or unfold"
        ),
        Binding("j", "cursor_down", "Down", show=False, id="tags.down", tooltip="Next tag"),
        Binding("k", "cursor_up", "Up", show=False, id="tags.up", tooltip="Previous tag"),
    ]

    @dataclass
    class TagChosen(Message):
        """The person picked `tag` (a name, or `prefix/` for a group)."""

        tag: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("tags", id=id)
        self.show_root = False
        self.auto_expand = False
        self.guide_depth = 2
        self.border_title = "Tags  unread/total"

    def show_tags(self, tags: Sequence[TagCount], groups: Mapping[str, TagCount]) -> None:
        """Replace the tree, keeping the highlighted tag and the folded groups where possible."""
        current = self.cursor_node.data if self.cursor_node is not None else None
        folded = {n.data for n in self._all_nodes() if n.allow_expand and not n.is_expanded}
        self.clear()
        if not tags:
            self.root.add_leaf(Text("no tags yet — press t", "dim"), data=None)
            return
        self._add(self.root, group_tags(tags, groups), "", folded)
        target = next((n for n in self._all_nodes() if n.data == current), None)
        # A new node has no line until the tree has laid itself out again: move then.
        self.call_after_refresh(self._restore_cursor, target)

    def _restore_cursor(self, target: TreeNode[str] | None) -> None:
        if target is not None and target.line >= 0:
            self.move_cursor(target)
        else:
            self.cursor_line = 0

    def _add(self, parent: TreeNode[str], group: _Group, prefix: str, folded: set) -> None:
        for part, child in sorted(group.children.items()):
            name = f"{prefix}{part}"
            if not child.children:
                parent.add_leaf(tag_prompt(part, child.unread, child.count), data=name)
                continue
            node = parent.add(
                tag_prompt(f"{part}/", child.unread, child.count),
                data=f"{name}/",
                expand=f"{name}/" not in folded,
            )
            if child.tag is not None:  # `rl` itself, beside `rl/offline`
                node.add_leaf(tag_prompt(part, child.tag.unread, child.tag.count), data=name)
            self._add(node, child, f"{name}/", folded)

    def _all_nodes(self) -> list[TreeNode[str]]:
        found: list[TreeNode[str]] = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(node.children)
        return found

    def on_tree_node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.TagChosen(event.node.data))
