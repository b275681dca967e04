"""The web dashboard: `create_app(store_path)` returns the FastAPI application that
`multivector serve` runs (pages under /, their JSON twins under /api/, OpenAPI at /docs)."""

from multivector.web.app import create_app

__all__ = ["create_app"]
