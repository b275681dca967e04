"""The actor knowledge base: bundled CSV tables plus users' files, validated and merged.

The tables and their columns are described in docs/actor-data.md. Every row is checked on load;
a problem raises `ActorDataError` with `path:line: what is wrong`. A user's file (YAML with one
key per table, or a CSV named after its table) merges over the bundled data: a row with the same
key replaces the bundled one, and a row that contradicts another (an alias that names a different
actor, an office term that overlaps another holder's) is an error naming both places.
"""

from __future__ import annotations

import csv
import functools
import re
import tomllib
import weakref
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from multivector.errors import ActorDataError
from multivector.ontology import ORGANISATION_CODES, SECTORS

DATA_DIR = Path(__file__).parent / "data"

TABLES: dict[str, tuple[str, ...]] = {
    "states": ("code", "name", "short_names", "adjectives", "demonyms", "capital", "metonyms"),
    "places": ("code", "name", "kind", "start", "end"),
    "officeholders": ("code", "sector", "role", "name", "aliases", "start", "end"),
    "organisations": ("code", "name", "aliases", "kind"),
    "memberships": ("org", "member", "start", "end"),
    "entities": ("name", "aliases", "code", "sector", "start", "end"),
    "outlets": ("name", "aliases", "domain", "country", "sector"),
    "agents": ("word", "sector"),
}

#: Columns that hold several values separated by `|`.
MULTI = frozenset({"short_names", "adjectives", "demonyms", "metonyms", "aliases"})

ROLES: tuple[str, ...] = (
    "head_of_state",
    "head_of_government",
    "vice_president",
    "deputy_head_of_government",
    "foreign_minister",
    "defence_minister",
    "org_head",
)
PLACE_KINDS = frozenset({"capital", "city"})
ORG_KINDS = frozenset({"igo", "bloc", "group"})

_STATE_CODE = re.compile(r"^[A-Z]{3}$")

Cell = str | tuple[str, ...]


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class State:
    code: str
    name: str
    short_names: tuple[str, ...]
    adjectives: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str
    metonyms: tuple[str, ...]
    origin: str


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name: str
    kind: str
    start: date | None
    end: date | None
    origin: str


@dataclass(frozen=True, slots=True)
class Office:
    code: str
    sector: str
    role: str
    name: str
    aliases: tuple[str, ...]
    start: date | None
    end: date | None
    origin: str

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class Organisation:
    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    origin: str


@dataclass(frozen=True, slots=True)
class Membership:
    org: str
    member: str
    start: date | None
    end: date | None
    origin: str


@dataclass(frozen=True, slots=True)
class NamedEntity:
    name: str
    aliases: tuple[str, ...]
    code: str
    sector: str
    start: date | None
    end: date | None
    origin: str


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    aliases: tuple[str, ...]
    domain: str
    country: str
    sector: str
    origin: str


@dataclass(frozen=True, slots=True)
class Agent:
    word: str
    sector: str
    origin: str


@dataclass(frozen=True, slots=True, eq=False, weakref_slot=True)
class KnowledgeBase:
    """All actor tables, validated and merged. Compare by identity; build with `load_kb`."""

    version: str
    states: tuple[State, ...]
    places: tuple[Place, ...]
    offices: tuple[Office, ...]
    organisations: tuple[Organisation, ...]
    memberships: tuple[Membership, ...]
    entities: tuple[NamedEntity, ...]
    outlets: tuple[Outlet, ...]
    agents: tuple[Agent, ...]
    sources: tuple[str, ...] = ()

    def state(self, code: str) -> State | None:
        return _index(self).states.get(code)

    def codes(self) -> frozenset[str]:
        """Every code an entity may carry: states, organisation codes."""
        return _index(self).codes

    def terms(self, code: str, role: str) -> tuple[Office, ...]:
        """Office terms of one role of a state or organisation, by start date."""
        return _index(self).terms.get((code, role), ())

    def org(self, key: str) -> Organisation | None:
        """An organisation by code or by (case-insensitive) name or alias."""
        ix = _index(self)
        return ix.orgs.get(key) or ix.org_names.get(key.casefold())

    def members(self, org: Organisation, day: date | None) -> tuple[Membership, ...]:
        keys = {org.code, org.name} if org.code != "IGO" else {org.name, *org.aliases}
        return tuple(
            m
            for m in self.memberships
            if m.org in keys
            and (
                day is None
                or ((m.start is None or m.start <= day) and (m.end is None or day <= m.end))
            )
        )


