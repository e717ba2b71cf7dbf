# The aiohttp baseline of the dendrite fan-out: the same POSTs to the same axons, with the
# bittensor SDK's HTTP client (aiohttp) and its connection cap removed (TCPConnector(limit=0)).
#
# Python has no sr25519 in Debian, so this client cannot sign: each request carries headers and
# body signed beforehand by our TypeScript code (bench/fanout.ts writes them, one set per round
# with fresh nonces). It does not verify the axons' countersignatures either. What it does per
# call: the POST over a keep-alive connection, aiohttp's header parsing, reading the body,
# json.loads and a status check — the I/O and framing a dendrite cannot avoid.
#
# argv[1]: a JSON file { "axons": [port, ...], "rounds": [[{ "headers", "body" }, ...], ...] }.
# Round 0 warms the connections; the others are measured, argv[2] ms apart (as our dendrite's). Prints one JSON line:
# { "wallMs": [...], "cpuUs": [...] (process CPU per round, user + system), "failures": n }.
import asyncio
import json
import resource
import sys
import time

import aiohttp


def cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


async def call(session, port, req):
    async with session.post(
        f"http://127.0.0.1:{port}/Dummy", data=req["body"], headers=req["headers"]
    ) as resp:
        body = await resp.read()
        data = json.loads(body)
        return resp.status == 200 and isinstance(data, dict)


async def main(path, pause_s):
    with open(path, encoding="utf-8") as f:
        job = json.load(f)
    ports = job["axons"]
    rounds = job["rounds"]
    for r in rounds:
        for req in r:
            req["body"] = req["body"].encode("utf-8")
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=0, keepalive_timeout=60)
    timeout = aiohttp.ClientTimeout(total=30)
    wall, cpu, failures = [], [], 0
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        for i, r in enumerate(rounds):
            await asyncio.sleep(pause_s)
            c0, t0 = cpu_seconds(), time.perf_counter()
            oks = await asyncio.gather(*(call(session, p, q) for p, q in zip(ports, r)))
            t1, c1 = time.perf_counter(), cpu_seconds()
            if i == 0:
                continue
            wall.append((t1 - t0) * 1000)
            cpu.append((c1 - c0) * 1e6)
            failures += sum(1 for ok in oks if not ok)
    print(json.dumps({"wallMs": wall, "cpuUs": cpu, "failures": failures}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2] if len(sys.argv) > 2 else 20) / 1000))
