"""A second, independent way to answer a query: plain SQL, for the agreement tests only.

`Oracle(store).search(query, sort=, limit=)` returns what `Searcher.search` must return, but
computes it the obvious way: the positive words drive one FTS5 MATCH, every other term is a SQL
predicate, and the relevance features are sets of ids read with one FTS5 query each, then
combined by the same key (`rank.full_key`, `score.TitleScorer`). It shares the language (parse),
the vocabulary expansion and the predicates with the engine, and none of the bitset machinery
(bits, evaluate, rank.ranked, page). Slow on purpose; never used by the application.
"""

from __future__ import annotations

from papershelf.db import search_index
from papershelf.db.query import QueryError, SearchResult, parse_query
from papershelf.db.query.evaluate import combine, joined_term, matching_tags, plain_word
from papershelf.db.query.parse import Query, Term
from papershelf.db.query.predicates import (
    exact_check,
    in_fts,
    prefilter_parts,
    scoped,
    term_sql,
)
from papershelf.db.query.rank import RERANK, full_key, idf_weight, rank_words
from papershelf.db.query.score import TitleScorer
from papershelf.db.query.sorts import ORDER_SQL, parse_sort
from papershelf.db.query.vocabulary import Vocabulary, split_alternatives
from papershelf.db.search_index import FTS_TABLE


def fuzzy_match(term: Term, vocab: Vocabulary) -> str | None:
    """The FTS5 match string for a fuzzy term (ANDed tokens, each OR-ed alternatives), None if
    some token matches nothing in the vocabulary."""
    groups = []
    for token in term.tokens:
        alternatives = vocab.expand(token, splits=not term.joined)
        if not alternatives:
            return None
        groups.append("(" + " OR ".join(alternatives) + ")")
    expr = " AND ".join(groups)
    if term.field:
        expr = "{" + term.field + "} : (" + expr + ")"
    return expr


def exact_expr(tokens: tuple[str, ...], vocab: Vocabulary) -> str | None:
    """The FTS5 expression for "every token exactly (as a prefix)", None if some token has none."""
    parts = [split_alternatives(t, vocab)[0] for t in tokens]
    if not parts or any(p is None for p in parts):
        return None
    return " AND ".join(p for p in parts if p)


def _exact_sql(term: Term, vocab: Vocabulary, params: list) -> str:
    parts = prefilter_parts(term, vocab)
    if parts is not None and not all(parts):
        return "0"
    sql = ""
    if parts is not None:
        pre = scoped(term, " AND ".join("(" + " OR ".join(p) + ")" for p in parts))
        sql = in_fts(pre, params) + " AND "
    return sql + exact_check(term, params)


def oracle_term_sql(term: Term, vocab: Vocabulary, params: list, tag_ids: dict) -> str:
    """SQL for any term, words and exact needles included (negation applied)."""
    if term.kind == "fuzzy":
        if not term.tokens:
            sql = "1"
        else:
            match = fuzzy_match(term, vocab)
            parts = [in_fts(match, params)] if match else []
            tags = tag_ids.get(str(term.value)) or []
            if tags:
                params.extend(tags)
                marks = ",".join("?" * len(tags))
                parts.append(f"p.id IN (SELECT paper_id FROM paper_tags WHERE tag_id IN ({marks}))")
            sql = " OR ".join(parts) or "0"
    elif term.kind == "exact":
        sql = _exact_sql(term, vocab, params)
    else:
        return term_sql(term, vocab, params)
    return f"NOT coalesce(({sql}), 0)" if term.negated else f"({sql})"


