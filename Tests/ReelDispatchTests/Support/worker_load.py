#!/usr/bin/env python3
"""Load on a running `reel worker`, from a second process, over raw loopback sockets.

    worker_load.py PORT TOKEN RENDER_BODY_FILE WORKER_PID [ROUNDS]

Each round, at once: idle connections that send nothing and are held open; hundreds of
health requests, many concurrent; wrong tokens; malformed requests of every kind (random
bytes, a head that never ends, a 100 KB header, a body cut short, bad JSON, a body declared
too large, unknown paths, bad blob names); and a burst of valid renders, more than the worker
has slots for. The worker's resident memory is read from /proc before the first round and
after each. Prints one JSON object: per round and kind, how many answers of each status
("closed" for a connection closed without an answer, "timeout" for none in time), the
Retry-After headers of 429s, health latency, and the memory samples. Asserting is the
Swift test's job (WorkerLoadTests); this only measures.
"""
import asyncio
import json
import os
import random
import sys
import time

HOST = "127.0.0.1"


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


async def exchange(port, raw, timeout=60.0, half_close=False):
    """Sends `raw`, reads to the end; returns (status or 'closed'/'timeout'/'refused', headers)."""
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection(HOST, port), timeout)
    except (OSError, asyncio.TimeoutError):
        return "refused", {}
    try:
        writer.write(raw)
        await writer.drain()
        if half_close and writer.can_write_eof():
            writer.write_eof()
        data = await asyncio.wait_for(reader.read(), timeout)
    except asyncio.TimeoutError:
        return "timeout", {}
    except OSError:
        return "closed", {}
    finally:
        writer.close()
    if not data.startswith(b"HTTP/1.1 "):
        return "closed", {}
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return head[0].split(" ")[1], headers


def request(method, path, token=None, body=b"", headers=None, length=None):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}", "Connection: close"]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    for name, value in (headers or {}).items():
        lines.append(f"{name}: {value}")
    if body or length is not None or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body) if length is None else length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def one_round(port, token, render_body, rng):
    tally = {}
    retry_after = []
    latencies = []
    limit = asyncio.Semaphore(64)

    async def run(kind, raw, half_close=False, timed=False):
        async with limit:
            started = time.monotonic()
            status, headers = await exchange(port, raw, half_close=half_close)
            if timed:
                latencies.append((time.monotonic() - started) * 1000)
        tally.setdefault(kind, {})
        tally[kind][status] = tally[kind].get(status, 0) + 1
        if status == "429":
            retry_after.append(headers.get("retry-after"))

    # Idle connections, held through the round: a worker must not give them its threads.
    idle = []
    for _ in range(50):
        try:
            idle.append(await asyncio.open_connection(HOST, port))
        except OSError:
            pass

    jobs = []
    for _ in range(400):
        jobs.append(run("health", request("GET", "/v1/health", token), timed=True))
    for _ in range(50):
        jobs.append(run("wrong-token", request("GET", "/v1/health", "not-the-token")))
    for _ in range(30):
        jobs.append(run("random-bytes", bytes(rng.getrandbits(8) for _ in range(1024)), half_close=True))
    for _ in range(20):
        jobs.append(run("unfinished-head", b"GET /v1/health HTTP/1.1\r\nHost: x\r\n", half_close=True))
    for _ in range(10):
        jobs.append(run("huge-header", request("GET", "/v1/health", token, headers={"X-Filler": "a" * 100_000})))
    for _ in range(10):
        jobs.append(run("body-cut-short", request("POST", "/v1/render", token, body=b'{"scene":', length=4096), half_close=True))
    for _ in range(30):
        jobs.append(run("bad-json", request("POST", "/v1/render", token, body=b'{"scene": [1, 2,, }', headers={"Content-Type": "application/json"})))
    for _ in range(10):
        jobs.append(run("declared-too-large", request("POST", "/v1/render", token, length=10**12, headers={"Content-Type": "application/json"}), half_close=True))
    for _ in range(20):
        jobs.append(run("unknown-path", request("GET", "/v1/" + "x" * rng.randint(1, 200), token)))
    for _ in range(10):
        jobs.append(run("bad-blob-name", request("PUT", "/v1/blobs/../../etc/passwd", token, body=b"x")))
    for _ in range(24):
        jobs.append(run("render", request("POST", "/v1/render", token, body=render_body, headers={"Content-Type": "application/json"})))
    rng.shuffle(jobs)
    started = time.monotonic()
    await asyncio.gather(*jobs)
    elapsed = time.monotonic() - started
    # The idle connections are still open; the worker must have served everything meanwhile.
    for _, writer in idle:
        writer.close()
    latencies.sort()
    return {
        "answers": tally,
        "retry_after": retry_after,
        "idle_held": len(idle),
        "seconds": round(elapsed, 2),
        "health_ms_p50": round(latencies[len(latencies) // 2], 1) if latencies else None,
        "health_ms_p99": round(latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
    }


async def main():
    port, token, body_file, pid = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    with open(body_file, "rb") as f:
        render_body = f.read()
    rng = random.Random(8)  # the same malformed bytes every run
    result = {"rss_mib": [round(rss_mib(pid), 1)], "rounds": []}
    for _ in range(rounds):
        result["rounds"].append(await one_round(port, token, render_body, rng))
        await asyncio.sleep(1)  # let the worker finish closing what the round left
        result["rss_mib"].append(round(rss_mib(pid), 1))
    result["alive"] = os.path.exists(f"/proc/{pid}")
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
