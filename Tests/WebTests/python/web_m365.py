#!/usr/bin/env python3
"""Microsoft 365 in the web app, in headless Chromium (selenium 4), against the Graph emulator.

  web_m365.py signin --url URL --shots DIR --admin-password P --hub-name NAME --expect-contacts N
      signs in, runs the wizard with one source: "Sign in with Microsoft" through the
      emulator's consent page (Accept) and back, the mailbox's default folder, a new hub,
      Sync now; the hub page then holds N contacts.
  web_m365.py group  --url URL --shots DIR --admin-password P --hub HUB --group G --tenant T
                     --client-id ID --client-secret S --expect-members N
      on the hub page, "Mailboxes of a group": the form adds N member mailboxes (listed under
      the group), then Sync now, which syncs the hub's sources and the new ones.

  web_m365.py groupmanage --url URL --shots DIR --admin-password P --hub HUB --group G --expect-members N
      on the hub page, the followed group made receive-only, then no longer followed (its N
      sources paused): the list then says no group.
  web_m365.py migrate --url URL --shots DIR --admin-password P --hub HUB --spoke SPOKE --expect-kept N
      on an Exchange source's page, "Move to Microsoft 365" with "Sign in with Microsoft":
      the confirmation, the emulator's consent page (Accept) and back to the source's page,
      where the move finishes and says N contacts kept their links.

Screenshots go to --shots. No sleeps: WebDriverWait only. Prints "SUMMARY: <mode> all checks
passed" (see webtest.py).
"""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from webtest import WAIT, WATCH_PROGRESS, check, finish_sync, run


def signin(b, a):
    d = b.driver
    d.get(b.url + "/")
    b.wait(EC.url_contains("/login"), message="the login page")
    b.sign_in(a.admin_user, a.admin_password)
    b.wait(lambda d: "Your hubs" in d.find_element(By.CSS_SELECTOR, "main h1").text, message="the hub list")
    b.click_text("a", "Set up your first hub")
    b.step("object")
    b.next()
    b.step("hub")
    b.type("#hub-name", a.hub_name)
    b.next()

    b.step("kind")
    b.click('label[for="kind-graph"]')
    b.next()

    # Sign in with Microsoft: to the identity platform's consent page (the emulator's) and back.
    b.step("settings")
    button = b.find("#sign-in")
    check("Microsoft" in button.text, f"the button says {button.text!r}")
    b.shot("m365-sign-in")
    b.click("#sign-in")
    accept = b.find('button[name="decision"][value="allow"]')
    check("Permissions requested" in d.find_element(By.TAG_NAME, "h1").text, "the consent page")
    b.shot("m365-consent")
    accept.click()
    b.wait(lambda d: "#/wizard" in d.current_url, message="back in the wizard")
    b.step("settings")
    signed = b.find("#signed-in-as")
    check("Signed in as" in signed.text, f"signed in: {signed.text!r}")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok",
           message="the mailbox to be checked")
    b.shot("m365-signed-in")
    b.next()

    # The address book (listed when there is a choice) and the source's name, on one step.
    b.step("folder")
    radios = d.find_elements(By.CSS_SELECTOR, 'input[name="folder"]')
    check(len(radios) != 1 and (not radios or any(r.is_selected() for r in radios)),
          f"{len(radios)} folders listed, the default preselected")
    name = b.find("#spoke-name").get_attribute("value")
    check(name.strip() != "", f"the source name is prefilled: {name!r}")
    b.shot("m365-folder")
    b.next()
    b.step("more")
    check(len(d.find_elements(By.CSS_SELECTOR, "#spoke-summary li")) == 1, "one source")
    b.next()
    b.step("options")
    b.next()
    b.step("sync")
    d.execute_script(WATCH_PROGRESS)
    b.next()
    finish_sync(b, "m365-first-sync")

    count = int(b.text("#item-count"))
    check(count == a.expect_contacts, f"the hub holds {count} contacts (expected {a.expect_contacts})")
    b.tab("sources")
    rows = d.find_elements(By.CSS_SELECTOR, "#spokes tbody tr")
    check(len(rows) == 1, "one source in the table")
    linked = int(rows[0].find_element(By.CSS_SELECTOR, "td[data-linked]").get_attribute("data-linked"))
    check(linked == a.expect_contacts, f"{linked} linked")
    b.shot("m365-hub", full=True)


