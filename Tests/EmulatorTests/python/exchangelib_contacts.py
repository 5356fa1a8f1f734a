"""Drives the HubSync EWS emulator with the real exchangelib client (pin: exchangelib==5.6.0).

usage: exchangelib_contacts.py SERVICE_URL USER PASSWORD AUTH EMAIL
  AUTH is NTLM or BASIC. Prints one "ok: ..." line per check; exits non-zero on the first failure.
"""
import datetime
import logging
import os
import uuid
import sys

from exchangelib import (
    BASIC, DELEGATE, NTLM, Account, Build, Configuration, Contact, Credentials, ExtendedProperty, FaultTolerance,
    FileAttachment, Version,
)
from exchangelib.indexed_properties import EmailAddress, PhoneNumber, PhysicalAddress
from exchangelib.items import AUTO_RESOLVE, NEVER_OVERWRITE
from exchangelib.errors import ErrorIrresolvableConflict, ErrorItemNotFound
from exchangelib.ewsdatetime import EWSDate


class SyncMarker(ExtendedProperty):
    """The kind of marker a sync product keeps on items it created (a string named property)."""
    property_set_id = "c11ff724-aa03-4555-9952-8fa248a11c3e"
    property_name = "HubSyncId"
    property_type = "String"


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print(f"ok: {what}", flush=True)


