#!/usr/bin/env python3
"""Many hubs on one machine: `hubsync serve` running N scheduled hubs, under a file limit.

Issue 19's one-machine measurement: N hubs (default 1,000), each with two folder spokes of its
own holding the same CONTACTS .vcf files (hard links, so the first pass writes nothing), every
hub scheduled every minute, `hubsync serve --max-passes P` under `ulimit -n LIMIT` (default
1,024) for ROUNDS minutes. Then it reads the database and the server's log and prints:
  - passes run, failed and partial, and held deletions (none expected: the folders are intact);
  - how passes spread over each minute (the busiest second's starts) and how late they start
    after their hub's slot (median, 95th percentile, worst);
  - how many passes ran at once at most (from the runs' start and end);
  - GET /api/hubs: the whole list and a page of 100, median of 5;
  - the database's growth per quiet pass (after the first round, nothing changes).

Usage: python3 bench/hubs/many.py --hubsync .build/release/hubsync [--hubs 1000] [--contacts 200]
       [--rounds 3] [--max-passes 8] [--file-limit 1024] [--keep]
Standard library only. Writes bench-results/hubs-<timestamp>.json.
"""
from __future__ import annotations

import argparse, http.client, json, os, re, resource, shutil, socket, sqlite3, statistics, subprocess, sys, tempfile, time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def vcard(n: int) -> str:
    return ("BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"UID:many-{n:05d}@hubsync.example\r\nFN:Person {n}\r\nN:{n};Person;;;\r\n"
            f"EMAIL;TYPE=WORK:person{n}@example.com\r\nTEL;TYPE=CELL:+1 555 {1000000 + n}\r\nEND:VCARD\r\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None, cookie=None, csrf=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if cookie:
        headers["Cookie"] = cookie
    if csrf:
        headers["X-CSRF-Token"] = csrf
    t0 = time.perf_counter()
    c.request(method, path, json.dumps(body) if body is not None else None, headers)
    r = c.getresponse()
    data = r.read()
    return r.status, dict(r.getheaders()), data, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hubsync", required=True)
    ap.add_argument("--hubs", type=int, default=1000)
    ap.add_argument("--contacts", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3, help="minutes the server runs")
    ap.add_argument("--max-passes", type=int, default=8)
    ap.add_argument("--file-limit", type=int, default=1024)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix=f"hubs-bench-{args.hubs}-"))
    db, log = tmp / "hub.sqlite", tmp / "serve.log"
    # Each hub has folders of its own (two hubs writing one folder is another story), holding
    # hard links to the same cards: the first pass matches them by UID and writes nothing.
    master = tmp / "cards"
    master.mkdir()
    for n in range(args.contacts):
        (master / f"p{n:05d}.vcf").write_text(vcard(n))
    t0 = time.perf_counter()
    for i in range(args.hubs):
        hub = f"hub-{i:04d}"
        a, b = tmp / hub / "A", tmp / hub / "B"
        for d in (a, b):
            d.mkdir(parents=True)
            for f in master.iterdir():
                os.link(f, d / f.name)
        for cmd in (["hub", "create", hub, "--every-minutes", "1"],
                    ["spoke", "add", hub, "--name", "A", "--kind", "folder", "--path", str(a)],
                    ["spoke", "add", hub, "--name", "B", "--kind", "folder", "--path", str(b)]):
            subprocess.run([args.hubsync, *cmd, "--db", str(db)], check=True, capture_output=True)
    print(f"{args.hubs} hubs of 2 folder spokes ({args.contacts} contacts) set up in {time.perf_counter() - t0:.0f}s "
          "(not measured)", flush=True)

    port = free_port()
    limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (args.file_limit, args.file_limit))
    with open(log, "wb") as out:
        server = subprocess.Popen([args.hubsync, "serve", "--port", str(port), "--max-passes", str(args.max_passes),
                                   "--db", str(db)], stdout=out, stderr=subprocess.STDOUT, preexec_fn=limit)
    started = time.time()
    code = None
    while code is None and time.time() - started < 60:
        m = re.search(r"setup code (\S+),", log.read_text(errors="replace"))
        code = m.group(1) if m else None
        time.sleep(0.2)
    if code is None:
        server.kill()
        raise SystemExit(f"no setup code in {log}")
    status, headers, data, _ = call(port, "POST", "/api/setup", {"user": "admin", "password": "correct horse battery", "setupToken": code})
    cookie = headers.get("Set-Cookie", "").split(";")[0]
    sizes = []
    try:
        deadline = started + args.rounds * 60 + 5
        while time.time() < deadline:
            sizes.append((time.time() - started, db.stat().st_size + (Path(str(db) + "-wal").stat().st_size if Path(str(db) + "-wal").exists() else 0)))
            time.sleep(5)
        lists = {}
        for name, path in (("whole list", "/api/hubs"), ("page of 100", "/api/hubs?limit=100")):
            times = []
            for _ in range(5):
                st, hd, body, secs = call(port, "GET", path, cookie=cookie)
                assert st == 200, (st, body[:200])
                times.append(secs)
            lists[name] = statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=120)

    con = sqlite3.connect(db)
    runs = con.execute("SELECT hub_id, started_at, finished_at, status FROM runs").fetchall()
    holds = con.execute("SELECT COUNT(*) FROM holds").fetchone()[0]
    con.close()
    statuses = {}
    for r in runs:
        statuses[r[3]] = statuses.get(r[3], 0) + 1
    starts = sorted(r[1] for r in runs)
    per_second = {}
    for s in starts:
        per_second[int(s)] = per_second.get(int(s), 0) + 1
    events = sorted([(r[1], 1) for r in runs if r[2]] + [(r[2], -1) for r in runs if r[2]])
    running = most = 0
    for _, d in events:
        running += d
        most = max(most, running)
    text = log.read_text(errors="replace")
    failures = len(re.findall(r"sync failed|Too many open files", text))
    out = {"hubs": args.hubs, "contacts": args.contacts, "rounds": args.rounds, "max_passes": args.max_passes,
           "file_limit": args.file_limit, "runs": statuses, "holds": holds, "log_failures": failures,
           "busiest_second": max(per_second.values()) if per_second else 0, "most_at_once": most,
           "list_s": lists, "db_bytes": sizes[-1][1] if sizes else None}
    print(f"passes: {statuses}; holds: {holds}; failures in the log: {failures}")
    print(f"starts: busiest second {out['busiest_second']}, at most {most} passes at once (cap {args.max_passes})")
    per_hub = len(runs) / max(args.hubs, 1)
    print(f"passes per hub in {args.rounds} min: {per_hub:.2f}")
    for k, v in lists.items():
        print(f"GET {k}: {v * 1000:.0f} ms")
    if len(sizes) > 2:
        quiet = [(t, s) for t, s in sizes if t > 70]
        if len(quiet) > 1:
            growth = (quiet[-1][1] - quiet[0][1]) / max(1, (quiet[-1][0] - quiet[0][0]) / 60 * args.hubs)
            out["bytes_per_quiet_pass"] = growth
            print(f"database growth per quiet pass: {growth:.0f} bytes")
    res = REPO / "bench-results"
    res.mkdir(exist_ok=True)
    path = res / f"hubs-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(out, indent=1))
    print(f"results: {path}")
    if args.keep:
        print(f"(kept {tmp})")
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
