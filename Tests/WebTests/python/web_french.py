#!/usr/bin/env python3
"""The web app in French: a browser whose language is fr-FR gets every page in French, from
the first-run page through the whole wizard (Exchange, then Google through its consent page)
to the hub page with its dates in the French format; the header's switch goes back to English
and is remembered.

  web_french.py wizard --url URL --shots DIR --ews-url U --ews-user U --ews-password P --setup-code C
"""
import argparse
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from webtest import WATCH_PROGRESS, check, finish_sync, run

# "7 déc. 2026, 14:05": day, French month abbreviation, year, 24-hour time.
FRENCH_DATE = re.compile(r"^\d{1,2} (janv\.|févr\.|mars|avr\.|mai|juin|juil\.|août|sept\.|oct\.|nov\.|déc\.) \d{4}(,| à) \d{2}:\d{2}$")
# "Dec 7, 2026, 2:05 PM" (en-US) or "7 Dec 2026, 14:05" (en-GB).
ENGLISH_DATE = re.compile(r"^([A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M|\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2})$")


def heading(b):
    return b.driver.find_element(By.CSS_SELECTOR, "main h1").text


def says(b, css, text):
    # textContent: a visually hidden part (the step indicator's "Step 1 of 7") counts too.
    b.wait(lambda d: text in d.find_element(By.CSS_SELECTOR, css).get_attribute("textContent"), message=f"{css} says {text!r}")
    check(True, f"{css} says {text!r}")


