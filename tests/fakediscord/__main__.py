"""``python -m tests.fakediscord --port N --scenario FILE``: serve until SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import signal
import sys

from .control import fake_from_scenario


async def _serve(port: int, scenario: dict) -> None:
    fake = fake_from_scenario(scenario)
    await fake.start(port=port)
    print(f"fakediscord listening on {fake.base_url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await fake.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.fakediscord")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
    p.add_argument("--scenario", help="JSON file: token, application_id, guilds ...")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING)
    scenario: dict = {}
    if args.scenario:
        with open(args.scenario) as f:
            scenario = json.load(f)
    asyncio.run(_serve(args.port, scenario))
    return 0


if __name__ == "__main__":
    sys.exit(main())
