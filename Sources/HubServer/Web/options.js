// A source's sync options: direction, category, filters and field mapping. Used by the wizard's
// "Sync options" step (one form per source) and by the source's own page.
import { get, patch, hubPath, APIError } from './api.js';
import { h, field, checkbox, setFieldError, focusHeading, notify, busy, fieldLabel } from './dom.js';
import { t, serverText } from './i18n.js';
import { migrateSection } from './migrate.js';
import { calendarOptionsForm } from './calendar-options.js';

/** The fields a mapping may name for a kind: standard ones, then the kind's own as custom.X. */
export async function mappableFields(kindInfo) {
  const standard = (await get('/api/fields')).text ?? [];
  return [
    ...standard.map((name) => ({ value: name, label: fieldLabel(name) })),
    ...(kindInfo?.customFields ?? []).map((name) => ({ value: `custom.${name}`, label: `${name} (${kindInfo.name} field)` })),
  ];
}

const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

/**
 * The options form of one spoke. Returns {element, read}: read() gives the Options to PATCH, or
 * null after marking what is wrong.
 */
export function optionsForm(options, fields, object = 'contacts') {
  const o = structuredClone(options ?? {});
  const calendar = object === 'calendar' ? calendarOptionsForm(o.calendar) : null;
  const filter = o.filter ?? {};

  const twoWay = checkbox(calendar ? t('Let the hub add and change events in this source') : t('Let the hub add and change contacts in this source'), {
    checked: o.twoWay ?? true,
    help: t('When off, this source only feeds the hub: nothing is ever written to it.'),
  });
  twoWay.input.dataset.option = 'twoWay';

  const categoryName = h('input', { type: 'text', value: o.categorizeAs ?? 'HubSync', autocomplete: 'off' });
  categoryName.dataset.option = 'categoryName';
  const categoryField = field({
    label: t('Category name'), input: categoryName, required: true,
    help: calendar ? t('Events the hub writes here carry this category, so you can tell them apart.') : t('Contacts the hub writes here carry this category, so you can tell them apart.'),
  });
  categoryField.classList.add('indent');
  const categorize = checkbox(calendar ? t('Mark the events the hub writes here with a category') : t('Mark the contacts the hub writes here with a category'), {
    checked: Boolean(o.categorizeAs),
    onchange: () => { categoryField.hidden = !categorize.input.checked; },
  });
  categorize.input.dataset.option = 'categorize';
  categoryField.hidden = !categorize.input.checked;

  const text = (value) => h('input', { type: 'text', value: (value ?? []).join(', '), autocomplete: 'off' });
  const categories = text(filter.categories), companies = text(filter.companies), domains = text(filter.emailDomains);
  const requireEmail = checkbox(t('Only contacts with an email address'), { checked: filter.requireEmail });
  const requirePhone = checkbox(t('Only contacts with a phone number'), { checked: filter.requirePhone });
  const filtersOn = [filter.categories, filter.companies, filter.emailDomains].some((v) => v?.length)
    || filter.requireEmail || filter.requirePhone;
  const filters = h('details', { open: filtersOn },
    h('summary', {}, t('Advanced filters')),
    h('p', { class: 'help' }, t('Only hub contacts that match every filter you fill in are sent to this source. Separate several values with commas; any one of them matches. Leave everything empty to send all contacts.')),
    field({ label: t('Categories'), input: categories, help: t('For example: Customers, Suppliers') }),
    field({ label: t('Companies'), input: companies }),
    field({ label: t('Email domains'), input: domains, help: t('For example: example.com') }),
    requireEmail.box, requirePhone.box);

  // A mapping of a field the list does not offer (a directory's custom.OfficeLocation, set when the
  // source was added) keeps its own option: else the select would show, and save, the first field.
  const unlisted = (o.fieldMappings ?? []).filter((m) => !(fields ?? []).some((f) => f.value === m.spokeField));
  fields = [...(fields ?? []), ...unlisted.map((m) => ({
    value: m.spokeField, label: m.spokeField.startsWith('custom.') ? m.spokeField.slice(7) : fieldLabel(m.spokeField) }))];
  const rows = h('div', { class: 'mappings' });
  const addRow = (mapping = { spokeField: fields[0]?.value ?? '', hubField: '' }) => {
    const select = h('select', {}, fields.map((f) => h('option', { value: f.value, selected: f.value === mapping.spokeField }, f.label)));
    const hubField = h('input', { type: 'text', value: mapping.hubField, autocomplete: 'off' });
    const row = h('div', { class: 'mapping-row' },
      field({ label: t('Field in this source'), input: select, required: true }),
      h('span', { class: 'arrow', 'aria-hidden': 'true' }, '→'),
      field({ label: t('Hub custom field'), input: hubField, required: true }),
      h('button', { type: 'button', class: 'small danger', onclick: () => { row.remove(); addButton.focus(); } },
        t('Remove'), h('span', { class: 'visually-hidden' }, ` ${t('this mapping')}`)));
    row.mapping = () => ({ select, hubField });
    rows.append(row);
    return select;
  };
  const addButton = h('button', { type: 'button', class: 'small', onclick: () => addRow().focus() }, t('Add a mapping'));
  (o.fieldMappings ?? []).forEach((m) => addRow(m));
  const mapping = h('details', { open: (o.fieldMappings ?? []).length > 0 },
    h('summary', {}, t('Field mapping')),
    h('p', { class: 'help' }, t('Keep a field of this source in a custom hub field, for example the job title in "JobCode". Other sources can map the same hub field to one of theirs.')),
    rows, addButton);

  const problems = h('div', { class: 'alert', role: 'alert' });
  // A calendar source has the window and private events instead of the contact filters and mapping.
  const calendarFilters = calendar ? h('details', { open: Boolean(filter.categories?.length) },
    h('summary', {}, t('Advanced filters')),
    h('p', { class: 'help' }, t('Only hub events in one of these categories are sent to this source. Leave empty to send all events.')),
    field({ label: t('Categories'), input: categories, help: t('For example: Holidays, Team') })) : null;
  const element = calendar
    ? h('div', { class: 'options' }, problems, twoWay.box, categorize.box, categoryField, calendar.element, calendarFilters)
    : h('div', { class: 'options' }, problems, twoWay.box, categorize.box, categoryField, filters, mapping);

  function read() {
    problems.textContent = '';
    let ok = true;
    const category = categoryName.value.trim();
    setFieldError(categoryName, categorize.input.checked && !category ? t(t('Enter a category name, or untick the category.')) : '');
    if (categorize.input.checked && !category) ok = false;
    const seen = new Set();
    const mappings = [];
    for (const row of rows.children) {
      const { select, hubField } = row.mapping();
      const spokeField = select.value, hubName = hubField.value.trim();
      setFieldError(hubField, hubName ? '' : t('Name the hub field.'));
      setFieldError(select, seen.has(spokeField) ? t(t('This field is mapped already.')) : '');
      if (!hubName || seen.has(spokeField)) ok = false;
      seen.add(spokeField);
      mappings.push({ spokeField, hubField: hubName });
    }
    const calendarValue = calendar ? calendar.read() : undefined;
    if (calendar && !calendarValue) ok = false;
    if (!ok) {
      if (rows.querySelector('[aria-invalid=true]')) mapping.open = true;
      element.querySelector('[aria-invalid=true]')?.focus();
      return null;
    }
    return {
      twoWay: twoWay.input.checked,
      categorizeAs: categorize.input.checked ? category : null,
      filter: {
        categories: list(categories.value), companies: list(companies.value), emailDomains: list(domains.value),
        requireEmail: requireEmail.input.checked, requirePhone: requirePhone.input.checked,
      },
      fieldMappings: mappings,
      ...(calendar ? { calendar: calendarValue } : {}),
    };
  }
  const showError = (message) => { problems.textContent = message; };
  return { element, read, showError };
}