@dataclass(frozen=True, slots=True)
class _Index:
    states: dict[str, State]
    codes: frozenset[str]
    terms: dict[tuple[str, str], tuple[Office, ...]]
    orgs: dict[str, Organisation]
    org_names: dict[str, Organisation]


_INDEXES: weakref.WeakKeyDictionary[KnowledgeBase, _Index] = weakref.WeakKeyDictionary()


def _index(kb: KnowledgeBase) -> _Index:
    hit = _INDEXES.get(kb)
    if hit is not None:
        return hit
    terms: dict[tuple[str, str], list[Office]] = {}
    for o in kb.offices:
        terms.setdefault((o.code, o.role), []).append(o)
    orgs: dict[str, Organisation] = {}
    names: dict[str, Organisation] = {}
    for g in kb.organisations:
        if g.code != "IGO":
            orgs.setdefault(g.code, g)
        for n in (g.name, *g.aliases):
            names.setdefault(n.casefold(), g)
    ix = _Index(
        states={s.code: s for s in kb.states},
        codes=frozenset({s.code for s in kb.states} | ORGANISATION_CODES),
        terms={
            k: tuple(sorted(v, key=lambda o: (o.start or date.min, o.end or date.max)))
            for k, v in terms.items()
        },
        orgs=orgs,
        org_names=names,
    )
    _INDEXES[kb] = ix
    return ix


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row as read from a file: cells by column, and where it came from."""

    table: str
    cells: dict[str, Cell]
    origin: str


def _table_of(path: Path) -> str:
    stem = path.stem.lower()
    for table in TABLES:
        if stem == table or stem.startswith(table + "_") or stem.startswith(table + "-"):
            return table
    raise ActorDataError(
        f"{path}: cannot tell which table this file holds; name it after one of "
        f"{', '.join(TABLES)} (for example officeholders_extra.csv)"
    )


def read_csv(path: Path, table: str | None = None) -> Iterator[RawRow]:
    """Read one CSV table file; lines starting with `#` are comments."""
    table = table or _table_of(path)
    columns = TABLES[table]
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ActorDataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    with handle:
        reader = csv.reader(handle)
        header: list[str] | None = None
        try:
            for cells in reader:
                line = reader.line_num
                if (
                    not cells
                    or (cells[0].lstrip().startswith("#"))
                    or not any(c.strip() for c in cells)
                ):
                    continue
                if header is None:
                    header = [c.strip() for c in cells]
                    missing = [c for c in columns if c not in header]
                    extra = [c for c in header if c not in columns]
                    if missing or extra:
                        raise ActorDataError(
                            f"{path}:{line}: header of table {table!r} must be "
                            f"{','.join(columns)}"
                            + (f"; missing {','.join(missing)}" if missing else "")
                            + (f"; unknown {','.join(extra)}" if extra else "")
                        )
                    continue
                if len(cells) != len(header):
                    raise ActorDataError(
                        f"{path}:{line}: expected {len(header)} cells ({','.join(header)}), "
                        f"found {len(cells)}"
                    )
                row: dict[str, Cell] = {}
                for col, value in zip(header, cells, strict=True):
                    value = value.strip()
                    row[col] = _split(value) if col in MULTI else value
                yield RawRow(table, row, f"{path}:{line}")
        except UnicodeDecodeError as exc:
            raise ActorDataError(f"{path}: not UTF-8 text ({exc.reason})") from exc
        except csv.Error as exc:
            raise ActorDataError(f"{path}:{reader.line_num}: malformed CSV: {exc}") from exc
    if header is None:
        raise ActorDataError(f"{path}:1: empty table: expected a header {','.join(columns)}")


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def read_yaml(path: Path) -> Iterator[RawRow]:
    """Read a user's YAML actor file: top-level keys name tables, each a list of mappings."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ActorDataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ActorDataError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ActorDataError(f"{path}{line}: invalid YAML: {problem}") from exc
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        raise ActorDataError(
            f"{path}:{root.start_mark.line + 1}: expected a mapping of tables "
            f"({', '.join(TABLES)}) at the top level"
        )
    for key_node, value_node in root.value:
        key_line = key_node.start_mark.line + 1
        table = str(key_node.value)
        if table not in TABLES:
            raise ActorDataError(
                f"{path}:{key_line}: unknown table {table!r}; expected one of {', '.join(TABLES)}"
            )
        if isinstance(value_node, yaml.ScalarNode) and value_node.value in ("", "~", "null"):
            continue
        if not isinstance(value_node, yaml.SequenceNode):
            raise ActorDataError(f"{path}:{key_line}: {table} must be a list of entries")
        columns = TABLES[table]
        for item in value_node.value:
            line = item.start_mark.line + 1
            if not isinstance(item, yaml.MappingNode):
                raise ActorDataError(
                    f"{path}:{line}: each {table} entry must be a mapping with keys {', '.join(columns)}"
                )
            row: dict[str, Cell] = {c: ((), "")[c not in MULTI] for c in columns}
            for k, v in item.value:
                col = str(k.value)
                if col not in columns:
                    raise ActorDataError(
                        f"{path}:{k.start_mark.line + 1}: unknown key {col!r} in a {table} entry; "
                        f"expected {', '.join(columns)}"
                    )
                row[col] = _yaml_cell(path, table, col, v)
            yield RawRow(table, row, f"{path}:{line}")


