#!/usr/bin/env python3
"""HubSync vs vdirsyncer on the same Radicale server.

For every size N (default 1,000 and 5,000 contacts) this script starts a fresh
Radicale (filesystem storage, htpasswd auth, INFO logging to a file), generates N
realistic vCard 3.0 contacts from a seed and uploads the SAME cards into two source
address books, A-hub and A-vds, next to two empty targets, B-hub and B-vds.
HubSync syncs A-hub <-> B-hub (one hub, two CardDAV spokes), vdirsyncer syncs
A-vds <-> B-vds (one pair, collections = null, conflict_resolution = "a wins").

Steps, each run for both tools, hubsync first:
  initial      initial copy A -> B (B is empty); with --adopt instead:
  adopt        first sync of A and B that already hold the same cards (same UIDs)
  no-op        re-sync with nothing changed
  incremental  1% of the contacts edited and 0.5% deleted on A, re-sync
  both-sides   0.5% edited on A and 0.5% (other contacts) edited on B, re-sync

Edits are the same logical change (by UID) in both copies. After each step the
script fetches A and B of each tool and checks that both equal the expected
address book, compared as multisets of a projection (FN, N, ORG, TITLE, emails,
phones, NOTE, BDAY); UIDs, REV, PRODID, X- properties and resource names are
ignored.

Measured per tool and step:
  wall     time.perf_counter() around the sync subprocess
  req      HTTP requests Radicale logged while the subprocess ran
  server   sum of Radicale's own per-request durations in that window; the
           server share is server / wall (it can exceed 100% when the tool sends
           requests concurrently). Radicale's cost per created item grows with the
           collection size, so a slow initial copy can be the server's doing.
  peak     the tool process's own peak RSS (ru_maxrss from os.wait4)

Goals checked (from the issue): no-op and incremental re-syncs at least 3x faster
than vdirsyncer and with fewer requests; initial copy no slower than vdirsyncer.
Results go to stdout and to bench-results/carddav-<timestamp>.json.

Usage: python3 bench/carddav/compare.py --hubsync PATH [--sizes 1000,5000] [--seed 1] [--adopt] [--keep]
Without --hubsync only the vdirsyncer side runs (useful to check the harness).
"""
from __future__ import annotations

import argparse, collections, concurrent.futures as cf, datetime, json, os, random, re, sys, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchlib import (USER, Dav, HubSync, Radicale, Vdirsyncer, components, each_size, find_vdirsyncer,  # noqa: E402
                      fold, unesc)

REPO = Path(__file__).resolve().parents[2]
# "no-op" is the first re-sync after the copy: a server may still owe work for the copy's
# writes (Radicale builds its sync history then). "no-op 2" is the steady state.
STEPS = ["initial", "no-op", "no-op 2", "incremental", "both-sides"]


def steps_for(args) -> list[str]:
    """With --adopt the first step syncs two books that already agree instead of copying A to B."""
    return (["adopt"] if args.adopt else ["initial"]) + STEPS[1:]

# ---------------------------------------------------------------------------- vCards

FIRST = ("Anna Ben Carla David Emma Felix Greta Hugo Ida Jonas Klara Leon Mia Noah Olga Paul "
         "Quentin Rosa Simon Tina Ulrich Vera Walter Xenia Yusuf Zoe José Zoë Søren Łukasz "
         "Amélie Björn Chloé Dmitri Eleni Farah Gustavo Hana Ingrid Jürgen Kenji Laila Marek").split()
LAST = ("Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Smith Johnson "
        "Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Nguyen Kim Novak Kowalski "
        "Rossi Russo Dubois Lefèvre Andersson Nielsen O'Brien Papadopoulos Yamamoto Silva Costa "
        "Haddad Okafor Ivanova Horvat Janssen").split()
COMPANIES = ["Acme Corp", "Globex", "Initech", "Umbrella GmbH", "Stark Industries", "Wayne Enterprises",
             "Hooli", "Pied Piper", "Vandelay Industries", "Soylent AG", "Tyrell Corporation", "Cyberdyne",
             "Wonka Sweets", "Gringotts Bank", "Oceanic Airlines", "Duff Brewing, Inc."]
TITLES = ["Engineer", "Sales Manager", "CEO", "Accountant", "Designer", "Consultant", "Lawyer",
          "Project Lead", "Support Agent", "Head of Marketing", "Intern", "CTO"]
