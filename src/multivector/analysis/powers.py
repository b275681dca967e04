"""Powers and blocs a focal country is measured against, and how they expand into codes.

A `Power` is a name and the participant codes that count as that power: `RUS` is just `RUS`;
a bloc written `WEST=USA+GBR+EU+WEST` counts events with any of its codes. A power whose code is
an organisation (EU, CSTO, EAEU, SCO, OTS...) always counts events with the organisation itself;
with `expand_members=True` it also counts events with the organisation's member states on the
event's period (membership from `multivector.actors.resolver.members` when that module is
available; without it only the organisation's own code counts, and `membership_source()` says
so). The focal country never counts as part of a power.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from multivector.analysis.periods import next_period
from multivector.errors import ConfigError, MultivectorError
from multivector.ontology import ORGANISATION_CODES

#: members(org_code, on_date) -> member state codes
Membership = Callable[[str, date], Iterable[str]]

DEFAULT_POWERS: tuple[str, ...] = ("RUS", "CHN", "USA", "EU", "TUR")
#: Organisations never offered as a default power: universal, financial or unspecified.
_NOT_DEFAULT_ORGS = frozenset({"UN", "IMF", "WB", "WTO", "IGO", "WEST", "G20"})
#: Default for a `membership` argument: use the actor knowledge base when it is installed.
DEFAULT_MEMBERSHIP: Any = object()
_FAR_PAST = date(1, 1, 1)
_FAR_FUTURE = date(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class Power:
    """A power or bloc: a display name and the participant codes that count as it."""

    name: str
    codes: tuple[str, ...]
    expand_members: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "codes": list(self.codes), "expand_members": self.expand_members}


def parse_powers(spec: str | Sequence[str], *, expand_members: bool = False) -> tuple[Power, ...]:
    """Parse `RUS,CHN,WEST=USA+GBR+EU` (or a list of such items) into powers."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[Power] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        name, _, rest = item.partition("=")
        name = name.strip().upper()
        codes = tuple(c.strip().upper() for c in rest.split("+") if c.strip()) if rest else (name,)
        if not name or not codes:
            raise ConfigError(f"bad power {item!r}: write CODE or NAME=CODE+CODE")
        out.append(Power(name, codes, expand_members))
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise ConfigError(f"a power is named twice in {','.join(names)}")
    if not out:
        raise ConfigError("no powers given: write e.g. --powers RUS,CHN,USA,EU")
    return tuple(out)


def resolver_membership() -> Membership | None:
    """Return `multivector.actors.resolver.members` when that module is installed, else None."""
    try:
        from multivector.actors.resolver import members  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    return members  # type: ignore[no-any-return,unused-ignore]


def _members(membership: Membership, org: str, on: date) -> frozenset[str]:
    try:
        return frozenset(str(c) for c in membership(org, on))
    except (MultivectorError, LookupError, ValueError, TypeError):
        return frozenset()


def default_powers(
    country: str, on: date | None = None, membership: Membership | None = None
) -> tuple[Power, ...]:
    """RUS, CHN, USA, EU, TUR and the regional organisations `country` belongs to on `on`.

    Without a membership source the organisations cannot be known and only the five remain.
    The country itself is left out (RUS has no RUS power).
    """
    names = [p for p in DEFAULT_POWERS if p != country]
    if membership is not None:
        day = on or date.today()
        for org in sorted(ORGANISATION_CODES - _NOT_DEFAULT_ORGS):
            if org not in names and country in _members(membership, org, day):
                names.append(org)
    return tuple(Power(n, (n,)) for n in names)


def membership_source(membership: Membership | None) -> str:
    """One line for the methods section: where organisation memberships came from."""
    if membership is None:
        return (
            "no membership data (multivector.actors not available): an organisation counts "
            "only events coded with the organisation's own code"
        )
    return "organisation memberships from the actor knowledge base (multivector.actors)"


def power_code_rows(
    focal: str,
    powers: Sequence[Power],
    periods: Sequence[date],
    granularity: str,
    membership: Membership | None,
) -> list[tuple[str, str, date, date]]:
    """Return `(power, code, valid_from, valid_to)` rows saying which codes count as which power.

    An organisation's member states (when expanded) are resolved at the first day of each
    period and valid for that period; every other code is valid at all times.
    """
    rows: list[tuple[str, str, date, date]] = []
    for power in powers:
        for code in power.codes:
            if code != focal:
                rows.append((power.name, code, _FAR_PAST, _FAR_FUTURE))
            if not (power.expand_members and membership and code in ORGANISATION_CODES):
                continue
            for start in periods:
                until = next_period(start, granularity) - timedelta(days=1)
                for member in sorted(_members(membership, code, start) - {focal, code}):
                    rows.append((power.name, member, start, until))
    return rows
