"""Readers: one per rendering of a papers page that `db.parse` can read.

`db.formats.registry` lists them (`READERS`); each is a `common.Reader` with its `--format`
name, a one-line description, a cheap `detect(text) -> score` and `parse(text, *, source,
captured_on) -> ParseResult`. Whole-document formats have their own reader (plain copy, API
JSON, feeds, JSON Feed, saved HTML, papershelf's export, a paper's page); every rendering that
shows cards as lines with links (markdown clips, text-browser dumps, the trending page, the
cards a saved page shows) goes through one tokenizer (`lines`) and one card reader (`cards`,
`card`), so a new clipper costs a detector, not a parser. Shared pieces (errors, links,
dates, API items -> ParsedPaper) live in `common`; `ParseError`, which every reader raises and
every command catches, lives here, so catching it imports no reader.
"""


class ParseError(ValueError):
    """The whole input cannot be read (empty, binary, another site, another shape).

    `str(error)` is one sentence naming the source, fit to show a person as is.
    """
