#!/usr/bin/env python3
"""A hub page's admin actions in headless Chromium (selenium 4). Each mode signs in, opens --hub
and does one thing an admin does there; the test changes the sources in between.

  web_hub.py reject|approve --url URL --shots DIR --admin-password P --hub HUB
                            --spoke-name NAME --held N --contacts N [--sample NAME]...
      Sync now; the page shows N deletions from NAME held (with the --sample names) while the hub
      still holds N contacts; Reject (or Approve) in the confirm dialog; Sync now again.
  web_hub.py undo --url URL --shots DIR --admin-password P --hub HUB --contact NAME --change TEXT
      Sync now; in the history, Undo the change to NAME that shows TEXT; Sync now again.
  web_hub.py schedule --url URL --shots DIR --admin-password P --hub HUB --minutes N
      "Sync automatically every N minutes", saved, and still shown after a reload.

Screenshots go to --shots (numbered on after those there). No sleeps: WebDriverWait only.
"""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from webtest import check, run


def hold_box(a):
    return f'#holds section[aria-label="Held deletions from {a.spoke_name}"]'


def last_run_line(b, spoke_name):
    """The last run's line for one source ("Google: 12 read · 6 deleted here")."""
    lines = [li.text for li in b.driver.find_elements(By.CSS_SELECTOR, "#last-run li") if li.text.startswith(spoke_name + ":")]
    check(len(lines) == 1, f"the last sync shows {lines}")
    return lines[0]


def decide(b, a, approve):
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    mode = "approve" if approve else "reject"
    b.sync_now(f"{mode}-pulls-deletions", expect="partial")
    check(f"{a.held} deletions held" in last_run_line(b, a.spoke_name), "the sync says it held them")
    box = b.find(hold_box(a))
    heading = box.find_element(By.TAG_NAME, "h2").text
    check(heading == f"{a.held} contacts deleted in {a.spoke_name} are waiting for your approval", f"the hold says {heading!r}")
    for name in a.sample:
        check(name in box.text, f"{name} is named among the held deletions")
    check(int(b.text("#item-count")) == a.contacts, f"the hub still holds its {a.contacts} contacts")
    b.accessible("the overview with held deletions")
    b.shot("held-again" if approve else "held-deletions", full=True)
    # The Sources table's problem column and the hub list say so too.
    b.tab("sources")
    row = b.driver.find_element(By.XPATH, f"//table[@id='spokes']/tbody/tr[.//th//a[normalize-space()='{a.spoke_name}']]")
    problem = row.find_element(By.CSS_SELECTOR, "td[data-problem]")
    check(f"{a.held} deletions held" in problem.text, f"the source's problem column: {problem.text!r}")
    b.shot("held-in-sources")
    b.driver.get(b.url + "/#/")
    held = b.find(f'.hub-list li[data-hub="{a.hub}"] .held')
    check(f"{a.held} deletions waiting" in held.text, f"the hub list: {held.text!r}")
    held.click()
    b.find("#holds section")

    if approve:
        b.click_text("button", "Approve the deletions")
        b.confirm(f"Delete these {a.held} contacts from the hub and from every other source?")
        b.notice(f"The deletions from {a.spoke_name} were applied.")
    else:
        b.click_text("button", "Reject: keep the contacts")
        b.confirm(f"They will be written back to {a.spoke_name}.")
        b.notice("The contacts were kept.")
    b.gone(hold_box(a))
    left = a.contacts - a.held if approve else a.contacts
    b.wait(lambda d: b.text("#item-count") == str(left), message=f"{left} contacts in the hub")

    b.sync_now(f"{mode}-pushes")
    check(b.driver.find_elements(By.CSS_SELECTOR, "#holds section") == [], "nothing is held any more")
    if approve:
        sources = [li.text.split(":")[0] for li in b.driver.find_elements(By.CSS_SELECTOR, "#last-run li")]
        for other in (s for s in sources if s != a.spoke_name):
            check(f"{a.held} deleted here" in last_run_line(b, other), f"the sync deleted them in {other}")
    else:
        check(f"{a.held} created here" in last_run_line(b, a.spoke_name), f"the sync wrote them back to {a.spoke_name}")
    b.shot("approved" if approve else "rejected", full=True)


def reject(b, a):
    decide(b, a, approve=False)


def approve(b, a):
    decide(b, a, approve=True)


