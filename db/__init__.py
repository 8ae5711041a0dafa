"""The library below the screen: parsing, the SQLite store and the query engine. Never imports textual or rich."""
