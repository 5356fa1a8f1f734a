// Small DOM helpers. Elements are built with createElement and textContent, never innerHTML, so
// names coming from contacts or servers are never read as HTML.

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

const fieldNames = {
  namePrefix: 'Name prefix', givenName: 'First name', middleName: 'Middle name', familyName: 'Last name',
  nameSuffix: 'Name suffix', nickname: 'Nickname', displayName: 'Display name', organization: 'Company',
  department: 'Department', title: 'Job title', notes: 'Notes', emails: 'Email addresses', phones: 'Phone numbers',
  addresses: 'Addresses', categories: 'Categories', urls: 'Websites', birthday: 'Birthday', photo: 'Photo',
};

/** A contact field's name for people: "givenName" → "First name", "custom.Region" → "Region". */
export const fieldLabel = (name) => fieldNames[name] ?? name.replace(/^custom\./, '');

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

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "25 Nov 2026, 19:57" with a <time> element carrying the exact value. */
export function when(iso) {
  if (!iso) return h('span', { class: 'muted' }, 'never');
  const date = new Date(iso);
  return h('time', { datetime: iso, title: date.toString() }, dateFormat.format(date));
}

export const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A labelled input (or select) with optional help and an error slot, wired for screen readers. */
export function field({ label, input, help, required = false }) {
  const id = input.id || (input.id = newID('f'));
  const helpID = `${id}-help`, errorID = `${id}-error`;
  input.setAttribute('aria-describedby', help ? `${helpID} ${errorID}` : errorID);
  if (required) input.required = true;
  const wrapper = h('div', { class: 'field' },
    h('label', { for: id }, label, required ? null : h('span', { class: 'req' }, ' (optional)')),
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