def group(b, a):
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    b.tab("sources")
    b.wait(lambda d: d.find_element(By.ID, "groups").is_displayed(), message="the Mailboxes of a group section")
    b.wait(lambda d: "No group yet" in d.find_element(By.ID, "groups-list").text, message="no group yet")
    b.click_text("summary", "Add the mailboxes of a group")
    b.type('#group-form input[name="group"]', a.group)
    b.type('#group-form input[name="tenant"]', a.tenant)
    b.type('#group-form input[name="clientID"]', a.client_id)
    b.type('#group-form input[name="clientSecret"]', a.client_secret)
    b.assert_labelled()
    b.shot("group-form")
    b.click('#group-form button[type="submit"]')
    # The server reads the group's members from Graph and makes a source each, with retries:
    # on a loaded machine that takes longer than a page's usual wait.
    b.notice(f"{a.expect_members} mailboxes of {a.group} added", timeout=3 * WAIT)
    # The list re-renders after the notice (the group's spokes arrive): wait for all members, read as text at once.
    members = b.wait(lambda d: (lambda t: t if len(t) == a.expect_members else None)(
        [m.text for m in d.find_elements(By.CSS_SELECTOR, "#groups-list .group li[data-spoke]")]), message="the group's members")
    check(len(members) == a.expect_members, f"{len(members)} members listed: {members}")
    check(b.find('#group-form input[name="clientSecret"]').get_attribute("value") == "", "the secret is not left in the form")
    b.shot("group-added", full=True)

    b.tab("overview")
    b.sync_now("group-sync")
    b.tab("sources")
    rows = d.find_elements(By.CSS_SELECTOR, "#spokes tbody tr")
    check(len(rows) == 1 + a.expect_members, f"{len(rows)} sources: the signed-in mailbox and the members'")
    b.shot("group-synced", full=True)


def groupmanage(b, a):
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    b.tab("sources")
    b.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#groups-list .group"), message="the followed group")
    b.click('#groups-list .group button[data-action="mode"]')
    b.notice(f"The mailboxes of {a.group} are now receive-only")
    b.wait(lambda d: "(receive only)" in d.find_element(By.CSS_SELECTOR, "#groups-list .group h3").text,
           message="the group shown as receive only")
    # The Sources table says so for each member: the hub writes there, nothing comes back.
    members = [li.get_attribute("data-spoke") for li in b.driver.find_elements(By.CSS_SELECTOR, "#groups-list .group li[data-spoke]")]
    check(len(members) == a.expect_members, f"{len(members)} member sources")

    def directions(d):
        return [d.find_element(By.CSS_SELECTOR, f'#spokes tr[data-spoke="{m}"] td[data-direction]') for m in members]
    b.wait(lambda d: all(c.get_attribute("data-direction") == "fromHub" for c in directions(d)), message="the members receive only")
    check(all(c.text == "From the hub only (receive only)" for c in directions(b.driver)), "the Sources table says receive only, not two-way")
    b.shot("group-receive-only", full=True)
    b.click('#groups-list .group button[data-action="stop"]')
    b.confirm(f"Stop following {a.group}?")
    b.notice(f"The hub no longer follows {a.group}: {a.expect_members} sources paused")
    b.wait(lambda d: "No group yet" in d.find_element(By.ID, "groups-list").text, message="no group any more")
    b.wait(lambda d: all(c.get_attribute("data-direction") == "paused" for c in directions(d)), message="the members paused")
    check(all(c.text.startswith("Paused") for c in directions(b.driver)), "the Sources table says paused")
    b.shot("group-stopped", full=True)


def migrate(b, a):
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    d.get(f"{b.url}/#/hubs/{a.hub}/spokes/{a.spoke}")
    b.click("#migrate summary")
    button = b.find("#migrate-sign-in")
    check("Sign in with Microsoft" in button.text, f"the button says {button.text!r}")
    b.shot("move-section", full=True)
    button.click()
    b.confirm("Move Exchange to Microsoft 365?")
    accept = b.find('button[name="decision"][value="allow"]')
    check("Permissions requested" in d.find_element(By.TAG_NAME, "h1").text, "the consent page")
    b.shot("move-consent")
    accept.click()
    # Back through the wizard's return address to the source's page, where the move finishes:
    # the server matches the folder's contacts through Graph, longer than a page's usual wait
    # on a loaded machine.
    b.notice("now syncs through Microsoft 365", timeout=3 * WAIT)
    text = d.find_element(By.ID, "notice").text
    check(f"{a.expect_kept} contacts kept their links" in text, f"the notice says {text!r}")
    b.wait(lambda d: f"#/hubs/{a.hub}" in d.current_url and "/spokes/" not in d.current_url, message="back on the hub page")
    b.shot("move-done", full=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hub-name", default="Microsoft 365")
    p.add_argument("--expect-contacts", type=int, default=0)
    p.add_argument("--hub")
    p.add_argument("--group")
    p.add_argument("--tenant")
    p.add_argument("--client-id")
    p.add_argument("--client-secret")
    p.add_argument("--expect-members", type=int, default=0)
    p.add_argument("--spoke")
    p.add_argument("--expect-kept", type=int, default=0)
    run(p, {"signin": signin, "group": group, "groupmanage": groupmanage, "migrate": migrate})


if __name__ == "__main__":
    main()
