// Every text the pages show goes through t("English text") (and t("Synced {n} contacts", { n })
// for values), and dates and numbers through formatDate and formatNumber: one place for the
// translations to come. For now the English text is the translation.

/** The page's language (the <html lang> the server wrote, else the browser's). */
export const language = () => document.documentElement.lang || navigator.language || 'en';

/** `text` in the page's language, each {name} replaced by vars[name] (numbers formatted). */
export function t(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = vars[name];
    if (value === undefined || value === null) return whole;
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

let dates = null;
/** "25 Nov 2026, 19:57" in the page's language; `options` as Intl.DateTimeFormat's. */
export function formatDate(value, options) {
  const date = value instanceof Date ? value : new Date(value);
  if (options) return new Intl.DateTimeFormat(language(), options).format(date);
  dates ??= new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' });
  return dates.format(date);
}

/** A time of day only ("14:05"), for today's events. */
export const formatTime = (value) => formatDate(value, { timeStyle: 'short' });

let numbers = null;
export function formatNumber(n) {
  numbers ??= new Intl.NumberFormat(language());
  return numbers.format(n);
}

/** `one` or `many` by the count: tn(n, "{n} contact", "{n} contacts"); both are texts of their own. */
export const tn = (n, one, many, vars = {}) => t(n === 1 ? one : many, { ...vars, n });
