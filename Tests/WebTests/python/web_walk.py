#!/usr/bin/env python3
"""What a walk through the web app found (issue 17's last items), checked in headless Chromium.

  web_walk.py history --url URL --shots DIR --admin-password P --hub HUB --contact NAME --ambiguous TEXT --pick NAME
      The contacts search finds NAME (a space reaches the server as one). The history's contact
      filter is the server's: NAME's first change ("Added", older than the
      first page of the history) is found; TEXT matching several contacts offers them once, as
      buttons that fit a phone's width, and picking NAME shows only theirs.
  web_walk.py french --url URL --shots DIR --admin-password P --hub HUB --folder-source NAME
                     --ews-url U --ews-user U --ews-password P
      In French: each count of the last sync in its plural form, a source's type translated in
      the Sources table, and the wizard's Exchange step, with "connected at <long URL>", fitting
      a phone's width.

  web_walk.py options --url URL --shots DIR --admin-password P --hub HUB --spoke ID --field FIELD
      The source's options page shows its mapping of FIELD (not among the fields the page offers)
      as it is, and Save keeps it.

  web_walk.py calendar --url URL --shots DIR --admin-password P --hub HUB
      A calendar hub's page and its line in the hub list count events; its Sources tab has no
      mailboxes of a group.

Screenshots go to --shots (numbered on after those there). No sleeps: WebDriverWait only.
"""
import argparse
import re
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from webtest import check, run


def sideways(b):
    return b.driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")


def entry_names(d):
    return [li.find_element(By.TAG_NAME, "strong").get_attribute("textContent").strip()
            for li in d.find_elements(By.CSS_SELECTOR, "#journal-list li[data-seq]")]


def history(b, a):
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    # A search with a space reaches the server as typed (not "Alan+Turing").
    b.tab("contacts")
    b.type('form.search input[type=search]', a.contact)
    b.click('form.search button[type=submit]')
    b.wait(lambda d: d.find_element(By.ID, "contacts-count").text == f'1 contact matches "{a.contact}".',
           message=f"the contacts search finds {a.contact}")
    b.tab("history")
    b.find("#journal-older")
    shown = entry_names(d)
    check(a.contact not in shown, f"{a.contact}'s changes are older than the history's first page ({len(shown)} entries)")

    b.type("#journal-filters input[name=contact]", a.contact)
    b.click("#journal-filters button[type=submit]")
    b.wait(lambda d: entry_names(d) and set(entry_names(d)) == {a.contact}, message=f"only {a.contact} when filtered so")
    # Read in a wait: the list may re-render between the find and the read (a stale element).
    kinds = b.wait(lambda d: {li.get_attribute("data-kind") for li in d.find_elements(By.CSS_SELECTOR, "#journal-list li[data-seq]")},
                   message=f"{a.contact}'s entries")
    check("created" in kinds, f"{a.contact}'s first change, Added, is found by the server ({kinds})")
    b.shot("history-one-contact", full=True)

    b.type("#journal-filters input[name=contact]", a.ambiguous)
    b.click("#journal-filters button[type=submit]")
    b.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#journal-contact-pick .contact-choices button"),
           message=f"a choice of the contacts matching {a.ambiguous!r}")
    check(len(d.find_elements(By.CSS_SELECTOR, "#journal-contact-pick .contact-choices")) == 1,
          "the choice is offered once (submit and change both asked)")
    check(d.find_elements(By.CSS_SELECTOR, "#journal-list li[data-seq]") == [], "and nothing is listed until one is picked")
    d.set_window_size(390, 900)
    check(sideways(b) <= 1, f"the choices fit a phone's width ({sideways(b)}px)")
    b.shot("history-choose-390", full=True)
    d.set_window_size(1280, 900)
    b.accessible("the history's choice of contacts")
    choice = [e for e in d.find_elements(By.CSS_SELECTOR, "#journal-contact-pick button") if e.text.startswith(a.pick)]
    check(len(choice) == 1, f"{a.pick} is among the choices")
    choice[0].click()
    b.wait(lambda d: entry_names(d) and set(entry_names(d)) == {a.pick}, message=f"only {a.pick} once picked")
    check(b.find("#journal-filters input[name=contact]").get_attribute("value") == a.pick, "the box says whose history it is")
    b.shot("history-picked", full=True)


