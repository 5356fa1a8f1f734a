// The setup wizard (#/wizard): what to sync → hub name (the hub is created then) → source type →
// connection → address book and source name (the list only when there is a choice) → more
// sources? → sync options → schedule and first sync.
// Its state lives in sessionStorage, so a reload or the trip to "Sign in with Google" resumes it.
import { get, post, patch, del, hubPath, APIError } from './api.js';
import { h, field, focusHeading, notify, setFieldError, checkbox, kindIcon } from './dom.js';
import { t, tn, serverText } from './i18n.js';
import { connectionStep, signedIn } from './connect.js';
import { optionsForm, mappableFields } from './options.js';
import { expectSync } from './hub.js';
import { resumeMigration } from './migrate.js';

const storageKey = 'hubsync.wizard';

const steps = () => [
  { id: 'object', title: t('What to sync'), heading: t('What do you want to keep in sync?') },
  { id: 'hub', title: t('Hub name'), heading: t('Name your hub') },
  { id: 'kind', title: t('Source'), heading: t('Where are your contacts?') },
  { id: 'settings', title: t('Connection'), heading: t('Connect to {kind}') },
  { id: 'folder', title: t('Source name'), heading: t('Name this source') },
  { id: 'more', title: t('More sources'), heading: t('Add another source?') },
  { id: 'options', title: t('Sync options'), heading: t('How should each source sync?') },
  { id: 'sync', title: t('Schedule'), heading: t('Ready for the first sync') },
];

const emptyDraft = () => ({ kind: null, form: {}, signIn: null, discovery: null, checked: null, folder: null, name: '' });
const fresh = () => ({ step: 'object', object: 'contacts', hub: null, hubName: '', spokes: [], draft: emptyDraft() });

function load() {
  try { return JSON.parse(sessionStorage.getItem(storageKey)) ?? null; } catch { return null; }
}

function save(state) {
  // Passwords stay in this page's memory only.
  const copy = structuredClone(state);
  delete copy.draft.form.password;
  copy.draft.checked = null;
  sessionStorage.setItem(storageKey, JSON.stringify(copy));
}

export const clearWizard = () => sessionStorage.removeItem(storageKey);

let memory = null;  // the live state (with the password), while this page lives
const catalog = {};
async function cached(key, path) {
  catalog[key] ??= await get(path);
  return catalog[key];
}

/**
 * `#/wizard` (resumes), `#/wizard/add/<hub>` (a source for an existing hub),
 * `#/wizard/signed-in/<id>` (back from Google).
 */
export async function showWizard(view, parts, isCurrent) {
  // A sign-in a source's "Move to Microsoft 365" started comes back here too.
  if (parts[0] === 'signed-in' && resumeMigration(parts[1])) return () => {};
  const resumed = !memory;
  let state = memory ?? load() ?? fresh();
  if (parts[0] === 'add' && parts[1]) {
    const hub = await get(hubPath(parts[1]));
    state = { ...fresh(), step: 'kind', hub: { id: hub.id, name: hub.name }, hubName: hub.name, object: hub.objectKind ?? 'contacts',
      spokes: hub.spokes.map(({ id, name, kind, kindName, options }) => ({ id, name, kind, kindName, options })) };
    history.replaceState(null, '', '#/wizard');
  } else if (parts[0] === 'signed-in' && parts[1]) {
    state = load() ?? fresh();
    state.step = 'settings';
    state.draft.signIn = { id: parts[1], status: 'returned' };
    history.replaceState(null, '', '#/wizard');
  } else if (parts.length > 0) {
    history.replaceState(null, '', '#/wizard');
  }
  memory = state;
  const wizard = new Wizard(view, state, isCurrent);
  wizard.resumed = resumed;
  await wizard.render();
  return () => { wizard.stopped = true; };
}

class Wizard {
  constructor(view, state, isCurrent) {
    this.view = view;
    this.state = state;
    this.isCurrent = isCurrent;
    this.stopped = false;
  }

  saveNow() { save(this.state); }

  get kindInfo() { return catalog.kinds?.find((k) => k.kind === this.state.draft.kind) ?? null; }

  async go(step) {
    this.state.step = step;
    await this.render();
  }