DOMAINS = ["example.com", "example.org", "mail.test", "corp.example", "post.example.net"]
STREETS = ["Hauptstraße", "Main Street", "Rue de la Paix", "Baker Street", "Elm Avenue", "Via Roma"]
CITIES = [("Berlin", "", "10115", "Germany"), ("Springfield", "IL", "62701", "USA"),
          ("Paris", "", "75002", "France"), ("London", "", "NW1 6XE", "UK"), ("Milano", "MI", "20121", "Italy")]
NOTES = ["Met at the trade fair.", "Prefers email, not phone.\nCall after 10am.",
         "VIP customer; handle with care", "Referred by a colleague, follow up in Q3."]


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace(";", "\\;").replace(",", "\\,")


def generate(n: int, seed: int) -> list[tuple[str, str]]:
    """N deterministic contacts as (uid, vCard 3.0 text); FNs are unique."""
    rng, cards, seen = random.Random(seed * 1_000_003 + n), [], set()
    for i in range(n):
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            middle = rng.choice("ABCDEFGHJKLMNPRSTW") + "." if rng.random() < 0.7 else ""
            fn = " ".join(x for x in (first, middle, last) if x)
            if fn not in seen:
                break
            fn = f"{fn} {i}"
            if fn not in seen:
                break
        seen.add(fn)
        uid = f"bench-{seed}-{n}-{i:05d}"
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{esc(fn)}",
                 f"N:{esc(last)};{esc(first)};{esc(middle.rstrip('.'))};;"]
        if rng.random() < 0.85:
            lines.append(f"ORG:{esc(rng.choice(COMPANIES))}")
            if rng.random() < 0.8:
                lines.append(f"TITLE:{esc(rng.choice(TITLES))}")
        local = re.sub(r"[^a-z]", "", (first[0] + last).lower().encode("ascii", "ignore").decode()) or "x"
        for k, dom in enumerate(rng.sample(DOMAINS, rng.randint(1, 3))):
            kind = ("WORK", "HOME", "OTHER")[k]
            lines.append(f"EMAIL;TYPE=INTERNET,{kind}:{local}{i}@{dom}")
        for k in range(rng.choice((0, 1, 1, 2))):
            num = f"+49 30 {rng.randint(1000000, 9999999)}" if rng.random() < 0.5 else \
                f"(555) {rng.randint(200, 999)}-{rng.randint(1000, 9999)}"
            lines.append(f"TEL;TYPE={('CELL', 'WORK')[k]}:{num}")
        if rng.random() < 0.4:
            city, region, code, country = rng.choice(CITIES)
            street = f"{rng.choice(STREETS)} {rng.randint(1, 200)}"
            lines.append(f"ADR;TYPE=WORK:;;{esc(street)};{esc(city)};{esc(region)};{esc(code)};{esc(country)}")
        if rng.random() < 0.3:
            lines.append(f"NOTE:{esc(rng.choice(NOTES))}")
        if rng.random() < 0.5:
            lines.append(f"BDAY:{rng.randint(1950, 2004)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        lines.append(f"REV:2024-01-{1 + i % 28:02d}T10:00:00Z")
        lines.append("END:VCARD")
        cards.append((uid, "".join(fold(l) for l in lines)))
    return cards


def parse(text: str) -> list[tuple[str, str, str]]:
    """Unfolded content lines of one vCard as (NAME, params, raw value); groups dropped."""
    text = re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n"))
    out = []
    for line in text.split("\n"):
        m = re.match(r'((?:[^:;"]|"[^"]*")+?)((?:;(?:[^:"]|"[^"]*")*)?):(.*)$', line)
        if m:
            out.append((m.group(1).split(".")[-1].upper(), m.group(2), m.group(3)))
    return out




def norm_phone(v: str) -> str:
    return ("+" if v.strip().startswith("+") else "") + re.sub(r"\D", "", v)


def project(text: str) -> tuple:
    """The comparable projection of a card: what both tools must carry over unchanged."""
    p = collections.defaultdict(list)
    for name, _, value in parse(text):
        p[name].append(value)
    one = lambda k: unesc(p[k][0]).replace("\r", "").strip() if p.get(k) else ""
    n = (components(p["N"][0]) + [""] * 5)[:5] if p.get("N") else [""] * 5
    org = components(p["ORG"][0]) if p.get("ORG") else []
    while org and not org[-1]:
        org.pop()
    bday = one("BDAY").split("T")[0].replace("-", "")
    return (one("FN"), tuple(n), ";".join(org), one("TITLE"),
            tuple(sorted(unesc(e).strip().lower() for e in p.get("EMAIL", []))),
            tuple(sorted(norm_phone(unesc(t)) for t in p.get("TEL", []))), one("NOTE"), bday)


def uid_of(text: str) -> str:
    return next((unesc(v).strip() for n, _, v in parse(text) if n == "UID"), "")


def fn_of(text: str) -> str:
    return next((unesc(v).strip() for n, _, v in parse(text) if n == "FN"), "")

# ---------------------------------------------------------------------------- edits


def plan_edit(uid: str, text: str, tag: str, rng: random.Random) -> tuple:
    """A logical edit (uid, kind, old, new), independent of the card's line order."""
    proj = project(text)
    kind = rng.choice(("title", "email", "phone"))
    if kind == "title":
        return (uid, "title", None, f"Director {tag} {rng.randint(1, 999)}")
    if kind == "email":
        return (uid, "email", proj[4][0] if proj[4] else None, f"{tag}{rng.randint(1, 99999)}@edited.example")
    return (uid, "phone", proj[5][0] if proj[5] else None, f"+1 202 555 {rng.randint(1000, 9999)}")


def apply_edit(text: str, edit: tuple) -> str:
    """Apply a planned edit to any rendering of the contact (ours or a tool's)."""
    _, kind, old, new = edit
    prop = {"title": "TITLE", "email": "EMAIL", "phone": "TEL"}[kind]
    lines = [l for l in re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n")).split("\n") if l]
    if kind == "title":  # drop every TITLE, add the new one below
        lines = [l for l in lines if not (parse(l) and parse(l)[0][0] == "TITLE")]
    else:  # replace the value of the line holding `old`, keeping its name, group and parameters
        for i, l in enumerate(lines):
            p = parse(l)
            if p and p[0][0] == prop and old is not None and \
                    (unesc(p[0][2]).strip().lower() if kind == "email" else norm_phone(unesc(p[0][2]))) == old:
                head = re.match(r'((?:[^:"]|"[^"]*")*):', l).group(1)
                lines[i] = f"{head}:{esc(new)}"
                return "".join(fold(l) for l in lines)
    end = max(i for i, l in enumerate(lines) if l.upper().startswith("END:VCARD"))
    lines.insert(end, f"{prop}{';TYPE=INTERNET' if kind == 'email' else ''}:{esc(new)}")
    return "".join(fold(l) for l in lines)


def edit_side(dav: Dav, path: str, edits: list[tuple], deletes: list[str]):
    """Edit/delete contacts in a collection, finding them by UID (or FN when a tool re-keyed them)."""
    cards = dav.fetch_all(path)
    by_uid = {uid_of(t): h for h, t in cards.items()}
    by_fn = {fn_of(t): h for h, t in cards.items()}

    def find(uid, fn):
        href = by_uid.get(uid) or by_fn.get(fn)
        if href is None:
            raise RuntimeError(f"{path}: contact {uid} ({fn}) not found")
        return href

    jobs = [("PUT", find(uid, fn), apply_edit(cards[find(uid, fn)], e)) for e, (uid, fn) in edits] + \
           [("DELETE", find(uid, fn), None) for uid, fn in deletes]
    with cf.ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda j: dav.request(j[0], j[1], (j[2] or "").encode(),
                                          {"Content-Type": "text/vcard"} if j[2] else {}), jobs))