def wizard(b, a):
    d = b.driver
    check(d.execute_script("return navigator.languages[0]").startswith("fr"), "the browser's language is French")
    d.get(b.url + "/")
    b.wait(EC.url_contains("/setup"), message="the first-run page")
    check(d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr", "the server wrote the setup page in French (Accept-Language)")
    check(heading(b) == "Bienvenue dans HubSync", f"setup heading: {heading(b)!r}")
    check(d.find_element(By.CSS_SELECTOR, 'label[for="setupToken"]').text == "Code d'installation", "its labels in French")
    check(d.title.startswith("Bienvenue"), f"and its title: {d.title!r}")
    b.type("#setupToken", a.setup_code)
    b.type("#user", a.admin_user)
    b.type("#password", a.admin_password)
    b.type("#password2", a.admin_password + "x")
    b.click('button[type="submit"]')
    says(b, '[role="alert"]', "Les deux mots de passe sont différents.")
    b.accessible("the French setup page")
    b.shot("fr-setup-error")
    b.type("#user", a.admin_user)
    b.type("#password", a.admin_password)
    b.type("#password2", a.admin_password)
    b.click('button[type="submit"]')
    b.wait(lambda d: heading(b) == "Vos hubs", message="the hub list in French")
    check(d.find_element(By.CSS_SELECTOR, ".signout button").text == "Se déconnecter", "the header in French")
    check(d.find_element(By.CSS_SELECTOR, '.lang-switch a[hreflang="fr"]').get_attribute("aria-current") == "true",
          "the switch marks French as the current language")
    b.shot("fr-home-empty")

    b.click_text("a", "Créer votre premier hub")
    title = b.step("object")
    check(title == "Que voulez-vous synchroniser ?", f"step 1: {title!r}")
    says(b, "form.wizard", "Calendriers partagés")
    says(b, ".step-count", "Étape 1 sur")
    b.accessible("the wizard's first step in French")
    b.shot("fr-wizard-object")
    check(b.find("#wizard-next").text == "Suivant", "the next button says Suivant")
    b.next()

    check(b.step("hub") == "Nommez votre hub", "step 2 in French")
    b.type("#hub-name", a.hub_name)
    b.shot("fr-hub-name")
    b.next()

    check(b.step("kind") == "Où sont vos contacts ?", "step 3 in French")
    says(b, "form.wizard", "Dossier de fichiers vCard")
    b.shot("fr-wizard-kind")
    b.click('label[for="kind-ews"]')
    b.next()

    title = b.step("settings")
    check(title == "Connexion à Exchange Server", f"step 4: {title!r}")
    check(d.find_element(By.CSS_SELECTOR, 'label[for="field-user"]').text == "Nom d'utilisateur", "the source's fields in French")
    b.click("#check-connection")
    says(b, "#check-status", "Il manque des informations.")
    check("Renseignez le champ" in b.find("#field-user-error").text, f"a missing field: {b.find('#field-user-error').text!r}")
    b.type("#field-url", a.ews_url)
    b.type("#field-user", a.ews_user)
    b.type("#field-password", a.ews_password)
    Select(b.find("#field-version")).select_by_value("2016")
    b.assert_labelled()
    b.click("#check-connection")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the connection check to pass")
    says(b, "#check-status", "Connecté")
    says(b, "#check-status", "1 carnet d'adresses trouvé.")
    b.accessible("the connection step in French")
    b.shot("fr-exchange-connected")
    b.next()

    b.step("folder")
    b.find("#spoke-name")
    b.shot("fr-exchange-folder")
    b.next()

    check(b.step("more") == "Ajouter une autre source ?", "the more-sources step in French")
    says(b, "form.wizard", "a une source :")
    b.click("#add-another")
    b.step("kind")
    b.click('label[for="kind-google"]')
    b.next()
    b.step("settings")
    check("Se connecter avec Google" in b.find("#sign-in").text, "Sign in with Google in French")
    b.click("#sign-in")
    b.find('button[name="decision"][value="allow"]').click()
    b.wait(lambda d: "#/wizard" in d.current_url, message="back in the wizard")
    b.step("settings")
    says(b, "#signed-in-as", "Connecté en tant que")
    b.wait(lambda d: d.find_element(By.ID, "check-status").get_attribute("data-state") == "ok", message="the Google account checked")
    b.next()
    b.step("folder")
    b.next()
    says(b, "form.wizard", "a 2 sources :")
    b.shot("fr-more-sources-2")
    b.next()

    check(b.step("options") == "Comment chaque source doit-elle se synchroniser ?", "the options step in French")
    check(b.find("#wizard-next").text == "Enregistrer et continuer", "its button in French")
    b.accessible("the sync options step in French")
    b.shot("fr-sync-options", full=True)
    b.next()

    check(b.step("sync") == "Prêt pour la première synchronisation", "the last step in French")
    says(b, "#schedule-help", "toutes les 15 minutes")
    check(b.find("#wizard-next").text == "Synchroniser maintenant", "Synchroniser maintenant")
    b.accessible("the last step in French")
    b.shot("fr-ready")
    d.execute_script(WATCH_PROGRESS)
    b.next()
    finish_sync(b, "fr-first-sync")

    # The hub page: French words, a French date, a French number.
    check(b.find("#hub-last-result .badge").text == "Synchronisé", "the last result in French")
    says(b, "#hub-next-sync", "Se synchronise toutes les 15 minutes")
    says(b, "#hub-next-sync", "prochaine synchronisation")
    when = b.find("#hub-last-result time").text
    check(FRENCH_DATE.match(when) is not None, f"the last sync's date in the French format: {when!r}")
    check(b.find('nav.tabs a[data-tab="overview"]').text.startswith("Vue d'ensemble"), "the tabs in French")
    b.accessible("the hub page in French")
    b.shot("fr-hub-overview")
    b.tab("history")
    # The history loads after the tab opens: wait for its folded line rather than read once.
    fold = b.wait(lambda d: next((f.text for f in d.find_elements(By.CSS_SELECTOR, "#journal-list .added-fold summary")
                                  if "contacts ajoutés" in f.text), None), message="the history's folded additions in French")
    check("contacts ajoutés" in fold, f"the history in French: {fold!r}")
    b.shot("fr-hub-history", full=True)

    # The switch: back to English, remembered on the next visit and on the sign-in page.
    b.click('.lang-switch a[hreflang="en"]')
    b.wait(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", message="the page in English")
    b.find('.tab-content[data-tab="history"]')
    check("/history" in d.current_url, f"the switch keeps the page: {d.current_url}")
    b.tab("overview")
    check(b.find("#hub-last-result .badge").text == "Synced", "the hub page in English")
    when = b.find("#hub-last-result time").text
    check(ENGLISH_DATE.match(when) is not None, f"the date in the English format: {when!r}")
    check(b.find("#sync-now").text == "Sync now", "Sync now in English")
    b.shot("en-after-switch")
    d.get(b.url + "/")
    b.wait(lambda d: heading(b) == "Your hubs", message="English remembered")
    b.click(".signout button")
    b.wait(EC.url_contains("/login"), message="signed out")
    check(heading(b) == "Sign in", "the sign-in page stays in English (the cookie beats Accept-Language)")
    b.click('.lang-switch a[hreflang="fr"]')
    b.wait(lambda d: heading(b) == "Connexion", message="the sign-in page in French after the switch")
    b.sign_in(a.admin_user, "pas-le-bon-mot-de-passe")
    says(b, '[role="alert"]', "nom d'utilisateur ou mot de passe incorrect")
    b.accessible("the French sign-in page")
    b.shot("fr-login-error")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--ews-url")
    p.add_argument("--ews-user")
    p.add_argument("--ews-password")
    p.add_argument("--hub-name", default="Annuaire commun")
    p.add_argument("--setup-code", default="")
    run(p, {"wizard": wizard}, lang="fr-FR")


if __name__ == "__main__":
    main()
