"""Other users' mailboxes and public folders on the HubSync EWS emulator, driven by the real
exchangelib client (pin: exchangelib==5.6.0).

usage: exchangelib_access.py SERVICE_URL USER PASSWORD SHARED_EMAIL IMPERSONATED_EMAIL DENIED_EMAIL REVIEWED_EMAIL
  USER has Full Access to SHARED_EMAIL, Reviewer on REVIEWED_EMAIL's Contacts folder only, the ApplicationImpersonation role (for IMPERSONATED_EMAIL),
  and sees public folders "Company" (read-only, a contacts folder "Company/Partners" below it
  writable) and "Locked" (read-only contacts). DENIED_EMAIL is a mailbox USER has no right to.
  Prints one "ok: ..." line per check; exits non-zero on the first failure.
"""
import os
import logging
import sys
import uuid

from exchangelib import DELEGATE, IMPERSONATION, NTLM, Account, Build, Configuration, Contact, Credentials, Version
from exchangelib.errors import ErrorAccessDenied, ErrorImpersonateUserDenied
from exchangelib.folders import Contacts


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print(f"ok: {what}", flush=True)


def round_trip(folder, what):
    """Creates a contact in `folder`, reads it back by listing, deletes it."""
    name = f"Zed{uuid.uuid4().hex[:6]}"
    c = Contact(folder=folder, given_name=name, surname="Access", display_name=f"{name} Access")
    c.save()
    got = [x for x in folder.all() if x.given_name == name]
    check(len(got) == 1 and got[0].display_name == f"{name} Access", f"{what}: created and read back a contact")
    got[0].delete()


def main():
    url, user, password, shared, impersonated, denied, reviewed = sys.argv[1:8]
    if os.environ.get("EXCHANGELIB_DEBUG"):
        logging.basicConfig(level=logging.DEBUG)

    def config(u=user, p=password):
        return Configuration(service_endpoint=url, credentials=Credentials(u, p), auth_type=NTLM,
                             version=Version(build=Build(15, 1, 2507, 0)))

    # Delegate / Full Access: the other mailbox named in DistinguishedFolderId's Mailbox.
    account = Account(primary_smtp_address=shared, config=config(), autodiscover=False, access_type=DELEGATE)
    contacts = account.contacts
    check(contacts.name == "Contacts", "delegate: the shared mailbox's Contacts folder")
    seeded = {c.given_name for c in contacts.all()}
    check("Shared1" in seeded, f"delegate: the shared mailbox's contacts listed ({sorted(seeded)})")
    round_trip(contacts, "delegate")

    # A folder permission only: Reviewer on the Contacts folder reads it, and no more.
    account = Account(primary_smtp_address=reviewed, config=config(), autodiscover=False, access_type=DELEGATE)
    names = {c.given_name for c in account.contacts.all()}
    check("Rev1" in names, f"folder permission: the Contacts folder read ({sorted(names)})")
    try:
        Contact(folder=account.contacts, given_name="Nope", surname="Never", display_name="Nope Never").save()
        check(False, "a Reviewer cannot write")
    except ErrorAccessDenied:
        check(True, "a Reviewer's write is refused (ErrorAccessDenied)")
    try:
        list(account.inbox.all())
        check(False, "the other folders stay closed")
    except ErrorAccessDenied:
        check(True, "the other folders stay closed (ErrorAccessDenied)")

    # Impersonation: ExchangeImpersonation/ConnectingSID/PrimarySmtpAddress in the SOAP header.
    account = Account(primary_smtp_address=impersonated, config=config(), autodiscover=False, access_type=IMPERSONATION)
    names = {c.given_name for c in account.contacts.all()}
    check("Imp1" in names, f"impersonation: the impersonated mailbox's contacts listed ({sorted(names)})")
    round_trip(account.contacts, "impersonation")

    # No right to a mailbox: delegate access is refused.
    account = Account(primary_smtp_address=denied, config=config(), autodiscover=False, access_type=DELEGATE)
    try:
        list(account.contacts.all())
        check(False, "delegate access to a mailbox without a grant is refused")
    except ErrorAccessDenied:
        check(True, "delegate access to a mailbox without a grant is refused (ErrorAccessDenied)")

    # Impersonation refused for an account without the role: the denied mailbox's user tries.
    other_user = denied.split("@")[0]
    account = Account(primary_smtp_address=shared, config=config(other_user, password), autodiscover=False,
                      access_type=IMPERSONATION)
    try:
        list(account.contacts.all())
        check(False, "impersonation without the role is refused")
    except ErrorImpersonateUserDenied:
        check(True, "impersonation without the role is refused (ErrorImpersonateUserDenied)")

    # Public folders: GetFolder publicfoldersroot, shallow FindFolder walks, a contacts folder.
    account = Account(primary_smtp_address=user_email(user, shared), config=config(), autodiscover=False,
                      access_type=DELEGATE)
    root = account.public_folders_root
    tree = {f.absolute: f for f in root.walk()}
    paths = sorted(p.split(root.absolute, 1)[-1] for p in tree)
    check(any(p.endswith("/Company/Partners") for p in paths), f"public folders walked: {paths}")
    partners = next(f for p, f in tree.items() if p.endswith("/Company/Partners"))
    check(isinstance(partners, Contacts), f"Company/Partners is a contacts folder ({type(partners).__name__})")
    round_trip(partners, "public folder")
    locked = next(f for p, f in tree.items() if p.endswith("/Locked"))
    names = {c.given_name for c in locked.all()}
    check("Pub1" in names, f"read-only public folder readable ({sorted(names)})")
    try:
        Contact(folder=locked, given_name="Nope", surname="Never", display_name="Nope Never").save()
        check(False, "a write to a read-only public folder is refused")
    except ErrorAccessDenied:
        check(True, "a write to a read-only public folder is refused (ErrorAccessDenied)")
    print("SUMMARY: exchangelib access passed")


def user_email(user, shared):
    """The signed-in user's own address: their name at the shared mailbox's domain."""
    return f"{user}@{shared.split('@')[1]}"


if __name__ == "__main__":
    main()