# ---------------------------------------------------------------------------- one size


def verify(dav: Dav, short: str, expected: collections.Counter) -> list[str]:
    """Compare A and B of a tool to the expected multiset; return problems (empty = equal)."""
    problems = []
    for side in "AB":
        got = collections.Counter(project(t) for t in dav.fetch_all(f"/{USER}/{side}-{short}/").values())
        if got != expected:
            missing, extra = expected - got, got - expected
            msg = (f"{side}-{short}: {sum(got.values())} cards, expected {sum(expected.values())}; "
                   f"{sum(missing.values())} missing/different, {sum(extra.values())} unexpected")
            for label, c in (("expected", missing), ("found", extra)):
                for p in list(c)[:3]:
                    msg += f"\n      {label}: FN={p[0]!r} ORG={p[2]!r} TITLE={p[3]!r} EMAIL={list(p[4])} TEL={list(p[5])}"
            problems.append(msg)
    return problems


def same_uids(dav: Dav, short: str) -> list[str]:
    """Adopting two books that agree must keep each card's identity: B's UIDs are A's."""
    a, b = ({uid_of(t) for t in dav.fetch_all(f"/{USER}/{side}-{short}/").values()} for side in "AB")
    return [] if a == b else [f"B-{short}: {len(b - a)} of {len(b)} UIDs are not A's"]


