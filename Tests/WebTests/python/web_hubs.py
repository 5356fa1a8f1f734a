#!/usr/bin/env python3
"""The hub list with many hubs, in headless Chromium (selenium 4).

  web_hubs.py many --url URL --shots DIR --admin-password P --hubs N --find NAME
      Signs in; the list shows the first 100 hubs and "Show more hubs", which shows the rest;
      "Find a hub" with NAME shows that hub alone, and a name nobody has says so.

No sleeps: WebDriverWait only.
"""
import argparse

from selenium.webdriver.common.by import By

from webtest import check, run


def shown(d, css):
    return any(e.is_displayed() for e in d.find_elements(By.CSS_SELECTOR, css))


def rows(d):
    return d.find_elements(By.CSS_SELECTOR, ".hub-list > li[data-hub]")


def many(b, a):
    d = b.driver
    d.get(b.url + "/")
    b.sign_in(a.admin_user, a.admin_password)
    b.wait(lambda d: len(rows(d)) == 100, message="the first 100 hubs")
    check(shown(d, "#more-hubs"), "Show more hubs is offered")
    b.accessible("the hub list")
    b.click("#more-hubs")
    b.wait(lambda d: len(rows(d)) == a.hubs, message=f"all {a.hubs} hubs after Show more")
    check(not shown(d, "#more-hubs"), "no more to show")
    b.type("#hub-search", a.find)
    b.click("form[role=search] button[type=submit]")
    b.wait(lambda d: [r.get_attribute("data-hub") for r in rows(d)] == [a.find], message=f"{a.find} alone")
    b.shot("hub-found")
    b.type("#hub-search", "nobody-has-this-name")
    b.click("form[role=search] button[type=submit]")
    b.wait(lambda d: len(rows(d)) == 0 and shown(d, "#no-hub-matches"), message="no hub matches")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hubs", type=int, required=True)
    p.add_argument("--find", required=True)
    run(p, {"many": many})


if __name__ == "__main__":
    main()
