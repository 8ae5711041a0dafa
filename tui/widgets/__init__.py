"""Widgets of the papershelf app: each draws one thing and posts messages up."""
