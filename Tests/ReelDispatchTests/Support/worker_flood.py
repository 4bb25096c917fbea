#!/usr/bin/env python3
"""Hostile floods on a running `reel worker`, from a second process, over raw loopback sockets.

    worker_flood.py PORT TOKEN WORKER_PID FLOOD[,FLOOD…] [--seconds S] [--render FILE] …

Floods, run at once when several are named:

  slowloris    --heads N heads sent a byte a second, --idle N connections that send nothing,
               --slow-bodies N request bodies sent a byte a second; each held until the
               worker closes it or --seconds pass. Reports how long the worker took to close
               each (null: still open at the end).
  descriptors  --connections N idle connections opened as fast as the worker accepts them
               (more than its descriptor limit), held; then --renders N renders of the
               --render body at once.
  uploads      --uploads N uploads of --upload-mib MiB each at once, streamed, read back
               while sending. Reports each status and Retry-After.
  admissions   --admissions N render requests of --admission-mib MiB each at once, with
               frame ranges the worker must refuse (half over its frame cap, half past the
               scene's end). Reports each status.

Meanwhile, every --probe-ms milliseconds, a health request on a fresh connection (its
latency from connect to the whole answer), and the worker's resident memory from /proc.
Prints one JSON object; asserting is the Swift tests' job (WorkerFloodTests).
"""
import argparse
import asyncio
import hashlib
import json
import multiprocessing
import os
import resource
import socket
import sys
import threading
import time

HOST = "127.0.0.1"


def rss_mib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def head(method, path, token, length=None, extra=None):
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    lines += extra or []
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def read_answer(reader, timeout):
    """Reads one answer: (status, headers) or ('closed', {}) / ('timeout', {})."""
    try:
        data = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
    except asyncio.TimeoutError:
        return "timeout", {}
    except (asyncio.IncompleteReadError, OSError):
        return "closed", {}
    lines = data.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name:
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    try:
        await asyncio.wait_for(reader.readexactly(length), timeout)
    except (asyncio.TimeoutError, asyncio.IncompleteReadError, OSError):
        pass
    parts = lines[0].split(" ")
    return (parts[1] if len(parts) > 1 else "closed"), headers


async def wait_closed(reader, started, deadline):
    """Seconds until the worker closes the connection, or None if it stays open until deadline."""
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            data = await asyncio.wait_for(reader.read(65536), left)
            if not data:
                return round(time.monotonic() - started, 2)
    except asyncio.TimeoutError:
        return None
    except OSError:
        return round(time.monotonic() - started, 2)


# MARK: - Floods

async def slowloris(args, result, deadline, prepared):
    async def slow(kind, prefix, trickle):
        started = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(HOST, args.port)
        except OSError:
            result.setdefault(kind, []).append("refused")
            return
        async def send():
            try:
                if prefix:
                    writer.write(prefix)
                for byte in trickle:
                    writer.write(bytes([byte]))
                    await writer.drain()
                    await asyncio.sleep(1)
            except (OSError, ConnectionError):
                pass
        sender = asyncio.create_task(send())
        closed = await wait_closed(reader, started, deadline)
        sender.cancel()
        writer.close()
        result.setdefault(kind, []).append(closed)

    jobs = []
    request = head("GET", "/v1/health", args.token) * 1
    for _ in range(args.heads):
        jobs.append(slow("slow-head", b"", request))
    for _ in range(args.idle):
        jobs.append(slow("idle", b"", b""))
    for i in range(args.slow_bodies):
        path = "/v1/render" if i % 2 else "/v1/blobs/" + hashlib.sha256(str(i).encode()).hexdigest()
        method = "POST" if i % 2 else "PUT"
        jobs.append(slow("slow-body", head(method, path, args.token, length=1 << 20), b"x" * 100000))
    await asyncio.gather(*jobs)
    await asyncio.sleep(max(0, deadline - time.monotonic()))


