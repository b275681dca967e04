"""Versions that travel with every stored record.

`CODER_VERSION` changes whenever the coder's behaviour changes (lexicon, rules, models), so a
store can tell which documents a new coder must re-code and old runs stay reproducible.
"""

__version__ = "0.1.0"
CODEBOOK_VERSION = "2"
CODER_VERSION = "multivector-coder/0.1.0"