  async render() {
    const { state } = this;
    save(state);
    await cached('kinds', '/api/spoke-kinds');
    if (this.resumed) this.askPasswordAgain();
    const all = steps();
    const index = Math.max(0, all.findIndex((s) => s.id === state.step));
    const step = all[index];
    const page = await this[step.id]();
    if (this.stopped || !this.isCurrent()) return;

    const heading = page.heading ?? step.heading.replace('{kind}', this.kindInfo?.name ?? t('the source'));
    document.title = `${page.title ?? step.title} — ${t('Set up a hub')} — HubSync`;
    // One line at any width: past the current step only the numbers show on a phone.
    const indicator = h('nav', { 'aria-label': t('Setup steps') },
      h('ol', { class: 'steps' }, all.map((s, i) => h('li', {
        class: i < index ? 'done' : null, 'aria-current': i === index ? 'step' : null,
      }, h('span', { class: 'step-title' }, i === index ? page.title ?? s.title : s.title), i < index ? h('span', { class: 'visually-hidden' }, ` ${t('(done)')}`) : null))));

    this.alert = h('div', { class: 'alert', role: 'alert' });
    const next = h('button', { type: 'submit', class: 'primary', id: 'wizard-next' }, page.nextLabel ?? t('Next'));
    const back = page.back
      ? h('button', { type: 'button', id: 'wizard-back', onclick: () => this.go(page.back) }, t('Back')) : null;
    const form = h('form', { novalidate: true, class: 'wizard', 'data-step': step.id }, indicator,
      h('p', { class: 'step-count' }, t('Step {n} of {total}', { n: index + 1, total: all.length })),
      h('h1', {}, heading),
      page.intro ? h('p', {}, page.intro) : null,
      this.alert,
      page.content,
      h('div', { class: 'actions' }, back, h('span', { class: 'spacer' }), page.extra ?? null, next));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (next.disabled) return;
      next.disabled = true;
      this.alert.textContent = '';
      try {
        const target = await page.next();
        if (target) await this.go(target);
      } catch (error) {
        this.alert.textContent = error.message;
      } finally {
        next.disabled = false;
      }
    });
    const cancel = h('p', { class: 'below' }, h('button', { type: 'button', class: 'link', onclick: () => this.cancel() },
      state.hub ? t('Leave the setup') : t('Cancel the setup')));
    this.view.replaceChildren(form, cancel);
    if (page.focus) page.focus(); else focusHeading(this.view);
    page.after?.();
  }

  /** After a reload the password is gone (it is never stored): back to the connection step for it. */
  askPasswordAgain() {
    this.resumed = false;
    const { state } = this;
    const password = this.kindInfo?.fields.some((f) => f.type === 'password' && f.required);
    if (!password || state.draft.form.password || state.step !== 'folder') return;
    state.step = 'settings';
    state.draft.discovery = null;
    this.pendingError = { field: 'password', message: t('Enter the password again: it is not kept when the page reloads.') };
  }

  async cancel() {
    const { hub, spokes, madeHub } = this.state;
    // A hub this wizard made and gave no source yet is taken away again.
    const empty = hub && madeHub && spokes.length === 0;
    const message = empty ? t('Cancel the setup? The hub "{name}" has no source yet and is deleted.', { name: hub.name })
      : hub ? t('Leave the setup? The hub "{name}" and its sources are kept; you can sync it from its page.', { name: hub.name })
        : t('Cancel the setup? Nothing has been created yet.');
    if (!confirm(message)) return;
    if (empty) {
      try { await del(hubPath(hub.id)); } catch (error) { notify(error.message, { error: true }); return; }
    }
    memory = null;
    clearWizard();
    location.hash = hub && !empty ? `#/hubs/${encodeURIComponent(hub.id)}` : '#/';
  }

  /** Radio cards: `items` [{value, title, text, disabled, badge}]. */
  cards(name, legend, items, selected) {
    return h('fieldset', { class: 'cards' }, h('legend', { class: 'visually-hidden' }, legend),
      items.map((item) => {
        const id = `${name}-${item.value}`;
        return h('div', { class: 'card-choice' },
          h('input', { type: 'radio', name, id, value: item.value, disabled: item.disabled, checked: item.value === selected }),
          h('label', { for: id }, h('strong', {}, item.icon ? kindIcon(item.icon) : null, item.title), h('span', {}, item.text),
            item.badge ? h('span', { class: 'badge' }, item.badge) : null));
      }));
  }

  checked(name) { return this.view.querySelector(`input[name="${name}"]:checked`)?.value ?? null; }

  async object() {
    const objects = await cached('objects', '/api/objects');
    const describe = {
      contacts: t('Names, email addresses, phone numbers, companies and addresses.'),
      calendar: t('Events and meetings, recurring ones too: a team calendar, a room, the company holidays.'),
    };
    return {
      intro: t('HubSync keeps the same information in every place your business uses.'),
      content: this.cards('object', t('What to sync'), objects.map((o) => ({
        // What a hub holds is fixed once it is made.
        value: o.id, title: o.name, disabled: !o.available || Boolean(this.state.hub && o.id !== this.state.object),
        text: describe[o.id] ?? (o.available ? '' : t('Not available yet.')), badge: o.available ? null : (o.note ?? t('Coming soon')),
      })), this.state.object),
      next: () => {
        const choice = this.checked('object');
        if (!choice) throw new Error(t('Choose what to keep in sync.'));
        this.state.object = choice;
        return this.state.hub ? 'kind' : 'hub';
      },
    };
  }

  async hub() {
    const { state } = this;
    const calendar = state.object === 'calendar';
    const input = h('input', { type: 'text', id: 'hub-name', value: state.hubName || (calendar ? t('Team calendar') : t('Company contacts')), autocomplete: 'off', maxlength: 100 });
    input.addEventListener('input', () => { state.hubName = input.value; setFieldError(input, ''); });
    return {
      intro: calendar
        ? t('A hub holds one shared copy of your events and keeps every calendar in step with it. Give it a name your colleagues recognise.')
        : t('A hub holds one shared copy of your contacts and keeps every source in step with it. Give it a name your colleagues recognise.'),
      content: field({ label: t('Hub name'), input, required: true, help: calendar ? t('For example "Team calendar" or "Holidays".') : t('For example "Sales contacts" or "Our team".') }),
      back: 'object',
      focus: () => { input.focus(); input.select(); },
      next: async () => {
        const name = input.value.trim();
        if (!name) {
          setFieldError(input, t('Give the hub a name.'));
          input.focus();
          return null;
        }
        state.hubName = name;
        try {
          if (!state.hub) {
            state.hub = await post('/api/hubs', { name, objectKind: state.object === 'calendar' ? 'calendar' : 'contacts' });
            state.madeHub = true;
          } else if (state.hub.name !== name) state.hub = await patch(hubPath(state.hub.id), { name });
          state.hub = { id: state.hub.id, name: state.hub.name };
        } catch (error) {
          if (error instanceof APIError && (error.status === 409 || error.field === 'name')) {
            setFieldError(input, error.status === 409 ? t('A hub with this name exists already. Choose another name.') : error.message);
            input.focus();
            return null;
          }
          throw error;
        }
        save(state);
        return 'kind';
      },
    };
  }

  async kind() {
    // Only the kinds that hold what the hub holds (a kind without `object` holds contacts).
    const calendar = this.state.object === 'calendar';
    const kinds = catalog.kinds.filter((k) => (k.object ?? 'contacts') === (calendar ? 'calendar' : 'contacts'));
    const first = this.state.spokes.length === 0;
    return {
      heading: calendar ? t('Where are your calendars?') : undefined,
      intro: calendar
        ? (first ? t('Choose the first calendar to keep in step. You add the others after this one.')
          : t('Choose the type of the next calendar for "{name}".', { name: this.state.hub.name }))
        : first
        ? t('Choose the first place your contacts are kept. You add the others after this one.')
        : t('Choose the type of the next source for "{name}".', { name: this.state.hub.name }),
      content: this.cards('kind', t('Source type'), kinds.map((k) => ({
        value: k.kind, title: k.name, text: k.summary, disabled: !k.available, badge: k.available ? null : t('Coming soon'), icon: k.kind,
      })), this.state.draft.kind),
      back: first ? 'hub' : 'more',
      next: () => {
        const choice = this.checked('kind');
        if (!choice) throw new Error(t('Choose a source type.'));
        if (choice !== this.state.draft.kind) this.state.draft = { ...emptyDraft(), kind: choice };
        return 'settings';
      },
    };
  }

  async settings() {
    return connectionStep(this);
  }

  /** The address book (only when there is a choice) and the source's name, on one step. */
  async folder() {
    const { draft } = this.state;
    const folders = draft.discovery?.folders ?? [];
    const known = folders.some((f) => f.id === draft.folder) ? draft.folder : null;
    const selected = known ?? folders.find((f) => f.isDefault)?.id ?? folders.find((f) => !f.readOnly)?.id ?? folders[0]?.id ?? null;
    const where = [draft.discovery?.account, draft.discovery?.endpoint].filter(Boolean).join(' · ');
    const folderOf = (id) => folders.find((f) => f.id === id);
    // A name the admin has not typed follows the address book chosen.
    if (!draft.name || draft.name === draft.suggested) draft.name = draft.suggested = this.uniqueName(this.suggestedName(folderOf(selected)));
    const input = h('input', { type: 'text', id: 'spoke-name', value: draft.name, autocomplete: 'off', maxlength: 100 });
    input.addEventListener('input', () => { draft.name = input.value; setFieldError(input, ''); });
    const list = folders.length <= 1 ? null
      : h('fieldset', { class: 'bare', onchange: () => {
        if (draft.name !== draft.suggested) return;
        draft.name = draft.suggested = this.uniqueName(this.suggestedName(folderOf(this.checked('folder'))));
        input.value = draft.name;
      } }, h('legend', { class: 'label' }, this.state.object === 'calendar' ? t('Calendar') : t('Address book')),
      h('ul', { class: 'radio-list' }, folders.map((f, i) => {
        const id = `folder-${i}`;
        return h('li', {}, h('label', { for: id },
          h('input', { type: 'radio', name: 'folder', id, value: f.id, checked: f.id === selected }),
          h('span', {}, h('strong', {}, f.name), f.isDefault ? h('span', { class: 'muted' }, ` ${t('(default)')}`) : null,
            h('span', { class: 'detail' }, [f.detail, f.readOnly ? t('read-only: changes from the hub are refused') : null, Number.isInteger(f.count)
              ? (this.state.object === 'calendar' ? tn(f.count, '1 file', '{n} files') : tn(f.count, '1 contact', '{n} contacts')) : null]
              .filter(Boolean).join(' · ')))));
      })));
    const single = folders.length === 1 ? folders[0] : null;
    return {
      title: list ? t('Address book') : t('Source name'),
      heading: list ? t('Choose the address book') : t('Name this source'),
      intro: [where ? t('Connected: {where}.', { where }) : null,
        list ? t('Which address book should the hub keep in sync?')
          : single ? t('The address book "{name}" will be kept in sync.', { name: single.name })
            : t('This source has a single address book: it will be kept in sync.')].filter(Boolean).join(' '),
      content: [list, field({ label: t('Source name'), input, required: true,
        help: t('Shown on the hub page and in the history of changes.') })],
      back: 'settings',
      focus: list ? null : () => { input.focus(); input.select(); },
      nextLabel: t('Add this source'),
      next: async () => {
        draft.folder = this.checked('folder') ?? selected;
        draft.name = input.value.trim();
        if (!draft.name) {
          setFieldError(input, t('Give this source a name.'));
          input.focus();
          return null;
        }
        return this.createSpoke(input);
      },
    };
  }

  /** "Exchange Server – Contacts"; "Google Contacts – ann@example.com" when the folder says nothing new. */
  suggestedName(folder) {
    const kind = this.kindInfo?.name ?? t('Source');
    const account = this.state.draft.discovery?.account;
    const name = folder?.name?.split('/').filter(Boolean).pop();
    if (name && !kind.toLowerCase().includes(name.toLowerCase())) return `${kind} – ${name}`;
    return account ? `${kind} – ${account}` : kind;
  }

  uniqueName(base) {
    const taken = new Set(this.state.spokes.map((s) => s.name.toLowerCase()));
    let name = base, n = 2;
    while (taken.has(name.toLowerCase())) name = `${base} ${n++}`;
    return name;
  }

  /** Adds the draft as a spoke of the hub; a settings problem sends the admin back to it. */
  async createSpoke(nameInput) {
    const { state } = this;
    const { draft } = state;
    const form = { ...draft.form };
    if (draft.signIn?.status === 'done') signedIn(form, draft.signIn);
    try {
      const spoke = await post(hubPath(state.hub.id, 'spokes'),
        { name: draft.name, kind: draft.kind, form, folder: draft.folder ?? undefined });
      state.spokes.push({ id: spoke.id, name: spoke.name, kind: spoke.kind, kindName: spoke.kindName, options: spoke.options });
      state.draft = emptyDraft();
      notify(t('Added {source} to {hub}.', { source: spoke.name, hub: state.hub.name }));
      return 'more';
    } catch (error) {
      if (!(error instanceof APIError) || !error.field) throw error;
      if (error.field === 'name' && nameInput) {
        setFieldError(nameInput, error.message);
        nameInput.focus();
        return null;
      }
      state.draft.discovery = null;
      this.pendingError = { field: error.field, message: error.message };
      return 'settings';
    }
  }

  async more() {
    const { state } = this;
    return {
      intro: t('Your hub "{name}" has {n} sources:', { name: state.hub.name, n: state.spokes.length }),
      content: [
        h('ul', { id: 'spoke-summary', class: 'plain-list' }, state.spokes.map((s) => h('li', {},
          h('span', { class: 'source-name' }, kindIcon(s.kind), h('strong', {}, s.name)), ` (${serverText(s.kindName)})`))),
        h('p', {}, state.spokes.length === 1
          ? t('A hub keeps two or more sources the same. Add the next place your contacts are kept.')
          : t('Add another place your contacts are kept, or continue to choose how each source syncs.')),
      ],
      extra: h('button', { type: 'button', id: 'add-another', onclick: () => {
        state.draft = emptyDraft();
        this.go('kind');
      } }, t('Add another source')),
      nextLabel: t('Continue'),
      next: () => 'options',
    };
  }

  async options() {
    const { state } = this;
    const forms = await Promise.all(state.spokes.map(async (spoke) => {
      const kind = catalog.kinds.find((k) => k.kind === spoke.kind);
      const form = optionsForm(spoke.options, await mappableFields(kind), state.object);
      const fieldset = h('fieldset', { 'data-spoke': spoke.id },
        h('legend', {}, spoke.name, h('span', { class: 'muted' }, ` · ${serverText(spoke.kindName)}`)), form.element);
      return { spoke, form, fieldset };
    }));
    return {
      intro: state.object === 'calendar'
        ? t('The defaults suit most businesses: every calendar gets the events from 30 days back to a year ahead, and changes flow both ways.')
        : t('The defaults suit most businesses: every source gets every contact, and changes flow both ways.'),
      content: forms.map((f) => f.fieldset),
      back: 'more',
      nextLabel: t('Save and continue'),
      next: async () => {
        const values = forms.map((f) => f.form.read());
        if (values.includes(null)) return null;
        for (const [i, f] of forms.entries()) {
          try {
            const updated = await patch(hubPath(state.hub.id, 'spokes', f.spoke.id), { options: values[i] });
            f.spoke.options = updated.options;
          } catch (error) {
            f.form.showError(error.message);
            f.fieldset.querySelector('.alert')?.scrollIntoView({ block: 'center' });
            return null;
          }
        }
        return 'sync';
      },
    };
  }

  /** The schedule (on by default: a hub that syncs once is not a hub) and the first sync. */
  async sync() {
    const { state } = this;
    state.schedule ??= 15;
    const direction = (s) => (s.options?.twoWay === false ? t('only feeds the hub') : t('two-way'));
    const on = checkbox(t('Sync automatically'), { checked: state.schedule > 0, id: 'schedule-on' });
    const minutes = h('input', { type: 'number', id: 'schedule-minutes', min: 1, max: 10080, value: state.schedule || 15 });
    const every = h('div', { class: 'field inline' }, h('label', { for: minutes.id }, t('Every'), ' ', minutes, ' ', t('minutes')));
    const explain = h('p', { class: 'help', id: 'schedule-help' });
    const draw = () => {
      every.hidden = !on.input.checked;
      const n = Number.parseInt(minutes.value, 10);
      explain.textContent = on.input.checked
        ? tn(n >= 1 ? n : 15, 'After this first sync, HubSync syncs every minute by itself. You can change this in the hub\'s settings.', 'After this first sync, HubSync syncs every {n} minutes by itself. You can change this in the hub\'s settings.')
        : t('HubSync syncs only when you click Sync now on the hub\'s page.');
    };
    on.input.addEventListener('change', draw);
    minutes.addEventListener('input', draw);
    draw();
    return {
      intro: t('The first sync brings everything together. People who are already in several sources are matched, not duplicated.'),
      content: [
        h('ul', {}, state.spokes.map((s) => h('li', {}, h('strong', {}, s.name), ` — ${direction(s)}`,
          s.options?.categorizeAs ? t(', marks its new contacts "{category}"', { category: s.options.categorizeAs }) : ''))),
        h('fieldset', { id: 'wizard-schedule' }, h('legend', {}, t('Keep syncing')),
          h('div', { class: 'schedule-row' }, on.box, every), explain),
      ],
      back: 'options',
      nextLabel: t('Sync now'),
      next: async () => {
        const n = Number.parseInt(minutes.value, 10);
        if (on.input.checked && !(n >= 1 && n <= 10080)) {
          throw new Error(t('Enter a number of minutes from 1 to 10080.'));
        }
        state.schedule = on.input.checked ? n : 0;
        await patch(hubPath(state.hub.id), { scheduleMinutes: state.schedule });
        const status = await post(hubPath(state.hub.id, 'sync'));
        expectSync(state.hub.id, status);
        const hub = state.hub;
        memory = null;
        clearWizard();
        location.hash = `#/hubs/${encodeURIComponent(hub.id)}`;
        return null;
      },
    };
  }
}