def run_size(n: int, args, tmp: Path) -> dict:
    print(f"\n=== {n} contacts ===", flush=True)
    radicale = Radicale(tmp)
    try:
        dav = Dav(radicale.port, "carddav")
        cards = generate(n, args.seed)
        truth = dict(cards)  # uid -> our text of the contact, edited along with A
        fn = {uid: fn_of(t) for uid, t in cards}
        t0 = time.perf_counter()
        tools = ["hub", "vds"] if args.hubsync else ["vds"]
        for t in tools:
            dav.put_collection(f"/{USER}/A-{t}/", [c for _, c in cards])
            if args.adopt:
                dav.put_collection(f"/{USER}/B-{t}/", [c for _, c in cards])
            else:
                dav.mkcol(f"/{USER}/B-{t}/")
        print(f"uploaded {n} cards x{len(tools)} in {time.perf_counter() - t0:.1f}s (not measured)", flush=True)
        runners, failures, hub_error = [], [], None
        if args.hubsync:
            try:
                runners.append(HubSync(args.hubsync, tmp, radicale.base, "carddav"))
            except RuntimeError as e:  # e.g. this build cannot add a carddav spoke yet
                hub_error = str(e)
                print(f"  FAIL hubsync setup: {e}".rstrip(), flush=True)
                failures.append(f"{n}/hubsync-setup")
        runners.append(Vdirsyncer(args.vdirsyncer, tmp, radicale.base, "carddav"))

        rng = random.Random(f"{args.seed}-{n}-edits")
        order = sorted(truth)
        rng.shuffle(order)  # contacts are picked from the front of this list, never twice
        k_edit, k_del, k_half = max(1, n // 100), max(1, n // 200), max(1, n // 200)
        results = {}
        for step in steps_for(args):
            a_edits, b_edits, deletes = [], [], []
            if step == "incremental":
                a_edits = [plan_edit(u, truth[u], "a", rng) for u in order[:k_edit]]
                deletes = order[k_edit:k_edit + k_del]
                order = order[k_edit + k_del:]
            elif step == "both-sides":
                a_edits = [plan_edit(u, truth[u], "a", rng) for u in order[:k_half]]
                b_edits = [plan_edit(u, truth[u], "b", rng) for u in order[k_half:2 * k_half]]
                order = order[2 * k_half:]
            for e in a_edits + b_edits:
                truth[e[0]] = apply_edit(truth[e[0]], e)
            for u in deletes:
                del truth[u]
            expected = collections.Counter(project(t) for t in truth.values())
            results[step] = {}
            for r in runners:
                short = r.short
                edit_side(dav, f"/{USER}/A-{short}/", [(e, (e[0], fn[e[0]])) for e in a_edits],
                          [(u, fn[u]) for u in deletes])
                if b_edits:
                    edit_side(dav, f"/{USER}/B-{short}/", [(e, (e[0], fn[e[0]])) for e in b_edits], [])
                res = r.sync(radicale)
                problems = verify(dav, short, expected)
                if step == "adopt":
                    problems += same_uids(dav, short)
                res["equal"] = not problems
                results[step][r.name] = res
                status = "ok" if res["ok"] and not problems else "FAIL"
                print(f"  {step:<11} {r.name:<10} {res['wall_s']:7.2f}s {res['requests']:6d} req "
                      f"exit {res['exit']}  B==A: {'yes' if not problems else 'NO'}  [{status}]", flush=True)
                if not res["ok"]:
                    tail = r.log.read_text(errors="replace")[-3000:]
                    print(f"    {r.name} exited {res['exit']}; end of {r.log}:\n" +
                          "\n".join("      " + l for l in tail.splitlines()[-30:]))
                for p in problems:
                    print("    FAIL " + p)
                if problems or not res["ok"]:
                    failures.append(f"{n}/{step}/{r.name}")
        return {"contacts": n, "steps": results, "failures": failures, "hubsync_error": hub_error,
                "edits": {"incremental": [k_edit, k_del], "both-sides": [k_half, k_half]}}
    finally:
        radicale.stop()

# ---------------------------------------------------------------------------- report


def report(size: dict, have_hub: bool) -> list[str]:
    """Print the table and verdicts of one size; return the verdict lines."""
    steps = size["steps"]
    names = list(steps)  # the first is "initial" or "adopt"
    print(f"\n{size['contacts']} contacts (edits/deletes: incremental {size['edits']['incremental']}, "
          f"both-sides {size['edits']['both-sides']})")
    cols = lambda r: (f"{r['wall_s']:8.2f} {r['requests']:6d} {100 * r['server_s'] / max(r['wall_s'], 1e-9):5.0f}% "
                      f"{r['peak_mb']:7.1f}") if r else f"{'-':>8} {'-':>6} {'-':>6} {'-':>7}"
    print(f"{'step':<11} | {'hubsync':^8} {'req':>6} {'server':>6} {'peakMB':>7} | "
          f"{'vdirsync':^8} {'req':>6} {'server':>6} {'peakMB':>7} | ratio")
    print("-" * 92)
    for step in names:
        h, v = steps[step].get("hubsync"), steps[step]["vdirsyncer"]
        ratio = f"{v['wall_s'] / h['wall_s']:5.2f}x" if h and h["wall_s"] > 0 else "  -"
        print(f"{step:<11} | {cols(h)} | {cols(v)} | {ratio}")
    for name in ("hubsync", "vdirsyncer"):
        n401 = sum(steps[s].get(name, {}).get("statuses", {}).get("401", 0) for s in names)
        if n401:
            print(f"  note: {name} got {n401} x 401 Unauthorized (Radicale delays each by 0.5-1.5 s)")
    kb = lambda name: " / ".join(f"{steps[s][name]['response_kb']:.0f}" for s in names)
    print(f"  response KB per step: " + (f"hubsync {kb('hubsync')}; " if have_hub else "") +
          f"vdirsyncer {kb('vdirsyncer')}")
    if not have_hub:
        return []
    ratio = lambda s: steps[s]["vdirsyncer"]["wall_s"] / max(steps[s]["hubsync"]["wall_s"], 1e-9)
    # A no-op cannot cost less than one request per address book, which both tools reach: the
    # "fewer" goal is judged on the re-syncs that move data; the no-op must not cost more.
    fewer = all(steps[s]["hubsync"]["requests"] < steps[s]["vdirsyncer"]["requests"]
                for s in ("incremental", "both-sides")) and \
        steps["no-op"]["hubsync"]["requests"] <= steps["no-op"]["vdirsyncer"]["requests"]
    yes = lambda b: "yes" if b else "no"
    reqs = lambda name: "/".join(str(steps[s][name]["requests"]) for s in ("no-op", "incremental", "both-sides"))
    verdicts = [f"no-op >=3x faster: {yes(ratio('no-op 2') >= 3)} (steady {ratio('no-op 2'):.2f}x; "
                f"first after the copy {ratio('no-op'):.2f}x)",
                f"incremental >=3x faster: {yes(min(ratio('incremental'), ratio('both-sides')) >= 3)} "
                f"({ratio('incremental'):.2f}x after edits+deletes on A, {ratio('both-sides'):.2f}x after edits on both)",
                f"fewer requests on re-syncs: {yes(fewer)} (no-op/incremental/both-sides: hubsync {reqs('hubsync')} "
                f"vs vdirsyncer {reqs('vdirsyncer')}; a no-op needs one per address book at least)",
                f"initial copy no slower: {yes(ratio('initial') >= 1)} ({ratio('initial'):.2f}x)" if names[0] == "initial"
                else f"adopting books that agree no slower: {yes(ratio('adopt') >= 1)} ({ratio('adopt'):.2f}x, "
                     f"{steps['adopt']['hubsync']['requests']} vs {steps['adopt']['vdirsyncer']['requests']} requests)"]
    for v in verdicts:
        print("  " + v)
    return verdicts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hubsync", help="path to the hubsync binary (omit to run only vdirsyncer)")
    ap.add_argument("--vdirsyncer", default=None, help="path to vdirsyncer (default: found next to python/PATH)")
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--adopt", action="store_true",
                    help="B starts with the same cards as A: the first step is adopting two books that agree")
    ap.add_argument("--keep", action="store_true", help="keep the temp dirs (Radicale data, logs, configs)")
    args = ap.parse_args()
    args.vdirsyncer = args.vdirsyncer or find_vdirsyncer()
    if args.hubsync:
        args.hubsync = str(Path(args.hubsync).resolve())
        if not os.access(args.hubsync, os.X_OK):
            sys.exit(f"not executable: {args.hubsync}")
    else:
        print("note: no --hubsync given, running the vdirsyncer side only")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    out = {"started": datetime.datetime.now().isoformat(timespec="seconds"), "seed": args.seed, "adopt": args.adopt,
           "hubsync": args.hubsync, "vdirsyncer": args.vdirsyncer, "sizes": []}
    failures = []
    for size in each_size(sizes, args, "carddav-bench", run_size, out, failures):
        size["verdicts"] = report(size, bool(args.hubsync) and not size["hubsync_error"])
        failures += size["failures"]
        out["sizes"].append(size)

    out["failures"] = failures
    results = REPO / "bench-results"
    results.mkdir(exist_ok=True)
    path = results / f"carddav-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(out, indent=2))
    print(f"\nresults: {path}")
    if failures:
        print("FAIL: " + ", ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
