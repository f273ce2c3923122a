"""Durability and readiness against a real `epsom serve`, as CI runs them.

    python3 scripts/ops/crash_and_readiness.py path/to/epsom [postgres://…]

1. Kill round, on an SQLite file (and on PostgreSQL when a URL is given): a burst of diary
   writes from two client threads, `kill -9` in the middle of it, a restart, and a read of every
   write that had been acknowledged. Any acknowledged write missing is a failure.
2. Readiness, on PostgreSQL: /readyz answers 200; the database is stopped (the shell command in
   EPSOM_PG_STOP); /readyz must answer 503 with Retry-After; the database is started again
   (EPSOM_PG_START); /readyz must answer 200 again, with no restart of the server.

Traffic goes only to 127.0.0.1, in bounded loops. Exits non-zero, naming the step, on failure.
Ends with one line saying how many checks passed.
"""
import datetime, json, os, signal, socket, subprocess, sys, tempfile, threading, time, urllib.error, urllib.request

binary = sys.argv[1]
postgres = sys.argv[2] if len(sys.argv) > 2 else None
passed = 0


def fail(step, detail=""):
    print(f"FAILED: {step} {detail}")
    print(f"crash and readiness: {passed} checks passed before this failure")
    sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, method, path, body=None, token=None, timeout=5):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), dict(e.headers)


def start(database):
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--port", str(port), "--database", database],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if request(base, "GET", "/healthz", timeout=1)[0] == 200:
                return server, base
        except Exception:
            time.sleep(0.05)
    fail("server start", database)


def token_for(base, email):
    status, _, _ = request(base, "POST", "/api/v1/accounts", {"email": email, "password": "correct horse battery", "name": "Crash"})
    if status not in (201, 409):
        fail("sign-up", str(status))
    status, body, _ = request(base, "POST", "/api/v1/sessions", {"email": email, "password": "correct horse battery"})
    if status != 201:
        fail("sign-in", str(status))
    return json.loads(body)["token"]


def kill_round(label, database):
    global passed
    server, base = start(database)
    email = f"crash-{label}-{os.getpid()}@example.org"
    token = token_for(base, email)
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    first = datetime.date(2000, 1, 1)

    def writer(offset):
        n = offset
        while not stop.is_set() and n < 20000:
            date = (first + datetime.timedelta(days=n)).isoformat()
            try:
                status, _, _ = request(base, "PUT", f"/api/v1/diary/{date}", {"pain": n % 11}, token, timeout=2)
            except Exception:
                return  # the server is gone: this write was never acknowledged
            if status in (200, 201):
                with lock:
                    acknowledged.append((date, n % 11))
            n += 2

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    server.send_signal(signal.SIGKILL)
    server.wait()
    stop.set()
    for t in threads:
        t.join(timeout=10)
    if len(acknowledged) < 20:
        fail(f"kill round ({label})", f"only {len(acknowledged)} writes before the kill")
    server, base = start(database)
    token = token_for(base, email)
    lost = [d for d, pain in acknowledged
            if (lambda r: r[0] != 200 or json.loads(r[1]).get("pain") != pain)(request(base, "GET", f"/api/v1/diary/{d}", token=token))]
    server.terminate()
    server.wait(timeout=10)
    if lost:
        fail(f"kill round ({label})", f"{len(lost)} of {len(acknowledged)} acknowledged writes lost, e.g. {lost[:3]}")
    print(f"kill -9 round ({label}): {len(acknowledged)} acknowledged writes, 0 lost")
    passed += 1


def wait_for(base, status, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            answer = request(base, "GET", "/readyz", timeout=2)
            if answer[0] == status:
                return answer
        except Exception:
            pass
        time.sleep(0.2)
    return None


def readiness_round(url):
    global passed
    server, base = start(url)
    if not wait_for(base, 200, 5):
        fail("readiness: 200 while the database runs")
    subprocess.run(os.environ["EPSOM_PG_STOP"], shell=True, check=True)
    try:
        down = wait_for(base, 503, 15)
        if not down or "Retry-After" not in down[2] or "error" not in json.loads(down[1]):
            fail("readiness: 503 with Retry-After and the JSON error while the database is stopped")
    finally:
        subprocess.run(os.environ["EPSOM_PG_START"], shell=True, check=True)
    started = time.time()
    if not wait_for(base, 200, 30):
        fail("readiness: 200 again after the database is back, without a restart")
    print(f"readiness (PostgreSQL): 200, 503 with Retry-After while stopped, 200 again {time.time() - started:.1f} s after restart")
    server.terminate()
    server.wait(timeout=10)
    passed += 1


kill_round("SQLite", "sqlite:" + os.path.join(tempfile.mkdtemp(), "crash.sqlite"))
if postgres:
    kill_round("PostgreSQL", postgres)
    if os.environ.get("EPSOM_PG_STOP") and os.environ.get("EPSOM_PG_START"):
        readiness_round(postgres)
print(f"crash and readiness: all {passed} checks passed")
