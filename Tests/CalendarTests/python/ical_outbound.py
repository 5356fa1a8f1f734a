#!/usr/bin/env python3
"""The outside check of what HubSync writes for CalDAV servers and .ics exports.

Usage: ical_outbound.py DIR
For each .ics in DIR, Python `icalendar` must parse it, find no METHOD, and find SCHEDULE-AGENT=CLIENT
on every ORGANIZER and ATTENDEE of every VEVENT (else the run fails, naming the file). Prints one
line per file:
    NAME<TAB>VEVENTS<TAB>TZIDS<TAB>UIDS<TAB>PEOPLE<TAB>XPROPS
with the VTIMEZONE ids, the distinct UIDs and the X- property names (sorted, comma-separated), and
the number of ORGANIZER/ATTENDEE properties seen."""
import os
import sys

import icalendar


def people(event):
    for name in ("ORGANIZER", "ATTENDEE"):
        v = event.get(name)
        if v is None:
            continue
        for p in v if isinstance(v, list) else [v]:
            yield name, p


def main():
    folder = sys.argv[1]
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".ics"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            cal = icalendar.Calendar.from_ical(f.read())  # raises on what it cannot read
        if "METHOD" in cal:
            raise SystemExit(f"{name}: METHOD:{cal['METHOD']} written")
        events = cal.walk("VEVENT")
        seen, xprops, uids = 0, set(), set()
        for e in events:
            uids.add(str(e["UID"]))
            for key in e.keys():
                if key.startswith("X-"):
                    xprops.add(key)
            for prop, p in people(e):
                seen += 1
                agent = p.params.get("SCHEDULE-AGENT")
                if agent != "CLIENT":
                    raise SystemExit(f"{name}: {prop}:{p} has SCHEDULE-AGENT={agent}")
                if "SCHEDULE-FORCE-SEND" in p.params:
                    raise SystemExit(f"{name}: {prop}:{p} has SCHEDULE-FORCE-SEND")
        tzids = sorted(str(tz["TZID"]) for tz in cal.walk("VTIMEZONE"))
        print("\t".join([name[:-4], str(len(events)), ",".join(tzids), ",".join(sorted(uids)), str(seen),
                         ",".join(sorted(xprops))]))


main()
