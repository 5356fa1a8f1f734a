// Small DOM helpers. Elements are built with createElement and textContent, never innerHTML, so
// names coming from contacts or servers are never read as HTML.
import { t, formatDate, problemWords } from './i18n.js';

const properties = new Set(['value', 'checked', 'selected', 'disabled', 'indeterminate', 'htmlFor']);

/** h('button', {class: 'primary', onclick: f}, 'Save') */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (properties.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** Replaces an element's children (null and false are skipped). */
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

// Every field name the API uses (ContactField's descriptions), in words.
const fieldNames = () => ({
  namePrefix: t('Name prefix'), givenName: t('First name'), middleName: t('Middle name'), familyName: t('Last name'),
  nameSuffix: t('Name suffix'), nickname: t('Nickname'), displayName: t('Display name'), organization: t('Company'),
  department: t('Department'), title: t('Job title'), notes: t('Notes'), birthday: t('Birthday'),
  anniversary: t('Anniversary'), emails: t('Email addresses'), phones: t('Phone numbers'), addresses: t('Addresses'),
  websites: t('Websites'), ims: t('Chat addresses'), categories: t('Categories'), photo: t('Photo'),
  extensions: t('Other properties'),
});

/** A contact field's name for people: "givenName" → "First name", "custom.Region" → "Region". */
export const fieldLabel = (name) => fieldNames()[name] ?? name.replace(/^custom\./, '');

let uid = 0;
/** A unique element id with a readable prefix. */
export const newID = (prefix) => `${prefix}-${++uid}`;

/** Moves focus to the view's heading, so a screen reader reads the new page. */
export function focusHeading(root) {
  const heading = root.querySelector('h1, h2');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

/** A polite message in the page's status bar (also read by screen readers). */
export function notify(text, { error = false } = {}) {
  const box = document.getElementById('notice');
  if (!box) return;
  box.classList.toggle('is-error', error);
  box.textContent = text;
  notify.at = Date.now();
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { box.textContent = ''; }, 8000);
}

/** A page change clears an older message (one set just before the change stays, it is about it). */
export function clearOldNotice() {
  if (Date.now() - (notify.at ?? 0) < 1500) return;
  const box = document.getElementById('notice');
  if (box) box.textContent = '';
}

/** "25 Nov 2026, 19:57" with a <time> element carrying the exact value. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, t('never'));
  const date = new Date(iso);
  return h('time', { datetime: iso, title: formatDate(date, { dateStyle: 'full', timeStyle: 'long' }) }, formatDate(date));
}


const svg = (tag, attrs, ...children) => {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  el.append(...children);
  return el;
};

// Drawn for HubSync: what each kind of source is, never a vendor's logo.
const iconShapes = {
  ews: () => [svg('rect', { x: 3, y: 6, width: 18, height: 13, rx: 2 }), svg('path', { d: 'M3 8l9 6 9-6' })],
  graph: () => [svg('path', { d: 'M7 18a4 4 0 0 1 0-8 6 6 0 0 1 11.5 1.5A3.5 3.5 0 0 1 18 18z' })],
  google: () => [svg('circle', { cx: 12, cy: 9, r: 3.5 }), svg('path', { d: 'M5 20c1-4 4-6 7-6s6 2 7 6' })],
  carddav: () => [svg('rect', { x: 5, y: 3, width: 14, height: 18, rx: 2 }), svg('circle', { cx: 12, cy: 10, r: 2.5 }),
    svg('path', { d: 'M8.5 17c.7-2 2-3 3.5-3s2.8 1 3.5 3' })],
  folder: () => [svg('path', { d: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z' })],
  directory: () => [svg('circle', { cx: 8, cy: 9, r: 2.5 }), svg('circle', { cx: 16, cy: 9, r: 2.5 }),
    svg('path', { d: 'M3.5 18c.8-3 2.5-4.5 4.5-4.5s3.7 1.5 4.5 4.5M11.5 18c.8-3 2.5-4.5 4.5-4.5s3.7 1.5 4.5 4.5' })],
  caldav: () => [svg('rect', { x: 4, y: 5, width: 16, height: 15, rx: 2 }), svg('path', { d: 'M4 10h16M9 3v4M15 3v4' })],
  'ics-folder': () => [svg('path', { d: 'M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z' }),
    svg('path', { d: 'M9 12h6M9 15h6' })],
  memory: () => [svg('rect', { x: 5, y: 5, width: 14, height: 14, rx: 2 }), svg('path', { d: 'M9 9h6v6H9z' })],
};

/** A small drawing of a source kind (decorative: the kind's name is always written beside it). */
export function kindIcon(kind) {
  return svg('svg', { class: `kind-icon kind-${kind}`, viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
    ...(iconShapes[kind] ?? iconShapes.memory)());
}

/** A problem in plain words, its raw text behind "Technical details". */
export function problemText(problem) {
  return h('div', { class: 'problem' }, h('span', { class: 'error' }, problemWords(problem) ?? problem.summary),
    problem.details ? h('details', { class: 'tech' }, h('summary', {}, t('Technical details')), h('code', {}, problem.details)) : null);
}

/** A labelled input (or select) with optional help and an error slot, wired for screen readers. */
export function field({ label, input, help, required = false }) {
  const id = input.id || (input.id = newID('f'));
  const helpID = `${id}-help`, errorID = `${id}-error`;
  input.setAttribute('aria-describedby', help ? `${helpID} ${errorID}` : errorID);
  if (required) input.required = true;
  const wrapper = h('div', { class: 'field' },
    h('label', { for: id }, label, required ? null : h('span', { class: 'req' }, ` ${t('(optional)')}`)),
    input,
    help ? h('p', { class: 'help', id: helpID }, help) : null,
    h('p', { class: 'error', id: errorID }));
  return wrapper;
}

/** Shows (or clears, with an empty message) the error next to an input made by `field`. */
export function setFieldError(input, message) {
  const slot = document.getElementById(`${input.id}-error`);
  if (slot) slot.textContent = message ?? '';
  if (message) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/** A checkbox with its label beside it. */
export function checkbox(label, { checked = false, help, onchange, id } = {}) {
  const input = h('input', { type: 'checkbox', id: id ?? newID('c'), checked, onchange });
  const helpID = help ? `${input.id}-help` : null;
  if (helpID) input.setAttribute('aria-describedby', helpID);
  const box = h('div', { class: 'check' }, input,
    h('div', {}, h('label', { for: input.id }, label), help ? h('p', { class: 'help', id: helpID }, help) : null));
  return { box, input };
}

/** Runs `action` with the button disabled meanwhile; errors go to `onError` (or the status bar). */
export async function busy(button, action, onError) {
  button.disabled = true;
  try {
    return await action();
  } catch (error) {
    if (onError) onError(error);
    else notify(error.message, { error: true });
  } finally {
    button.disabled = false;
  }
}
