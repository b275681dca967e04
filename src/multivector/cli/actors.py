"""`multivector actors`: resolve mentions, find them in text, list organisation members."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from multivector.errors import ConfigError, InputError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "actors",
        help="resolve actor mentions with the offline knowledge base",
        description="Resolve actor mentions to codes (CODEBOOK section 3) with the bundled, dated "
        "knowledge base, extended by your own --actors files.",
    )
    sub = parser.add_subparsers(dest="actors_command", metavar="SUBCOMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--actors",
        action="append",
        default=[],
        metavar="FILE",
        help="a YAML or CSV file of your own actors, merged over the bundled data (repeatable)",
    )

    p = sub.add_parser(
        "resolve",
        parents=[common],
        help="resolve one mention, or a JSON-lines file of them",
        description="Print {code, sector, name, why} for TEXT (exit 1 when nothing matches), or "
        'with --input read lines {"id", "text", "date"} and write {"id", "code", "sector"}.',
    )
    p.add_argument("text", nargs="?", help="the mention, e.g. 'the President of Kazakhstan'")
    p.add_argument("--date", help="the date the mention refers to, YYYY-MM-DD (default: latest)")
    p.add_argument("--context", help="text around the mention, for surnames")
    p.add_argument("--input", metavar="FILE", help="a JSON-lines file of mentions ('-' for stdin)")
    p.set_defaults(func=_resolve)

    f = sub.add_parser(
        "find",
        parents=[common],
        help="list the actor mentions in a text as JSON lines",
    )
    f.add_argument("text", help="the text to scan")
    f.add_argument("--date", help="the date of the text, YYYY-MM-DD")
    f.set_defaults(func=_find)

    m = sub.add_parser(
        "members",
        parents=[common],
        help="list the member states of an organisation on a date",
    )
    m.add_argument("org", help="organisation code or name, e.g. CSTO")
    m.add_argument("--date", help="YYYY-MM-DD (default: today's data)")
    m.set_defaults(func=_members)

    h = sub.add_parser(
        "holder",
        parents=[common],
        help="who held an office on a date",
        description="Print the name of whoever held ROLE for CODE on the date (exit 1 if nobody).",
    )
    h.add_argument("code", help="state or organisation code, e.g. KAZ")
    h.add_argument(
        "role",
        help="head_of_state, head_of_government, vice_president, deputy_head_of_government, "
        "foreign_minister, defence_minister, org_head or leader",
    )
    h.add_argument("--date", help="YYYY-MM-DD (default: the data's latest)")
    h.set_defaults(func=_holder)

    parser.set_defaults(func=lambda args: (parser.print_help(sys.stderr), 2)[1])


def _kb(args: argparse.Namespace) -> Any:
    from multivector.actors.kb import load_kb
    from multivector.config import actor_files

    return load_kb(actor_files(args.actors))


def _date(value: str | None) -> Any:
    from multivector.actors.resolver import as_date

    try:
        return as_date(value)
    except InputError as exc:
        raise ConfigError(f"--date: {exc}") from None


def _resolve(args: argparse.Namespace) -> int:
    from multivector.actors.resolver import resolve, resolve_lines

    if args.input:
        if args.text:
            raise ConfigError("give either TEXT or --input FILE, not both")
        kb = _kb(args)
        out = sys.stdout
        write = out.write
        dumps = json.dumps
        if args.input == "-":
            for rec in resolve_lines(sys.stdin, path="<stdin>", kb=kb):
                write(dumps(rec, ensure_ascii=False) + "\n")
            return 0
        try:
            handle = open(args.input, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", path=args.input) from None
        with handle:
            try:
                batch: list[str] = []
                for rec in resolve_lines(handle, path=args.input, kb=kb):
                    batch.append(dumps(rec, ensure_ascii=False))
                    if len(batch) >= 4096:
                        write("\n".join(batch) + "\n")
                        batch.clear()
                if batch:
                    write("\n".join(batch) + "\n")
            except UnicodeDecodeError as exc:
                raise InputError(f"not UTF-8 text ({exc.reason})", path=args.input) from None
        return 0
    if args.text is None:
        raise ConfigError("give a mention TEXT or --input FILE")
    r = resolve(args.text, _date(args.date), args.context, kb=_kb(args))
    if r is None:
        return 1
    print(
        json.dumps(
            {"code": r.code, "sector": r.sector, "name": r.name, "why": r.why}, ensure_ascii=False
        )
    )
    return 0


def _find(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from multivector.actors.finder import find_mentions

    for m in find_mentions(args.text, _date(args.date), _kb(args)):
        print(json.dumps(asdict(m), ensure_ascii=False))
    return 0


def _members(args: argparse.Namespace) -> int:
    from multivector.actors.resolver import members

    for code in members(args.org, _date(args.date), kb=_kb(args)):
        print(code)
    return 0


def _holder(args: argparse.Namespace) -> int:
    from multivector.actors.resolver import holder

    name = holder(args.code, args.role, _date(args.date), kb=_kb(args))
    if name is None:
        return 1
    print(name)
    return 0
