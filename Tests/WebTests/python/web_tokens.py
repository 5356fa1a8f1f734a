#!/usr/bin/env python3
"""API tokens on the Settings page, in headless Chromium (selenium 4).

  web_tokens.py create --url URL --shots DIR --admin-password P --name NAME --scope read|admin
      Signs in, opens Settings from the header, makes a token: its secret is shown once (printed
      here as "SECRET: …" for the test to use), the list shows it by name and scope, never the secret.
  web_tokens.py revoke --url URL --shots DIR --admin-password P --name NAME
      Signs in, opens Settings, revokes the token NAME: the list no longer has it.

No sleeps: WebDriverWait only.
"""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from webtest import check, run


def rows(d):
    return d.find_elements(By.CSS_SELECTOR, "#tokens tbody tr")


def open_settings(b, a):
    d = b.driver
    d.get(b.url + "/")
    b.sign_in(a.admin_user, a.admin_password)
    b.click("#settings-link")
    b.find("#api-tokens")
    b.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#tokens table, #no-tokens"), message="the token list")


def create(b, a):
    d = b.driver
    open_settings(b, a)
    check(d.find_elements(By.CSS_SELECTOR, "#no-tokens"), "no token yet")
    b.accessible("the settings page")
    b.type("#token-name", a.name)
    Select(d.find_element(By.ID, "token-scope")).select_by_value(a.scope)
    b.click("#token-create")
    secret = b.wait(lambda d: d.find_element(By.ID, "token-secret").get_attribute("value"), message="the new token's secret")
    check(secret.startswith("hubsync_"), "the secret is shown")
    b.wait(lambda d: any(a.name in r.text for r in rows(d)), message=f"{a.name} in the list")
    listed = d.find_element(By.ID, "tokens").text
    check(secret not in listed and "Read only" in listed, "the list shows the scope, never the secret")
    b.shot("token-created")
    b.accessible("the settings page with a new token")
    print(f"SECRET: {secret}", flush=True)


def revoke(b, a):
    d = b.driver
    open_settings(b, a)
    row = b.wait(lambda d: next((r for r in rows(d) if a.name in r.text), None), message=f"{a.name} in the list")
    check("secret" not in row.text.lower(), "no secret in the list")
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    b.find("#no-tokens")
    b.shot("token-revoked")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--scope", default="read")
    run(p, {"create": create, "revoke": revoke})


if __name__ == "__main__":
    main()
