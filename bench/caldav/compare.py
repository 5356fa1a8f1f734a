#!/usr/bin/env python3
"""HubSync vs vdirsyncer on the same Radicale server, for calendars.

For every size N (default 1,000 and 5,000 series) this script starts a fresh Radicale
(filesystem storage, htpasswd auth, INFO logging to a file), generates N realistic calendar
series from a seed (a tenth recurring: weekly, every weekday, monthly on the last workday by
BYSETPOS, yearly all-day, daily with COUNT; some with a moved and a cancelled instance; all-day
events; times in Europe/Berlin, America/New_York, Asia/Tokyo, UTC and floating) and uploads the
SAME series into two source calendars, A-hub and A-vds, next to two empty targets, B-hub and
B-vds. HubSync syncs A-hub <-> B-hub (one calendar hub, two CalDAV spokes), vdirsyncer syncs
A-vds <-> B-vds (one pair, collections = null, conflict_resolution = "a wins").

Steps, each run for both tools, hubsync first:
  initial      initial copy A -> B (B is empty)
  no-op        re-sync with nothing changed (the first after the copy)
  no-op 2      the same again (the steady state)
  incremental  1% of the series edited and 0.5% deleted on A, re-sync
  both-sides   0.5% edited on A and 0.5% (other series) edited on B, re-sync

An edit changes a series' summary or location, moves a single event by an hour, or cancels
one more instance of a weekly series (an EXDATE). After each step the script fetches A and B
of each tool and checks that both equal the expected calendar, compared as multisets of a
projection of each series (UID, text fields, times as instants or dates, rule, exceptions,
overrides, people's addresses, alarms); DTSTAMP, PRODID, parameters HubSync adds so no server
sends invitations (SCHEDULE-AGENT), VTIMEZONE blocks and resource names are ignored.

Measured per tool and step: wall time, requests Radicale logged, Radicale's own time, the
tool's peak RSS (as bench/carddav/compare.py). Goals checked (from issue 16): no-op and 1%
change syncs at least 3x faster than vdirsyncer, initial copy no slower.
Results go to stdout and to bench-results/caldav-<timestamp>.json.

Usage: python3 bench/caldav/compare.py --hubsync PATH [--sizes 1000,5000] [--seed 1] [--keep]
Without --hubsync only the vdirsyncer side runs (useful to check the harness).
"""
from __future__ import annotations

import argparse, collections, concurrent.futures as cf, datetime as dt, json, os, random, re, sys, time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchlib import (USER, Dav, HubSync, Radicale, Vdirsyncer, each_size, find_vdirsyncer, fold,  # noqa: E402
                      unesc)

REPO = Path(__file__).resolve().parents[2]
STEPS = ["initial", "no-op", "no-op 2", "incremental", "both-sides"]

# ---------------------------------------------------------------------------- time zones

VTIMEZONES = {
    "Europe/Berlin": ("+0100", "+0200", "CET", "CEST", "19700329T020000", "3;BYDAY=-1SU",
                      "19701025T030000", "10;BYDAY=-1SU"),
    "America/New_York": ("-0500", "-0400", "EST", "EDT", "19700308T020000", "3;BYDAY=2SU",
                         "19701101T020000", "11;BYDAY=1SU"),
}


def vtimezone(tzid: str) -> list[str]:
    if tzid == "Asia/Tokyo":
        return ["BEGIN:VTIMEZONE", "TZID:Asia/Tokyo", "BEGIN:STANDARD", "TZOFFSETFROM:+0900",
                "TZOFFSETTO:+0900", "TZNAME:JST", "DTSTART:19700101T000000", "END:STANDARD", "END:VTIMEZONE"]
    std, dst, sname, dname, dstart, drule, sstart, srule = VTIMEZONES[tzid]
    return ["BEGIN:VTIMEZONE", f"TZID:{tzid}",
            "BEGIN:DAYLIGHT", f"TZOFFSETFROM:{std}", f"TZOFFSETTO:{dst}", f"TZNAME:{dname}", f"DTSTART:{dstart}",
            f"RRULE:FREQ=YEARLY;BYMONTH={drule}", "END:DAYLIGHT",
            "BEGIN:STANDARD", f"TZOFFSETFROM:{dst}", f"TZOFFSETTO:{std}", f"TZNAME:{sname}", f"DTSTART:{sstart}",
            f"RRULE:FREQ=YEARLY;BYMONTH={srule}", "END:STANDARD", "END:VTIMEZONE"]

