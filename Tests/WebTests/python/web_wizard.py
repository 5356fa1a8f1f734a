#!/usr/bin/env python3
"""HubSync's web app in headless Chromium (selenium 4), driven like an admin would.

  web_wizard.py setup  --url URL --shots DIR --ews-url U --ews-user U --ews-password P --ews-version V
                       --admin-user A --admin-password P --hub-name NAME --expect-contacts N
      first-run setup, sign out and in, the whole wizard (Exchange with a wrong then the right
      password, Google through the consent page), sync options, Sync now, the hub page.
  web_wizard.py resync --url URL --shots DIR --admin-user A --admin-password P --hub HUB --expect-change TEXT
      signs in, opens the hub, clicks Sync now, waits for the run and looks for TEXT in the history.

Every step is saved as a PNG in --shots. No sleeps: every wait is a WebDriverWait on the page.
Prints "SUMMARY: <mode> all checks passed" at the end; any failure exits 1 after a screenshot
named FAILED-*.png (webtest.py has what the scripts share).
"""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from webtest import WATCH_PROGRESS, check, finish_sync, run


def setup(b, a):
    d = b.driver
    # First run: / sends a new install to the setup page.
    d.get(b.url + "/")
    b.wait(EC.url_contains("/setup"), message="redirect to /setup")
    check(d.find_element(By.CSS_SELECTOR, 'input[name="csrf"]').get_attribute("value") != "", "the setup form carries a CSRF token")
    b.assert_labelled()
    b.shot("setup")
    # The one-time code `hubsync serve` prints: without it nobody (and no other web page) can
    # make the admin.
    check(d.find_element(By.ID, "setupToken").get_attribute("required") is not None, "the setup code is required")
    b.type("#setupToken", "wrong-code-0000")
    b.type("#user", a.admin_user)
    b.type("#password", a.admin_password)
    b.type("#password2", a.admin_password)
    b.click('button[type="submit"]')
    b.wait(lambda d: "setup code" in d.find_element(By.CSS_SELECTOR, '[role="alert"]').text.lower(),
           message="a wrong setup code refused")
    b.type("#setupToken", a.setup_code)
    b.type("#user", a.admin_user)
    b.type("#password", a.admin_password)
    b.type("#password2", a.admin_password + "x")
    b.click('button[type="submit"]')
    b.wait(lambda d: "differ" in d.find_element(By.CSS_SELECTOR, '[role="alert"]').text.lower(),
           message="different passwords refused")
    b.shot("setup-error")
    b.type("#user", a.admin_user)
    b.type("#password", a.admin_password)
    b.type("#password2", a.admin_password)
    b.click('button[type="submit"]')
    b.find("main h1")
    b.wait(lambda d: "Your hubs" in d.find_element(By.CSS_SELECTOR, "main h1").text, message="the hub list")
    b.shot("home-empty")

    # Sign out, then in (a wrong password first).
    b.click(".signout button")
    b.wait(EC.url_contains("/login"), message="signed out to /login")
    b.sign_in(a.admin_user, "not-the-password")
    alert = b.find('[role="alert"]')
    check(alert.text.strip() != "", f"a wrong password is refused: {alert.text!r}")
    b.assert_labelled()
    b.shot("login-error")
    b.sign_in(a.admin_user, a.admin_password)
    b.wait(lambda d: "Your hubs" in d.find_element(By.CSS_SELECTOR, "main h1").text, message="the hub list after sign-in")

    # The wizard.
    b.click_text("a", "Set up your first hub")
    b.step("object")
    calendars = d.find_element(By.CSS_SELECTOR, 'input[name="object"][value="calendars"]')
    check(not calendars.is_enabled(), "calendars are shown but disabled")
    check(d.find_element(By.CSS_SELECTOR, 'input[name="object"][value="contacts"]').is_selected(), "contacts preselected")
    b.shot("wizard-object")
    b.next()

    b.step("kind")
    b.shot("wizard-kind")
    b.click('label[for="kind-ews"]')
    b.next()

    # Exchange: required fields are checked here, then a wrong password is named by the server.
    b.step("settings")
    b.click("#check-connection")
    err = b.find("#field-user-error")
    check(err.text != "" and b.find("#field-user").get_attribute("aria-invalid") == "true", f"a missing user name is flagged: {err.text!r}")
    check(b.find("#field-password-error").text != "", "and a missing password")
    check(d.switch_to.active_element.get_attribute("id") == "field-user", "focus moves to the first missing field")
    b.shot("exchange-required")
    b.type("#field-url", a.ews_url)
    b.type("#field-user", a.ews_user)
    b.type("#field-password", a.ews_password + "-wrong")
    Select(b.find("#field-version")).select_by_value(a.ews_version)
    b.assert_labelled()
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "field-password-error").text.strip() != "", message="the wrong password is named")
    password = d.find_element(By.ID, "field-password")
    check(password.get_attribute("aria-invalid") == "true", "the password input is aria-invalid")
    check("field-password-error" in (password.get_attribute("aria-describedby") or ""), "the error is the password's description")
    check(d.find_element(By.ID, "field-url").get_attribute("aria-invalid") is None, "only the password is blamed")
    print("wrong password message:", d.find_element(By.ID, "field-password-error").text)
    b.shot("exchange-wrong-password")
    b.type("#field-password", a.ews_password)
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the connection check to pass")
    check(password.get_attribute("aria-invalid") is None, "the password error is cleared")
    b.shot("exchange-connected")
    b.next()

    b.step("folder")
    radios = d.find_elements(By.CSS_SELECTOR, 'input[name="folder"]')
    check(len(radios) >= 1 and any(r.is_selected() for r in radios), f"{len(radios)} folders listed, the default preselected")
    b.shot("exchange-folder")
    b.next()

    b.step("name")
    name = b.find("#spoke-name").get_attribute("value")
    check(name.strip() != "", f"the source name is prefilled: {name!r}")
    b.shot("exchange-name")
    b.next()

    b.step("hub")
    b.type("#hub-name", a.hub_name)
    b.shot("hub-name")
    b.next()

    b.step("more")
    check(len(d.find_elements(By.CSS_SELECTOR, "#spoke-summary li")) == 1, "one source so far")
    b.shot("more-sources-1")
    b.click("#add-another")

    # Google: Sign in with Google, through the provider's consent page and back.
    b.step("kind")
    b.click('label[for="kind-google"]')
    b.next()
    b.step("settings")
    b.shot("google-sign-in")
    b.click("#sign-in")
    allow = b.find('button[name="decision"][value="allow"]')
    b.shot("google-consent")
    allow.click()
    b.wait(lambda d: "#/wizard" in d.current_url, message="back in the wizard")
    b.step("settings")
    signed = b.find("#signed-in-as")
    check("Signed in as" in signed.text, f"signed in: {signed.text!r}")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the Google account to be checked")
    b.shot("google-signed-in")
    b.next()
    b.step("folder")
    b.shot("google-folder")
    b.next()
    b.step("name")
    name = b.find("#spoke-name").get_attribute("value")
    check(name.strip() != "", f"the Google source name is prefilled: {name!r}")
    b.next()

    b.step("more")
    check(len(d.find_elements(By.CSS_SELECTOR, "#spoke-summary li")) == 2, "two sources")
    b.shot("more-sources-2")
    b.next()

    # Sync options: both two-way; categorize the first (Exchange).
    b.step("options")
    sets = d.find_elements(By.CSS_SELECTOR, "fieldset[data-spoke]")
    check(len(sets) == 2, "options for both sources")
    for fs in sets:
        two_way = fs.find_element(By.CSS_SELECTOR, 'input[data-option="twoWay"]')
        if not two_way.is_selected():
            b.label_for(two_way)[0].click()
        check(two_way.is_selected(), "two-way is on")
    first = sets[0]
    categorize = first.find_element(By.CSS_SELECTOR, 'input[data-option="categorize"]')
    b.label_for(categorize)[0].click()
    category = first.find_element(By.CSS_SELECTOR, 'input[data-option="categoryName"]')
    b.wait(lambda d: category.is_displayed(), message="the category name field")
    category.clear()
    category.send_keys(a.category)
    for summary in first.find_elements(By.CSS_SELECTOR, "summary"):
        summary.click()
    add = first.find_element(By.XPATH, ".//button[normalize-space()='Add a mapping']")
    add.click()
    check(len(first.find_elements(By.CSS_SELECTOR, ".mapping-row")) == 1, "a field mapping row can be added")
    b.assert_labelled()
    b.shot("sync-options", full=True)
    first.find_element(By.CSS_SELECTOR, ".mapping-row button").click()
    check(len(first.find_elements(By.CSS_SELECTOR, ".mapping-row")) == 0, "and removed")
    b.next()

    b.step("sync")
    b.shot("ready")
    d.execute_script(WATCH_PROGRESS)
    b.next()
    finish_sync(b, "first-sync", phases_required=True)

    # The hub page after the first sync.
    count = int(b.text("#item-count"))
    check(count == a.expect_contacts, f"the hub holds {count} contacts (expected {a.expect_contacts})")
    rows = d.find_elements(By.CSS_SELECTOR, "#spokes tbody tr")
    check(len(rows) == 2, "two sources in the table")
    for row in rows:
        linked = int(row.find_element(By.CSS_SELECTOR, "td[data-linked]").get_attribute("data-linked"))
        check(linked == a.expect_contacts, f"{row.find_element(By.CSS_SELECTOR, 'th').text}: {linked} linked")
        check("Two-way" in row.text, "shown as two-way")
    check(a.category in rows[0].text, "the category is shown")
    b.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#journal-list > li")) > 0, message="history entries")
    b.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#contacts-table tbody tr")) == a.expect_contacts, message="the contacts list")
    check(len(d.find_elements(By.CSS_SELECTOR, "#runs tbody tr")) == 1, "one sync in the recent syncs")
    b.shot("hub-after-sync", full=True)
    search = b.find("#contacts input[type=search]")
    search.send_keys(a.search)
    b.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#contacts-table tbody tr")) == 1, message=f"search for {a.search}")
    b.shot("contacts-search")

    # A source's options page, and the hub page at a phone's width.
    rows[0].find_element(By.CSS_SELECTOR, "th a").click()
    b.find("form.panel")
    b.wait(lambda d: "Sync options" in d.find_element(By.CSS_SELECTOR, "main h1").text, message="the options page")
    check(b.find('input[data-option="categoryName"]').get_attribute("value") == a.category, "the options page shows the category")
    b.shot("spoke-options", full=True)
    b.click_text("a", "Cancel")
    b.find("#sync-panel")
    d.set_window_size(400, 900)
    overflow = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 1, f"no sideways scrolling at 400px ({overflow}px)")
    b.shot("hub-400px", full=True)
    d.set_window_size(1280, 900)


def resync(b, a):
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    b.sync_now("resync")
    b.wait(lambda d: a.expect_change in d.find_element(By.ID, "journal-list").get_attribute("textContent"),
           message=f"the change {a.expect_change!r} in the history")
    check(len(d.find_elements(By.CSS_SELECTOR, "#runs tbody tr")) == 2, "two syncs in the recent syncs")
    b.shot("hub-after-resync", full=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ews-url")
    p.add_argument("--ews-user")
    p.add_argument("--ews-password")
    p.add_argument("--ews-version", default="2016")
    p.add_argument("--hub-name", default="Team contacts")
    p.add_argument("--category", default="HubSync")
    p.add_argument("--search", default="Ada")
    p.add_argument("--expect-contacts", type=int, default=0)
    p.add_argument("--hub")
    p.add_argument("--expect-change")
    p.add_argument("--setup-code", default="")
    run(p, {"setup": setup, "resync": resync})


if __name__ == "__main__":
    main()
