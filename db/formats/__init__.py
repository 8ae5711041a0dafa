"""One module per page rendering that `db.parse` can read.

Each format module exposes the same three names, so `db.parse` can keep a plain list of them:

    NAME: str                                   # the --format name, e.g. "text"
    def detect(text: str) -> int                # 0 = not mine; higher = surer
    def parse(text: str, *, source: str, captured_on: date) -> ParseResult

`detect` gets text whose newlines are already normalised (LF, no BOM) and must be cheap: it
runs for every format on every input. Scores used so far, so new formats can slot in:
1 = a fallback that will at least explain why it cannot read the text (plain copy),
40 = the rendering's structure is visibly there (plain copy's `·` + date lines),
50 = the text is JSON, 60 = the text is HTML, 70 = papershelf's own export,
90 = HTML carrying the Daily Papers data element. `parse` raises `ParseError` (one sentence)
when the whole input is unreadable, and reports entries it cannot complete as `Problem`s.
Shared helpers (links, dates, JSON items -> ParsedPaper) live in `db.formats.common`.
"""