# ---------------------------------------------------------------------------- events

SUBJECTS = ["Team meeting", "1:1 with Anna", "Sprint planning", "Customer call: Globex", "Budget review",
            "Lunch with Søren", "Dentist", "Board meeting", "Release retro", "Design critique",
            "Interview: backend engineer", "Quarterly business review", "Réunion d'équipe", "Workshop: accessibility",
            "Offsite prep", "Training: first aid", "Vendor demo (Initech)", "Coffee with Zoë", "Site visit Łódź",
            "Standup", "Architecture sync", "All hands", "Yoga", "Parents' evening"]
LOCATIONS = ["Room Elbe", "Room Spree", "Zoom", "Microsoft Teams", "Café Einstein, Unter den Linden 42",
             "HQ, 3rd floor", "Conference room \"Atlas\"", "Main Street 5; Springfield", "Salle Rivoli, Paris",
             "Tokyo office, 7F"]
DESCRIPTIONS = ["Agenda:\n1. Status\n2. Risks\n3. Next steps", "Bring the slides, please.",
                "Dial-in: +49 30 1234567, PIN 9876#", "See the shared doc; comments by Friday.",
                "Parking in the back, code 4711."]
CATEGORIES = ["Work", "Team", "Customer", "Private", "Travel", "Holiday", "Training"]
PEOPLE = ["anna.berger", "bob.chen", "carla.diaz", "dmitri.ivanov", "eleni.papadopoulou", "felix.novak",
          "greta.nielsen", "hana.yamamoto"]
ZONES = ["Europe/Berlin"] * 5 + ["America/New_York"] * 2 + ["Asia/Tokyo", "UTC", "floating"]
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace(";", "\\;").replace(",", "\\,")


def fmt(t: dt.datetime | dt.date, zone: str) -> tuple[str, str]:
    """(parameters, value) of a DTSTART-like property."""
    if not isinstance(t, dt.datetime):
        return ";VALUE=DATE", t.strftime("%Y%m%d")
    if zone == "UTC":
        return "", t.strftime("%Y%m%dT%H%M%SZ")
    if zone == "floating":
        return "", t.strftime("%Y%m%dT%H%M%S")
    return f";TZID={zone}", t.strftime("%Y%m%dT%H%M%S")


def last_workday(y: int, m: int) -> dt.date:
    d = dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)
    while d.weekday() >= 5:
        d -= dt.timedelta(days=1)
    return d


