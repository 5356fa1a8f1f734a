"""What the selenium scripts of the web tests share: a headless Chromium that saves numbered
screenshots, waits (WebDriverWait only, never sleeps), signing in, Sync now with its live
progress, and the run of a script's modes with its SUMMARY line."""
import os
import shutil
import sys
import traceback

from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

WAIT = 30      # seconds for page changes

# Remembers whether the page ever showed a running sync and its per-source progress bars (the
# polls show them for a moment only). Hash routes keep the document, so it outlives navigation.
WATCH_PROGRESS = """
    window.__sawRunning = false; window.__sawBars = 0; window.__sawSpokes = new Set();
    new MutationObserver(() => {
      if (document.getElementById('sync-panel')?.dataset.running === 'true') window.__sawRunning = true;
      window.__sawBars = Math.max(window.__sawBars, document.querySelectorAll('#sync-progress progress').length);
      document.querySelectorAll('#sync-progress li[data-spoke]').forEach(li => window.__sawSpokes.add(li.dataset.spoke + ':' + li.dataset.phase));
    }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
"""
SYNC_WAIT = 120  # seconds for a sync run


class Check(Exception):
    pass


def axe_source():
    """axe-core's script, as the axe-selenium-python package ships it (None without it)."""
    try:
        import axe_selenium_python
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")
    with open(path, encoding="utf-8") as f:
        return f.read()


def check(condition, message):
    if not condition:
        raise Check(message)
    print(f"ok: {message}", flush=True)


