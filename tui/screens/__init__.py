"""Modal screens of the papershelf app; each returns its result through `dismiss`."""