const settingNames = () => ({
  url: t('Server'), user: t('User name'), folder: t('Address book'), account: t('Account'), version: t('Version'),
  path: t('Folder'), email: t('Email address'), verifyTLS: t('Certificate check'), tenant: t('Tenant'),
  excluded: t('Left out of the directory'), group: t('Group'), paused: t('Paused'), receiveOnly: t('Receive only'),
});
const settingValue = (key, value) => {
  if (key === 'verifyTLS') return value === 'false' ? t('Off') : t('On');
  if (key === 'receiveOnly') return value === 'true' ? t('On') : t('Off');
  return value;
};

/** #/hubs/<hub>/spokes/<spoke>: rename a source, change its options or its password. */
export async function showSpokeOptions(view, hubID, spokeID) {
  const [spoke, kinds] = await Promise.all([get(hubPath(hubID, 'spokes', spokeID)), get('/api/spoke-kinds')]);
  const kind = kinds.find((k) => k.kind === spoke.kind);
  // A calendar source has the calendar's options (window, private events): the contact form
  // would show filters and mappings instead, and saving it would drop the calendar's.
  const form = optionsForm(spoke.options, await mappableFields(kind), kind?.object ?? 'contacts');
  document.title = `${spoke.name} — HubSync`;
  const back = `#/hubs/${encodeURIComponent(hubID)}/sources`;

  const name = h('input', { type: 'text', value: spoke.name, autocomplete: 'off' });
  const hasPassword = kind?.fields?.some((f) => f.type === 'password');
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  const save = h('button', { type: 'submit', class: 'primary' }, t('Save'));
  const settings = Object.entries(spoke.settings ?? {});

  const submit = (event) => {
    event.preventDefault();
    setFieldError(name, name.value.trim() ? '' : t('Give the source a name.'));
    const options = form.read();
    if (!name.value.trim()) { name.focus(); return; }
    if (!options) return;
    const body = { name: name.value.trim(), options };
    if (password.value) body.password = password.value;
    busy(save, async () => {
      await patch(hubPath(hubID, 'spokes', spokeID), body);
      notify(t('Saved the options of {source}.', { source: body.name }));
      location.hash = back;
    }, (error) => {
      if (error instanceof APIError && error.field === 'password') setFieldError(password, error.message);
      else if (error instanceof APIError && error.field === 'name') setFieldError(name, error.message);
      else form.showError(error.message);
    });
  };

  view.replaceChildren(
    h('p', {}, h('a', { href: back }, '← ', t('Back to the sources'))),
    h('h1', {}, t('Sync options: {source}', { source: spoke.name })),
    h('dl', { class: 'settings' }, h('dt', {}, t('Type')), h('dd', {}, serverText(spoke.kindName)),
      settings.map(([key, value]) => [h('dt', {}, settingNames()[key] ?? key), h('dd', {}, settingValue(key, value))])),
    h('form', { class: 'panel', onsubmit: submit, novalidate: true },
      field({ label: t('Name'), input: name, required: true }),
      form.element,
      hasPassword ? h('details', {}, h('summary', {}, t('Change the password')),
        field({ label: t('New password'), input: password, help: t('Leave empty to keep the current one. The next sync uses it: a wrong one shows as this source’s problem on the hub page.') })) : null,
      h('div', { class: 'actions' }, save, h('a', { href: back }, t('Cancel')))),
    migrateSection(hubID, spoke, () => { location.hash = back; }) ?? '');
  focusHeading(view);
}