class Browser:
    def __init__(self, url, shots, lang="en-US"):
        self.url = url.rstrip("/")
        self.shots = shots
        os.makedirs(shots, exist_ok=True)
        # Several runs may share a directory: numbering goes on after the PNGs already there.
        self.count = len([f for f in os.listdir(shots) if f.endswith(".png")])
        options = webdriver.ChromeOptions()
        for path in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
            if os.path.exists(path):
                options.binary_location = path
                break
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1280,900", f"--lang={lang}", "--no-first-run", "--password-store=basic",
                    "--disable-features=PasswordLeakDetection,AutofillServerCommunication"):
            options.add_argument(arg)
        # The browser's language: navigator.languages and Accept-Language both follow it.
        options.add_experimental_option("prefs", {"credentials_enable_service": False,
                                                  "profile.password_manager_enabled": False,
                                                  "intl.accept_languages": f"{lang},{lang.split('-')[0]}"})
        driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
        self.driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
        self.driver.set_page_load_timeout(WAIT)

    def quit(self):
        self.driver.quit()

    # --- looking
    def wait(self, condition, timeout=WAIT, message=""):
        try:
            # A page that re-renders between a find and a read leaves a stale element: read again.
            return WebDriverWait(self.driver, timeout, poll_frequency=0.1,
                                 ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)
                                 ).until(condition, message)
        except TimeoutException:
            raise Check(f"timed out after {timeout}s waiting for: {message}")

    def find(self, css, timeout=WAIT):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), timeout, css)

    def gone(self, css, timeout=WAIT):
        self.wait(EC.invisibility_of_element_located((By.CSS_SELECTOR, css)), timeout, f"{css} to go")

    def text(self, css):
        return self.find(css).text

    def step(self, step_id, timeout=WAIT):
        """Waits for the wizard to show a step; checks focus went to its heading."""
        self.find(f'form.wizard[data-step="{step_id}"]', timeout)
        self.wait(lambda d: d.execute_script("return document.activeElement && document.activeElement.tagName") in ("H1", "INPUT"),
                  message=f"focus on the heading of step {step_id}")
        return self.driver.find_element(By.CSS_SELECTOR, "form.wizard h1").text

    def shot(self, name, full=False):
        self.count += 1
        path = os.path.join(self.shots, f"{self.count:02d}-{name}.png")
        if full:
            size = self.driver.get_window_size()
            height = self.driver.execute_script("return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)")
            self.driver.set_window_size(size["width"], min(max(height + 120, 600), 6000))
            self.driver.save_screenshot(path)
            self.driver.set_window_size(size["width"], size["height"])
        else:
            self.driver.save_screenshot(path)
        print(f"screenshot: {path}", flush=True)

    # --- doing
    def click(self, css):
        element = self.wait(EC.element_to_be_clickable((By.CSS_SELECTOR, css)), message=f"{css} clickable")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        return element

    def click_text(self, tag, text):
        xpath = f"//{tag}[normalize-space()='{text}']"
        element = self.wait(EC.element_to_be_clickable((By.XPATH, xpath)), message=f"{tag} '{text}' clickable")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()
        return element

    def type(self, css, value):
        element = self.find(css)
        element.clear()
        element.send_keys(value)
        return element

    def label_for(self, element):
        eid = element.get_attribute("id")
        return self.driver.find_elements(By.CSS_SELECTOR, f'label[for="{eid}"]')

    def next(self):
        self.click("#wizard-next")

    def assert_labelled(self):
        """Every visible input, select and textarea of the page has a label."""
        unlabelled = self.driver.execute_script("""
            return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(e => e.offsetParent !== null && e.labels.length === 0 && !e.getAttribute('aria-label'))
              .map(e => e.outerHTML.slice(0, 80));""")
        check(unlabelled == [], f"every input is labelled {unlabelled or ''}".strip())

    def tab(self, tab_id):
        """Opens a tab of the hub page (Overview, Sources, Contacts, History, Conflicts, Settings)."""
        self.click(f'nav.tabs a[data-tab="{tab_id}"]')
        self.find(f'.tab-content[data-tab="{tab_id}"]')
        self.wait(lambda d: d.find_element(By.CSS_SELECTOR, f'nav.tabs a[data-tab="{tab_id}"]').get_attribute("aria-current") == "page",
                  message=f"the {tab_id} tab is current")
        self.check_url(tab_id)

    def check_url(self, tab_id):
        url = self.driver.current_url
        check(url.endswith(f"/{tab_id}") or (tab_id == "overview" and "/hubs/" in url), f"the {tab_id} tab has its own address ({url})")

    def accessible(self, page):
        """The page passes axe-core's WCAG 2 A/AA rules (labels, landmarks, contrast, names, ARIA) and
        a keyboard walk: Tab reaches every button, link and field, each with a visible focus ring."""
        source = axe_source()
        if source is None:
            if os.environ.get("CI"):
                raise Check("axe-selenium-python is missing (pinned in .ci/requirements.txt)")
            print(f"skipped: axe-core check of {page} (axe-selenium-python is not installed)")
        else:
            self.driver.execute_script(source)
            result = self.driver.execute_async_script("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
                  .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
                  .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));""")
            for v in result:
                print(f"axe {page}: {v['id']} ({v.get('impact')}): {v['help']} at {v['nodes']}")
            check(result == [], f"axe-core finds no WCAG 2 A/AA violation on {page}")
        unreachable = self.driver.execute_script("""
            const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
              .filter(e => e.offsetParent !== null && !e.disabled);
            return all.filter(e => e.tabIndex < 0).map(e => e.outerHTML.slice(0, 80));""")
        check(unreachable == [], f"every control of {page} is reachable with Tab {unreachable or ''}".strip())
        ringless = []
        for _ in range(8):
            self.driver.switch_to.active_element.send_keys(Keys.TAB)
            ring = self.driver.execute_script("""
                const e = document.activeElement; if (!e || e === document.body) return 'none';
                const s = getComputedStyle(e.matches('input[type=radio]') ? (e.labels[0] ?? e) : e);
                return (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none' ? 'ok' : e.outerHTML.slice(0, 60);""")
            if ring not in ("ok", "none"):
                ringless.append(ring)
        check(ringless == [], f"each control focused with Tab on {page} shows a focus ring {ringless or ''}".strip())

    def sign_in(self, user, password):
        self.type("#user", user)
        self.type("#password", password)
        self.click('button[type="submit"]')

    def open_hub(self, user, password, hub):
        """Signs in on the login page and opens a hub's page, with no sync running."""
        d = self.driver
        d.get(self.url + "/")
        self.wait(EC.url_contains("/login"), message="the login page")
        self.sign_in(user, password)
        self.find("main h1")
        d.get(f"{self.url}/#/hubs/{hub}")
        self.find("#sync-panel")
        self.wait(lambda d: d.find_element(By.ID, "sync-panel").get_attribute("data-running") == "false", message="no sync running")

    def sync_now(self, name, expect="succeeded", live="events"):
        """Clicks Sync now on the hub page and waits for the run to end (see finish_sync)."""
        self.driver.execute_script(WATCH_PROGRESS)
        self.click("#sync-now")
        finish_sync(self, name, expect=expect, live=live)

    def confirm(self, expected):
        """Accepts the page's confirm() dialog, checking it says `expected`."""
        alert = self.wait(EC.alert_is_present(), message="a confirm dialog")
        text = alert.text
        alert.accept()
        check(expected in text, f"the dialog asks {text!r}")

    def notice(self, expected, timeout=WAIT):
        """Waits for the status bar to say `expected`; fails on an error notice."""
        self.wait(lambda d: expected in d.find_element(By.ID, "notice").text
                  or "is-error" in d.find_element(By.ID, "notice").get_attribute("class"),
                  timeout=timeout, message=f"the notice {expected!r}")
        box = self.driver.find_element(By.ID, "notice")
        check("is-error" not in box.get_attribute("class"), f"the page says {box.text!r}")


def finish_sync(b, name, phases_required=False, expect="succeeded", live="events"):
    """On the hub page: sees the run (live progress), waits for its end, checks its status
    ("partial": synced with problems, as when deletions are held)."""
    d = b.driver
    b.find("#sync-panel")
    b.wait(lambda d: d.execute_script("return window.__sawRunning"), message="the sync to show as running")
    if d.find_element(By.ID, "sync-panel").get_attribute("data-running") == "true":
        b.shot(f"{name}-progress")
    b.wait(lambda d: d.find_element(By.ID, "sync-panel").get_attribute("data-running") == "false"
           and d.find_elements(By.CSS_SELECTOR, "#last-run"), timeout=SYNC_WAIT, message="the sync to finish")
    seen = d.find_element(By.ID, "sync-panel").get_attribute("data-live")
    check(seen == live, f"the progress came from {'the server' + chr(39) + 's event stream' if live == 'events' else 'polling'} ({seen})")
    bars = d.execute_script("return window.__sawBars")
    phases = d.execute_script("return [...window.__sawSpokes]")
    check(bars >= 1, f"live progress was shown ({bars} bars; source phases seen: {phases})")
    if phases_required:
        check(len(phases) >= 1, "a source's phase and count were shown while it synced")
    status = d.find_element(By.ID, "last-run").get_attribute("data-status")
    if status != expect:
        print(d.find_element(By.ID, "sync-panel").text)
    check(status == expect, f"the sync ended as {status} (expected {expect})")
    check(d.find_element(By.ID, "sync-now").is_enabled(), "Sync now is enabled again")




def run(parser, modes, lang="en-US"):
    """Parses the command line (the parser gets --url, --shots and the admin's login here), runs
    the chosen mode, checks the browser console and prints "SUMMARY: <mode> all checks passed".
    A failure exits 1 after a screenshot named FAILED-<mode>.png and the page's text."""
    parser.add_argument("mode", choices=sorted(modes))
    parser.add_argument("--url", required=True)
    parser.add_argument("--shots", required=True)
    parser.add_argument("--admin-user", default="admin")
    parser.add_argument("--admin-password", required=True)
    a = parser.parse_args()
    b = Browser(a.url, a.shots, lang)
    try:
        modes[a.mode](b, a)
        # (Answers like the 422 of a wrong password are logged as failed loads: those are expected.)
        logs = [e["message"] for e in b.driver.get_log("browser")
                if e.get("level") == "SEVERE" and "Failed to load resource" not in e.get("message", "")]
        check(logs == [], f"no script errors in the browser console {logs or ''}".strip())
        print(f"SUMMARY: {a.mode} all checks passed", flush=True)
    except Exception:
        traceback.print_exc()
        try:
            b.driver.save_screenshot(os.path.join(a.shots, f"FAILED-{a.mode}.png"))
            print("page text at failure:\n" + b.driver.find_element(By.TAG_NAME, "body").text[:3000])
            print("browser console:", b.driver.get_log("browser"))
        except Exception:
            pass
        sys.exit(1)
    finally:
        b.quit()
