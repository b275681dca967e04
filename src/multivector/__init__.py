"""multivector: code political news into PLOVER events and measure how relations shift.

The library never prints and never exits; the CLI (`multivector.cli`) and the web layer are
thin skins over the public functions re-exported here.
"""

from multivector.version import CODEBOOK_VERSION, CODER_VERSION, __version__

__all__ = ["CODEBOOK_VERSION", "CODER_VERSION", "__version__"]
