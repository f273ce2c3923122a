#!/usr/bin/env python3
"""A closed study's report at scale: the close (which computes and stores the analysis), then
GET /studies/:id/report from the stored analysis, end to end through the real app.

    epsom-build swift build -c release --product epsom
    epsom-build python3 scripts/bench/study_report.py [--postgres URL] [--requests 30]

For each database (a temporary SQLite file; with --postgres, a PostgreSQL database that the
script drops and makes anew, so give it one of its own, e.g. .../epsom_bench_report):

1. `epsom serve --demo` makes the demo study and prints its investigator's login; it is stopped.
2. The study gets the 1,000 participants of `study_dashboard.py` (the same seeded rows: 84 days
   each, 84,000 diary rows, ~83,000 adherence answers, 20 withdrawals, 3 safety stops), and 80% of
   them a diary in the 14 days before their first day (~10,000 more rows), which the report's
   baseline table reads. The study is left running (registered), its analysis not yet made.
3. The release `epsom serve` under test starts on that data. The investigator signs in through
   the HTML form and closes the study through its form, as a person would. The close computes the
   whole analysis (the export's queries, every participant's model five times, the pooling, the
   forest plot) on the heavy-work thread, stores it, and then answers: that request is timed once.
4. GET /studies/:id/report (and /analysis.json) is requested `--requests` times in a row over one
   keep-alive connection after 5 warm-up requests, reading the stored analysis; median, p95, min
   and max wall time per request (the whole answer read) and the answer's size are printed.

The report's words are checked on the way: every participant is in its table, the forest plot
draws histograms (not 1,000 rows) and says so, and the baseline table summarises the diaries
before the first day. Run it under the build lock so that no build shares the cores.
"""
import argparse
import http.client
import os
import platform
import random
import re
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import study_dashboard as dash  # noqa: E402  (the seeding and the timing are shared)

BASELINE_SEED = 17


def add_diaries_before(db, study_id):
    """A diary in the 14 days before the first day for 4 of 5 participants, most days logged."""
    rows = db.query(f"SELECT account_id, start_date FROM enrolments WHERE study_id = {dash.quote(study_id)} ORDER BY participant_number")
    rng = random.Random(BASELINE_SEED)
    diary = []
    for number, (account, start) in enumerate(rows, start=1):
        if number % 5 == 0:
            continue
        for offset in range(14, 0, -1):
            if rng.random() < 0.85:
                diary.append((account, int(start) - offset, rng.randint(3, 8), rng.randint(2, 9), "", ""))
    db.script(list(dash.insert("diary_entries", ["account_id", "date", "pain", "sleep", "side_effects", "note"], diary)))
    return len(diary)


def close(port, cookie, study_id):
    """Closes the study through its form; returns the seconds until the answer (analysis included)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=900)
    c.request("GET", f"/studies/{study_id}", headers={"cookie": cookie})
    r = c.getresponse()
    body = r.read().decode()
    assert r.status == 200, r.status
    csrf = body.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    form = urllib.parse.urlencode({"csrf": csrf, "confirm": "yes"})
    t = time.perf_counter()
    c.request("POST", f"/studies/{study_id}/close", form,
              {"content-type": "application/x-www-form-urlencoded", "cookie": cookie})
    r = c.getresponse()
    r.read()
    elapsed = time.perf_counter() - t
    assert r.status == 303, f"the close was refused: {r.status}"
    return elapsed


def check_report(body):
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "P-1000" in text, "the table lists every participant"
    assert "the plot shows how their estimates are spread rather than a row each" in text, "histograms, said in words"
    assert "drawn as histograms" in body, "the plot's <desc>"
    assert "The participants at the start" in text and "Not collected" in text, "the baseline table"
    assert re.search(r"Pain \(0–10\) \(primary outcome\) \d+ of \d+ \d", text), "the baseline pain summarised"
    assert "NaN" not in text and "nan" not in text


def measure(binary, db, study_id, login, requests):
    server = dash.Server(binary, db.location)
    try:
        cookie = dash.sign_in(server.port, *login)
        close_seconds = close(server.port, cookie, study_id)
        (stored,), = db.query(f"SELECT COUNT(*) FROM study_results WHERE study_id = {dash.quote(study_id)}")
        assert int(stored) == 1, "the close stored the analysis"
        (json_bytes, svg_bytes), = db.query(
            f"SELECT LENGTH(analysis_json), LENGTH(forest_svg) FROM study_results WHERE study_id = {dash.quote(study_id)}")
        rows = []
        for page in ["report", "analysis.json"]:
            result = dash.time_page(server.port, f"/studies/{study_id}/{page}", cookie, requests)
            body = result.pop("body")
            if page == "report":
                check_report(body)
            rows.append(dict(result, page=page, database=db.name))
        return rows, dict(database=db.name, close=close_seconds, startup=server.startup_seconds, json=int(json_bytes),
                          svg=int(svg_bytes))
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=dash.BIN)
    parser.add_argument("--postgres", default=os.environ.get("EPSOM_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL URL naming a database of the benchmark's own: it is dropped and made anew")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    assert args.requests >= 20

    results, closes, loads = [], [], []
    with tempfile.TemporaryDirectory() as directory:
        databases = []
        if args.only != "postgresql":
            databases.append(dash.SQLite(directory))
        if args.postgres and args.only != "sqlite":
            databases.append(dash.Postgres(args.postgres))
        for db in databases:
            seeder = dash.Server(args.binary, db.location, demo=True)
            seeder.stop()
            match = next(re.search(r"investigator (\S+), pharmacist .*password: (\S+)", line) for line in seeder.lines
                         if line.startswith("Demo study:"))
            login = (match.group(1), match.group(2))
            study_id, counts = dash.populate(db, login[0])
            counts["diary_before"] = add_diaries_before(db, study_id)
            db.script([f"DELETE FROM study_results WHERE study_id = {dash.quote(study_id)}"])
            loads.append(dict(counts, database=db.name))
            print(f"{db.name}: {counts}", file=sys.stderr)
            rows, closed = measure(args.binary, db, study_id, login, args.requests)
            results += rows
            closes.append(closed)

    print(f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}, Python {platform.python_version()}; "
          f"{time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| database | close, analysis included (s) | analysis JSON (KB) | forest SVG (KB) | server start (s) |")
    print("|---|---:|---:|---:|---:|")
    for c in closes:
        print(f"| {c['database']} | {c['close']:.2f} | {c['json'] / 1024:.0f} | {c['svg'] / 1024:.0f} | {c['startup']:.2f} |")
    print()
    print("| database | page | requests | median (ms) | p95 (ms) | min (ms) | max (ms) | answer (KB) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['database']} | {r['page']} | {args.requests} | {r['median']:.1f} | {r['p95']:.1f} | {r['min']:.1f} | "
              f"{r['max']:.1f} | {r['bytes'] / 1024:.0f} |")
    print()
    for load in loads:
        print(f"{load['database']}: {load['participants']} participants, {load['diary']} diary rows in the trials and "
              f"{load['diary_before']} before them, {load['trial_days']} trial days")


if __name__ == "__main__":
    main()
