"""Invite a user, both sides, in headless Chromium: the admin invites from the wizard's Google
step, the invitee (no HubSync session: the admin's cookies are set aside meanwhile) opens the
link, signs in at the People API emulator's consent page; a wrong account, an expired, a revoked
and an unknown link each get their page; the admin adds the accepted account as a source and
syncs; the invitee revokes from the same link, and the hub page shows the source paused."""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from webtest import WATCH_PROGRESS, check, finish_sync, run


def sign_in_admin(b, a):
    d = b.driver
    d.get(b.url + "/")
    b.wait(EC.url_contains("/login"), message="the login page")
    b.sign_in(a.admin_user, a.admin_password)
    b.find("main h1")


def google_step(b, a):
    """The wizard at "add a source to the hub", on Google's connection step, the invite box open."""
    d = b.driver
    d.get(f"{b.url}/#/wizard/add/{a.hub}")
    b.step("kind")
    b.click('label[for="kind-google"]')
    b.next()
    b.step("settings")
    box = b.find("#invite-box")
    if box.get_attribute("open") is None:
        b.click("#invite-box summary")
    return b.find("#invite-email")


def invite(b, email):
    b.type("#invite-email", email)
    b.click("#invite-create")
    b.wait(lambda d: d.find_element(By.ID, "invite-link").get_attribute("value").startswith(b.url + "/invite/")
           and email in d.find_element(By.ID, "invite-result").text, message=f"the link for {email}")
    return b.driver.find_element(By.ID, "invite-link").get_attribute("value")


class AsInvitee:
    """The admin's cookies set aside: the invitee's browser has no HubSync session."""

    def __init__(self, b):
        self.b = b

    def __enter__(self):
        d = self.b.driver
        d.get(self.b.url + "/static/favicon.svg")
        self.cookies = d.get_cookies()
        d.delete_all_cookies()

    def __exit__(self, kind, *exc):
        if kind is not None:
            return False  # the failure's page stays for its screenshot
        d = self.b.driver
        d.get(self.b.url + "/static/favicon.svg")
        d.delete_all_cookies()
        for c in self.cookies:
            d.add_cookie({k: v for k, v in c.items() if k in ("name", "value", "path", "secure", "httpOnly", "sameSite")})


def heading(b):
    return b.find("main h1").text


def consent(b, account):
    """The emulator's consent page: signs in as `account` (the page says which) and allows."""
    allow = b.find('button[name="decision"][value="allow"]')
    page = b.driver.find_element(By.TAG_NAME, "body").text
    check(account in page, f"the provider's page signs in as {account}")
    return allow


