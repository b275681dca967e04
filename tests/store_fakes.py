"""A fast, deterministic stand-in for `multivector.pipeline.Coder`, and document generators.

Sentences of the form "KAZ met UZB." / "RUS condemned UKR." / "EU sanctioned RUS." become
CONSULT (reciprocal) / ACCUSE / SANCTION (directed) events dated on publication.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from multivector.records import Citation, Document, Entity, Event

VERBS = {"met": ("CONSULT", False), "condemned": ("ACCUSE", True), "sanctioned": ("SANCTION", True)}
CODES = ("KAZ", "UZB", "RUS", "UKR", "CHN", "USA", "EU", "KGZ")
_SENT = re.compile(r"([A-Z]{2,3})(\*?) (met|condemned|sanctioned) ([A-Z]{2,3})(\*?)\.")


class FakeCoder:
    def __init__(self, version: str = "fake/1", delay: float = 0.0, fail_on: str = "") -> None:
        self.version = version
        self.delay = delay
        self.fail_on = fail_on

    def code_documents(
        self, docs: Iterable[Document], batch_size: int = 32
    ) -> Iterator[tuple[Document, list[Event]]]:
        for doc in docs:
            if self.delay:
                time.sleep(self.delay)
            if self.fail_on and self.fail_on in doc.text:
                raise RuntimeError(f"cannot code {doc.id}")
            yield doc, self.code(doc)

    def code(self, doc: Document) -> list[Event]:
        events = []
        day = doc.published.isoformat() if doc.published else ""
        for i, m in enumerate(_SENT.finditer(doc.text)):
            a_code, a_star, verb, b_code, b_star = m.groups()
            etype, directed = VERBS[verb]
            a = Entity(a_code, "PRE" if a_star else "GOV", a_code, span=(m.start(1), m.end(1)))
            b = Entity(b_code, "PRE" if b_star else "GOV", b_code, span=(m.start(4), m.end(4)))
            events.append(
                Event(
                    doc_id=doc.id,
                    event_type=etype,
                    actor=(a,) if directed else (a, b),
                    recipient=(b,) if directed else (),
                    date=day,
                    date_precision="day" if day else "unknown",
                    evidence=m.group(0),
                    sentence_index=i,
                    evidence_span=(m.start(), m.end()),
                    cited=(Citation("Kun.uz", day),) if "Kun.uz" in doc.text else (),
                    trigger=verb,
                    rule="fake",
                    coder=self.version,
                )
            )
        return events


def make_documents(n: int, seed: int = 0, start: date = date(2022, 1, 1)) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        sentences = []
        for _ in range(rng.randint(0, 4)):
            a, b = rng.sample(CODES, 2)
            sentences.append(f"{a} {rng.choice(list(VERBS))} {b}.")
        if rng.random() < 0.2:
            sentences.append("(Kun.uz)")
        docs.append(
            Document(
                id=f"doc-{i:04d}",
                text=f"Report {i}. " + " ".join(sentences),
                published=start + timedelta(days=rng.randint(0, 60)),
                title=f"Report {i}",
                url=f"http://example.org/{i}",
                source=rng.choice(["Kremlin", "President of Ukraine"]),
                origin=f"generated:{i}",
            )
        )
    return docs


SNAPSHOT_SQL = {
    "documents": "SELECT * EXCLUDE (ingested) FROM documents",
    "coded": "SELECT * EXCLUDE (run_id) FROM coded",
    "events": "SELECT * EXCLUDE (run_id) FROM events",
    "entities": "SELECT * FROM entities",
    "citations": "SELECT * FROM citations",
}


def snapshot(store) -> dict[str, list[tuple]]:  # type: ignore[no-untyped-def]
    """The store's contents, order-independent, without run ids and timestamps."""
    out = {}
    with store.connect() as con:
        for table, sql in SNAPSHOT_SQL.items():
            rows = con.execute(sql).fetchall()
            out[table] = sorted(rows, key=repr)
    return out