def _yaml_cell(path: Path, table: str, col: str, node: Any) -> Cell:
    import yaml

    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        value = "" if node.value in ("~", "null") and node.tag.endswith("null") else str(node.value)
        value = value.strip()
        return _split(value) if col in MULTI else value
    if isinstance(node, yaml.SequenceNode) and col in MULTI:
        values = []
        for sub in node.value:
            if not isinstance(sub, yaml.ScalarNode):
                raise ActorDataError(
                    f"{path}:{sub.start_mark.line + 1}: {col} must list plain names"
                )
            if str(sub.value).strip():
                values.append(str(sub.value).strip())
        return tuple(values)
    raise ActorDataError(f"{path}:{line}: {table}.{col} must be a plain value")


# --------------------------------------------------------------------------- validation


def _date(row: RawRow, col: str) -> date | None:
    value = row.cells.get(col, "")
    assert isinstance(value, str)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ActorDataError(f"{row.origin}: {col} {value!r} is not a date YYYY-MM-DD") from None


def _str(row: RawRow, col: str, *, required: bool = False) -> str:
    value = row.cells.get(col, "")
    if isinstance(value, tuple):
        value = "|".join(value)
    if required and not value:
        raise ActorDataError(f"{row.origin}: {row.table}.{col} is empty")
    return value


def _multi(row: RawRow, col: str) -> tuple[str, ...]:
    value = row.cells.get(col, ())
    return value if isinstance(value, tuple) else _split(value)


def _sector(row: RawRow, col: str = "sector", *, required: bool = False) -> str:
    value = _str(row, col, required=required)
    if value not in SECTORS:
        raise ActorDataError(
            f"{row.origin}: unknown sector {value!r}; expected one of "
            f"{' '.join(sorted(s for s in SECTORS if s))}"
        )
    return value


def _dates(row: RawRow) -> tuple[date | None, date | None]:
    start, end = _date(row, "start"), _date(row, "end")
    if start and end and end < start:
        raise ActorDataError(f"{row.origin}: end {end} is before start {start}")
    return start, end


