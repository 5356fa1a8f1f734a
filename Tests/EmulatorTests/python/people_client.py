"""Drives the HubSync People emulator with Google's own Python client.

Usage: people_client.py BASE_URL CLIENT_ID CLIENT_SECRET ACCESS_TOKEN REFRESH_TOKEN SEEDED_COUNT

Needs google-api-python-client==2.202.0 and google-auth==2.63.0 (uses the People v1 discovery
document shipped in the package: static_discovery=True). The access token passed in has been
expired by the Swift test, so the first call must refresh through the emulator's /token endpoint.
Prints one "ok:" line per check; exits non-zero on the first failure.
"""
import base64
import json
import sys

import google.oauth2.credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

base, client_id, client_secret, access, refresh, seeded = sys.argv[1:7]
seeded = int(seeded)


def ok(msg):
    print("ok: " + msg, flush=True)


def check(cond, msg):
    if not cond:
        raise SystemExit("FAILED: " + msg)
    ok(msg)


def error_of(e):
    """(http status, error.status, first details reason, message) of a Google error answer."""
    body = json.loads(e.content.decode())["error"]
    reason = (body.get("details") or [{}])[0].get("reason")
    return e.resp.status, body.get("status"), reason, body.get("message")


creds = google.oauth2.credentials.Credentials(
    token=access, refresh_token=refresh, token_uri=base.rstrip("/") + "/token",
    client_id=client_id, client_secret=client_secret)
service = build("people", "v1", credentials=creds, static_discovery=True,
                client_options={"api_endpoint": base}, cache_discovery=False)
people = service.people()

# 1. Full listing with requestSyncToken, in pages of 2; the expired access token is refreshed on the way.
fields = "names,emailAddresses,phoneNumbers,metadata,memberships"
request = people.connections().list(resourceName="people/me", personFields=fields, pageSize=2, requestSyncToken=True)
listed, pages, sync_token = [], 0, None
while request is not None:
    response = request.execute()
    pages += 1
    listed += response.get("connections", [])
    sync_token = response.get("nextSyncToken") or sync_token
    request = people.connections().list_next(request, response)