async def descriptors(args, result, deadline, prepared):
    held = []
    for _ in range(args.connections):
        try:
            held.append(await asyncio.wait_for(asyncio.open_connection(HOST, args.port), 2))
        except (OSError, asyncio.TimeoutError):
            break
    result["opened"] = len(held)
    body = open(args.render, "rb").read() if args.render else b""

    async def render():
        try:
            reader, writer = await asyncio.open_connection(HOST, args.port)
            writer.write(head("POST", "/v1/render", args.token, length=len(body), extra=["Content-Type: application/json"]) + body)
            await writer.drain()
            # The answer is awaited past the flood's window: a render admitted late on a
            # loaded machine still owes its answer, and that answer is what is tested.
            status, headers = await read_answer(reader, max(60, deadline - time.monotonic()))
            writer.close()
            return status
        except OSError:
            return "refused"

    if body:
        result["renders"] = await asyncio.gather(*[render() for _ in range(args.renders)])
    # Held until the end, whatever the worker did with them meanwhile.
    await asyncio.sleep(max(0, deadline - time.monotonic() - 0.5))
    result["still-open"] = sum(1 for reader, _ in held if not reader.at_eof())
    for _, writer in held:
        writer.close()


def upload_blocks(seed, mib):
    base = hashlib.sha256(str(seed).encode()).digest() * (1 << 15)  # 1 MiB
    for i in range(mib):
        yield i.to_bytes(8, "little") + base[8:]


def prepare_uploads(args):
    """Every digest, before any flood starts: hashing blocks the event loop."""
    names = []
    for seed in range(args.uploads):
        digest = hashlib.sha256()
        for block in upload_blocks(seed, args.upload_mib):
            digest.update(block)
        names.append(digest.hexdigest())
    return names


async def uploads(args, result, deadline, names):
    async def upload(seed):
        name = names[seed]
        try:
            reader, writer = await asyncio.open_connection(HOST, args.port)
        except OSError:
            return {"status": "refused"}
        writer.write(head("PUT", "/v1/blobs/" + name, args.token, length=args.upload_mib << 20))
        answer = asyncio.create_task(read_answer(reader, max(1, deadline - time.monotonic())))
        try:
            for block in upload_blocks(seed, args.upload_mib):
                if answer.done():
                    break
                writer.write(block)
                await writer.drain()
        except (OSError, ConnectionError):
            pass
        status, headers = await answer
        writer.close()
        return {"status": status, "retry-after": headers.get("retry-after"), "digest": name}

    result["uploads"] = await asyncio.gather(*[upload(seed) for seed in range(args.uploads)])


def big_scene(mib):
    """A JSON scene of about `mib` MiB: many small layers, slow to decode."""
    layer = '{"rect": {"size": [4, 4]}, "position": [%d, 8], "fill": "#e94560"}'
    layers = []
    size = 0
    i = 0
    while size < mib << 20:
        text = layer % (i % 64)
        layers.append(text)
        size += len(text) + 1
        i += 1
    return '{"reel": 1, "canvas": {"size": [64, 64], "duration": "3f"}, "layers": [' + ",".join(layers) + "]}"


def prepare_admissions(args):
    """The bodies, before any flood starts: building megabytes of JSON blocks the event loop."""
    scene = big_scene(args.admission_mib)
    out = {"kind": "png", "container": "png", "codec": "libx264", "options": {}, "pngCompression": 6, "pngFilter": "up", "scale": 1}

    def body(last):
        return json.dumps({"protocolVersion": 1, "first": 0, "last": last, "output": out,
                           "scene": {"text": scene, "path": "/coordinator/big.json", "folder": "/coordinator", "files": {},
                                     "overrides": {}, "adjustments": {"transparent": False}}}).encode()

    # Over the frame cap (refused on sight), and past the scene's end (refused once decoded).
    return [body(10_000_000 if i % 2 == 0 else 99) for i in range(args.admissions)]