def invite_mode(b, a):
    d = b.driver
    sign_in_admin(b, a)

    # 1. The admin invites two people from the wizard's Google step; the mail goes out.
    google_step(b, a)
    b.assert_labelled()
    b.type("#invite-email", "not an address")
    b.click("#invite-create")
    b.wait(lambda d: "email address" in d.find_element(By.ID, "invite-email-error").text, message="a wrong address refused")
    check(b.find("#invite-email").get_attribute("aria-invalid") == "true", "next to its field")
    link = invite(b, a.invitee)
    check("Sent by mail to " + a.invitee in b.text("#invite-mailed"), f"mailed: {b.text('#invite-mailed')!r}")
    row = b.find('#invitations tr[data-status="pending"]')
    check(a.invitee in row.text and "Waiting for the person to sign in" in row.text, f"listed as pending: {row.text!r}")
    b.accessible("the wizard's Invite a user")
    b.shot("invite-created", full=True)
    stranger = invite(b, a.stranger)

    with AsInvitee(b):
        # 2. The invitee's page: who asks for what, no HubSync account needed.
        d.get(link)
        check("Example Ltd asks for access to your Google contacts" == heading(b), f"the heading says who asks for what: {heading(b)!r}")
        lead = b.text("#invite-lead")
        check(a.invitee in lead and "Example Ltd" in lead, f"the page names the invited account: {lead!r}")
        check("read and change your contacts" in b.text("#invite-access"), "the access asked, in plain words")
        check("/login" not in d.current_url, "no HubSync sign-in asked")
        b.accessible("the invitation page")
        b.shot("invite-page")
        b.click("#invite-sign-in")
        allow = consent(b, a.invitee)
        b.shot("invite-consent")
        allow.click()
        b.wait(lambda d: heading(b).endswith("Access granted"), message="access granted")
        check(a.invitee in b.text("#invite-lead"), "the granted page names the account")
        b.accessible("the access granted page")
        b.shot("invite-granted")
        # The same link again: the granted page, with the way back.
        d.get(link)
        b.find("#invite-revoke")

        # 3. Another account signs in on the stranger's link: refused, nothing stored.
        d.get(stranger)
        b.click("#invite-sign-in")
        consent(b, a.wrong_account).click()
        b.wait(lambda d: heading(b) == "Wrong account", message="the wrong account page")
        lead = b.text("#invite-lead")
        check(a.wrong_account in lead and a.stranger in lead and "Nothing was stored" in lead, f"it says who and why: {lead!r}")
        b.find("#again a")
        b.shot("invite-wrong-account")

        # 4. Expired, revoked, unknown.
        for link_, expected, shot in [(a.expired, "This invitation has expired", "invite-expired"),
                                      (a.revoked, "This invitation was revoked", "invite-revoked-link"),
                                      (b.url + "/invite/" + "A" * 43, "This invitation link is not valid", "invite-unknown")]:
            d.get(link_)
            check(heading(b) == expected, f"{shot}: {heading(b)!r}")
            check(not d.find_elements(By.ID, "invite-sign-in"), f"{shot}: no sign-in offered")
            b.shot(shot)

    # 5. The admin sees the account connected, adds it as a source, and syncs.
    google_step(b, a)
    row = b.find('#invitations tr[data-status="accepted"]')
    check(a.invitee in row.text and "Connected" in row.text, f"connected: {row.text!r}")
    check(len(d.find_elements(By.CSS_SELECTOR, '#invitations tr[data-status="pending"]')) == 1, "the stranger's still pending")
    b.shot("invite-connected", full=True)
    row.find_element(By.CSS_SELECTOR, "button.primary").click()
    b.wait(lambda d: a.invitee in d.find_element(By.ID, "signed-in-as").text, message="the invitee's account stands for the sign-in")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the account checked")
    b.shot("invite-signed-in")
    b.next()
    b.step("folder")
    b.next()
    b.step("more")
    b.next()
    b.step("options")
    b.next()
    b.step("sync")
    d.execute_script(WATCH_PROGRESS)
    b.next()
    finish_sync(b, "invite-first-sync")
    check(int(b.text("#item-count")) == 2, "the invitee's two contacts are in the hub")
    b.shot("invite-synced")

    # 6. The invitee takes the access back from the same link.
    with AsInvitee(b):
        d.get(link)
        b.click("#invite-revoke")
        b.wait(lambda d: heading(b) == "Access revoked", message="access revoked")
        b.shot("invite-revoked")
        d.get(link)
        check(heading(b) == "This invitation was revoked", "the link is over")

    # 7. The admin's hub page: the source is paused, saying why.
    d.get(f"{b.url}/#/hubs/{a.hub}")
    b.tab("sources")
    cell = b.find('td[data-direction="paused"]')
    check("Paused" in cell.text and "revoked the access" in cell.text, f"paused, with the reason: {cell.text!r}")
    b.shot("invite-paused", full=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hub", required=True)
    p.add_argument("--invitee", required=True)
    p.add_argument("--stranger", required=True)
    p.add_argument("--wrong-account", required=True)
    p.add_argument("--expired", required=True)
    p.add_argument("--revoked", required=True)
    run(p, {"invite": invite_mode})


if __name__ == "__main__":
    main()