def french(b, a):
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr", "the page is in French")
    lines = [li.text for li in d.find_elements(By.CSS_SELECTOR, "#last-run li")]
    text = " ".join(lines)
    print("last sync:", lines)
    # "60 lus · 60 nouveaux dans le hub", "60 créés ici": each count in the catalog's form for its
    # number (French plural forms), never "60 nouveau dans le hub".
    catalog = d.execute_script("return fetch('/static/i18n/fr.json').then(r => r.json())")
    forms = {}
    for entry in catalog.values():
        for category, form in (entry.items() if isinstance(entry, dict) else []):
            forms.setdefault(form, set()).add(category)
    wrong = []
    for line in lines:
        for part in line.split(": ", 1)[-1].split(" · "):
            number = re.match(r"^(\d+) ", part)
            if not number:
                continue
            n = int(number.group(1))
            if ("one" if n < 2 else "other") not in forms.get("{n}" + part[len(number.group(1)):], set()):
                wrong.append(part)
    check(wrong == [], f"every count of the last sync agrees with its number {wrong or ''}".strip())
    check(re.search(r"\b\d{2,} créés ici\b", text) is not None, "'créés ici' for many")
    b.tab("sources")
    row = b.driver.find_element(By.XPATH, f"//table[@id='spokes']/tbody/tr[.//th//a[normalize-space()='{a.folder_source}']]")
    kind = row.find_element(By.CSS_SELECTOR, "th .muted").text
    check(kind == "Dossier de fichiers vCard", f"the source's type in French: {kind!r}")
    direction = row.find_element(By.CSS_SELECTOR, "td[data-direction]")
    check(direction.get_attribute("data-direction") == "twoWay" and direction.text == "Dans les deux sens",
          f"and its direction: {direction.text!r}")
    b.shot("fr-sources", full=True)

    # The wizard's Exchange step on a phone: help texts and "connected … at <URL>" wrap.
    d.get(b.url + "/#/wizard")
    b.step("object")
    b.next()
    b.step("hub")
    b.type("#hub-name", "Téléphone")
    b.next()
    b.step("kind")
    b.click('label[for="kind-ews"]')
    b.next()
    b.step("settings")
    b.type("#field-url", a.ews_url)
    b.type("#field-user", a.ews_user)
    b.type("#field-password", a.ews_password)
    Select(b.find("#field-version")).select_by_value("2016")
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the connection check to pass")
    d.set_window_size(390, 900)
    check(sideways(b) <= 1, f"the Exchange step fits a phone's width in French ({sideways(b)}px)")
    b.shot("fr-exchange-390", full=True)
    d.set_window_size(1280, 900)


def options(b, a):
    """A source's options page with a mapping of a field its list does not offer: the mapping is
    shown as it is, and saving the page keeps it."""
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    d.get(f"{b.url}/#/hubs/{a.hub}/spokes/{a.spoke}")
    row = b.find(".mapping-row")
    select = row.find_element(By.TAG_NAME, "select")
    check(select.get_attribute("value") == a.field, f"the mapping shows its own field ({select.get_attribute('value')!r})")
    b.accessible("a source's options with a mapping")
    b.shot("options-mapping", full=True)
    b.click_text("button", "Save")
    b.notice("Saved the options of")


def calendar(b, a):
    """A calendar hub counts events, not contacts, and offers no group mailboxes (contact folders)."""
    d = b.driver
    b.open_hub(a.admin_user, a.admin_password, a.hub)
    facts = b.text("#hub-facts")
    check("events in the hub" in facts and "contacts" not in facts, f"the hub's facts: {facts!r}")
    b.tab("sources")
    b.find("#spokes")
    check(d.find_elements(By.ID, "groups") == [], "no mailboxes of a group on a calendar hub")
    b.shot("calendar-sources", full=True)
    # Its options on a phone: each private-events choice beside its radio, not wrapped under it.
    spoke = d.find_element(By.CSS_SELECTOR, "#spokes tbody tr[data-spoke]").get_attribute("data-spoke")
    d.get(f"{b.url}/#/hubs/{a.hub}/spokes/{spoke}")
    b.find("fieldset.choices")
    d.set_window_size(390, 900)
    under = d.execute_script("""
        return [...document.querySelectorAll('fieldset.choices .choice')].filter(c => {
          const radio = c.querySelector('input').getBoundingClientRect(), label = c.querySelector('label');
          return [...label.getClientRects()].some(r => r.left < radio.right);
        }).map(c => c.textContent);""")
    check(under == [], f"each private-events choice stays beside its radio at 390 px {under or ''}".strip())
    check(sideways(b) <= 1, f"and the page fits ({sideways(b)}px)")
    b.shot("calendar-options-390", full=True)
    d.set_window_size(1280, 900)
    # Saved from this page, the calendar's window is what was typed (the test reads it back).
    b.type('input[data-option="pastDays"]', "10")
    b.click_text("button", "Save")
    b.notice("Saved the options of")
    d.get(b.url + "/#/")
    item = b.find(f'.hub-list li[data-hub="{a.hub}"]')
    check("events" in item.text and "contacts" not in item.text, f"the hub list: {item.text!r}")


def main():
    lang = "fr-FR" if len(sys.argv) > 1 and sys.argv[1] == "french" else "en-US"
    p = argparse.ArgumentParser()
    p.add_argument("--hub", required=True)
    p.add_argument("--contact")
    p.add_argument("--ambiguous")
    p.add_argument("--pick")
    p.add_argument("--folder-source")
    p.add_argument("--ews-url")
    p.add_argument("--ews-user")
    p.add_argument("--ews-password")
    p.add_argument("--spoke")
    p.add_argument("--field")
    run(p, {"history": history, "french": french, "options": options, "calendar": calendar}, lang=lang)


if __name__ == "__main__":
    main()
