// The setup wizard (#/wizard): what to sync → source type → connection → folder → source name →
// hub name (first source only; the hub is created then) → more sources? → sync options → sync.
// Its state lives in sessionStorage, so a reload or the trip to "Sign in with Google" resumes it.
import { get, post, patch, hubPath, APIError } from './api.js';
import { h, field, focusHeading, notify, setFieldError } from './dom.js';
import { connectionStep } from './connect.js';
import { optionsForm, mappableFields } from './options.js';
import { expectSync } from './hub.js';
import { resumeMigration } from './migrate.js';

const storageKey = 'hubsync.wizard';

const steps = [
  { id: 'object', title: 'What to sync', heading: 'What do you want to keep in sync?' },
  { id: 'kind', title: 'Source', heading: 'Where are your contacts?' },
  { id: 'settings', title: 'Connection', heading: 'Connect to {kind}' },
  { id: 'folder', title: 'Folder', heading: 'Choose the address book' },
  { id: 'name', title: 'Source name', heading: 'Name this source' },
  { id: 'hub', title: 'Hub name', heading: 'Name your hub' },
  { id: 'more', title: 'More sources', heading: 'Add another source?' },
  { id: 'options', title: 'Sync options', heading: 'How should each source sync?' },
  { id: 'sync', title: 'Sync', heading: 'Ready for the first sync' },
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
    state = { ...fresh(), step: 'kind', hub: { id: hub.id, name: hub.name }, hubName: hub.name,
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
    const index = steps.findIndex((s) => s.id === state.step);
    const step = steps[index];
    const page = await this[step.id]();
    if (this.stopped || !this.isCurrent()) return;

    const heading = step.heading.replace('{kind}', this.kindInfo?.name ?? 'the source');
    document.title = `${step.title} — Set up a hub — HubSync`;
    const indicator = h('nav', { 'aria-label': 'Setup steps' },
      h('ol', { class: 'steps' }, steps.map((s, i) => h('li', {
        class: i < index ? 'done' : null, 'aria-current': i === index ? 'step' : null,
      }, s.title, i < index ? h('span', { class: 'visually-hidden' }, ' (done)') : null))));

    this.alert = h('div', { class: 'alert', role: 'alert' });
    const next = h('button', { type: 'submit', class: 'primary', id: 'wizard-next' }, page.nextLabel ?? 'Next');
    const back = page.back
      ? h('button', { type: 'button', id: 'wizard-back', onclick: () => this.go(page.back) }, 'Back') : null;
    const form = h('form', { novalidate: true, class: 'wizard', 'data-step': step.id }, indicator,
      h('p', { class: 'step-count' }, `Step ${index + 1} of ${steps.length}`),
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
      state.hub ? 'Leave the setup' : 'Cancel the setup'));
    this.view.replaceChildren(form, cancel);
    if (page.focus) page.focus(); else focusHeading(this.view);
    page.after?.();
  }

  /** After a reload the password is gone (it is never stored): back to the connection step for it. */
  askPasswordAgain() {
    this.resumed = false;
    const { state } = this;
    const password = this.kindInfo?.fields.some((f) => f.type === 'password' && f.required);
    if (!password || state.draft.form.password || !['folder', 'name', 'hub'].includes(state.step)) return;
    state.step = 'settings';
    state.draft.discovery = null;
    this.pendingError = { field: 'password', message: 'Enter the password again: it is not kept when the page reloads.' };
  }

  cancel() {
    const { hub } = this.state;
    const message = hub
      ? `Leave the setup? The hub "${hub.name}" and its sources are kept; you can sync it from its page.`
      : 'Cancel the setup? Nothing has been created yet.';
    if (!confirm(message)) return;
    memory = null;
    clearWizard();
    location.hash = hub ? `#/hubs/${encodeURIComponent(hub.id)}` : '#/';
  }

  /** Radio cards: `items` [{value, title, text, disabled, badge}]. */
  cards(name, legend, items, selected) {
    return h('fieldset', { class: 'cards' }, h('legend', { class: 'visually-hidden' }, legend),
      items.map((item) => {
        const id = `${name}-${item.value}`;
        return h('div', { class: 'card-choice' },
          h('input', { type: 'radio', name, id, value: item.value, disabled: item.disabled, checked: item.value === selected }),
          h('label', { for: id }, h('strong', {}, item.title), h('span', {}, item.text),
            item.badge ? h('span', { class: 'badge' }, item.badge) : null));
      }));
  }

  checked(name) { return this.view.querySelector(`input[name="${name}"]:checked`)?.value ?? null; }

  async object() {
    const objects = await cached('objects', '/api/objects');
    const describe = { contacts: 'Names, email addresses, phone numbers, companies and addresses.' };
    return {
      intro: 'HubSync keeps the same information in every place your business uses.',
      content: this.cards('object', 'What to sync', objects.map((o) => ({
        value: o.id, title: o.name, disabled: !o.available,
        text: describe[o.id] ?? (o.available ? '' : 'Not available yet.'), badge: o.available ? null : (o.note ?? 'Coming soon'),
      })), this.state.object),
      next: () => {
        const choice = this.checked('object');
        if (!choice) throw new Error('Choose what to keep in sync.');
        this.state.object = choice;
        return 'kind';
      },
    };
  }

  async kind() {
    const kinds = catalog.kinds;
    return {
      intro: this.state.hub
        ? `Choose the type of the next source for "${this.state.hub.name}".`
        : 'Choose the first place your contacts are kept. You can add more places in a moment.',
      content: this.cards('kind', 'Source type', kinds.map((k) => ({
        value: k.kind, title: k.name, text: k.summary, disabled: !k.available, badge: k.available ? null : 'Coming soon',
      })), this.state.draft.kind),
      back: this.state.hub ? 'more' : 'object',
      next: () => {
        const choice = this.checked('kind');
        if (!choice) throw new Error('Choose a source type.');
        if (choice !== this.state.draft.kind) this.state.draft = { ...emptyDraft(), kind: choice };
        return 'settings';
      },
    };
  }

  async settings() {
    return connectionStep(this);
  }

  async folder() {
    const { draft } = this.state;
    const folders = draft.discovery?.folders ?? [];
    const known = folders.some((f) => f.id === draft.folder) ? draft.folder : null;
    const selected = known ?? folders.find((f) => f.isDefault)?.id ?? folders[0]?.id;
    const where = [draft.discovery?.account, draft.discovery?.endpoint].filter(Boolean).join(' · ');
    const list = folders.length === 0
      ? h('p', {}, 'This source has a single address book: it will be used.')
      : h('fieldset', { class: 'bare' }, h('legend', { class: 'visually-hidden' }, 'Address books'),
          h('ul', { class: 'radio-list' }, folders.map((f, i) => {
            const id = `folder-${i}`;
            return h('li', {}, h('label', { for: id },
              h('input', { type: 'radio', name: 'folder', id, value: f.id, checked: f.id === selected }),
              h('span', {}, h('strong', {}, f.name), f.isDefault ? h('span', { class: 'muted' }, ' (default)') : null,
                h('span', { class: 'detail' }, [f.detail, Number.isInteger(f.count) ? `${f.count} contacts` : null]
                  .filter(Boolean).join(' · ')))));
          })));
    return {
      intro: `${where ? `Connected: ${where}. ` : ''}Which address book should the hub keep in sync?`,
      content: list,
      back: 'settings',
      next: () => {
        draft.folder = this.checked('folder') ?? selected ?? null;
        // A name the admin has not typed follows the folder chosen.
        if (!draft.name || draft.name === draft.suggested) {
          draft.name = draft.suggested = this.uniqueName(this.suggestedName(folders.find((f) => f.id === draft.folder)));
        }
        return 'name';
      },
    };
  }

  /** "Exchange Server – Contacts"; "Google Contacts – ann@example.com" when the folder says nothing new. */
  suggestedName(folder) {
    const kind = this.kindInfo?.name ?? 'Source';
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

  async name() {
    const { draft } = this.state;
    const input = h('input', { type: 'text', id: 'spoke-name', value: draft.name, autocomplete: 'off', maxlength: 100 });
    input.addEventListener('input', () => { draft.name = input.value; setFieldError(input, ''); });
    return {
      intro: 'This name is shown on the hub page and in the history of changes.',
      content: field({ label: 'Source name', input, required: true }),
      back: 'folder',
      focus: () => { input.focus(); input.select(); },
      nextLabel: this.state.hub ? 'Add this source' : 'Next',
      next: async () => {
        draft.name = input.value.trim();
        if (!draft.name) {
          setFieldError(input, 'Give this source a name.');
          input.focus();
          return null;
        }
        if (!this.state.hub) return 'hub';
        return this.createSpoke(input);
      },
    };
  }

  async hub() {
    const { state } = this;
    const input = h('input', { type: 'text', id: 'hub-name', value: state.hubName || 'Company contacts', autocomplete: 'off', maxlength: 100 });
    input.addEventListener('input', () => { state.hubName = input.value; setFieldError(input, ''); });
    return {
      intro: 'A hub holds one shared copy of your contacts and keeps every source in step with it.',
      content: field({ label: 'Hub name', input, required: true, help: 'For example "Sales contacts" or "Our team".' }),
      back: 'name',
      focus: () => { input.focus(); input.select(); },
      nextLabel: 'Create the hub',
      next: async () => {
        const name = input.value.trim();
        if (!name) {
          setFieldError(input, 'Give the hub a name.');
          input.focus();
          return null;
        }
        state.hubName = name;
        try {
          if (!state.hub) state.hub = await post('/api/hubs', { name });
          else if (state.hub.name !== name) state.hub = await patch(hubPath(state.hub.id), { name });
          state.hub = { id: state.hub.id, name: state.hub.name };
        } catch (error) {
          if (error instanceof APIError && (error.status === 409 || error.field === 'name')) {
            setFieldError(input, error.status === 409 ? 'A hub with this name exists already. Choose another name.' : error.message);
            input.focus();
            return null;
          }
          throw error;
        }
        save(state);
        return this.createSpoke();
      },
    };
  }

  /** Adds the draft as a spoke of the hub; a settings problem sends the admin back to it. */
  async createSpoke(nameInput) {
    const { state } = this;
    const { draft } = state;
    const form = { ...draft.form };
    if (draft.signIn?.status === 'done') form.signIn = draft.signIn.id;
    try {
      const spoke = await post(hubPath(state.hub.id, 'spokes'),
        { name: draft.name, kind: draft.kind, form, folder: draft.folder ?? undefined });
      state.spokes.push({ id: spoke.id, name: spoke.name, kind: spoke.kind, kindName: spoke.kindName, options: spoke.options });
      state.draft = emptyDraft();
      notify(`Added ${spoke.name} to ${state.hub.name}.`);
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
      intro: `Your hub "${state.hub.name}" has ${state.spokes.length === 1 ? 'one source' : `${state.spokes.length} sources`}:`,
      content: [
        h('ul', { id: 'spoke-summary' }, state.spokes.map((s) => h('li', {}, h('strong', {}, s.name), ` (${s.kindName})`))),
        h('p', {}, state.spokes.length === 1
          ? 'A hub keeps two or more sources the same. Add the next place your contacts are kept.'
          : 'Add another place your contacts are kept, or continue to choose how each source syncs.'),
      ],
      extra: h('button', { type: 'button', id: 'add-another', onclick: () => {
        state.draft = emptyDraft();
        this.go('kind');
      } }, 'Add another source'),
      nextLabel: 'Continue',
      next: () => 'options',
    };
  }

  async options() {
    const { state } = this;
    const forms = await Promise.all(state.spokes.map(async (spoke) => {
      const kind = catalog.kinds.find((k) => k.kind === spoke.kind);
      const form = optionsForm(spoke.options, await mappableFields(kind));
      const fieldset = h('fieldset', { 'data-spoke': spoke.id },
        h('legend', {}, spoke.name, h('span', { class: 'muted' }, ` · ${spoke.kindName}`)), form.element);
      return { spoke, form, fieldset };
    }));
    return {
      intro: 'The defaults suit most businesses: every source gets every contact, and changes flow both ways.',
      content: forms.map((f) => f.fieldset),
      back: 'more',
      nextLabel: 'Save and continue',
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

  async sync() {
    const { state } = this;
    const direction = (s) => (s.options?.twoWay === false ? 'only feeds the hub' : 'two-way');
    return {
      intro: 'The first sync brings everything together. People who are already in several sources are matched, not duplicated.',
      content: h('ul', {}, state.spokes.map((s) => h('li', {}, h('strong', {}, s.name), ` — ${direction(s)}`,
        s.options?.categorizeAs ? `, marks its new contacts "${s.options.categorizeAs}"` : ''))),
      back: 'options',
      nextLabel: 'Sync now',
      next: async () => {
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
