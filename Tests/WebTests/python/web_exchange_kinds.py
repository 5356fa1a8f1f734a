#!/usr/bin/env python3
"""The kinds of Exchange source in the wizard, in headless Chromium (selenium 4).

  web_exchange_kinds.py kinds --url URL --shots DIR --admin-password P --ews-url U --ews-user U
                              --ews-password P --shared S --impersonated I --hub-name NAME --expect-contacts N
      signs in and runs the wizard: an Exchange source of kind "Another user's or a shared
      mailbox" (the address field appears only for that kind; impersonation without the role is
      refused next to "Access" in plain words; Full access passes), then a second Exchange source
      of kind "Public folder", picked from the tree (the read-only folder says so); then Sync now:
      the hub holds N contacts.

Screenshots go to --shots. No sleeps: WebDriverWait only. Prints "SUMMARY: kinds all checks
passed" (see webtest.py).
"""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from webtest import WATCH_PROGRESS, check, finish_sync, run


def exchange_settings(b, a, kind):
    """The Exchange step: the kind of source first, then the account's details."""
    b.step("settings")
    kinds = Select(b.find("#field-mailboxKind"))
    check([o.get_attribute("value") for o in kinds.options] == ["user", "other", "public"],
          "the kind of source is asked first: user mailbox, another user's or shared mailbox, public folder")
    check(not b.driver.find_element(By.ID, "field-mailbox").is_displayed(), "no mailbox address for the account's own mailbox")
    kinds.select_by_value(kind)
    b.type("#field-url", a.ews_url)
    b.type("#field-user", a.ews_user)
    b.type("#field-password", a.ews_password)


def kinds(b, a):
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
    b.click('label[for="kind-ews"]')
    b.next()

    # Another user's or a shared mailbox: its address and the way in appear with the choice.
    exchange_settings(b, a, "other")
    b.wait(lambda d: d.find_element(By.ID, "field-mailbox").is_displayed(), message="the mailbox address field")
    check(b.find("#field-access").is_displayed(), "and the way in")
    b.click("#check-connection")
    err = b.find("#field-mailbox-error")
    b.wait(lambda d: err.text.strip() != "", message="a missing mailbox address is flagged")
    b.type("#field-mailbox", a.shared)
    Select(b.find("#field-access")).select_by_value("impersonation")
    b.assert_labelled()
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "field-access-error").text.strip() != "", message="impersonation refused next to Access")
    said = d.find_element(By.ID, "field-access-error").text
    print("impersonation refused:", said)
    check("ApplicationImpersonation" in said, f"the refusal says what to change: {said!r}")
    b.shot("exchange-impersonation-refused")
    Select(b.find("#field-access")).select_by_value("delegate")
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the shared mailbox opened")
    status = b.text("#check-status")
    check(a.shared in status, f"connected as the shared mailbox: {status!r}")
    b.shot("exchange-shared-connected")
    b.next()
    b.step("folder")
    b.shot("exchange-shared-folder")
    b.next()
    b.step("more")
    b.click("#add-another")

    # A public folder: the tree's contacts folders, by path; the read-only one says so.
    b.step("kind")
    b.click('label[for="kind-ews"]')
    b.next()
    exchange_settings(b, a, "public")
    check(not d.find_element(By.ID, "field-mailbox").is_displayed(), "no mailbox address for a public folder")
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the public folders opened")
    b.next()
    b.step("folder")
    labels = [e.text for e in d.find_elements(By.CSS_SELECTOR, "ul.radio-list label")]
    print("public folders:", labels)
    check(any("Company/Partners" in t for t in labels), f"the contacts folder below Company is listed: {labels}")
    locked = [t for t in labels if t.startswith("Locked")]
    check(locked and "read-only" in locked[0], f"the read-only folder says so: {locked}")
    d.find_element(By.XPATH, "//ul[@class='radio-list']//label[.//strong[normalize-space()='Company/Partners']]").click()
    b.assert_labelled()
    b.shot("exchange-public-folder")
    b.next()
    b.step("more")
    check(len(d.find_elements(By.CSS_SELECTOR, "#spoke-summary li")) == 2, "two sources")
    b.next()
    b.step("options")
    b.next()
    b.step("sync")
    d.execute_script(WATCH_PROGRESS)
    b.next()
    finish_sync(b, "kinds-first-sync")
    count = int(b.text("#item-count"))
    check(count == a.expect_contacts, f"the hub holds {count} contacts (expected {a.expect_contacts})")
    b.shot("exchange-kinds-hub", full=True)


def main():
    p = argparse.ArgumentParser()
    for name in ("--ews-url", "--ews-user", "--ews-password", "--shared", "--impersonated"):
        p.add_argument(name, required=True)
    p.add_argument("--hub-name", default="Sales contacts")
    p.add_argument("--expect-contacts", type=int, default=0)
    run(p, {"kinds": kinds})


if __name__ == "__main__":
    main()