def parse_row(row: RawRow) -> Any:
    """Turn a raw row into its typed record, checking everything that needs no other table."""
    t = row.table
    if t == "states":
        code = _str(row, "code", required=True)
        if not _STATE_CODE.match(code):
            raise ActorDataError(f"{row.origin}: state code {code!r} is not three capital letters")
        return State(
            code,
            _str(row, "name", required=True),
            _multi(row, "short_names"),
            _multi(row, "adjectives"),
            _multi(row, "demonyms"),
            _str(row, "capital"),
            _multi(row, "metonyms"),
            row.origin,
        )
    if t == "places":
        kind = _str(row, "kind", required=True)
        if kind not in PLACE_KINDS:
            raise ActorDataError(f"{row.origin}: place kind {kind!r} must be capital or city")
        return Place(
            _str(row, "code", required=True),
            _str(row, "name", required=True),
            kind,
            *_dates(row),
            row.origin,
        )
    if t == "officeholders":
        role = _str(row, "role", required=True)
        if role not in ROLES:
            raise ActorDataError(
                f"{row.origin}: unknown role {role!r}; expected one of {', '.join(ROLES)}"
            )
        return Office(
            _str(row, "code", required=True),
            _sector(row),
            role,
            _str(row, "name", required=True),
            _multi(row, "aliases"),
            *_dates(row),
            row.origin,
        )
    if t == "organisations":
        code = _str(row, "code", required=True)
        if code not in ORGANISATION_CODES:
            raise ActorDataError(
                f"{row.origin}: unknown organisation code {code!r}; expected one of "
                f"{' '.join(sorted(ORGANISATION_CODES))} (IGO for any other)"
            )
        kind = _str(row, "kind", required=True)
        if kind not in ORG_KINDS:
            raise ActorDataError(
                f"{row.origin}: organisation kind {kind!r} must be igo, bloc or group"
            )
        return Organisation(
            code, _str(row, "name", required=True), _multi(row, "aliases"), kind, row.origin
        )
    if t == "memberships":
        return Membership(
            _str(row, "org", required=True),
            _str(row, "member", required=True),
            *_dates(row),
            row.origin,
        )
    if t == "entities":
        return NamedEntity(
            _str(row, "name", required=True),
            _multi(row, "aliases"),
            _str(row, "code", required=True),
            _sector(row),
            *_dates(row),
            row.origin,
        )
    if t == "outlets":
        return Outlet(
            _str(row, "name", required=True),
            _multi(row, "aliases"),
            _str(row, "domain"),
            _str(row, "country", required=True),
            _sector(row, required=True),
            row.origin,
        )
    if t == "agents":
        return Agent(_str(row, "word", required=True), _sector(row, required=True), row.origin)
    raise AssertionError(t)  # pragma: no cover


def _key(table: str, rec: Any) -> tuple[Any, ...]:
    """The identity of a row: a user row with the same key replaces the bundled one."""
    if table == "states":
        return (rec.code,)
    if table == "places":
        return (rec.code, rec.name, rec.start)
    if table == "officeholders":
        return (rec.code, rec.role, rec.name, rec.start)
    if table == "organisations":
        return (rec.code,) if rec.code != "IGO" else (rec.code, rec.name)
    if table == "memberships":
        return (rec.org, rec.member, rec.start)
    if table == "entities":
        return (rec.name, rec.start)
    if table == "outlets":
        return (rec.name,)
    return (rec.word.casefold(),)


# --------------------------------------------------------------------------- loading


def _bundled_files(data_dir: Path) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    for table in TABLES:
        for path in sorted(data_dir.glob(f"{table}*.csv")):
            if path.stem == table or path.stem.startswith(table + "_"):
                files.append((table, path))
    return files


def _read_version(data_dir: Path) -> str:
    path = data_dir / "manifest.toml"
    if not path.exists():
        return "unversioned"
    try:
        manifest = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ActorDataError(f"{path}: invalid manifest: {exc}") from exc
    version = manifest.get("version")
    if not isinstance(version, str) or not version:
        raise ActorDataError(f'{path}: manifest has no version = "..." string')
    return version


