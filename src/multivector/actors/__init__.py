"""Actors: the offline, dated knowledge base and the resolver behind every event's participants.

find_mentions(text, date)       actor mentions in raw text, with spans (the event coder's input)
resolve(mention, date)          one mention -> Resolution(code, sector, name, why, kind, ...)
members(org, date)              member states of an organisation on a day
holder(code, role, date)        who held an office on a day
load_kb(user_files)             the bundled tables merged with a user's own (cached)
"""

from multivector.actors.finder import Mention, find_mentions
from multivector.actors.kb import KnowledgeBase, load_kb
from multivector.actors.resolver import Resolution, holder, members, resolve

__all__ = [
    "KnowledgeBase",
    "Mention",
    "Resolution",
    "find_mentions",
    "holder",
    "load_kb",
    "members",
    "resolve",
]
