"""Run a platform sandbox on loopback until stopped:

    python -m fulfill.sandboxes woocommerce [--orders N] [--rate REQ_PER_S] [--port P]

It prints the base URL on the first line, so scripts and benchmarks can read it.
"""

from __future__ import annotations

import argparse
import sys
import threading

from fulfill.channels.registry import KINDS
from fulfill.domain import Platform


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m fulfill.sandboxes")
    parser.add_argument("platform", choices=[p.value for p in KINDS])
    parser.add_argument("--orders", type=int, default=250)
    parser.add_argument("--rate", type=float, default=None, help="requests per second allowed")
    args = parser.parse_args()
    sandbox = KINDS[Platform(args.platform)].sandbox_class()(args.orders, rate=args.rate)
    print(sandbox.start(), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
