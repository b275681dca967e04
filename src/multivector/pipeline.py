"""The coding pipeline: ingest → nlp → mentions/actors → events → factuality → dates →
citations → within-document dedup.

`Coder` is what the CLI, the store and the Spark runner call. It loads the model, the actor
knowledge base and the lexicon once; `code_documents` streams `(Document, [Event])` pairs.
Every stage is a plain function over typed records, so an executor can run the same code.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from multivector.events.citations import FoundCitation, find_citations, outlet_lookup
from multivector.events.coder import DocumentCoder
from multivector.events.context import DocContext, SentenceInput, salient_partners
from multivector.events.dates import find_dates
from multivector.events.dedup import dedup_events, drop_uninformative, split_partners
from multivector.events.lexicon import LEXICON_VERSION, Lexicon, default_lexicon
from multivector.nlp import Chunk, chunks, load_nlp
from multivector.records import Document, Event
from multivector.version import CODER_VERSION

#: Text before a colon that labels a speaker in a transcript: the mention must end within these
#: many characters of the colon.
_SPEAKER_GAP = 2
#: a title naming an encounter: its other party is the document's partner ("Telephone
#: conversation with President of Turkey", "Meeting with President of Tajikistan")
_ENCOUNTER_TITLE = re.compile(
    r"\b(meeting|meets|met|talks|conversation|telephone|phone|call|visit|summit|forum|negotiations|"
    r"signed|sign|joint|declaration|greetings|condolences|congratulat\w*|message|letter)\b", re.I
)


@dataclass
class Coder:
    """Codes documents into PLOVER events.

    >>> coder = Coder()                                   # doctest: +SKIP
    >>> for doc, events in coder.code_documents(docs): ...  # doctest: +SKIP
    """

    batch_size: int = 32
    actor_files: Sequence[str] = ()
    lexicon: Lexicon = field(default_factory=default_lexicon)
    nlp: Any = None
    #: the coder's identity: code version, lexicon version and knowledge-base version; a store
    #: re-codes a document when it changes
    version: str = ""

    def __post_init__(self) -> None:
        from multivector.actors.kb import load_kb

        if self.nlp is None:
            self.nlp = load_nlp()
        self.kb = load_kb(tuple(str(f) for f in self.actor_files)) if self.actor_files else load_kb()
        self._outlets = outlet_lookup(self.kb.outlets)
        if not self.version:
            self.version = f"{CODER_VERSION}+{LEXICON_VERSION}+kb/{getattr(self.kb, 'version', '?')}"
            if self.actor_files:  # a user's actors change the coding: their digest names it
                digest = hashlib.sha1()
                for name in sorted(self.actor_files):
                    digest.update(Path(name).read_bytes())
                self.version += f"+actors/{digest.hexdigest()[:8]}"

    # --- public ---------------------------------------------------------------------------------

    def code_document(self, doc: Document) -> list[Event]:
        return next(iter(self.code_documents([doc])))[1]

    def code_documents(self, docs: Iterable[Document]) -> Iterator[tuple[Document, list[Event]]]:
        """Stream (document, events) pairs; parses documents in batches with nlp.pipe."""
        batch: list[Document] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= self.batch_size:
                yield from self._code_batch(batch)
                batch = []
        if batch:
            yield from self._code_batch(batch)

    # --- internals ------------------------------------------------------------------------------

    def _code_batch(self, docs: list[Document]) -> Iterator[tuple[Document, list[Event]]]:
        pieces: list[Chunk] = []
        for i, d in enumerate(docs):
            pieces.extend(chunks(d.text, i))
        parsed: list[list[tuple[Chunk, Any]]] = [[] for _ in docs]
        texts = ((c.text, c) for c in pieces)
        for spacy_doc, chunk in self.nlp.pipe(texts, as_tuples=True, batch_size=64):
            parsed[chunk.doc_index].append((chunk, spacy_doc))
        for d, parts in zip(docs, parsed, strict=True):
            yield d, self._code_parsed(d, parts)

    def _outlet(self, name: str) -> str | None:
        return self._outlets(name)

    def _code_parsed(self, doc: Document, parts: list[tuple[Chunk, Any]]) -> list[Event]:
        from multivector.actors.finder import find_mentions

        published = doc.published or date.today()
        text = doc.text
        mentions = find_mentions(text, published, self.kb)
        citations = find_citations(text, published, self._outlet)
        ctx = self._context(doc, published, mentions, citations)
        dc = DocumentCoder(self.lexicon, ctx, self.version)
        events: list[Event] = []
        sent_index = 0
        mi = 0
        for para_index, (chunk, sdoc) in enumerate(parts):
            for sent in sdoc.sents:
                s_start = chunk.offset + sent.start_char
                s_end = chunk.offset + sent.end_char
                while mi < len(mentions) and mentions[mi].end <= s_start:
                    mi += 1
                sent_mentions = [m for m in mentions[mi:] if m.start < s_end and m.end > s_start]
                sent_mentions = [m for m in sent_mentions if m.start < s_end]
                sent_text = text[s_start:s_end]
                dates = [
                    replace(dx, start=dx.start + s_start, end=dx.end + s_start)
                    for dx in find_dates(sent_text, published)
                ]
                sent_cites = [c for c in citations if s_start <= c.start < s_end]
                si = SentenceInput(sent_index, sent, chunk.offset, sent_mentions, dates, sent_cites, para_index)
                events.extend(dc.code_sentence(si))
                sent_index += 1
        events = [
            replace(e, cited=dc.backfill[id(e)], date=dc.backfill_dates.get(id(e), e.date),
                    date_precision="day" if id(e) in dc.backfill_dates else e.date_precision)
            if id(e) in dc.backfill else e
            for e in events
        ]
        events = drop_uninformative(split_partners(events))
        return [replace(e, id=e.computed_id()) for e in dedup_events(events)]

    def _context(
        self,
        doc: Document,
        published: date,
        mentions: Sequence[Any],
        citations: Sequence[FoundCitation],
    ) -> DocContext:
        from multivector.actors.finder import find_mentions

        self_code = ""
        for label in (doc.source, doc.url):
            if not label:
                continue
            found = [m for m in find_mentions(label, published, self.kb) if m.kind in ("title", "person", "outlet", "state")]
            gov = [m for m in found if m.sector == "GOV" or m.kind in ("title", "person")]
            if gov:
                self_code = gov[0].code
                break
        title = doc.title or ""
        hostile = bool(_HOSTILE_TITLE.search(title))
        # partners: the leaders a title names, or the states of an encounter's title
        title_codes = [
            m.code for m in find_mentions(title, published, self.kb)
            if m.kind in ("person", "title") or (m.kind in ("state", "adjective") and not hostile)
        ] if title else []
        # only an encounter's title names a partner; an address about Russia's war does not
        partners = salient_partners(title_codes, self_code) if _ENCOUNTER_TITLE.search(title) else []
        # a meeting whose opening paragraph lists three or more leaders is multilateral
        first_para_end = doc.text.find("\n")
        first_para_end = first_para_end if first_para_end > 0 else min(len(doc.text), 1500)
        lead = [m.code for m in mentions if m.start < first_para_end and m.kind in ("person", "title")]
        participants = list(dict.fromkeys(c for c in lead if len(c) == 3 and c.isupper()))
        if self_code and self_code not in participants and participants:
            participants.insert(0, self_code)
        if len(participants) < 3:
            participants = []
        else:
            partners = [c for c in partners if c in participants]
        readout = not citations and bool(self_code)
        speakers = _speakers(doc.text, mentions)
        return DocContext(
            doc_id=doc.id,
            published=published,
            self_code=self_code,
            partners=partners,
            participants=participants,
            readout=readout,
            speakers=speakers,
        )


_HOSTILE_TITLE = re.compile(r"\b(war|aggress\w*|invasion|invad\w*|crimes?|sanctions?|against|occupi\w*|attack\w*)\b", re.I)


def _speakers(text: str, mentions: Sequence[Any]) -> list[tuple[int, int, str]]:
    """Speaker turns of a transcript: a person or title mention directly followed by a colon."""
    labels: list[tuple[int, str]] = []
    for m in mentions:
        if m.kind not in ("person", "title"):
            continue
        tail = text[m.end : m.end + _SPEAKER_GAP + 1]
        if ":" in tail and tail.index(":") <= _SPEAKER_GAP and tail[: tail.index(":")].strip() == "":
            labels.append((m.end + tail.index(":") + 1, m.code))
    turns: list[tuple[int, int, str]] = []
    for i, (start, code) in enumerate(labels):
        end = labels[i + 1][0] if i + 1 < len(labels) else len(text)
        turns.append((start, end, code))
    return turns