def main():
    url, user, password, auth, email = sys.argv[1:6]
    if os.environ.get("EXCHANGELIB_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)
    Contact.register("sync_marker", SyncMarker)
    config = Configuration(
        service_endpoint=url,
        credentials=Credentials(user, password),
        auth_type={"NTLM": NTLM, "BASIC": BASIC}[auth.upper()],
        version=Version(build=Build(15, 1, 2507, 0)),
        retry_policy=FaultTolerance(max_wait=30),
    )
    tag = uuid.uuid4().hex[:6]  # names unique per run, so the script also works on a used mailbox
    ann_name, bob_name = f"Ann{tag}", f"Bob{tag}"
    account = Account(primary_smtp_address=email, config=config, autodiscover=False, access_type=DELEGATE)
    contacts = account.contacts
    check(contacts.name == "Contacts", f"contacts folder found ({contacts.id[:16]}...)")

    _, state0 = sync(contacts, None)

    ann = Contact(
        folder=contacts, display_name=f"{ann_name} Archer", given_name=ann_name, surname="Archer", company_name="Acme", job_title="Engineer",
        email_addresses=[EmailAddress(label="EmailAddress1", email="ann@acme.example"),
                         EmailAddress(label="EmailAddress2", email="ann.private@example.org")],
        phone_numbers=[PhoneNumber(label="MobilePhone", phone_number="+1 555 0100"),
                       PhoneNumber(label="BusinessPhone", phone_number="+1 555 0101")],
        physical_addresses=[PhysicalAddress(label="Business", street="1 Main St & Co <HQ>", city="Springfield",
                                            state="IL", country="USA", zipcode="62701")],
        categories=["Customers", "VIP"], birthday=EWSDate(1980, 5, 17), body="Met at the \"expo\" <2019>",
    )
    ann.sync_marker = f"hub-{tag}"
    ann.save()
    bob = Contact(folder=contacts, display_name=f"{bob_name} Baker", given_name=bob_name, surname="Baker",
                  email_addresses=[EmailAddress(label="EmailAddress1", email="bob@example.net")])
    bob.save()
    check(bool(ann.id) and bool(ann.changekey), "created two contacts")

    everyone = {c.given_name: c for c in contacts.all()}
    check({ann_name, bob_name} <= set(everyone), f"listed contacts: {sorted(everyone)}")
    got = everyone[ann_name]
    check(got.display_name == f"{ann_name} Archer" and got.file_as == f"Archer, {ann_name}", f"display name and FileAs: {got.display_name!r}, {got.file_as!r}")
    check({e.email for e in got.email_addresses} == {"ann@acme.example", "ann.private@example.org"}, "email addresses round-trip")
    check({(p.label, p.phone_number) for p in got.phone_numbers} ==
          {("MobilePhone", "+1 555 0100"), ("BusinessPhone", "+1 555 0101")}, "phone numbers round-trip")
    addr = got.physical_addresses[0]
    check((addr.label, addr.street, addr.city, addr.zipcode) == ("Business", "1 Main St & Co <HQ>", "Springfield", "62701"),
          "physical address round-trips (with XML special characters)")
    check(sorted(got.categories) == ["Customers", "VIP"], "categories round-trip")
    check(got.birthday == EWSDate(1980, 5, 17), f"birthday round-trips: {got.birthday}")
    check(str(got.body) == 'Met at the "expo" <2019>', "body (notes) round-trips")
    check(got.sync_marker == f"hub-{tag}", "extended property round-trips")

    by_name = list(contacts.filter(given_name=bob_name))
    check([c.surname for c in by_name] == ["Baker"], "filter(given_name=...)")
    by_marker = list(contacts.filter(sync_marker=f"hub-{tag}"))
    check([c.given_name for c in by_marker] == [ann_name], "filter on an extended property")
    check(contacts.filter(given_name__contains=tag, surname__contains="ake").count() == 1, "filter with contains")
    paged = list(contacts.filter(given_name__contains=tag).only("given_name").order_by("-given_name"))
    check([c.given_name for c in paged] == [bob_name, ann_name], "order_by + only")

    _, state1 = sync(contacts, state0)

    old_changekey = got.changekey
    got.job_title = "Director"
    got.phone_numbers = [PhoneNumber(label="MobilePhone", phone_number="+1 555 0199")]
    got.save(update_fields=["job_title", "phone_numbers"])
    check(got.changekey != old_changekey, "update gives a new ChangeKey")
    fresh = contacts.get(id=got.id)
    check(fresh.job_title == "Director", "updated job title")
    check([(p.label, p.phone_number) for p in fresh.phone_numbers] == [("MobilePhone", "+1 555 0199")],
          "indexed phone update replaced the set")

    stale = Contact(account=account, folder=contacts, id=got.id, changekey=old_changekey, display_name="x", department="Sales")
    try:
        stale.save(update_fields=["department"], conflict_resolution=NEVER_OVERWRITE)
        raise AssertionError("stale ChangeKey with NeverOverwrite was accepted")
    except ErrorIrresolvableConflict:
        check(True, "stale ChangeKey + NeverOverwrite -> ErrorIrresolvableConflict")
    stale.save(update_fields=["department"], conflict_resolution=AUTO_RESOLVE)
    check(contacts.get(id=got.id).department == "Sales", "stale ChangeKey + AutoResolve overwrites")

    photo = FileAttachment(name="ContactPicture.jpg", content=b"\xff\xd8\xff\xe0fakejpeg", is_contact_photo=True)
    fresh = contacts.get(id=got.id)
    fresh.attach(photo)
    with_photo = contacts.get(id=got.id)
    check(with_photo.has_picture and with_photo.attachments[0].is_contact_photo, "CreateAttachment: contact photo, HasPicture")
    fetched = account.fetch(ids=[with_photo]).__next__().attachments[0]
    check(fetched.content == b"\xff\xd8\xff\xe0fakejpeg", "GetAttachment returns the photo bytes")
    with_photo.detach(with_photo.attachments[0])
    check(not contacts.get(id=got.id).has_picture, "DeleteAttachment removes the photo")

    missing = list(account.fetch(ids=[(got.id, None), ("AAMkAGZha2VmYWtlZmFrZWZha2VmYWtlZmFrZWZha2VmYWtl", None)]))
    check(isinstance(missing[1], ErrorItemNotFound) and missing[0].given_name == ann_name,
          "GetItem: unknown id -> per-item ErrorItemNotFound, others succeed")

    changes, state2 = sync(contacts, state1)
    check(("update", got.id) in changes, f"sync sees the update ({len(changes)} changes)")

    bob_id = bob.id
    bob.delete()
    changes, state3 = sync(contacts, state2)
    check(changes == [("delete", bob_id)], f"sync sees the delete: {changes}")
    changes, _ = sync(contacts, state3)
    check(changes == [], "sync with the latest state: nothing new")

    for n in range(5):
        Contact(folder=contacts, display_name=f"Page{n} {tag}", given_name=f"Page{n}{tag}", surname="Test").save()
    seen, state = [], state3
    while True:
        batch = list(contacts.sync_items(sync_state=state, max_changes_returned=2))
        new_state = contacts.item_sync_state
        seen += [(t, i.id if t == "delete" else i.id) for t, i in batch]
        if new_state == state:
            break
        state = new_state
    check(sum(1 for t, _ in seen if t == "create") == 5, "paged sync (max 2 per call) saw 5 creates")

    check(True, f"negotiated EWS schema {account.version.api_version} (server build {account.version.build})")
    print("SUMMARY: exchangelib", auth.upper(), "all checks passed", flush=True)


def sync(folder, state):
    changes = []
    for change_type, item in folder.sync_items(sync_state=state):
        changes.append((change_type, item.id))
    return changes, folder.item_sync_state


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # print the reason, fail the test
        import traceback
        traceback.print_exc()
        print(f"FAILED: {e!r}", file=sys.stderr)
        sys.exit(1)
