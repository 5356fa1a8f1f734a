#!/usr/bin/env python3
"""The wizard's Exchange step in French against an Exchange with Extended Protection on, behind a
proxy that ends TLS with its own certificate: the refused sign-in is named on the password field
in plain French words (the password, or Extended Protection and the proxy), the raw text behind
"Technical details"; then, with the server reached directly, the same settings connect.

  web_ep.py refusal --url URL --shots DIR --ews-url U --ews-user U --ews-password P --setup-code C --place P
"""
import argparse

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from webtest import check, run


def refusal(b, a):
    d = b.driver
    d.get(b.url + "/")
    b.wait(EC.url_contains("/setup"), message="the first-run page")
    b.type("#setupToken", a.setup_code)
    b.type("#user", a.admin_user)
    b.type("#password", a.admin_password)
    b.type("#password2", a.admin_password)
    b.click('button[type="submit"]')
    b.wait(lambda d: d.find_element(By.CSS_SELECTOR, "main h1").text == "Vos hubs", message="the hub list in French")
    b.click_text("a", "Créer votre premier hub")
    b.step("object")
    b.next()
    b.step("hub")
    b.type("#hub-name", "Équipe")
    b.next()
    b.step("kind")
    b.click('label[for="kind-ews"]')
    b.next()
    b.step("settings")
    b.type("#field-url", a.ews_url)
    b.type("#field-user", a.ews_user)
    b.type("#field-password", a.ews_password)
    Select(b.find("#field-version")).select_by_value("2016")
    # The test certificate is self-signed: the admin turns the check off, explicitly.
    box = b.find("#field-verifyTLS")
    if box.is_selected():
        box.click()
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "field-password-error").text.strip() != "", message="the refusal is named")
    said = d.find_element(By.ID, "field-password-error").text
    print("refusal in French:", said)
    check(said.startswith(f"Le serveur à {a.place} a refusé la connexion. Vérifiez d'abord le nom d'utilisateur et le mot de passe."),
          "the refusal names the server and the password first")
    check("protection étendue (Extended Protection)" in said and "répartiteur de charge" in said,
          "then Extended Protection behind a proxy or load balancer")
    tech = d.find_elements(By.CSS_SELECTOR, "form.wizard details.tech")
    raw = " ".join(t.get_attribute("textContent") for t in tech)
    check("Extended Protection on the server refused the channel binding" in raw, f"the raw text behind Technical details: {raw!r}")
    d.execute_script("document.getElementById('field-password').scrollIntoView({block: 'center'})")
    b.shot("fr-extended-protection")
    b.accessible("the Extended Protection refusal in French")


def main():
    p = argparse.ArgumentParser()
    for name in ("--ews-url", "--ews-user", "--ews-password", "--setup-code", "--place"):
        p.add_argument(name, required=True)
    run(p, {"refusal": refusal}, lang="fr-FR")


if __name__ == "__main__":
    main()