def generate(n: int, seed: int, today: dt.date) -> list[tuple[str, str]]:
    """N deterministic series as (uid, iCalendar text), dated around `today` so that every one
    lies in HubSync's default window (30 days back, 365 ahead)."""
    rng, out = random.Random(seed * 1_000_003 + n), []
    stamp = "20261101T090000Z"
    for i in range(n):
        uid = f"bench-{seed}-{n}-{i:05d}@hubsync.example"
        zone = rng.choice(ZONES)
        summary = f"{rng.choice(SUBJECTS)} #{i}"  # unique, so a person can tell the series apart
        kind = "recurring" if i % 10 == 0 else ("allday" if rng.random() < 0.15 else "single")
        day = today + dt.timedelta(days=rng.randint(-20, 60 if kind == "recurring" else 300))
        start = dt.datetime(day.year, day.month, day.day, rng.choice((8, 9, 10, 11, 13, 14, 15, 16, 17)),
                            rng.choice((0, 0, 15, 30, 45)))
        length = dt.timedelta(minutes=rng.choice((15, 30, 45, 60, 60, 90, 120)))
        master, series, overrides = [], [], []
        if kind == "allday":
            s, e = day, day + dt.timedelta(days=rng.choice((1, 1, 1, 2, 3)))
            p, v = fmt(s, zone)
            master += [f"DTSTART{p}:{v}", f"DTEND;VALUE=DATE:{e:%Y%m%d}", "TRANSP:TRANSPARENT"]
        else:
            p, v = fmt(start, zone)
            master.append(f"DTSTART{p}:{v}")
            if rng.random() < 0.3:
                master.append(f"DURATION:PT{int(length.total_seconds() // 60)}M")
            else:
                p, v = fmt(start + length, zone)
                master.append(f"DTEND{p}:{v}")
        if kind == "recurring":
            shape = rng.choice(("weekly", "weekly", "weekdays", "monthly", "yearly", "daily"))
            if shape == "yearly":  # a birthday or holiday: all-day, yearly
                master = [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
                          "TRANSP:TRANSPARENT"]
                series.append("RRULE:FREQ=YEARLY")
            elif shape == "monthly":  # the last workday of the month, across the DST changes
                d = last_workday(day.year, day.month)
                first = dt.datetime(d.year, d.month, d.day, start.hour, start.minute)
                p, v = fmt(first, zone)
                master = [f"DTSTART{p}:{v}"] + [f"DTEND{q}:{w}" for q, w in [fmt(first + length, zone)]]
                series.append("RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"
                              + (f";COUNT={rng.randint(6, 24)}" if rng.random() < 0.5 else ""))
            elif shape == "daily":
                series.append(f"RRULE:FREQ=DAILY;COUNT={rng.randint(3, 10)}")
            else:
                if shape == "weekdays":
                    series.append("RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")
                else:
                    until = start + dt.timedelta(weeks=rng.randint(10, 40))
                    bound = f";UNTIL={until.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}" \
                        if zone not in ("floating",) and rng.random() < 0.4 else ""
                    series.append(f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[start.weekday()]}{bound}")
                step = dt.timedelta(days=1 if shape == "weekdays" else 7)
                inst = lambda k: start + step * k
                if shape == "weekly" and rng.random() < 0.6:  # a cancelled instance
                    p, v = fmt(inst(rng.randint(2, 4)), zone)
                    series.append(f"EXDATE{p}:{v}")
                if shape == "weekly" and rng.random() < 0.6:  # a moved instance, with its own details
                    rid = inst(rng.randint(5, 8))
                    moved = rid + dt.timedelta(days=1, hours=rng.choice((-2, 1, 3)))
                    overrides.append((rid, moved, f"{summary} (moved)"))
        lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"CREATED:{stamp}",
                 f"LAST-MODIFIED:{stamp}", f"SEQUENCE:{rng.choice((0, 0, 0, 1, 2))}"] + series + master
        lines.append(f"SUMMARY:{esc(summary)}")
        if rng.random() < 0.6:
            lines.append(f"LOCATION:{esc(rng.choice(LOCATIONS))}")
        if rng.random() < 0.35:
            lines.append(f"DESCRIPTION:{esc(rng.choice(DESCRIPTIONS))}")
        if rng.random() < 0.4:
            lines.append("CATEGORIES:" + ",".join(esc(c) for c in rng.sample(CATEGORIES, rng.randint(1, 2))))
        if rng.random() < 0.1:
            lines.append("CLASS:PRIVATE")
        if rng.random() < 0.1:
            lines.append("STATUS:TENTATIVE")
        people = []
        if kind != "allday" and rng.random() < 0.3:
            org, *att = rng.sample(PEOPLE, rng.randint(2, 4))
            people.append(f"ORGANIZER;CN={org.split('.')[0].title()}:mailto:{org}@example.com")
            people += [f"ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT={rng.choice(('ACCEPTED', 'NEEDS-ACTION', 'TENTATIVE'))}"
                       f":mailto:{a}@example.com" for a in att]
        lines += people
        if rng.random() < 0.25:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Reminder",
                      f"TRIGGER:-PT{rng.choice((5, 10, 15, 30))}M", "END:VALARM"]
        lines.append("END:VEVENT")
        for rid, moved, text in overrides:
            rp, rv = fmt(rid, zone)
            sp, sv = fmt(moved, zone)
            ep, ev = fmt(moved + length, zone)
            lines += ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{stamp}", f"RECURRENCE-ID{rp}:{rv}",
                      f"DTSTART{sp}:{sv}", f"DTEND{ep}:{ev}", f"SUMMARY:{esc(text)}"] + people + ["END:VEVENT"]
        zones = [vtimezone(zone)] if zone in ("Europe/Berlin", "America/New_York", "Asia/Tokyo") \
            and "TZID=" in "".join(lines) else []
        cal = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//HubSync bench//EN", "CALSCALE:GREGORIAN"] \
            + [l for z in zones for l in z] + lines + ["END:VCALENDAR"]
        out.append((uid, "".join(fold(l) for l in cal)))
    return out

