#!/usr/bin/env python3
"""Responsiveness under load: diary-read latency while other people import and flood sign-in,
the workbench's cost per study as tables grow, and what synchronous=FULL costs SQLite writes.

    epsom-build python3 scripts/bench/responsive_under_load.py [--postgres URL] [--skip-build]

Starts a release `epsom serve` on a temporary SQLite file (and, with --postgres or
EPSOM_BENCH_POSTGRES_URL, on that database too), on loopback only. Every load loop is bounded in
count and time and stops by itself. Prints Markdown tables for docs/performance.md.

Load generators run in processes of their own (Python's GIL would otherwise make the reader wait
for the flood's threads), on the same two cores as the server: the figures include that contention.
Latency is measured from when each read was *scheduled* (a fixed rate, open loop), so a stalled
server shows up as latency rather than as fewer requests.
"""
import argparse
import http.client
import json
import multiprocessing as mp
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release", "epsom")
PASSWORD = "correct horse battery"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Client:
    """One keep-alive HTTP/1.1 connection to the server."""

    def __init__(self, port, timeout=120):
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def call(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        data = body.encode() if isinstance(body, str) else body
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                return response.status, payload, response.getheaders()
            except (http.client.HTTPException, ConnectionError, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt:
                    raise

    def json(self, method, path, obj, token=None):
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = "Bearer " + token
        return self.call(method, path, json.dumps(obj), headers)


def sign_up(port, email):
    c = Client(port)
    status, body, _ = c.json("POST", "/api/v1/accounts", {"email": email, "password": PASSWORD, "name": "Bench"})
    assert status == 201, (status, body[:200])
    status, body, _ = c.json("POST", "/api/v1/sessions", {"email": email, "password": PASSWORD})
    assert status == 201, (status, body[:200])
    return json.loads(body)["token"]


def browser_session(port, email):
    """Signs in through the HTML form; returns (cookie header, CSRF token of the session)."""
    c = Client(port)
    status, body, headers = c.call("GET", "/signin")
    csrf = body.decode().split('name="csrf" value="', 1)[1].split('"', 1)[0]
    cookie = "; ".join(v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie")
    form = urllib.parse.urlencode({"csrf": csrf, "email": email, "password": PASSWORD})
    status, body, headers = c.call("POST", "/signin", form, {"content-type": "application/x-www-form-urlencoded", "cookie": cookie})
    assert status == 303, (status, body[:300])
    session = [v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie" and v.startswith("epsom_session=")][0]
    status, body, _ = c.call("GET", "/evidence/workbench", headers={"cookie": session})
    csrf = body.decode().split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return session, csrf


def diary_csv(rows, note="imported"):
    start = 719_163  # 1970-01-01 as a proleptic ordinal
    import datetime
    lines = ["date,pain,sleep,note"]
    for i in range(rows):
        lines.append(f"{datetime.date.fromordinal(start + i).isoformat()},{i % 11},{(i * 7) % 11},{note} {i}")
    return "\n".join(lines) + "\n"


# ---- background loads, each in a process of its own -------------------------------------------

def import_loop(port, token, stop, stats):
    """Imports a 20,000-row diary again and again (each an upsert of the same dates) until stopped."""
    c = Client(port)
    body = diary_csv(20_000)
    times = []
    while not stop.is_set():
        t = time.perf_counter()
        status, payload, _ = c.call("POST", "/api/v1/import/diary", body, {"authorization": "Bearer " + token, "content-type": "text/csv"})
        if status != 200:
            stats.put(("import-error", status, payload[:200].decode(errors="replace")))
            break
        times.append(time.perf_counter() - t)
    stats.put(("import", times))


def flood_worker(port, stop, counts, seed):
    c = Client(port)
    rng = random.Random(seed)
    n = {"401": 0, "429": 0, "other": 0}
    while not stop.is_set():
        # A new address and a new (unknown) email each time: neither limit stops the flood, so
        # every request costs a bcrypt verify against the decoy hash, and two counter writes.
        address = f"198.51.100.{rng.randrange(1, 255)}"
        email = f"nobody{rng.randrange(10**9)}@example.org"
        status, _, _ = c.call("POST", "/api/v1/sessions", json.dumps({"email": email, "password": "wrong guess"}),
                              {"content-type": "application/json", "x-forwarded-for": address})
        key = str(status) if str(status) in n else "other"
        n[key] += 1
    counts.put(n)


def flood(port, stop, counts, connections=32):
    threads = [threading.Thread(target=flood_worker, args=(port, stop, counts, i)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# ---- the measured reader ------------------------------------------------------------------------

def read_latencies(port, token, rate=100, count=3000, workers=8):
    """GET /api/v1/diary/{date} at a fixed rate; latency from each request's scheduled time."""
    start = time.perf_counter() + 0.2
    latencies = [None] * count
    next_index = [0]
    lock = threading.Lock()
    errors = [0]

    def worker():
        c = Client(port)
        headers = {"authorization": "Bearer " + token}
        while True:
            with lock:
                i = next_index[0]
                next_index[0] += 1
            if i >= count:
                return
            scheduled = start + i / rate
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            day = 1 + i % 28
            status, _, _ = c.call("GET", f"/api/v1/diary/2026-02-{day:02d}", headers=headers)
            if status != 200:
                errors[0] += 1
            latencies[i] = (time.perf_counter() - scheduled) * 1000

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(latencies), errors[0]


def pct(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def start_server(database, env_extra=None, log=None):
    port = free_port()
    env = dict(os.environ)
    env.update(env_extra or {})
    server = subprocess.Popen([BIN, "serve", "--port", str(port), "--database", database], stdout=log, stderr=log, env=env)
    for _ in range(300):
        try:
            if Client(port, timeout=1).call("GET", "/healthz")[0] == 200:
                return server, port
        except OSError:
            pass
        time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def stop_server(server):
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def responsiveness(label, database, work, rate, count):
    with open(os.path.join(work, f"{label}-serve.log"), "w") as log:
        server, port = start_server(database, log=log)
        try:
            reader = sign_up(port, f"reader-{label}@example.org")
            c = Client(port)
            for day in range(1, 29):
                c.json("PUT", f"/api/v1/diary/2026-02-{day:02d}", {"pain": day % 11, "note": "bench"}, reader)
            importer = sign_up(port, f"importer-{label}@example.org")
            rows = []
            notes = []
            for scenario in ["idle", "import", "flood", "import + flood"]:
                stop = mp.Event()
                queue = mp.Queue()
                procs = []
                if "import" in scenario:
                    procs.append(mp.Process(target=import_loop, args=(port, importer, stop, queue)))
                if "flood" in scenario:
                    procs.append(mp.Process(target=flood, args=(port, stop, queue)))
                for p in procs:
                    p.start()
                if procs:
                    time.sleep(1.5)  # let the load get going
                latencies, errors = read_latencies(port, reader, rate=rate, count=count)
                stop.set()
                imports, floods = [], {"401": 0, "429": 0, "other": 0}
                expected = (1 if "import" in scenario else 0) + (32 if "flood" in scenario else 0)
                for _ in range(expected):
                    item = queue.get(timeout=300)
                    if isinstance(item, dict):
                        for k, v in item.items():
                            floods[k] += v
                    elif item[0] == "import":
                        imports = item[1]
                    else:
                        notes.append(f"{label} {scenario}: import failed: {item}")
                for p in procs:
                    p.join(timeout=60)
                extra = []
                if imports:
                    extra.append(f"{len(imports)} imports of 20,000 rows, median {statistics.median(imports) * 1000:.0f} ms each")
                if "flood" in scenario:
                    total = sum(floods.values())
                    extra.append(f"{total} wrong sign-ins ({floods['401']} × 401, {floods['429']} × 429, {floods['other']} other)")
                rows.append(f"| {label} | {scenario} | {count} at {rate}/s | {pct(latencies, 50):.1f} | {pct(latencies, 95):.1f} | "
                            f"{pct(latencies, 99):.1f} | {latencies[-1]:.1f} | {errors} | {'; '.join(extra) or '–'} |")
            return rows, notes
        finally:
            stop_server(server)


def workbench(work, sizes, repeats=3):
    with open(os.path.join(work, "workbench-serve.log"), "w") as log:
        server, port = start_server("sqlite:" + os.path.join(work, "workbench.sqlite"), log=log)
        try:
            sign_up(port, "meta@example.org")
            session, csrf = browser_session(port, "meta@example.org")
            rows = []
            c = Client(port, timeout=600)
            rng = random.Random(1)
            for k in sizes:
                csv = "study,yi,vi\n" + "".join(f"s{i},{rng.gauss(0.2, 0.3):.4f},{rng.uniform(0.01, 0.06):.4f}\n" for i in range(k))
                for fmt in ["json", "html"]:
                    form = urllib.parse.urlencode({"csrf": csrf, "measure": "GEN", "method": "REML", "test": "z", "format": fmt, "csv": csv})
                    times, size = [], 0
                    for _ in range(repeats):
                        t = time.perf_counter()
                        status, body, _ = c.call("POST", "/evidence/workbench", form,
                                                 {"content-type": "application/x-www-form-urlencoded", "cookie": session})
                        times.append(time.perf_counter() - t)
                        assert status == 200, (k, status, body[:300])
                        size = len(body)
                    m = statistics.median(times)
                    rows.append(f"| {k:,} | {fmt} | {len(form) / 1e6:.1f} MB | {size / 1e6:.1f} MB | {m * 1000:,.0f} | {m / k * 1e6:.1f} |")
            return rows
        finally:
            stop_server(server)


def leave_one_out_cli(work, sizes):
    """The quadratic part that the page now leaves out above 500 studies, through the CLI."""
    rows = []
    rng = random.Random(2)
    for k in sizes:
        path = os.path.join(work, f"loo-{k}.csv")
        with open(path, "w") as f:
            f.write("study,yi,vi\n" + "".join(f"s{i},{rng.gauss(0.2, 0.3):.4f},{rng.uniform(0.01, 0.06):.4f}\n" for i in range(k)))
        timings = {}
        for flag in [[], ["--leave-one-out"]]:
            t = time.perf_counter()
            subprocess.run([BIN, "meta", path, "--measure", "GEN", "--method", "REML", *flag], check=True, stdout=subprocess.DEVNULL)
            timings[bool(flag)] = time.perf_counter() - t
        rows.append(f"| {k:,} | {timings[False] * 1000:,.0f} | {timings[True] * 1000:,.0f} |")
    return rows


def writes(label, database, work, env, seconds=10, processes=4, threads=4):
    """Diary PUTs from processes × threads closed-loop clients for `seconds`."""
    with open(os.path.join(work, f"{label}-writes.log"), "w") as log:
        server, port = start_server(database, env_extra=env, log=log)
        try:
            token = sign_up(port, f"writer-{label}@example.org")
            queue = mp.Queue()
            deadline = time.time() + 1 + seconds
            procs = [mp.Process(target=put_worker, args=(port, token, deadline, threads, queue, i)) for i in range(processes)]
            for p in procs:
                p.start()
            latencies, errors = [], 0
            for _ in procs:
                lat, err = queue.get(timeout=seconds + 120)
                latencies += lat
                errors += err
            for p in procs:
                p.join()
            latencies.sort()
            return (len(latencies) / seconds, pct(latencies, 50), pct(latencies, 99), errors)
        finally:
            stop_server(server)


def put_worker(port, token, deadline, threads, queue, seed):
    out, lock = [], threading.Lock()
    errors = [0]
    start = deadline - 0  # measured window: the last `seconds` before the deadline (1 s warm-up)

    def one(i):
        c = Client(port)
        rng = random.Random(seed * 100 + i)
        headers = {"authorization": "Bearer " + token, "content-type": "application/json"}
        warm_until = time.time() + 1
        while time.time() < deadline:
            day = rng.randrange(3650)
            path = f"/api/v1/diary/{2016 + day // 365:04d}-{day % 365 // 31 + 1:02d}-{day % 28 + 1:02d}"
            t = time.perf_counter()
            status, _, _ = c.call("PUT", path, json.dumps({"pain": rng.randrange(11), "sleep": rng.randrange(11), "note": "load test"}), headers)
            ms = (time.perf_counter() - t) * 1000
            if time.time() >= warm_until and time.time() < deadline:
                with lock:
                    out.append(ms)
                    if status not in (200, 201):
                        errors[0] += 1

    ts = [threading.Thread(target=one, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    queue.put((out, errors[0]))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", default=os.environ.get("EPSOM_BENCH_POSTGRES_URL"))
    parser.add_argument("--skip-build", action="store_true")
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--sizes", default="8000,16000,32000,64000")
    parser.add_argument("--only", default="all", help="all, responsiveness, workbench, sync")
    args = parser.parse_args()
    if not args.skip_build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "epsom"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    work = tempfile.mkdtemp(prefix="epsom-responsive.")
    print(f"Machine: {os.cpu_count()} cores, {platform.machine()}, {platform.platform()}; Python {platform.python_version()}; {time.strftime('%Y-%m-%d')}")
    print()
    if args.only in ("all", "responsiveness"):
        print("| database | background load | reads | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | failed reads | background work done |")
        print("|---|---|---|---:|---:|---:|---:|---:|---|")
        targets = [("sqlite", "sqlite:" + os.path.join(work, "responsive.sqlite"))]
        if args.postgres:
            targets.append(("postgresql", args.postgres))
        all_notes = []
        for label, database in targets:
            rows, notes = responsiveness(label, database, work, args.rate, args.count)
            all_notes += notes
            print("\n".join(rows), flush=True)
        for n in all_notes:
            print("-", n)
        print()
    if args.only in ("all", "workbench"):
        sizes = [int(s) for s in args.sizes.split(",")]
        print("| studies | answer | form sent | answer size | median time (ms) | µs per study |")
        print("|---:|---|---:|---:|---:|---:|")
        print("\n".join(workbench(work, sizes)), flush=True)
        print()
        print("| studies | epsom meta, REML (ms) | with --leave-one-out (ms) |")
        print("|---:|---:|---:|")
        print("\n".join(leave_one_out_cli(work, [1000, 2000, 4000, 8000])), flush=True)
        print()
    if args.only in ("all", "sync"):
        print("| SQLite synchronous | diary writes/s | p50 (ms) | p99 (ms) | non-2xx |")
        print("|---|---:|---:|---:|---:|")
        results = {}
        for mode in ["FULL", "NORMAL"]:
            results[mode] = writes(mode.lower(), "sqlite:" + os.path.join(work, f"sync-{mode}.sqlite"), work,
                                   {"EPSOM_BENCH_SQLITE_SYNCHRONOUS": mode})
            rps, p50, p99, errors = results[mode]
            print(f"| {mode} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {errors} |", flush=True)
        print()
        print(f"FULL/NORMAL throughput ratio: {results['FULL'][0] / results['NORMAL'][0]:.2f}; "
              f"p99 ratio: {results['FULL'][2] / results['NORMAL'][2]:.2f}")


if __name__ == "__main__":
    main()
