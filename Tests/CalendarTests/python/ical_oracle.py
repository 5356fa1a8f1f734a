#!/usr/bin/env python3
"""The outside oracle for HubSync's iCalendar writer and recurrence expander.

Usage: ical_oracle.py DIR FROM TO
DIR holds one .ics per series (written by HubSync). For each file, Python `icalendar` must parse
it (a parse error fails the run), and `recurring-ical-events` expands it. Prints one line per file:
    NAME<TAB>KEY|SUMMARY<TAB>KEY|SUMMARY...
for the instances starting in [FROM, TO) (YYYYMMDDTHHMMSSZ), where KEY is YYYYMMDD for a date,
YYYYMMDDTHHMMSS for a floating time, and the UTC instant + "Z" otherwise; dates and floating
times are placed in the window as if they were UTC (as the Swift side does)."""
import datetime as dt
import os
import sys

import icalendar
import recurring_ical_events

UTC = dt.timezone.utc


def key(v):
    if isinstance(v, dt.datetime):
        if v.tzinfo is None:
            return v.strftime("%Y%m%dT%H%M%S"), v.replace(tzinfo=UTC)
        u = v.astimezone(UTC)
        return u.strftime("%Y%m%dT%H%M%SZ"), u
    return v.strftime("%Y%m%d"), dt.datetime(v.year, v.month, v.day, tzinfo=UTC)


def main():
    folder, lo, hi = sys.argv[1], sys.argv[2], sys.argv[3]
    lo = dt.datetime.strptime(lo, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    hi = dt.datetime.strptime(hi, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    margin = dt.timedelta(days=2)
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ics"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            raw = f.read()
        cal = icalendar.Calendar.from_ical(raw)  # raises on what it cannot read
        events = cal.walk("VEVENT")
        if not events:
            raise SystemExit(f"{name}: icalendar found no VEVENT")
        for e in events:
            if "UID" not in e or "DTSTART" not in e:
                raise SystemExit(f"{name}: icalendar lost UID or DTSTART")
        out = []
        span = recurring_ical_events.of(cal).between(lo.replace(tzinfo=None) - margin, hi.replace(tzinfo=None) + margin)
        for occ in span:
            k, instant = key(occ["DTSTART"].dt)
            if lo <= instant < hi:
                out.append((instant, k + "|" + str(occ.get("SUMMARY", ""))))
        out.sort()
        print(name[:-4] + "\t" + "\t".join(o for _, o in out))


main()
