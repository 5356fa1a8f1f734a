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
    kept = b.find("#user").get_attribute("value")
    check(kept == a.admin_user, f"the user name is kept after a failed sign-in ({kept!r})")
    b.assert_labelled()
    b.accessible("the sign-in page")
    b.shot("login-error")
    b.sign_in(a.admin_user, a.admin_password)
    b.wait(lambda d: "Your hubs" in d.find_element(By.CSS_SELECTOR, "main h1").text, message="the hub list after sign-in")
    b.accessible("the empty hub list")

    # The wizard.
    b.click_text("a", "Set up your first hub")
    b.step("object")
    calendars = d.find_element(By.CSS_SELECTOR, 'input[name="object"][value="calendar"]')
    check(calendars.is_enabled() and not calendars.is_selected(), "shared calendars can be chosen (contacts are the default)")
    check(d.find_element(By.CSS_SELECTOR, 'input[name="object"][value="contacts"]').is_selected(), "contacts preselected")
    b.accessible("the wizard's first step")
    b.shot("wizard-object")
    for width in (1366, 390):
        d.set_window_size(width, 900)
        tops = d.execute_script("return [...document.querySelectorAll('.steps li')].map(li => li.getBoundingClientRect().top)")
        check(len(set(round(t) for t in tops)) == 1, f"the step indicator is one line at {width}px ({len(tops)} steps)")
        overflow = d.execute_script("const s = document.querySelector('.steps'); return s.scrollWidth - s.clientWidth")
        check(overflow <= 1, f"and nothing of it is cut at {width}px ({overflow}px)")
        page = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        check(page <= 1, f"no sideways scrolling at {width}px ({page}px)")
        b.shot(f"steps-{width}px")
    d.set_window_size(1280, 900)
    b.next()

    # The hub's name comes first.
    b.step("hub")
    b.type("#hub-name", a.hub_name)
    b.shot("hub-name")
    b.next()

    b.step("kind")
    check(len(d.find_elements(By.CSS_SELECTOR, ".card-choice svg.kind-icon")) >= 3, "each source kind has its icon")
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
    # Nothing listening at the address: said in plain words, the raw text behind "Technical details".
    b.type("#field-url", "http://127.0.0.1:1/EWS/Exchange.asmx")
    b.type("#field-user", a.ews_user)
    b.type("#field-password", a.ews_password)
    Select(b.find("#field-version")).select_by_value(a.ews_version)
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "bad", message="the connection check to fail")
    said = d.find_element(By.CSS_SELECTOR, "form.wizard").text
    print("unreachable server message:", said)
    check("Nothing answers at 127.0.0.1 port 1. Is the address right and the server running?" in said, "the failure in plain words")
    tech = b.find("#check-status details.tech")
    tech.find_element(By.TAG_NAME, "summary").click()
    raw = tech.get_attribute("textContent")
    check("refused" in raw, f"the raw text behind Technical details: {raw!r}")
    b.shot("exchange-unreachable")
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

    # The address book (a list only when there is a choice) and the source's name, on one step.
    b.step("folder")
    radios = d.find_elements(By.CSS_SELECTOR, 'input[name="folder"]')
    check(len(radios) == 2 and any(r.is_selected() for r in radios), f"{len(radios)} address books listed, the default preselected")
    name = b.find("#spoke-name").get_attribute("value")
    check(name.strip() != "", f"the source name is prefilled: {name!r}")
    # The name follows the address book chosen, until the admin types one.
    sales = d.find_element(By.XPATH, "//ul[@class='radio-list']//label[.//strong[contains(., 'Sales')]]")
    sales.click()
    b.wait(lambda d: d.find_element(By.ID, "spoke-name").get_attribute("value").endswith("Sales"), message="the name follows the address book")
    b.assert_labelled()
    b.shot("exchange-folder")
    d.find_element(By.XPATH, "//ul[@class='radio-list']//label[.//strong[normalize-space()='Contacts']]").click()
    b.wait(lambda d: d.find_element(By.ID, "spoke-name").get_attribute("value") == name, message="back to the default address book")
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
    check(len(d.find_elements(By.CSS_SELECTOR, 'input[name="folder"]')) != 1, "no list for a single address book")
    name = b.find("#spoke-name").get_attribute("value")
    check(name.strip() != "", f"the Google source name is prefilled: {name!r}")
    b.shot("google-folder")
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
    b.accessible("the sync options step")
    b.shot("sync-options", full=True)
    first.find_element(By.CSS_SELECTOR, ".mapping-row button").click()
    check(len(first.find_elements(By.CSS_SELECTOR, ".mapping-row")) == 0, "and removed")
    b.next()

    # The last step keeps the hub syncing: every 15 minutes unless the admin says otherwise.
    b.step("sync")
    check(b.find("#schedule-on").is_selected(), "automatic sync is on by default")
    check(b.find("#schedule-minutes").get_attribute("value") == "15", "every 15 minutes")
    check("every 15 minutes" in b.text("#schedule-help"), f"and the page says so: {b.text('#schedule-help')!r}")
    b.accessible("the wizard's last step")
    b.shot("ready")
    d.execute_script(WATCH_PROGRESS)
    b.next()
    finish_sync(b, "first-sync", phases_required=True)

    # The hub page after the first sync: its overview, then each tab.
    count = int(b.text("#item-count"))
    check(count == a.expect_contacts, f"the hub holds {count} contacts (expected {a.expect_contacts})")
    b.wait(lambda d: "next sync" in d.find_element(By.ID, "hub-next-sync").text, message="the next sync's time on the hub page")
    check("every 15 minutes" in b.text("#hub-next-sync"), f"the schedule is shown: {b.text('#hub-next-sync')!r}")
    check(b.find("#hub-last-result .badge").text == "Synced", "the last result is shown")
    b.accessible("the hub overview")
    b.shot("hub-overview")
    b.tab("sources")
    rows = d.find_elements(By.CSS_SELECTOR, "#spokes tbody tr")
    check(len(rows) == 2, "two sources in the table")
    for row in rows:
        linked = int(row.find_element(By.CSS_SELECTOR, "td[data-linked]").get_attribute("data-linked"))
        check(linked == a.expect_contacts, f"{row.find_element(By.CSS_SELECTOR, 'th').text}: {linked} linked")
        check("Two-way" in row.text, "shown as two-way")
    check(a.category in rows[0].text, "the category is shown")
    check(len(d.find_elements(By.CSS_SELECTOR, "#spokes svg.kind-icon")) == 2, "each source has its kind's icon")
    b.accessible("the sources tab")
    b.shot("hub-sources")
    b.tab("history")
    b.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#journal-list > li.run-group")) > 0, message="history grouped by sync")
    check(len(d.find_elements(By.CSS_SELECTOR, "#runs tbody tr")) == 1, "one sync in the recent syncs")
    folds = d.find_elements(By.CSS_SELECTOR, "#journal-list .added-fold summary")
    check(len(folds) >= 1 and "contacts added" in folds[0].text, f"the first sync's additions fold into one line: {[f.text for f in folds]}")
    b.accessible("the history tab")
    b.shot("hub-history", full=True)
    b.tab("contacts")
    b.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#contacts-table tbody tr")) == a.expect_contacts, message="the contacts list")
    b.accessible("the contacts tab")
    emails = d.find_elements(By.CSS_SELECTOR, "#contacts-table td.ellipsis")
    check(emails and all(e.get_attribute("title") == e.get_attribute("textContent") for e in emails),
          "emails are cut with an ellipsis, the whole address in a tooltip")
    check(d.execute_script("return getComputedStyle(document.querySelector('#contacts-table td.ellipsis')).textOverflow") == "ellipsis",
          "drawn with text-overflow: ellipsis")
    b.shot("hub-after-sync", full=True)
    search = b.find("#contacts input[type=search]")
    search.send_keys(a.search)
    b.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#contacts-table tbody tr")) == 1, message=f"search for {a.search}")
    b.shot("contacts-search")

    # One contact: fields, the sources holding it (with the id there), its history.
    b.click("#contacts-table tbody th a")
    b.find("#contact-detail h2")
    sources = d.find_elements(By.CSS_SELECTOR, "#contact-sources tbody tr")
    check(len(sources) == 2, f"the contact's sources are listed ({len(sources)})")
    for row in sources:
        check(row.get_attribute("data-state") == "inSync", f"{row.text!r} is in step")
        check(row.find_element(By.CSS_SELECTOR, "td").text not in ("", "—"), "with its id there")
    check(len(d.find_elements(By.CSS_SELECTOR, "#contact-history li[data-seq]")) >= 1, "and its history")
    check(len(d.find_elements(By.CSS_SELECTOR, "#contact-fields dd")) >= 2, "and its fields")
    b.accessible("a contact's page")
    b.shot("contact-detail", full=True)

    b.tab("settings")
    check(b.find("#schedule input[type=checkbox]").is_selected(), "the settings show the wizard's schedule")
    b.accessible("the settings tab")
    b.shot("hub-settings")

    # A source's options page, and the hub page at a phone's width.
    b.tab("sources")
    d.find_elements(By.CSS_SELECTOR, "#spokes tbody tr")[0].find_element(By.CSS_SELECTOR, "th a").click()
    b.find("form.panel")
    b.wait(lambda d: "Sync options" in d.find_element(By.CSS_SELECTOR, "main h1").text, message="the options page")
    check(b.find('input[data-option="categoryName"]').get_attribute("value") == a.category, "the options page shows the category")
    b.accessible("a source's options page")
    b.shot("spoke-options", full=True)
    b.click_text("a", "Cancel")
    b.find("#spokes")
    b.check_url("sources")
    d.set_window_size(400, 900)
    overflow = d.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    check(overflow <= 1, f"no sideways scrolling at 400px ({overflow}px)")
    b.shot("hub-400px", full=True)
    d.set_window_size(1280, 900)
    # The hub list: the last result and the next sync.
    d.get(b.url + "/#/")
    item = b.find(".hub-list > li")
    check("next sync" in item.find_element(By.CSS_SELECTOR, ".next-sync").text, "the hub list shows the next sync")
    check(item.find_element(By.CSS_SELECTOR, ".last-result .badge").text == "Synced", "and the last result")
    b.accessible("the hub list")
    b.shot("hub-list")
    # Dark mode (the browser's preference) keeps the contrast rules.
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    bg = d.execute_script("return getComputedStyle(document.documentElement).backgroundColor")
    check(bg != "rgb(245, 247, 250)", f"dark mode changes the page's colours ({bg})")
    b.accessible("the hub list in dark mode")
    b.shot("hub-list-dark")
    item = b.find(".hub-list > li a.title")
    item.click()
    b.find("#sync-panel")
    b.accessible("the hub overview in dark mode")
    b.tab("sources")
    b.accessible("the sources tab in dark mode")
    b.shot("hub-sources-dark", full=True)
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def resync(b, a):
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    # A browser without server-sent events: the page polls instead, with the same live progress.
    d.execute_script("window.EventSource = undefined")
    b.tab("sources")
    b.tab("overview")
    b.sync_now("resync", live="poll")
    b.tab("history")
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