async def admissions(args, result, deadline, bodies):
    result["admission-bytes"] = len(bodies[0]) if bodies else 0

    async def send(payload):
        started = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(HOST, args.port)
            writer.write(head("POST", "/v1/render", args.token, length=len(payload), extra=["Content-Type: application/json"]) + payload)
            await writer.drain()
            # The answer is awaited past the flood's window: a render admitted late on a
            # loaded machine still owes its answer, and that answer is what is tested.
            status, headers = await read_answer(reader, max(60, deadline - time.monotonic()))
            writer.close()
        except OSError:
            status, headers = "closed", {}
        return {"status": status, "retry-after": headers.get("retry-after"), "seconds": round(time.monotonic() - started, 2)}

    result["admissions"] = await asyncio.gather(*[send(b) for b in bodies])


# MARK: - Probes

def probe_health(args, latencies, stop):
    """In a process of its own (see `probes`), with a blocking socket: neither the floods'
    event loop nor the interpreter lock they hold while building 7 MB bodies may delay a
    probe's head after its connection opens (the worker would rightly take it for idle), or
    add to the latency measured."""
    request = head("GET", "/v1/health", args.token, extra=["Connection: close"])
    while not stop.is_set():
        started = time.monotonic()
        status = "closed"
        try:
            with socket.create_connection((HOST, args.port), timeout=10) as connection:
                connection.sendall(request)
                data = b""
                while True:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                if data.startswith(b"HTTP/1.1 "):
                    status = data.split(b" ")[1].decode()
        except socket.timeout:
            status = "timeout"
        except OSError:
            status = "refused"
        latencies.append({"status": status, "ms": round((time.monotonic() - started) * 1000, 1)})
        stop.wait(args.probe_ms / 1000)


def sample_rss(args, samples, stop):
    while not stop.is_set():
        value = rss_mib(args.pid)
        if value is not None:
            samples.append(round(value, 1))
        stop.wait(0.05)


def probes(args, stop, results):
    """The probing process: health and memory on two threads until `stop`, then both lists."""
    latencies, samples = [], []
    local = threading.Event()
    threads = [threading.Thread(target=probe_health, args=(args, latencies, local)),
               threading.Thread(target=sample_rss, args=(args, samples, local))]
    for thread in threads:
        thread.start()
    stop.wait()
    local.set()
    for thread in threads:
        thread.join()
    results.send((latencies, samples))


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("token")
    parser.add_argument("pid", type=int)
    parser.add_argument("floods")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--heads", type=int, default=100)
    parser.add_argument("--idle", type=int, default=50)
    parser.add_argument("--slow-bodies", type=int, default=10)
    parser.add_argument("--connections", type=int, default=400)
    parser.add_argument("--renders", type=int, default=4)
    parser.add_argument("--render")
    parser.add_argument("--uploads", type=int, default=4)
    parser.add_argument("--upload-mib", type=int, default=128)
    parser.add_argument("--admissions", type=int, default=12)
    parser.add_argument("--admission-mib", type=int, default=7)
    parser.add_argument("--probe-ms", type=int, default=100)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    floods = {"slowloris": slowloris, "descriptors": descriptors, "uploads": uploads, "admissions": admissions}
    preparations = {"uploads": prepare_uploads, "admissions": prepare_admissions}
    names = args.floods.split(",")
    prepared = {name: preparations[name](args) if name in preparations else None for name in names}
    result = {"rss_before_mib": rss_mib(args.pid)}
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    receiving, sending = context.Pipe(duplex=False)
    prober = context.Process(target=probes, args=(args, stop, sending))
    prober.start()
    started = time.monotonic()
    deadline = started + args.seconds
    await asyncio.gather(*[floods[name](args, result, deadline, prepared[name]) for name in names])
    stop.set()
    latencies, samples = receiving.recv()
    prober.join()
    result["seconds"] = round(time.monotonic() - started, 2)
    result["health"] = latencies
    result["rss_mib"] = samples
    result["alive"] = os.path.exists(f"/proc/{args.pid}")
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
