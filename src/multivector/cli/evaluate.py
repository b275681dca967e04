"""`multivector evaluate`: score a system's events against gold (EVALUATION.md)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from multivector.evaluate import (
    evaluate,
    format_diff,
    format_scores,
    key_diff,
    load_document_ids,
    load_events,
)


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "evaluate",
        help="score coded events against gold",
        description=(
            "Score a system's events against gold events as EVALUATION.md specifies: dyadic "
            "(headline), quad, interaction, multilateral and unilateral F1, date accuracy, "
            "false assertions and citation F1."
        ),
    )
    p.add_argument(
        "--gold",
        required=True,
        metavar="PATH",
        help="gold events: a JSONL file, or a folder of *.jsonl files (files named "
        "documents*.jsonl in it declare the gold documents)",
    )
    p.add_argument(
        "--system", required=True, metavar="FILE", help="system events (JSONL; '-' for stdin)"
    )
    p.add_argument(
        "--documents",
        metavar="FILE",
        help="JSONL of gold documents (an 'id' per line), to score documents with no gold events",
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.add_argument(
        "--diff", action="store_true", help="also list missed and spurious keys per document"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    gold = load_events(args.gold)
    system = load_events(args.system)
    documents = load_document_ids(args.gold)
    if args.documents:
        documents += load_document_ids(args.documents)
    scores = evaluate(gold, system, documents)
    diffs = key_diff(gold, system, documents) if args.diff else None
    if args.json:
        out = scores.to_dict()
        if diffs is not None:
            out["diff"] = [d.to_dict() for d in diffs]
        print(json.dumps(out, indent=2))
    else:
        print(format_scores(scores))
        if diffs is not None:
            print()
            print(format_diff(diffs))
    return 0