class Oracle:
    """Answers queries with SQL alone (see the module docstring)."""

    def __init__(self, store) -> None:
        self._store = store
        self._conn = store.reader()
        self._conn.create_function(
            "ps_fold", 1, lambda v: v.casefold() if isinstance(v, str) else v, deterministic=True
        )

    def close(self) -> None:
        self._conn.close()

    def search(
        self,
        query: str | Query,
        *,
        sort: str = "relevance",
        sort_words_by: str = "relevance",
        limit: int | None = None,
    ):
        try:
            name, reverse = parse_sort(sort)
            words_name, words_reverse = parse_sort(sort_words_by)
        except ValueError as error:
            raise QueryError(str(error), term=sort) from None
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.fuzzy_terms:
            name, reverse = words_name, words_reverse
        if not self._store.readonly:
            search_index.queue_missing(self._conn)
            search_index.sync(self._conn)
        vocab = Vocabulary.load(self._conn)
        tags = dict(self._conn.execute("SELECT name, id FROM tags"))
        tag_ids = {
            str(t.value): matching_tags(tags, t) for t in parsed.fuzzy_terms if t.field is None
        }
        ids = self._matches(parsed, name, vocab, tag_ids)
        if ids is None:
            ids = self._fallback(parsed, vocab, tag_ids)
            return SearchResult(ids[:limit], len(ids), fallback=True)
        if reverse:
            ids = ids[::-1]
        relevance = name == "relevance" and bool(parsed.fuzzy_terms)
        return SearchResult(ids[:limit] if limit is not None else ids, len(ids), relevance)

    def _newest(self) -> list[int]:
        sql = f"SELECT p.id FROM papers p ORDER BY {ORDER_SQL['published']}"
        return [r[0] for r in self._conn.execute(sql)]

    def _fallback(self, query: Query, vocab: Vocabulary, tag_ids: dict) -> list[int]:
        """Titles holding, for each group of plain words, one word's letters in order, tightest
        first, then newest."""
        plain = [g for g in query.groups if all(plain_word((t,)) is not None for t in g)]
        rest = Query(query.text, tuple(g for g in query.groups if g not in plain))
        allowed = set(self._matches(rest, "published", vocab, tag_ids) or [])
        titles = dict(self._conn.execute("SELECT id, title FROM papers"))
        spans = {}
        for i in self._newest():
            title = titles[i].replace("\n", " ").casefold()
            total = 0
            for group in plain:
                found = [
                    _span([c for c in str(word.value) if not c.isspace()], title) for word in group
                ]
                span = min((s for s in found if s is not None), default=None)
                if span is None:
                    break
                total += span
            else:
                if i in allowed:
                    spans[i] = total
        return sorted(spans, key=lambda i: spans[i])  # stable: newest first among equals

    def _matches(
        self, query: Query, sort: str, vocab: Vocabulary, tag_ids: dict
    ) -> list[int] | None:
        """Each group's papers by one SQL statement, combined as the engine defines (adjacent
        words apart or joined: evaluate.combine, over id masks), then ordered."""
        every = [r[0] for r in self._conn.execute("SELECT id FROM papers")]

        def mask(ids) -> int:
            out = 0
            for i in ids:
                out |= 1 << i
            return out

        def ids_where(sql: str, params: list) -> list[int]:
            return [
                r[0] for r in self._conn.execute(f"SELECT p.id FROM papers p WHERE {sql}", params)
            ]

        sets = []
        for group in query.groups:
            params: list = []
            sql = " OR ".join(oracle_term_sql(t, vocab, params, tag_ids) for t in group)
            sets.append(mask(ids_where(sql, params)))

        def joined(a: Term, b: Term) -> int:
            params: list = []
            return mask(ids_where(oracle_term_sql(joined_term(a, b), vocab, params, {}), params))

        found = combine(query, sets, mask(every), joined)
        matched = [i for i in every if found >> i & 1]
        if not matched and query.fuzzy_terms:
            return None
        if not (sort == "relevance" and query.fuzzy_terms):
            order = [
                r[0]
                for r in self._conn.execute(f"SELECT p.id FROM papers p ORDER BY {ORDER_SQL[sort]}")
            ]
            chosen = set(matched)
            return [i for i in order if i in chosen]
        return self._rank(matched, rank_words(query, vocab), vocab)

    def _hits(self, column: str | None, match: str) -> set[int]:
        expr = "{" + column + "} : (" + match + ")" if column else match
        sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?"
        return {r[0] for r in self._conn.execute(sql, (expr,))}

    def _rank(self, matched: list[int], terms: tuple[Term, ...], vocab: Vocabulary) -> list[int]:
        """(IDF of exact words, title tier, newest) for all matches, the best `RERANK` re-sorted
        by the full key."""
        newest = [
            r[0]
            for r in self._conn.execute(
                f"SELECT p.id FROM papers p ORDER BY {ORDER_SQL['published']}"
            )
        ]
        rank = {i: len(newest) - 1 - p for p, i in enumerate(newest)}
        found = set(matched)
        exact = dict.fromkeys(found, 0)
        in_title = dict.fromkeys(found, 0)
        tiers = dict.fromkeys(found, 0)
        in_abstract = dict.fromkeys(found, 0)
        for term in terms:
            if term.field not in (None, "title"):
                continue
            plain = Term("fuzzy", term.value, tokens=term.tokens, joined=term.joined)
            loose = fuzzy_match(plain, vocab)
            strict = exact_expr(term.tokens, vocab)
            weight = 0
            if strict:
                hits = self._hits(None, "{title} : (" + strict + ")" if term.field else strict)
                weight = idf_weight(len(hits & set(rank)), len(newest))
                for i in hits & found:
                    exact[i] += weight
            title = self._hits("title", loose) & found if loose else set()
            title_exact = self._hits("title", strict) & found if strict else set()
            for i in title | title_exact:
                tiers[i] += 2 if i in title_exact else 1
            for i in title_exact:
                in_title[i] += weight
            if term.field is None and loose:
                for i in self._hits("abstract organization", loose) & found:
                    in_abstract[i] += 1
        ordered = sorted(
            matched, key=lambda i: (in_title[i], exact[i], tiers[i], rank.get(i, -1)), reverse=True
        )
        top = ordered[:RERANK]
        marks = ",".join("?" * len(top))
        titles = dict(
            self._conn.execute(f"SELECT id, title FROM papers WHERE id IN ({marks})", top)
        )
        scorer = TitleScorer([t.tokens for t in terms])
        scores = dict(zip(top, scorer.many([titles.get(i, "") for i in top])))
        keys = {
            i: full_key(in_title[i], exact[i], tiers[i], scores[i], in_abstract[i]) for i in top
        }
        top.sort(key=lambda i: (keys[i], rank.get(i, -1)), reverse=True)
        return top + ordered[RERANK:]


def _span(letters: list[str], title: str) -> int | None:
    """Length of the match of `letters` in order in `title`, from the first letter's first
    occurrence that starts one, taking each next letter as early as possible; None if none."""
    start = title.find(letters[0]) if letters else -1
    while start != -1:
        at = start + 1
        for c in letters[1:]:
            at = title.find(c, at)
            if at == -1:
                return None
            at += 1
        return at - start
    return None
