"""A small KAZ-centred store for the dashboard tests (fake coder, no spaCy model).

Six months of documents: KAZ meets RUS in the first three and condemns it in the last three
(a shift), meets CHN and the USA throughout, and is sanctioned by the EU once. One document
and one imported event carry hostile markup (`HOSTILE`) that must only ever show as text.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from multivector.records import Document, Entity, Event
from multivector.store import Store
from store_fakes import FakeCoder

HOSTILE = "<script>window.__pwned=1</script>"
HOSTILE_IMG = '<img src=x onerror="window.__pwned=1">'


def documents() -> list[Document]:
    docs = []
    n = 0
    for month in range(1, 7):
        for day in (3, 12, 21):
            n += 1
            rus = "KAZ met RUS." if month <= 3 else "KAZ condemned RUS."
            other = ("KAZ met CHN.", "KAZ met USA.", "CHN met KAZ.")[n % 3]
            text = (
                f"Astana, {month}/{day}/2022 (Kun.uz).\n\n"
                f"{rus} The ministers discussed transit and energy.\n\n"
                f"{other} Both sides praised the talks."
            )
            docs.append(
                Document(
                    id=f"kaz-{n:03d}",
                    text=text,
                    published=date(2022, month, day),
                    title=f"Kazakhstan report {n}",
                    url=f"https://example.org/kaz/{n}",
                    source="Kun.uz" if n % 2 else "Akorda",
                    origin=f"fixture:{n}",
                )
            )
    docs.append(
        Document(
            id="hostile-1",
            text=f"Breaking {HOSTILE} news.\n\nEU sanctioned KAZ. {HOSTILE} {HOSTILE_IMG} was quoted.",
            published=date(2022, 5, 15),
            title=f"Hostile {HOSTILE} title",
            url="javascript:window.__pwned=1",
            source=f"Evil {HOSTILE_IMG}",
            origin="fixture:hostile",
        )
    )
    return docs


def hostile_import() -> Event:
    """An imported event whose evidence and participant text are markup."""
    return Event(
        doc_id="gdelt-doc-1",
        event_type="AID",
        actor=(Entity("USA", "GOV", HOSTILE_IMG, name=HOSTILE, why=HOSTILE),),
        recipient=(Entity("KAZ", "GOV", "Kazakhstan"),),
        date="2022-06-10",
        date_precision="day",
        evidence=f"{HOSTILE} USA sent aid to KAZ {HOSTILE_IMG}",
        rule="import",
        dataset="gdelt",
        id="gdelt-1",
    )


def build_store(path: Path, *, coder: FakeCoder | None = None) -> Path:
    """Ingest the fixture corpus and the hostile import into a store at `path`."""
    store = Store.open(path)
    store.ingest(documents(), coder or FakeCoder(), batch_size=8)
    store.add_events([hostile_import()], dataset="gdelt")
    return path
