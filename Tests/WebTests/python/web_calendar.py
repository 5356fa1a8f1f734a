#!/usr/bin/env python3
"""A calendar hub made in the wizard, in headless Chromium (selenium 4).

  web_calendar.py calendar --url URL --shots DIR --admin-user A --admin-password P --folder PATH
                           [--caldav-url U --caldav-user U --caldav-password P] --expect TEXT...
      signs in, walks the wizard for a calendar hub (the object step, the hub's name, a folder
      of .ics files, then a CalDAV calendar when given), keeps the calendar options, syncs, and
      reads the hub's Upcoming events: each TEXT is the summary of an instance listed there, in
      every source given (the folder's and the calendar's names in its Sources cell); a moved
      instance says so.

Every step is saved as a PNG in --shots. No sleeps: every wait is a WebDriverWait on the page.
Prints "SUMMARY: calendar all checks passed" at the end (webtest.py has what the scripts share).
"""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from webtest import WATCH_PROGRESS, check, finish_sync, run


def add_source(b, kind, values):
    """The kind step to the folder step for one source; returns the name the wizard gave it."""
    d = b.driver
    b.step("kind")
    offered = sorted(e.get_attribute("value") for e in d.find_elements(By.CSS_SELECTOR, 'input[name="kind"]'))
    check(offered == ["caldav", "ics-folder"], f"a calendar hub is offered the calendar kinds only ({offered})")
    b.shot(f"kind-{kind}")
    b.click(f'label[for="kind-{kind}"]')
    b.next()
    b.step("settings")
    for field, value in values.items():
        b.type(f"#field-{field}", value)
    b.assert_labelled()
    b.shot(f"settings-{kind}")
    b.next()
    b.step("folder")
    name = b.find("#spoke-name").get_attribute("value")
    check(name.strip() != "", f"the {kind} source's name is prefilled: {name!r}")
    b.shot(f"folder-{kind}")
    b.next()
    b.step("more")
    return name


def calendar(b, a):
    d = b.driver
    d.get(b.url + "/")
    b.wait(EC.url_contains("/login"), message="the login page")
    b.sign_in(a.admin_user, a.admin_password)
    b.wait(lambda d: "Your hubs" in d.find_element(By.CSS_SELECTOR, "main h1").text, message="the hub list")
    b.click_text("a", "Set up your first hub")
    b.step("object")
    b.click('label[for="object-calendar"]')
    b.shot("object-calendar")
    b.next()
    b.step("hub")
    b.type("#hub-name", a.hub_name)
    b.next()

    names = [add_source(b, "ics-folder", {"path": a.folder})]
    if a.caldav_url:
        b.click("#add-another")
        names.append(add_source(b, "caldav", {"url": a.caldav_url, "user": a.caldav_user, "password": a.caldav_password}))
    check(len(d.find_elements(By.CSS_SELECTOR, "#spoke-summary li")) == len(names), f"{len(names)} calendars added")
    b.shot("more-calendars")
    b.next()

    # The calendar options, as they come (the window, private events copied).
    b.step("options")
    check(len(d.find_elements(By.CSS_SELECTOR, "fieldset[data-spoke]")) == len(names), "options for each calendar")
    b.shot("calendar-options", full=True)
    b.next()
    b.step("sync")
    d.execute_script(WATCH_PROGRESS)
    b.next()
    finish_sync(b, "first-sync")

    # Upcoming events: the instances ahead, each with the calendars it lives in.
    b.tab("events")
    b.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "#upcoming-events tbody tr")) > 0, message="upcoming events listed")
    rows = d.find_elements(By.CSS_SELECTOR, "#upcoming-events tbody tr")
    seen = {}
    for row in rows:
        summary = row.find_element(By.CSS_SELECTOR, "th").text.split("\n")[0]
        sources = [e.text for e in row.find_elements(By.CSS_SELECTOR, "td .source-name")]
        seen.setdefault(summary, []).append((sources, row.text))
    print("upcoming:", {k: len(v) for k, v in seen.items()})
    for text in a.expect:
        match = [s for k, v in seen.items() if text in k for s in v]
        check(match, f"{text!r} is among the upcoming events ({sorted(seen)})")
        for sources, _ in match:
            check(sorted(sources) == sorted(names), f"{text!r} lives in {sources} (expected {names})")
    check(any("Moved" in t for v in seen.values() for _, t in v), "a moved instance says so")
    b.accessible("the upcoming events tab")
    b.shot("upcoming-events", full=True)

    # The history, filtered by one series: the box is labelled for events and finds it by summary.
    b.tab("history")
    label = b.find("#journal-filters label[for^=contact]").text
    check(label == "Event", f"the history's filter asks for an event ({label!r})")
    want = a.expect[0]
    b.type("#journal-filters input[name=contact]", want)
    b.click("#journal-filters button[type=submit]")
    b.wait(lambda d: (names := {li.find_element(By.TAG_NAME, "strong").get_attribute("textContent").strip()
                                for li in d.find_elements(By.CSS_SELECTOR, "#journal-list li[data-seq]")})
           and all(want in n for n in names), message=f"the history of {want!r} only")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hub-name", default="Team calendar")
    p.add_argument("--folder", required=True)
    p.add_argument("--caldav-url")
    p.add_argument("--caldav-user")
    p.add_argument("--caldav-password")
    p.add_argument("--expect", action="append", default=[])
    run(p, {"calendar": calendar})


if __name__ == "__main__":
    main()
