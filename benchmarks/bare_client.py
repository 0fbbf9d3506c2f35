"""The floor for `votes.py --floor`: the least a Python gateway client can do per ballot.

No discord.py, no database, no checks: it identifies on the gateway, and answers every
INTERACTION_CREATE with a fixed UPDATE_MESSAGE ("Your ballot is recorded") posted through
aiohttp, the HTTP client discord.py uses. Whatever the real bot takes beyond this is the
bot's; what this takes is the loopback Discord's, aiohttp's and the machine's.

Reads DISCORD_API_URL and DISCORD_TOKEN like the bot; prints READY once identified.
`BARE_POOL` caps the connection pool (0, the default, is unlimited, as in discord.py).
"""

from __future__ import annotations

import asyncio
import json
import os

import aiohttp

API = os.environ["DISCORD_API_URL"].rstrip("/") + "/api/v10"
TOKEN = os.environ["DISCORD_TOKEN"]
ANSWER = json.dumps({"type": 7, "data": {"content": "Your ballot is recorded"}})
JSON = {"Content-Type": "application/json"}


async def main() -> None:
    connector = aiohttp.TCPConnector(limit=int(os.environ.get("BARE_POOL", "0")))
    async with aiohttp.ClientSession(connector=connector) as session:
        headers = {"Authorization": f"Bot {TOKEN}"}
        async with session.get(f"{API}/gateway/bot", headers=headers) as response:
            url = (await response.json())["url"]
        ws = await session.ws_connect(f"{url}/?v=10&encoding=json", max_msg_size=0)
        hello = await ws.receive_json()
        interval = hello["d"]["heartbeat_interval"] / 1000
        seq: list[int | None] = [None]

        async def heartbeat() -> None:
            while True:
                await asyncio.sleep(interval)
                await ws.send_json({"op": 1, "d": seq[0]})

        async def answer(d: dict) -> None:
            url = f"{API}/interactions/{d['id']}/{d['token']}/callback"
            async with session.post(url, data=ANSWER, headers=JSON) as response:
                await response.read()

        identify = {"token": TOKEN, "intents": 1, "properties": {"os": "linux"}}
        await ws.send_json({"op": 2, "d": identify})
        tasks = {asyncio.create_task(heartbeat())}
        async for frame in ws:
            payload = json.loads(frame.data)
            seq[0] = payload.get("s") or seq[0]
            if payload.get("t") == "READY":
                print("READY", flush=True)
            elif payload.get("t") == "INTERACTION_CREATE":
                task = asyncio.create_task(answer(payload["d"]))
                tasks.add(task)
                task.add_done_callback(tasks.discard)


if __name__ == "__main__":
    asyncio.run(main())
