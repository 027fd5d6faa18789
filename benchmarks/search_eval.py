"""Search quality on the development set: index data/catalog.jsonl, run every query of data/queries.jsonl.

Prints NDCG@10, recall@10 and MRR (``matching.metrics``), the number of queries with zero results, the means per
query kind, and one line per query. ``--backend meili`` runs the same queries against a Meilisearch server
(MEILI_URL, MEILI_KEY); ``--no-lexicon`` shows what the catalogue alone teaches the embedded backend.

    python benchmarks/search_eval.py [--verbose] [--no-lexicon]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matching.metrics import evaluate, ndcg_at_k, reciprocal_rank  # noqa: E402
from search.backend import SearchBackend, SearchQuery  # noqa: E402
from search.documents import document_from_mapping  # noqa: E402
from search.embedded import EmbeddedSearch  # noqa: E402
from search.lexicon import LEXICON_PATH, Lexicon, load_lexicon  # noqa: E402

K = 10


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSON Lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def generic_only_lexicon() -> Lexicon:
    """A lexicon with the generic words but no synonym groups (ablation)."""
    raw = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return Lexicon([], raw.get("generic", []))


def make_backend(name: str, *, no_lexicon: bool) -> SearchBackend:
    """The backend under test, empty."""
    if name == "meili":
        import os

        from search.lexicon import meili_synonyms
        from search.meili import MeiliSearch

        backend = MeiliSearch(os.environ["MEILI_URL"], os.environ.get("MEILI_KEY"), index_uid="eval_products",
                              synonyms=meili_synonyms())  # fmt: skip
        backend.ensure_index()
        return backend
    return EmbeddedSearch(":memory:", lexicon=generic_only_lexicon() if no_lexicon else load_lexicon())


def run(backend: SearchBackend, queries: Sequence[dict]) -> tuple[dict[str, list[str]], dict[str, int]]:
    """Query id -> ranked ids (top K), and query id -> total."""
    runs: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    for row in queries:
        result = backend.search(SearchQuery(q=row["query"], per_page=K, with_facets=False))
        runs[row["id"]] = [hit.id for hit in result.hits]
        totals[row["id"]] = result.total
    return runs, totals


def report(
    queries: Sequence[dict], runs: dict[str, list[str]], totals: dict[str, int], *, verbose: bool
) -> None:
    """Print the overall metrics, zero-result count, per-kind means and (verbose) per-query lines."""
    labels = {row["id"]: row["relevant"] for row in queries}
    overall = evaluate(runs, labels, k=K)
    print(f"queries: {overall['n']}")
    print(f"NDCG@10  {overall['ndcg@10']:.4f}")
    print(f"recall@10 {overall['recall@10']:.4f}")
    print(f"MRR      {overall['mrr']:.4f}")
    print(f"zero-result queries: {sum(1 for total in totals.values() if total == 0)}")
    by_kind: dict[str, list[dict]] = defaultdict(list)
    for row in queries:
        by_kind[row["kind"]].append(row)
    print("per kind:          n  NDCG@10  recall@10  MRR")
    for kind, rows in sorted(by_kind.items()):
        m = evaluate({r["id"]: runs[r["id"]] for r in rows}, {r["id"]: r["relevant"] for r in rows}, k=K)
        print(f"  {kind:14s} {m['n']:3d}  {m['ndcg@10']:.4f}   {m['recall@10']:.4f}    {m['mrr']:.4f}")
    if verbose:
        for row in queries:
            ranked = runs[row["id"]]
            grades = "".join(str(row["relevant"].get(doc_id, 0)) for doc_id in ranked)
            ndcg = ndcg_at_k(ranked, row["relevant"], K)
            rr = reciprocal_rank(ranked, row["relevant"])
            print(
                f"  {row['id']} {row['kind']:8s} ndcg={ndcg:.3f} rr={rr:.2f} total={totals[row['id']]:3d} grades={grades} {row['query']}"
            )


def main(argv: Sequence[str] | None = None) -> None:
    """Index the catalogue, run the queries, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("embedded", "meili"), default="embedded")
    parser.add_argument("--no-lexicon", action="store_true", help="synonym groups off (embedded only)")
    parser.add_argument("--verbose", "-v", action="store_true", help="one line per query")
    args = parser.parse_args(argv)
    catalog = [document_from_mapping(row) for row in read_jsonl(ROOT / "data" / "catalog.jsonl")]
    queries = read_jsonl(ROOT / "data" / "queries.jsonl")
    backend = make_backend(args.backend, no_lexicon=args.no_lexicon)
    backend.rebuild(catalog)
    runs, totals = run(backend, queries)
    print(
        f"backend: {backend.name}{' (no lexicon)' if args.no_lexicon else ''}, catalogue: {len(catalog)} products"
    )
    report(queries, runs, totals, verbose=args.verbose)


if __name__ == "__main__":
    main()