def one_calendar(objects) -> str:
    """The series as one VCALENDAR (each zone once), as Radicale takes a whole calendar's PUT."""
    zones, events = {}, []
    for text in objects:
        body = text.split("\r\n", 4)[4].rsplit("END:VCALENDAR", 1)[0]
        for z in re.findall(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", body, re.S):
            zones[re.search(r"TZID:(.*?)\r\n", z).group(1)] = z
        events.append(re.sub(r"BEGIN:VTIMEZONE\r\n.*?END:VTIMEZONE\r\n", "", body, flags=re.S))
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//HubSync bench//EN\r\nCALSCALE:GREGORIAN\r\n"
            + "".join(zones.values()) + "".join(events) + "END:VCALENDAR\r\n")

# ---------------------------------------------------------------------------- reading


def parse(text: str) -> list[tuple[str, dict, str]]:
    """Unfolded content lines as (NAME, {PARAM: value}, raw value)."""
    text = re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n"))
    out = []
    for line in text.split("\n"):
        m = re.match(r'((?:[^:;"]|"[^"]*")+?)((?:;(?:[^:"]|"[^"]*")*)?):(.*)$', line)
        if m:
            params = {}
            for p in re.findall(r';([^=;:]+)=((?:"[^"]*"|[^;:])*)', m.group(2)):
                params[p[0].upper()] = p[1].strip('"')
            out.append((m.group(1).upper(), params, m.group(3)))
    return out


def components(text: str) -> list[tuple[str, list[tuple[str, dict, str]]]]:
    """The VEVENTs of a calendar object, each as its own properties (alarms folded into
    ("VALARM", ...) pseudo-properties)."""
    events, cur, alarm, depth = [], None, None, []
    for name, params, value in parse(text):
        if name == "BEGIN":
            depth.append(value.upper())
            if value.upper() == "VEVENT":
                cur = []
            elif value.upper() == "VALARM":
                alarm = []
        elif name == "END":
            depth.pop()
            if value.upper() == "VEVENT":
                events.append(cur)
                cur = None
            elif value.upper() == "VALARM" and cur is not None:
                cur.append(("VALARM", {}, "|".join(sorted(f"{n}:{v}" for n, _, v in alarm
                                                          if n in ("ACTION", "TRIGGER")))))
                alarm = None
        elif alarm is not None:
            alarm.append((name, params, value))
        elif cur is not None and depth and depth[-1] == "VEVENT":
            cur.append((name, params, value))
    return events


