// Every text the pages show goes through t("English text") (and t("{n} contacts", { n }) for
// values), and dates and numbers through formatDate and formatNumber. The English text is the
// key of one catalog per language (i18n/en.json, i18n/fr.json, from this server: no CDN, and
// the strict CSP allows it); an entry that depends on a count is an object of Intl.PluralRules
// categories ({ "one": …, "other": … }). tests: Tests/WebTests (CatalogTests, web_french.py).

const supported = ['en', 'fr'];
const root = document.documentElement;

/** The switch's choice (the server wrote it as <html lang> with data-chosen), else the first
 *  of the browser's languages we have, else the page's. */
function pick() {
  if (root.dataset.chosen === 'true' && supported.includes(root.lang)) return root.lang;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const code = String(tag).toLowerCase().split('-')[0];
    if (supported.includes(code)) return code;
  }
  return supported.includes(root.lang) ? root.lang : 'en';
}

const code = pick();
root.lang = code;
let catalog = {};
try {
  const response = await fetch(`/static/i18n/${code}.json`, { credentials: 'same-origin' });
  if (response.ok) catalog = await response.json();
} catch {
  // No catalog: the English keys are shown, the page still works.
}

/** The page's language ("en" or "fr"). */
export const language = () => code;

let rules = null;
/** `text` in the page's language, each {name} replaced by vars[name] (numbers formatted); a
 *  plural entry's form chosen by vars.n. */
export function t(text, vars) {
  let entry = catalog[text] ?? text;
  if (typeof entry === 'object') {
    rules ??= new Intl.PluralRules(code);
    entry = entry[rules.select(Number(vars?.n ?? 0))] ?? entry.other;
  }
  if (!vars) return entry;
  return entry.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = vars[name];
    if (value === undefined || value === null) return whole;
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

/** A text the server wrote for people (a source kind's name, a field's label or help): its
 *  translation when the catalogs have one (CatalogTests checks them against the API's texts). */
export const serverText = (text) => (typeof text === 'string' ? (catalog[text] ?? text) : text);

/** The wizard's lists (/api/spoke-kinds, /api/objects) with their texts for people translated. */
export function localizeKinds(list) {
  if (!Array.isArray(list)) return list;
  const tr = (o, ...keys) => { for (const k of keys) if (typeof o[k] === 'string') o[k] = serverText(o[k]); };
  for (const kind of list) {
    tr(kind, 'name', 'summary', 'note');
    for (const f of kind.fields ?? []) {
      tr(f, 'label', 'help');
      for (const c of f.choices ?? []) tr(c, 'label');
    }
  }
  return list;
}

/** A refusal in plain words (PlainProblem's network and TLS failures, APIWords' refusals: an English text with
 *  {place} or {name}s, and their values) in the page's language; null when the server's own words must do. */
export function problemWords(problem) {
  if (!problem?.text) return null;
  const vars = { ...(problem.values ?? {}), place: problem.place ?? undefined };
  // A template whose values did not all come: the server's filled English words must do.
  if ((problem.text.match(/\{(\w+)\}/g) ?? []).some((p) => vars[p.slice(1, -1)] == null)) return null;
  return t(problem.text, vars);
}

let dates = null;
/** "25 Nov 2026, 19:57" ("25 nov. 2026, 19:57") in the page's language; `options` as Intl.DateTimeFormat's. */
export function formatDate(value, options) {
  const date = value instanceof Date ? value : new Date(value);
  if (options) return new Intl.DateTimeFormat(code, options).format(date);
  dates ??= new Intl.DateTimeFormat(code, { dateStyle: 'medium', timeStyle: 'short' });
  return dates.format(date);
}

/** A time of day only ("14:05"), for today's events. */
export const formatTime = (value) => formatDate(value, { timeStyle: 'short' });

let numbers = null;
export function formatNumber(n) {
  numbers ??= new Intl.NumberFormat(code);
  return numbers.format(n);
}

/** A count's text: tn(n, "1 contact", "{n} contacts"). The catalogs key it by `many`, with the
 *  language's plural forms (French says "0 contact"); `one` is the English for 1, which
 *  CatalogTests checks against en.json. */
export function tn(n, one, many, vars = {}) {
  const entry = catalog[many];
  if (entry && typeof entry === 'object') return t(many, { ...vars, n });
  return t(n === 1 ? one : many, { ...vars, n });
}

/** The header's switch keeps the page the admin is on (the hash route) when the language changes. */
for (const link of document.querySelectorAll('.lang-switch a')) {
  if (link.hreflang === code) link.setAttribute('aria-current', 'true');
  link.addEventListener('click', () => {
    link.href = `/language/${link.hreflang}?back=${encodeURIComponent(`/${location.hash}`)}`;
  });
}