def undo(b, a):
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    b.sync_now("changed")
    b.tab("history")
    entry = (f"//ol[@id='journal-list']//li[@data-seq][.//strong[normalize-space()='{a.contact}']"
             f" and contains(., 'Changed') and contains(., '{a.change}')]")
    item = b.wait(lambda d: d.find_elements(By.XPATH, entry), message=f"the change to {a.contact} in the history")[0]
    b.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", item)
    b.shot("history-change")
    item.find_element(By.TAG_NAME, "button").click()
    b.notice(f"restored for {a.contact}.")
    restored = f"//ol[@id='journal-list']//li[@data-seq][.//strong[normalize-space()='{a.contact}'] and contains(., 'Restored')]"
    b.wait(lambda d: d.find_elements(By.XPATH, restored), message=f"{a.contact} restored in the history")
    # Filters: one kind of change, one contact.
    Select(b.find("#journal-filters select[name=kind]")).select_by_value("restored")
    b.wait(lambda d: {li.get_attribute("data-kind") for li in d.find_elements(By.CSS_SELECTOR, "#journal-list li[data-seq]")} == {"restored"},
           message="only restorations when filtered so")
    Select(b.find("#journal-filters select[name=kind]")).select_by_value("")
    b.type("#journal-filters input[name=contact]", a.contact)
    b.click("#journal-filters button[type=submit]")
    b.wait(lambda d: {li.find_element(By.TAG_NAME, "strong").get_attribute("textContent").strip() for li in d.find_elements(By.CSS_SELECTOR, "#journal-list li[data-seq]")} == {a.contact},
           message=f"only {a.contact} when filtered so")
    b.accessible("the filtered history")
    b.shot("history-filtered", full=True)
    b.tab("overview")
    b.sync_now("undone")
    b.shot("undone", full=True)


def conflict(b, a):
    """Sync now after both sources changed one field; the conflict tab shows both values, their
    sources and the winner; "Use the other value"; the contact's page; Sync now again. Prints
    OTHER: <the value taken>."""
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    b.sync_now("conflicting")
    count = b.find("#conflict-count a")
    check(count.text == "1 conflict settled recently: check it", f"the overview counts the conflict: {count.text!r}")
    count.click()
    b.find('.tab-content[data-tab="conflicts"]')
    item = b.wait(lambda d: [li for li in d.find_elements(By.CSS_SELECTOR, "#conflict-list > li")
                             if a.contact in li.text], message=f"the conflict on {a.contact}")[0]
    winner = item.find_element(By.CSS_SELECTOR, "td.winner").text
    other = item.find_element(By.CSS_SELECTOR, "td.other").text
    check({winner, other} == set(a.value), f"both values are shown: kept {winner!r}, other {other!r}")
    heads = [th.text for th in item.find_elements(By.CSS_SELECTOR, "thead th")]
    check(all("from" in h for h in heads[1:]), f"with their sources: {heads}")
    b.accessible("the conflicts tab")
    b.shot("conflict", full=True)
    item.find_element(By.XPATH, ".//button[contains(., 'Use the other value')]").click()
    b.notice("now has the other value")
    b.tab("contacts")
    b.click_text("a", a.contact)
    b.wait(lambda d: other in d.find_element(By.ID, "contact-fields").text, message=f"the contact now has {other!r}")
    b.shot("contact-after-conflict", full=True)
    b.tab("overview")
    b.sync_now("conflict-resolved")
    print(f"OTHER: {other}", flush=True)


def filtered(b, a):
    """A contact's page says why a source's filter keeps it out."""
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    b.tab("contacts")
    b.click_text("a", a.contact)
    row = b.find(f'#contact-sources tr[data-spoke="{a.spoke}"]')
    reason = row.find_element(By.CSS_SELECTOR, ".filter-reason").text
    check(a.change in reason, f"the filter's reason: {reason!r}")
    b.accessible("a filtered contact's page")
    b.shot("contact-filtered", full=True)


def schedule(b, a):
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    b.tab("settings")
    form = b.find("#schedule")
    headings = [e.text for e in b.driver.find_elements(By.CSS_SELECTOR, "#settings h2")]
    check(headings == ["Schedule"], f"the schedule has one heading, not a panel's and its own ({headings})")
    toggle = form.find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    check(not toggle.is_selected(), "the hub syncs only on demand so far")
    b.click_text("label", "Sync automatically")
    b.type("#schedule input[type=number]", str(a.minutes))
    b.assert_labelled()
    b.click_text("button", "Save schedule")
    b.notice(f"This hub now syncs every {a.minutes} minutes.")
    b.shot("schedule-saved")
    b.driver.refresh()
    b.find("#schedule")
    b.check_url("settings")
    toggle = b.driver.find_element(By.CSS_SELECTOR, "#schedule input[type=checkbox]")
    check(toggle.is_selected(), "after a reload, automatic sync is on")
    minutes = b.find("#schedule input[type=number]").get_attribute("value")
    check(minutes == str(a.minutes), f"every {minutes} minutes")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hub", required=True)
    p.add_argument("--spoke-name")
    p.add_argument("--held", type=int)
    p.add_argument("--contacts", type=int)
    p.add_argument("--sample", action="append", default=[])
    p.add_argument("--contact")
    p.add_argument("--change")
    p.add_argument("--minutes", type=int)
    p.add_argument("--value", action="append", default=[])
    p.add_argument("--spoke")
    run(p, {"reject": reject, "approve": approve, "undo": undo, "conflict": conflict, "filtered": filtered, "schedule": schedule})


if __name__ == "__main__":
    main()