def instant(params: dict, value: str):
    """A time as the thing both sides must agree on: a date, a floating wall time, or a UTC
    instant (a zoned time converted through the IANA database)."""
    value = value.strip().upper()
    if params.get("VALUE", "").upper() == "DATE" or re.fullmatch(r"\d{8}", value):
        return ("date", value[:8])
    if value.endswith("Z"):
        return ("utc", value)
    tz = params.get("TZID")
    if not tz:
        return ("floating", value)
    try:
        local = dt.datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=ZoneInfo(tz))
        return ("utc", local.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    except Exception:  # an unknown zone: compare as written
        return ("zoned", tz, value)


def times(props, name) -> tuple:
    return tuple(sorted(instant(p, v) for n, p, v in props if n == name for v in v.split(",")))


def duration(props) -> tuple:
    """DTEND or DURATION, as written (both tools must carry the form over)."""
    for n, p, v in props:
        if n == "DTEND":
            return ("end",) + instant(p, v)
        if n == "DURATION":  # PT60M and PT1H are one length (Radicale rewrites the first)
            m = re.fullmatch(r"([+-]?)P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?", v.strip().upper())
            if not m:
                return ("duration", v.strip().upper())
            w, d, h, mi, sec = (int(x or 0) for x in m.groups()[1:])
            return ("duration", (-1 if m.group(1) == "-" else 1) * ((((w * 7 + d) * 24 + h) * 60 + mi) * 60 + sec))
    return ()


def project_event(props) -> tuple:
    one = lambda k: next((unesc(v).replace("\r", "").strip() for n, _, v in props if n == k), "")
    rule = next((";".join(sorted(v.upper().split(";"))) for n, _, v in props if n == "RRULE"), "")
    cats = tuple(sorted(unesc(c).strip() for n, _, v in props if n == "CATEGORIES" for c in re.split(r"(?<!\\),", v)))
    people = lambda k: tuple(sorted(v.strip().lower() for n, _, v in props if n == k))
    return (times(props, "DTSTART"), duration(props), one("SUMMARY"), one("LOCATION"), one("DESCRIPTION"),
            one("STATUS").upper(), one("CLASS").upper(), one("TRANSP").upper(), cats, rule,
            times(props, "RDATE"), times(props, "EXDATE"), people("ORGANIZER"), people("ATTENDEE"),
            tuple(sorted(v for n, _, v in props if n == "VALARM")))


def project(text: str) -> tuple:
    """The comparable projection of one series: UID, the master and its overrides by RECURRENCE-ID."""
    events = components(text)
    uid = next((v.strip() for e in events for n, _, v in e if n == "UID"), "")
    master = next((project_event(e) for e in events if not any(n == "RECURRENCE-ID" for n, _, _ in e)), None)
    overrides = sorted((times(e, "RECURRENCE-ID"), project_event(e))
                       for e in events if any(n == "RECURRENCE-ID" for n, _, _ in e))
    return (uid, master, tuple(overrides))


def uid_of(text: str) -> str:
    return next((v.strip() for n, _, v in parse(text) if n == "UID"), "")

# ---------------------------------------------------------------------------- edits


def plan_edit(uid: str, text: str, tag: str, rng: random.Random) -> tuple:
    """A logical edit (uid, kind, value), independent of how a tool wrote the series."""
    master = next(e for e in components(text) if not any(n == "RECURRENCE-ID" for n, _, _ in e))
    rule = next((v for n, _, v in master if n == "RRULE"), "")
    kinds = ["summary", "location"]
    if "FREQ=WEEKLY" in rule.upper() and "BYDAY=MO,TU" not in rule.upper():
        kinds.append("cancel")
    elif not rule and not any(n == "DTSTART" and p.get("VALUE") == "DATE" for n, p, _ in master):
        kinds.append("move")
    kind = rng.choice(kinds)
    if kind == "summary":
        return (uid, kind, f"{project(text)[1][2]} ({tag} edit {rng.randint(1, 999)})")
    if kind == "location":
        return (uid, kind, f"Room {tag.upper()}{rng.randint(100, 999)}")
    return (uid, kind, None)


def apply_edit(text: str, edit: tuple) -> str:
    """Apply a planned edit to the master VEVENT of any rendering of the series (ours or a tool's)."""
    _, kind, value = edit
    lines = [l for l in re.sub(r"\r?\n[ \t]", "", text.replace("\r\n", "\n")).split("\n") if l]
    # The master: the VEVENT block without a RECURRENCE-ID.
    blocks, start = [], None
    for i, l in enumerate(lines):
        if l.upper() == "BEGIN:VEVENT":
            start = i
        elif l.upper() == "END:VEVENT":
            blocks.append((start, i))
    begin, end = next((a, b) for a, b in blocks if not any(lines[k].upper().startswith("RECURRENCE-ID")
                                                            for k in range(a, b)))
    body = lines[begin + 1:end]
    alarm_at = lambda: next((k for k, l in enumerate(body) if l.upper() == "BEGIN:VALARM"), len(body))
    own = lambda name: [k for k in range(alarm_at()) if parse(body[k]) and parse(body[k])[0][0] == name]
    if kind in ("summary", "location"):
        for k in reversed(own(kind.upper())):
            del body[k]
        body.insert(alarm_at(), f"{kind.upper()}:{esc(value)}")
    elif kind == "move":  # an hour later, the end along with it
        for name in ("DTSTART", "DTEND"):
            for k in own(name):
                v = parse(body[k])[0][2]
                t = dt.datetime.strptime(v.rstrip("Z"), "%Y%m%dT%H%M%S") + dt.timedelta(hours=1)
                head = re.match(r'((?:[^:"]|"[^"]*")*):', body[k]).group(1)
                body[k] = f"{head}:{t:%Y%m%dT%H%M%S}{'Z' if v.endswith('Z') else ''}"
    elif kind == "cancel":  # one more cancelled instance: the 10th week, written in DTSTART's form
        _, p, v = parse(body[own("DTSTART")[0]])[0]
        t = dt.datetime.strptime(v.rstrip("Z"), "%Y%m%dT%H%M%S") + dt.timedelta(weeks=9)
        tz = f";TZID={p['TZID']}" if "TZID" in p else ""
        body.insert(alarm_at(), f"EXDATE{tz}:{t:%Y%m%dT%H%M%S}{'Z' if v.endswith('Z') else ''}")
    lines[begin + 1:end] = body
    return "".join(fold(l) for l in lines)


def edit_side(dav: Dav, path: str, edits: list[tuple], deletes: list[str]):
    """Edit/delete series in a calendar, finding them by UID."""
    objects = dav.fetch_all(path)
    by_uid = {uid_of(t): h for h, t in objects.items()}

    def find(uid):
        if uid not in by_uid:
            raise RuntimeError(f"{path}: series {uid} not found")
        return by_uid[uid]

    jobs = [("PUT", find(e[0]), apply_edit(objects[find(e[0])], e)) for e in edits] + \
           [("DELETE", find(uid), None) for uid in deletes]
    with cf.ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda j: dav.request(j[0], j[1], (j[2] or "").encode(),
                                          {"Content-Type": "text/calendar"} if j[2] else {}), jobs))