def _read_any(path: Path) -> Iterator[RawRow]:
    if not path.exists():
        raise ActorDataError(f"{path}: no such actor file")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix == ".csv":
        return read_csv(path)
    raise ActorDataError(f"{path}: actor files must be .yaml, .yml or .csv")


def _fold_alias(name: str) -> str:
    from multivector.actors.lexicon import fold

    return " ".join(fold(name).replace("’", "'").split())


def _alias_claims(table: str, rec: Any) -> Iterable[tuple[str, str]]:
    """(folded name, what it names) for the names of a row that must not name two actors."""
    if table == "states":
        for n in (rec.name, *rec.short_names, *rec.adjectives, *rec.demonyms, *rec.metonyms):
            yield _fold_alias(n), rec.code
    elif table == "places":
        yield _fold_alias(rec.name), rec.code
    elif table == "organisations":
        target = rec.code if rec.code != "IGO" else f"IGO {rec.name}"
        for n in (rec.name, *rec.aliases):
            yield _fold_alias(n), target
    elif table == "entities":
        for n in (rec.name, *rec.aliases):
            yield _fold_alias(n), f"{rec.code}/{rec.sector}"
    elif table == "outlets":
        for n in (rec.name, *rec.aliases):
            yield _fold_alias(n), rec.country


def _overlap_days(a: Office, b: Office) -> int:
    start = max(a.start or date.min, b.start or date.min)
    end = min(a.end or date.max, b.end or date.max)
    return (end - start).days + 1 if end >= start else 0


def _merge(
    bundled: dict[str, list[Any]], user_rows: Sequence[tuple[str, Any]]
) -> dict[str, list[Any]]:
    """Merge user records over bundled ones; raise on contradictions, naming both places."""
    merged = {t: list(rows) for t, rows in bundled.items()}
    position: dict[tuple[str, tuple[Any, ...]], int] = {}
    for t, rows in merged.items():
        for i, rec in enumerate(rows):
            position.setdefault((t, _key(t, rec)), i)
    replaced: set[str] = set()  # origins of bundled rows that a user row replaced
    user_origins: set[str] = set()
    for t, rec in user_rows:
        k = (t, _key(t, rec))
        if k in position:
            old = merged[t][position[k]]
            if old.origin in user_origins:
                raise ActorDataError(
                    f"{rec.origin}: duplicate {t} entry; first given at {old.origin}"
                )
            replaced.add(old.origin)
            merged[t][position[k]] = rec
        else:
            position[k] = len(merged[t])
            merged[t].append(rec)
        user_origins.add(rec.origin)

    # Names that would now point at two different actors.
    claims: dict[str, tuple[str, str]] = {}
    for t in ("states", "places", "organisations", "entities", "outlets"):
        for rec in merged[t]:
            for name, target in _alias_claims(t, rec):
                if not name:
                    continue
                prev = claims.get(name)
                if prev is None:
                    claims[name] = (target, rec.origin)
                elif prev[0] != target and (rec.origin in user_origins or prev[1] in user_origins):
                    raise ActorDataError(
                        f"{rec.origin}: {name!r} names {target}, but {prev[1]} says it names {prev[0]}"
                    )
    # Office terms of one role that overlap another holder's by more than a transition day.
    by_role: dict[tuple[str, str], list[Office]] = {}
    for o in merged["officeholders"]:
        by_role.setdefault((o.code, o.role), []).append(o)
    for o in merged["officeholders"]:
        if o.origin not in user_origins or o.role in ("deputy_head_of_government", "org_head"):
            continue
        for other in by_role[(o.code, o.role)]:
            if other is o or other.name == o.name:
                continue
            if _overlap_days(o, other) > 1:
                raise ActorDataError(
                    f"{o.origin}: {o.name} as {o.role} of {o.code} "
                    f"({o.start or '…'} to {o.end or 'now'}) overlaps {other.name} "
                    f"({other.start or '…'} to {other.end or 'now'}) at {other.origin}"
                )
    return merged


