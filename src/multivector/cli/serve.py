"""`multivector serve [--store PATH] [--host 127.0.0.1] [--port 8000]`: the web dashboard."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from multivector.errors import ConfigError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Bound to one of these, the dashboard answers only requests naming one of them as Host.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "serve",
        help="serve the web dashboard (overview, countries, dyads, events, search, ingest)",
        description=(
            "Serve the dashboard over the event store. Binds to 127.0.0.1 unless --host says "
            "otherwise: the dashboard has no login, so expose it only behind your own proxy."
        ),
    )
    p.add_argument("--store", metavar="PATH", help="store file (default $MULTIVECTOR_STORE or ./multivector.duckdb)")  # fmt: skip
    p.add_argument("--host", default=DEFAULT_HOST, help=f"address to bind (default {DEFAULT_HOST})")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--max-upload-mb", type=float, default=10.0, metavar="MB",
                   help="largest upload accepted by the ingest page (default 10 MB)")  # fmt: skip
    p.add_argument("--cache-seconds", type=float, default=5.0, metavar="S",
                   help="how long pages may lag a running ingest (default 5)")  # fmt: skip
    p.add_argument("--coder", default="multivector.pipeline:Coder", metavar="MODULE:FACTORY",
                   help="coder factory for the ingest page (default multivector.pipeline:Coder)")  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from multivector.cli.ingest import load_coder
    from multivector.web import create_app

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port} is not a TCP port (1-65535)")
    if args.max_upload_mb <= 0:
        raise ConfigError("--max-upload-mb must be positive")
    if args.cache_seconds < 0:
        raise ConfigError("--cache-seconds must be 0 or more")
    app = create_app(
        args.store,
        max_upload_bytes=int(args.max_upload_mb * 1_000_000),
        coder_factory=lambda: load_coder(args.coder, [], 32),
        cache_seconds=args.cache_seconds,
        allowed_hosts=LOOPBACK_NAMES if args.host in LOOPBACK_NAMES else None,
    )
    shown = f"[{args.host}]" if ":" in args.host else args.host
    print(f"multivector: serving {app.state.store_path} at http://{shown}:{args.port}/",
          file=sys.stderr)  # fmt: skip
    if args.host not in LOOPBACK_NAMES:
        print("multivector: warning: listening beyond this machine; the dashboard has no login",
              file=sys.stderr)  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
