"""Reads a calendar with the Python `caldav` client (another CalDAV client, sharing no code
with HubSync) and prints what it finds as JSON: each event's UID, summary, and the
occurrences the client expands in a range (its own expansion, not ours)."""
import json
import sys
from datetime import datetime, timezone

import caldav

url, user, password, start, end = sys.argv[1:6]
client = caldav.DAVClient(url=url, username=user, password=password)
calendar = client.calendar(url=url)
out = {}
for ev in calendar.events():
    comp = ev.icalendar_component
    uid = str(comp.get("UID"))
    out[uid] = {"summary": str(comp.get("SUMMARY")), "occurrences": []}
range_start = datetime.strptime(start, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
range_end = datetime.strptime(end, "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
for ev in calendar.search(start=range_start, end=range_end, event=True, expand=True):
    for comp in ev.icalendar_instance.walk("VEVENT"):
        uid = str(comp.get("UID"))
        when = comp.decoded("DTSTART").astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        out.setdefault(uid, {"summary": None, "occurrences": []})["occurrences"].append([when, str(comp.get("SUMMARY"))])
for v in out.values():
    v["occurrences"].sort()
print(json.dumps(out, sort_keys=True))