def _check_references(merged: dict[str, list[Any]]) -> None:
    states = {s.code for s in merged["states"]}
    codes = states | ORGANISATION_CODES
    org_keys = {g.code for g in merged["organisations"]} | {g.name for g in merged["organisations"]}
    org_keys |= {a for g in merged["organisations"] for a in g.aliases}

    def bad(origin: str, what: str, value: str, expected: str) -> ActorDataError:
        return ActorDataError(f"{origin}: unknown {what} {value!r}; {expected}")

    for p in merged["places"]:
        if p.code not in states:
            raise bad(p.origin, "state code", p.code, "add it to states first")
    for o in merged["officeholders"]:
        if o.code not in codes:
            raise bad(
                o.origin, "code", o.code, "use a state code from states or an organisation code"
            )
        if o.code in states and o.sector == "" and o.role != "org_head":
            raise ActorDataError(f"{o.origin}: a state office needs a sector (GOV)")
        if o.role == "org_head" and o.code in states:
            raise ActorDataError(f"{o.origin}: org_head needs an organisation code, not {o.code}")
    for m in merged["memberships"]:
        if m.org not in org_keys and m.org not in ORGANISATION_CODES:
            raise bad(m.origin, "organisation", m.org, "use a code or a name from organisations")
        if m.member not in states and m.member not in ORGANISATION_CODES:
            raise bad(
                m.origin, "member", m.member, "use a state code from states or an organisation code"
            )
    for e in merged["entities"]:
        if e.code not in codes:
            raise bad(e.origin, "code", e.code, "use a state code from states")
    for u in merged["outlets"]:
        if u.country not in codes:
            raise bad(u.origin, "country", u.country, "use a state code from states")


def _read_tables(
    files: Iterable[tuple[str | None, Path]],
) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for table, path in files:
        rows = read_csv(path, table) if table else _read_any(path)
        for raw in rows:
            out.append((raw.table, parse_row(raw)))
    return out


def build_kb(data_dir: Path, user_files: Sequence[Path | str] = ()) -> KnowledgeBase:
    """Read, validate and merge the tables in `data_dir` and the users' files (uncached)."""
    bundled: dict[str, list[Any]] = {t: [] for t in TABLES}
    seen: dict[tuple[str, tuple[Any, ...]], str] = {}
    for table, rec in _read_tables((t, p) for t, p in _bundled_files(data_dir)):
        k = (table, _key(table, rec))
        if k in seen and table != "agents":
            raise ActorDataError(f"{rec.origin}: duplicate {table} entry; first given at {seen[k]}")
        seen.setdefault(k, rec.origin)
        bundled[table].append(rec)
    user_rows = _read_tables((None, Path(p)) for p in user_files)
    merged = _merge(bundled, user_rows)
    _check_references(merged)
    return KnowledgeBase(
        version=_read_version(data_dir),
        states=tuple(merged["states"]),
        places=tuple(merged["places"]),
        offices=tuple(merged["officeholders"]),
        organisations=tuple(merged["organisations"]),
        memberships=tuple(merged["memberships"]),
        entities=tuple(merged["entities"]),
        outlets=tuple(merged["outlets"]),
        agents=tuple(merged["agents"]),
        sources=(str(data_dir), *(str(p) for p in user_files)),
    )


@functools.lru_cache(maxsize=8)
def _cached(data_dir: str, user_files: tuple[str, ...]) -> KnowledgeBase:
    return build_kb(Path(data_dir), user_files)


def load_kb(
    user_files: Sequence[Path | str] = (), data_dir: Path | str | None = None
) -> KnowledgeBase:
    """The bundled knowledge base merged with `user_files`; cached per argument set."""
    return _cached(str(data_dir or DATA_DIR), tuple(str(p) for p in user_files))


def bundled_available(data_dir: Path | None = None) -> bool:
    """Whether the bundled tables are present (they are, in any release)."""
    d = data_dir or DATA_DIR
    return all(any(d.glob(f"{t}*.csv")) for t in ("states", "officeholders", "organisations"))
