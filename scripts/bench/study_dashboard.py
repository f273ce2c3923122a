#!/usr/bin/env python3
"""A study's monitoring dashboard at scale: GET /studies/:id end to end, through the real app.

    epsom-build swift build -c release --product epsom
    epsom-build python3 scripts/bench/study_dashboard.py [--postgres URL] [--before PATH] [--requests 30]

For each database (a temporary SQLite file; with --postgres, a PostgreSQL database that the
script drops and makes anew, so give it one of its own, e.g. .../epsom_bench_dash):

1. `epsom serve --demo` makes the demo study (registered, blinded, 84-day trials, a pharmacist)
   and prints its investigator's login; the server is stopped.
2. The study gets 1,000 participants in plain SQL: an account, a trial (a copy of one of the 20
   demo participants' trials, so real designs, schedules, jar letters and staggered dates, under
   a new id), an enrolment, a diary entry for each of the trial's 84 days (84,000 rows, about 5%
   with a side effect) and an adherence answer for about 99% of them (~83,000 trial days). 20
   participants left the study (half withdrew their data); 3 were stopped by a severe side effect.
   The 20 demo participants are removed first. The study is set running (registered).
3. With --before (a build of the code before stored summaries), that binary serves the data
   first and is timed: it counts the diaries on every request.
4. The release `epsom serve` under test starts on the same data and is timed. The rows of step 2
   bypass the store (whose every write recounts the participant's stored summary), so step 2
   rewinds migration 0015 and the server's start counts the 1,000 summaries, as an upgrade does
   (the start-up, migration included, is printed).

Each server is signed in to through the HTML form as the investigator, warmed up with 5
requests, then GET /studies/:id is requested `--requests` times in a row over one keep-alive
connection; median, p95, min and max wall time per request (the whole answer read) are printed,
with the answer's size. Then the same with the study closed (the allocations open: each
participant's arms are shown). Run it under the build lock so that no build shares the cores.
"""
import argparse
import http.client
import os
import platform
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(ROOT, ".build", "release", "epsom")
PARTICIPANTS = 1000
SEED = 16


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """`epsom serve` on loopback, until stopped."""

    def __init__(self, binary, database, demo=False):
        self.port = free_port()
        args = [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--database", database]
        if demo:
            args.append("--demo")
        self.started = time.perf_counter()
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.lines = []
        deadline = time.time() + 600
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                self.log.seek(0)
                raise RuntimeError("epsom serve stopped: " + self.log.read().decode(errors="replace")[-2000:])
            self.lines.append(line.strip())
            if line.startswith("Epsom on http://"):
                break
        self.wait_until_answering()
        self.startup_seconds = time.perf_counter() - self.started

    def wait_until_answering(self):
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/signin")
                c.getresponse().read()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not answer")

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def cookies(headers):
    return {v.split("=", 1)[0]: v.split(";", 1)[0] for k, v in headers if k.lower() == "set-cookie"}


def sign_in(port, email, password):
    """Signs in through the HTML form; returns the session cookie."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request("GET", "/signin")
    r = c.getresponse()
    body = r.read().decode()
    csrf = body.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    jar = cookies(r.getheaders())
    form = urllib.parse.urlencode({"csrf": csrf, "email": email, "password": password})
    c.request("POST", "/signin", form, {"content-type": "application/x-www-form-urlencoded", "cookie": "; ".join(jar.values())})
    r = c.getresponse()
    r.read()
    assert r.status == 303, r.status
    return cookies(r.getheaders())["epsom_session"]


def time_page(port, path, cookie, requests, warmup=5):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times, size = [], 0
    for i in range(warmup + requests):
        t = time.perf_counter()
        c.request("GET", path, headers={"cookie": cookie})
        r = c.getresponse()
        body = r.read()
        elapsed = time.perf_counter() - t
        assert r.status == 200, (r.status, body[:300])
        size = len(body)
        if i >= warmup:
            times.append(elapsed * 1000)
        last = body
    times.sort()
    return {
        "median": statistics.median(times), "p95": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
        "min": times[0], "max": times[-1], "bytes": size, "body": last.decode(errors="replace"),
    }


# ---- the database ------------------------------------------------------------------------------

class SQLite:
    name = "sqlite"

    def __init__(self, directory):
        self.path = os.path.join(directory, "dashboard.sqlite")
        self.location = "sqlite:" + self.path

    def query(self, sql):
        with sqlite3.connect(self.path) as db:
            return db.execute(sql).fetchall()

    def script(self, statements):
        db = sqlite3.connect(self.path)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN")
        for statement in statements:
            db.execute(statement)
        db.commit()
        db.close()


class Postgres:
    name = "postgresql"

    def __init__(self, url):
        self.location = url
        parts = urllib.parse.urlsplit(url)
        self.database = parts.path.lstrip("/")
        assert re.fullmatch(r"[a-z_][a-z0-9_]*", self.database), "a plain database name, please"
        admin = parts._replace(path="/postgres").geturl()
        for sql in [f"DROP DATABASE IF EXISTS {self.database}", f"CREATE DATABASE {self.database}"]:
            subprocess.run(["psql", admin, "-qAtc", sql], check=True)

    def query(self, sql):
        out = subprocess.run(["psql", self.location, "-qAt", "-F", "\t", "-c", sql], check=True, capture_output=True, text=True)
        return [tuple(line.split("\t")) for line in out.stdout.splitlines() if line]

    def script(self, statements):
        text = "BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;\n"
        subprocess.run(["psql", self.location, "-q", "-v", "ON_ERROR_STOP=1", "-f", "-"], input=text, check=True, text=True)


def quote(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def insert(table, columns, rows, batch=1000):
    for start in range(0, len(rows), batch):
        values = ",\n".join("(" + ", ".join(quote(v) for v in row) + ")" for row in rows[start:start + batch])
        yield f"INSERT INTO {table} ({', '.join(columns)}) VALUES\n{values}"


def populate(db, investigator_email):
    """Replaces the demo study's 20 participants with 1,000; returns the study's id and counts."""
    (study_id,), = db.query(
        f"SELECT s.id FROM studies s JOIN accounts a ON a.id = s.investigator_id WHERE a.email = {quote(investigator_email)}")
    columns = ("design_json", "schedule_json", "protocol_json", "protocol_hash", "registered_on", "consent_to_pool", "created_at")
    # Since migration 0017 an enrolment keeps its trial's jar letters and arm names: a copy of a
    # trial takes its template enrolment's. (Made by an older binary, 0017 copies them at the start.)
    copied = db.query("SELECT COUNT(*) FROM epsom_migrations WHERE name = '0017_enrolment_allocations'")[0][0] not in (0, "0")
    allocation = "e.jar_letters, e.arm_names" if copied else "NULL, NULL"
    templates = db.query(
        f"""SELECT t.design_json, t.schedule_json, t.protocol_json, t.protocol_hash, t.registered_on,
              CASE WHEN t.consent_to_pool THEN 1 ELSE 0 END, t.created_at, e.start_date, e.end_date, e.consent_sha256, e.consented_at,
              {allocation}
            FROM enrolments e JOIN trials t ON t.id = e.trial_id WHERE e.study_id = {quote(study_id)}
            ORDER BY e.participant_number""")
    assert len(templates) == 20, len(templates)
    rng = random.Random(SEED)
    accounts, trials, enrolments, diary, days = [], [], [], [], []
    stops = {}
    for n in range(1, PARTICIPANTS + 1):
        t = templates[(n - 1) % len(templates)]
        start, end = int(t[7]), int(t[8])
        account, trial = f"bench-participant-{n}", f"bench-trial-{n}"
        accounts.append((account, f"bench-participant-{n}@example.org", f"Participant {n}", "not-a-password-hash", "patient",
                         1_780_000_000))
        withdrawn = start + 30 if n % 50 == 0 else None
        keeps = None if withdrawn is None else (n % 100 != 0)
        severe_day = start + 40 if n in (7, 407, 807) else None
        stopped = withdrawn or severe_day
        reason = "Left the study." if withdrawn else ("A severe side effect was reported." if severe_day else None)
        stops[n] = (stopped, reason)
        trials.append((trial, account) + tuple(t[:4]) + (int(t[4]), stopped, reason, bool(int(t[5])), int(t[6])))
        enrolments.append((f"bench-enrolment-{n}", study_id, account, n, trial, t[9], int(t[10]), start, end, withdrawn, keeps)
                          + ((t[11], t[12]) if copied else ()))
        for day in range(start, end + 1):
            effect = "skin_irritation" if rng.random() < 0.05 else ""
            diary.append((account, day, rng.randint(1, 8), rng.randint(2, 9), effect, ""))
            if rng.random() < 0.99 and (stopped is None or day <= stopped):
                adherence = rng.choices(["yes", "partly", "no"], [0.85, 0.1, 0.05])[0]
                days.append((trial, day, adherence, day == severe_day))
    statements = [
        # These rows bypass the store, whose every write recounts the stored summaries: migration
        # 0015 is rewound so that the server's next start counts them, as an upgrade does.
        "DROP TABLE IF EXISTS study_participant_summaries",
        "DELETE FROM epsom_migrations WHERE name = '0015_study_participant_summaries'",
        # The demo's 20 participants go (their accounts take their trials, diaries and enrolments).
        "DELETE FROM accounts WHERE email LIKE 'participant-%@epsom.example'",
        f"UPDATE studies SET status = 'registered', closed_on = NULL WHERE id = {quote(study_id)}",
    ]
    statements += insert("accounts", ["id", "email", "name", "password_hash", "role", "created_at"], accounts)
    statements += insert("trials", ["id", "account_id", *columns[:4], "registered_on", "stopped_on", "stop_reason", "consent_to_pool",
                                    "created_at"], trials)
    statements += insert("enrolments", ["id", "study_id", "account_id", "participant_number", "trial_id", "consent_sha256",
                                        "consented_at", "start_date", "end_date", "withdrawn_on", "keeps_data"]
                         + (["jar_letters", "arm_names"] if copied else []), enrolments)
    statements += insert("diary_entries", ["account_id", "date", "pain", "sleep", "side_effects", "note"], diary)
    statements += insert("trial_days", ["trial_id", "date", "adherence", "severe_side_effect"], days)
    t = time.perf_counter()
    db.script(statements)
    return study_id, {"participants": len(enrolments), "diary": len(diary), "trial_days": len(days),
                      "load_seconds": time.perf_counter() - t}


def measure(binary, db, study_id, login, requests, label):
    server = Server(binary, db.location)
    try:
        cookie = sign_in(server.port, *login)
        rows = []
        for state in ["registered", "closed"]:
            db.script([f"UPDATE studies SET status = {quote(state)}, closed_on = {'NULL' if state == 'registered' else 'registered_on + 150'}"
                       f" WHERE id = {quote(study_id)}"])
            result = time_page(server.port, f"/studies/{study_id}", cookie, requests)
            body = result.pop("body")
            assert "P-1000" in body, "the page lists every participant"
            rows.append(dict(result, state=state, code=label, database=db.name, startup=server.startup_seconds))
        db.script([f"UPDATE studies SET status = 'registered', closed_on = NULL WHERE id = {quote(study_id)}"])
        return rows
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=BIN)
    parser.add_argument("--before", help="an epsom binary of the code before, timed first on the same data")
    parser.add_argument("--postgres", default=os.environ.get("EPSOM_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL URL naming a database of the benchmark's own: it is dropped and made anew")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    assert args.requests >= 20

    results, loads = [], []
    with tempfile.TemporaryDirectory() as directory:
        databases = []
        if args.only != "postgresql":
            databases.append(SQLite(directory))
        if args.postgres and args.only != "sqlite":
            databases.append(Postgres(args.postgres))
        for db in databases:
            # The demo study, made by the oldest binary given, so that the newer one migrates it.
            seeder = Server(args.before or args.binary, db.location, demo=True)
            seeder.stop()
            match = next(re.search(r"investigator (\S+), pharmacist .*password: (\S+)", line) for line in seeder.lines
                         if line.startswith("Demo study:"))
            login = (match.group(1), match.group(2))
            study_id, counts = populate(db, login[0])
            loads.append(dict(counts, database=db.name))
            print(f"{db.name}: {counts}", file=sys.stderr)
            if args.before:
                results += measure(args.before, db, study_id, login, args.requests, "before")
            results += measure(args.binary, db, study_id, login, args.requests, "after")

    print(f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| database | code | study | requests | median (ms) | p95 (ms) | min (ms) | max (ms) | answer (KB) | server start (s) |")
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['database']} | {r['code']} | {r['state']} | {args.requests} | {r['median']:.1f} | {r['p95']:.1f} | {r['min']:.1f} | "
              f"{r['max']:.1f} | {r['bytes'] / 1024:.0f} | {r['startup']:.2f} |")
    print()
    for load in loads:
        print(f"{load['database']}: {load['participants']} participants, {load['diary']} diary rows, {load['trial_days']} trial days "
              f"(loaded in {load['load_seconds']:.1f} s)")


if __name__ == "__main__":
    main()
