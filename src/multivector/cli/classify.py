"""`multivector classify --input FILE.jsonl [-o FILE]`: what did the actor do to the recipient?

Each input line is {"id", "sentence", "actor", "recipient"} (actor and recipient are words of
the sentence); each output line is {"id", "event_type", "mode", "quad_code", "confidence"}
(plus "factuality", "trigger", "rule" and "match" with --why). Every line is checked before the
model loads; a bad one stops the run with an error naming FILE:LINE.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from multivector.errors import ConfigError, InputError

FIELDS = ("sentence", "actor", "recipient")


@dataclass(frozen=True, slots=True)
class _Item:
    id: str
    sentence: str
    actor: str
    recipient: str


def register(sub: Any) -> None:
    p = sub.add_parser(
        "classify",
        help="judge what an actor did to a recipient in each sentence (JSON Lines)",
        description="For each line {id, sentence, actor, recipient} of the input, write the "
        "coder's judgement {id, event_type, mode, quad_code, confidence}; event_type is null "
        "when the coder sees no event between the two.",
    )
    p.add_argument(
        "--input", "-i", required=True, metavar="FILE", help="JSON Lines input ('-' for stdin)"
    )
    p.add_argument("-o", "--output", help="write judgements here instead of stdout")
    p.add_argument("--published", help="publication date (YYYY-MM-DD) to resolve dates and tense")
    p.add_argument("--why", action="store_true", help="add factuality, trigger, rule and match")
    p.add_argument("--batch-size", type=int, default=32)
    p.set_defaults(func=run)


def read_items(path: str) -> list[_Item]:
    """Parse and check every line of `path`; InputError names FILE:LINE for the first bad one."""
    from multivector.events.classify import locate
    from multivector.ingest import decode_bytes

    origin = "<stdin>" if path == "-" else path
    if path == "-":
        data = (
            sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        )
    else:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", path=origin) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=origin) from None
    text = decode_bytes(data, origin)
    items: list[_Item] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"malformed JSON ({exc.msg} at column {exc.colno})", path=origin, line=n
            ) from None
        if not isinstance(obj, dict):
            raise InputError("expected a JSON object", path=origin, line=n)
        raw_id = obj.get("id")
        if isinstance(raw_id, int) and not isinstance(raw_id, bool):
            raw_id = str(raw_id)
        if not isinstance(raw_id, str) or not raw_id.strip():
            raise InputError("missing 'id' (a non-empty string or integer)", path=origin, line=n)
        if raw_id in seen:
            raise InputError(
                f"duplicate id {raw_id!r} (first on line {seen[raw_id]})", path=origin, line=n
            )
        seen[raw_id] = n
        values: dict[str, str] = {}
        for name in FIELDS:
            value = obj.get(name)
            if not isinstance(value, str) or not value.strip():
                raise InputError(f"missing or empty {name!r} (a string)", path=origin, line=n)
            values[name] = value
        try:
            locate(values["sentence"], values["actor"], "actor")
            locate(values["sentence"], values["recipient"], "recipient")
        except InputError as exc:
            raise InputError(str(exc), path=origin, line=n) from None
        items.append(_Item(raw_id, values["sentence"], values["actor"], values["recipient"]))
    if not items:
        raise InputError("no items (expected one JSON object a line)", path=origin)
    return items


def _target(stack: ExitStack, output: str | None) -> TextIO:
    if output is None or output == "-":
        return sys.stdout
    from multivector.io import atomic_writer

    return stack.enter_context(atomic_writer(output))


def run(args: argparse.Namespace) -> int:
    from multivector.events.classify import classify_many
    from multivector.ingest import parse_published

    try:
        published = parse_published(args.published)
    except ValueError as exc:
        raise ConfigError(f"bad --published: {exc}") from None
    if args.batch_size < 1:
        raise ConfigError("--batch-size must be at least 1")
    items = read_items(args.input)

    from multivector.pipeline import Coder

    coder = Coder(batch_size=args.batch_size)
    triples = ((it.sentence, it.actor, it.recipient) for it in items)
    with ExitStack() as stack:
        out = _target(stack, args.output)
        for item, j in zip(
            items, classify_many(triples, coder=coder, published=published), strict=True
        ):
            row: dict[str, Any] = {
                "id": item.id,
                "event_type": j.event_type,
                "mode": j.mode,
                "quad_code": j.quad_code,
                "confidence": j.confidence,
            }
            if args.why:
                row.update(
                    factuality=j.factuality,
                    trigger=j.why.trigger,
                    rule=j.why.rule,
                    match=j.why.match,
                )
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
    print(f"multivector: classified {len(items)} items", file=sys.stderr)
    return 0