# ---------------------------------------------------------------------------- one size


def verify(dav: Dav, short: str, expected: collections.Counter) -> list[str]:
    """Compare A and B of a tool to the expected multiset; return problems (empty = equal)."""
    problems = []
    for side in "AB":
        got = collections.Counter(project(t) for t in dav.fetch_all(f"/{USER}/{side}-{short}/").values())
        if got != expected:
            missing, extra = expected - got, got - expected
            msg = (f"{side}-{short}: {sum(got.values())} series, expected {sum(expected.values())}; "
                   f"{sum(missing.values())} missing/different, {sum(extra.values())} unexpected")
            for label, c in (("expected", missing), ("found", extra)):
                for p in list(c)[:2]:
                    msg += f"\n      {label}: {p!r}"[:1200]
            problems.append(msg)
    return problems


def run_size(n: int, args, tmp: Path) -> dict:
    print(f"\n=== {n} series ===", flush=True)
    radicale = Radicale(tmp)
    try:
        dav = Dav(radicale.port, "caldav")
        series = generate(n, args.seed, dt.date.today())
        truth = dict(series)  # uid -> our text of the series, edited along with A
        t0 = time.perf_counter()
        tools = ["hub", "vds"] if args.hubsync else ["vds"]
        for t in tools:
            dav.put_collection(f"/{USER}/A-{t}/", [one_calendar(c for _, c in series)])
            dav.mkcol(f"/{USER}/B-{t}/")
        recurring = sum(1 for _, c in series if project(c)[1][9])
        print(f"uploaded {n} series ({recurring} recurring) x{len(tools)} in {time.perf_counter() - t0:.1f}s "
              "(not measured)", flush=True)
        runners, failures, hub_error = [], [], None
        if args.hubsync:
            try:
                runners.append(HubSync(args.hubsync, tmp, radicale.base, "caldav", hub_args=("--object", "calendar"), spoke_args=("--private", "copy")))
            except RuntimeError as e:  # e.g. this build cannot sync a calendar hub yet
                hub_error = str(e)
                print(f"  FAIL hubsync setup: {e}".rstrip(), flush=True)
                failures.append(f"{n}/hubsync-setup")
        runners.append(Vdirsyncer(args.vdirsyncer, tmp, radicale.base, "caldav"))

        rng = random.Random(f"{args.seed}-{n}-edits")
        order = sorted(truth)
        rng.shuffle(order)  # series are picked from the front of this list, never twice
        k_edit, k_del, k_half = max(1, n // 100), max(1, n // 200), max(1, n // 200)
        results = {}
        for step in STEPS:
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
                edit_side(dav, f"/{USER}/A-{short}/", a_edits, deletes)
                if b_edits:
                    edit_side(dav, f"/{USER}/B-{short}/", b_edits, [])
                res = r.sync(radicale)
                if step == "no-op 2":
                    # The steady no-op is short and noisy: the median of a few runs.
                    runs = [res] + [r.sync(radicale) for _ in range(args.repeat - 1)]
                    res = sorted(runs, key=lambda x: x["wall_s"])[len(runs) // 2]
                    res["ok"] = all(x["ok"] for x in runs)
                problems = verify(dav, short, expected)
                res["equal"] = not problems
                results[step][r.name] = res
                status = "ok" if res["ok"] and not problems else "FAIL"
                print(f"  {step:<11} {r.name:<10} {res['wall_s']:7.2f}s {res['requests']:6d} req "
                      f"exit {res['exit']}  B==A: {'yes' if not problems else 'NO'}  [{status}]"
                      + (f" ({res['passes']} passes)" if res.get("passes", 1) > 1 else ""), flush=True)
                if not res["ok"]:
                    tail = r.log.read_text(errors="replace")[-3000:]
                    print(f"    {r.name} exited {res['exit']}; end of {r.log}:\n" +
                          "\n".join("      " + l for l in tail.splitlines()[-30:]))
                for p in problems:
                    print("    FAIL " + p)
                if problems or not res["ok"]:
                    failures.append(f"{n}/{step}/{r.name}")
        return {"contacts": n, "series": n, "recurring": recurring, "steps": results, "failures": failures,
                "hubsync_error": hub_error, "edits": {"incremental": [k_edit, k_del], "both-sides": [k_half, k_half]}}
    finally:
        radicale.stop()

# ---------------------------------------------------------------------------- report


def report(size: dict, have_hub: bool) -> list[str]:
    """Print the table and verdicts of one size; return the verdict lines."""
    steps = size["steps"]
    print(f"\n{size['series']} series, {size['recurring']} recurring (edits/deletes: incremental "
          f"{size['edits']['incremental']}, both-sides {size['edits']['both-sides']})")
    cols = lambda r: (f"{r['wall_s']:8.2f} {r['requests']:6d} {100 * r['server_s'] / max(r['wall_s'], 1e-9):5.0f}% "
                      f"{r['peak_mb']:7.1f}") if r else f"{'-':>8} {'-':>6} {'-':>6} {'-':>7}"
    print(f"{'step':<11} | {'hubsync':^8} {'req':>6} {'server':>6} {'peakMB':>7} | "
          f"{'vdirsync':^8} {'req':>6} {'server':>6} {'peakMB':>7} | ratio")
    print("-" * 92)
    for step in steps:
        h, v = steps[step].get("hubsync"), steps[step]["vdirsyncer"]
        ratio = f"{v['wall_s'] / h['wall_s']:5.2f}x" if h and h["wall_s"] > 0 else "  -"
        print(f"{step:<11} | {cols(h)} | {cols(v)} | {ratio}")
    for name in ("hubsync", "vdirsyncer"):
        n401 = sum(steps[s].get(name, {}).get("statuses", {}).get("401", 0) for s in steps)
        if n401:
            print(f"  note: {name} got {n401} x 401 Unauthorized (Radicale delays each by 0.5-1.5 s)")
    kb = lambda name: " / ".join(f"{steps[s][name]['response_kb']:.0f}" for s in steps)
    print("  response KB per step: " + (f"hubsync {kb('hubsync')}; " if have_hub else "") +
          f"vdirsyncer {kb('vdirsyncer')}")
    if not have_hub:
        return []
    ratio = lambda s: steps[s]["vdirsyncer"]["wall_s"] / max(steps[s]["hubsync"]["wall_s"], 1e-9)
    yes = lambda b: "yes" if b else "no"
    verdicts = [f"no-op >=3x faster: {yes(ratio('no-op 2') >= 3)} (steady {ratio('no-op 2'):.2f}x; "
                f"first after the copy {ratio('no-op'):.2f}x)",
                f"1% change >=3x faster: {yes(min(ratio('incremental'), ratio('both-sides')) >= 3)} "
                f"({ratio('incremental'):.2f}x after edits+deletes on A, {ratio('both-sides'):.2f}x after edits on both)",
                f"initial copy no slower: {yes(ratio('initial') >= 1)} ({ratio('initial'):.2f}x)"]
    # Radicale's own time on the writes a step needs (PUT, DELETE), as vdirsyncer sends them one
    # at a time: every client makes the same writes, so no client is faster than that, and the
    # best ratio any client could reach is vdirsyncer's wall over it.
    floor = lambda s: sum(steps[s]["vdirsyncer"].get("server_by_method_s", {}).get(m, 0) for m in ("PUT", "DELETE"))
    for s in ("initial", "incremental", "both-sides"):
        f, h, v = floor(s), steps[s]["hubsync"]["wall_s"], steps[s]["vdirsyncer"]["wall_s"]
        if f <= 0:
            continue
        own = f"{(v - f) / (h - f):.1f}x" if h > f else "HubSync at the floor"
        verdicts.append(f"{s}: Radicale's writes alone take {f:.2f}s, so no client beats {v / f:.2f}x here; "
                        f"beyond them HubSync takes {max(h - f, 0):.2f}s, vdirsyncer {v - f:.2f}s ({own})")
    for v in verdicts:
        print("  " + v)
    return verdicts


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hubsync", help="path to the hubsync binary (omit to run only vdirsyncer)")
    ap.add_argument("--vdirsyncer", default=None, help="path to vdirsyncer (default: found next to python/PATH)")
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the steady no-op; the median counts")
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

    out = {"started": dt.datetime.now().isoformat(timespec="seconds"), "seed": args.seed,
           "hubsync": args.hubsync, "vdirsyncer": args.vdirsyncer, "sizes": []}
    failures = []
    for size in each_size(sizes, args, "caldav-bench", run_size, out, failures):
        size["verdicts"] = report(size, bool(args.hubsync) and not size["hubsync_error"])
        failures += size["failures"]
        out["sizes"].append(size)

    out["failures"] = failures
    results = REPO / "bench-results"
    results.mkdir(exist_ok=True)
    path = results / f"caldav-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(out, indent=2))
    print(f"\nresults: {path}")
    if failures:
        print("FAIL: " + ", ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