check(creds.token != access, "access token refreshed through the emulator token endpoint")
check(len(listed) == seeded and pages == (seeded + 1) // 2, f"listed {len(listed)} seeded contacts in {pages} pages")
check(sync_token is not None, "nextSyncToken on the last page")
check(all(p["resourceName"].startswith("people/c") for p in listed), "resource names are people/c<digits>")

# 2. batchCreateContacts.
created = people.batchCreateContacts(body={
    "contacts": [{"contactPerson": {
        "names": [{"givenName": f"Py{i}", "familyName": "Client"}],
        "emailAddresses": [{"value": f"py{i}@example.org", "type": "work"}]}} for i in range(4)],
    "readMask": "names,emailAddresses,metadata"}).execute()["createdPeople"]
made = [c["person"] for c in created]
check(len(made) == 4 and made[0]["names"][0]["displayName"] == "Py0 Client", "batchCreateContacts created 4 contacts")

# 3. updateContact with the current etag.
p0 = made[0]
u0 = people.updateContact(resourceName=p0["resourceName"], updatePersonFields="names,phoneNumbers",
                          personFields="names,phoneNumbers", body={
                              "etag": p0["etag"], "names": [{"givenName": "Py0", "familyName": "Renamed"}],
                              "phoneNumbers": [{"value": "+1 555 0100", "type": "mobile"}]}).execute()
check(u0["etag"] != p0["etag"] and u0["names"][0]["familyName"] == "Renamed", "updateContact with etag gave a new etag")

# 4. The stale etag is refused.
try:
    people.updateContact(resourceName=p0["resourceName"], updatePersonFields="names",
                         body={"etag": p0["etag"], "names": [{"givenName": "Lost"}]}).execute()
    raise SystemExit("FAILED: stale etag accepted")
except HttpError as e:
    status, name, _, message = error_of(e)
    check(status == 400 and name == "FAILED_PRECONDITION" and "person.etag is different" in message,
          "stale etag refused: 400 FAILED_PRECONDITION")

# 5. batchUpdateContacts with etags (one of them stale: only that one fails).
batch = people.batchUpdateContacts(body={
    "contacts": {
        made[1]["resourceName"]: {"etag": made[1]["etag"], "names": [{"givenName": "Py1", "familyName": "Batched"}]},
        made[2]["resourceName"]: {"etag": made[2]["etag"], "names": [{"givenName": "Py2", "familyName": "Batched"}]},
        p0["resourceName"]: {"etag": p0["etag"], "names": [{"givenName": "Stale"}]},
    },
    "updateMask": "names", "readMask": "names"}).execute()["updateResult"]
check(batch[made[1]["resourceName"]]["person"]["names"][0]["familyName"] == "Batched"
      and batch[made[2]["resourceName"]]["httpStatusCode"] == 200, "batchUpdateContacts updated 2 contacts")
check(batch[p0["resourceName"]]["httpStatusCode"] == 400 and batch[p0["resourceName"]]["status"]["code"] == 9,
      "batchUpdateContacts: the stale entry failed with FAILED_PRECONDITION")

# 6. Photo, batchGet.
photo = people.updateContactPhoto(resourceName=made[1]["resourceName"], body={
    "photoBytes": base64.b64encode(b"\xff\xd8\xff\xe0fakejpeg").decode(), "personFields": "photos"}).execute()
check(not photo["person"]["photos"][0].get("default"), "updateContactPhoto set a photo")
got = people.getBatchGet(resourceNames=[m["resourceName"] for m in made[:2]], personFields="names").execute()
check([r["person"]["names"][0]["givenName"] for r in got["responses"]] == ["Py0", "Py1"], "getBatchGet returned both")

# 7. Deletes.
people.deleteContact(resourceName=made[3]["resourceName"]).execute()
people.batchDeleteContacts(body={"resourceNames": [listed[0]["resourceName"]]}).execute()
try:
    people.get(resourceName=made[3]["resourceName"], personFields="names").execute()
    raise SystemExit("FAILED: deleted contact still readable")
except HttpError as e:
    check(e.resp.status == 404, "deleteContact and batchDeleteContacts: contact gone (404)")

# 8. Contact groups.
groups = service.contactGroups()
group = groups.create(body={"contactGroup": {"name": "Python friends"}}).execute()
mod = groups.members().modify(resourceName=group["resourceName"], body={
    "resourceNamesToAdd": [made[0]["resourceName"], made[1]["resourceName"]]}).execute()
check("notFoundResourceNames" not in mod, "members.modify added 2 contacts")
g = groups.get(resourceName=group["resourceName"], maxMembers=10).execute()
check(g["memberCount"] == 2 and len(g["memberResourceNames"]) == 2, "contactGroups.get shows the members")
all_groups = groups.list().execute()["contactGroups"]
check({"contactGroups/myContacts", "contactGroups/starred", group["resourceName"]} <= {x["resourceName"] for x in all_groups},
      "contactGroups.list has myContacts, starred and the new group")
renamed = groups.update(resourceName=group["resourceName"], body={
    "contactGroup": {"etag": g["etag"], "name": "Python pals"}}).execute()
check(renamed["name"] == "Python pals", "contactGroups.update renamed the group")
member = people.get(resourceName=made[0]["resourceName"], personFields="memberships").execute()
check(group["resourceName"] in [m["contactGroupMembership"]["contactGroupResourceName"] for m in member["memberships"]],
      "person memberships reflect the group")

# 9. Sync with the token: every change since, deleted people flagged.
request = people.connections().list(resourceName="people/me", personFields="names,metadata", syncToken=sync_token,
                                    requestSyncToken=True, pageSize=3)
changes, next_sync = [], None
while request is not None:
    response = request.execute()
    changes += response.get("connections", [])
    next_sync = response.get("nextSyncToken") or next_sync
    request = people.connections().list_next(request, response)
by_name = {c["resourceName"]: c for c in changes}
check(all(m["resourceName"] in by_name for m in made), "sync saw the 4 created contacts")
check(by_name[made[3]["resourceName"]]["metadata"].get("deleted") is True
      and by_name[listed[0]["resourceName"]]["metadata"].get("deleted") is True, "sync saw both deletions (metadata.deleted)")
check(by_name[p0["resourceName"]]["names"][0]["familyName"] == "Renamed", "sync saw the update")
check(next_sync is not None and next_sync != sync_token, "sync gave a new nextSyncToken")

# 10. An unknown/expired sync token: 400 FAILED_PRECONDITION, reason EXPIRED_SYNC_TOKEN.
try:
    people.connections().list(resourceName="people/me", personFields="names", syncToken="bogus").execute()
    raise SystemExit("FAILED: bogus sync token accepted")
except HttpError as e:
    status, name, reason, _ = error_of(e)
    check(status == 400 and name == "FAILED_PRECONDITION" and reason == "EXPIRED_SYNC_TOKEN",
          "expired sync token: 400 FAILED_PRECONDITION EXPIRED_SYNC_TOKEN")

groups.delete(resourceName=group["resourceName"]).execute()
print("NEXT_SYNC_TOKEN " + next_sync)
print("SUMMARY: people client all checks passed")
