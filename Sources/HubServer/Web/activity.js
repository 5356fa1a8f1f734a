// A hub's activity: recent syncs (undo a whole sync), the journal of changes (undo one change)
// and the contacts in the hub (search).
import { get, post } from './api.js';
import { h, notify, plural, when, busy, newID, fieldLabel } from './dom.js';

export function runLabel(run) {
  if (!run) return h('span', { class: 'badge' }, 'Not synced yet');
  const labels = {
    running: ['Syncing…', ''], succeeded: ['Synced', 'ok'], partial: ['Synced with problems', 'warn'], failed: ['Sync failed', 'bad'],
  };
  const [text, tone] = labels[run.status] ?? [run.status, ''];
  return h('span', { class: `badge ${tone}` }, text);
}

const statNames = [
  ['pulled', 'read'], ['matched', 'matched'], ['hubCreated', 'new in hub'], ['hubUpdated', 'updated in hub'],
  ['hubDeleted', 'deleted in hub'], ['conflicts', 'conflicts'], ['pushedCreates', 'created here'],
  ['pushedUpdates', 'updated here'], ['pushedDeletes', 'deleted here'], ['itemErrors', 'failed'],
  ['heldDeletions', 'deletions held'],
];

/** "12 read · 3 new in hub · 4 created here", or "No changes". */
export function statsText(stats) {
  const parts = statNames.filter(([key]) => stats?.[key]).map(([key, name]) => `${stats[key]} ${name}`);
  return parts.length ? parts.join(' · ') : 'No changes';
}

function sumStats(run) {
  const total = {};
  for (const s of Object.values(run.stats ?? {})) for (const [k, v] of Object.entries(s)) total[k] = (total[k] ?? 0) + v;
  return total;
}

function section(id, title) {
  const body = h('div');
  const element = h('section', { class: 'panel', id, 'aria-labelledby': `${id}-heading` }, h('h2', { id: `${id}-heading` }, title), body);
  return { element, body };
}

export function runsSection(path, spokeName, changed) {
  const { element, body } = section('runs', 'Recent syncs');
  async function load() {
    const runs = await get(`${path('runs')}?limit=10`);
    if (runs.length === 0) {
      body.replaceChildren(h('p', { class: 'muted' }, 'No sync yet.'));
      return;
    }
    body.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
      h('thead', {}, h('tr', {}, ['Started', 'Result', 'Changes', 'Problems', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, runs.map((run) => {
        const undo = h('button', { type: 'button', class: 'small', onclick: () => {
          if (!confirm('Undo every change this sync made to the hub? Contacts it added to the hub are taken out again, '
            + 'and the next sync carries all of this to your sources.')) return;
          busy(undo, async () => {
            let result;
            try {
              result = await post(path('runs', run.id, 'undo'));
            } catch (error) {
              // The server asks again when the undo deletes contacts everywhere.
              if (error.field !== 'confirm' || !confirm(`${error.message} Go ahead?`)) throw error;
              result = await post(`${path('runs', run.id, 'undo')}?confirm=deletions`);
            }
            notify(`Undid the sync: ${plural(result.restored, 'change')} restored.`);
            await changed();
          });
        } }, 'Undo this sync');
        return h('tr', { 'data-run': run.id },
          h('td', { 'data-label': 'Started' }, when(run.startedAt)),
          h('td', { 'data-label': 'Result' }, runLabel(run)),
          h('td', { 'data-label': 'Changes' }, statsText(sumStats(run)),
            h('details', {}, h('summary', {}, 'Per source'),
              h('ul', {}, Object.entries(run.stats ?? {}).map(([spoke, s]) => h('li', {}, `${spokeName(spoke)}: ${statsText(s)}`))))),
          h('td', { 'data-label': 'Problems' }, run.errors.length ? h('ul', { class: 'error' }, run.errors.map((e) => h('li', {}, e))) : 'None'),
          h('td', {}, run.status === 'running' ? null : undo));
      })))));
  }
  return { element, load };
}

const kindNames = { created: 'Added', updated: 'Changed', deleted: 'Deleted', restored: 'Restored', conflict: 'Conflict resolved' };

/** Field: old → new, one line each; more than three fold away behind a disclosure. */
function changeList(changes) {
  if (!changes.length) return null;
  const list = h('ul', { class: 'changes' }, changes.map((c) => h('li', {},
    h('span', { class: 'field-name' }, fieldLabel(c.field)), ': ',
    c.old ? h('del', {}, c.old) : h('span', { class: 'muted' }, '(empty)'),
    ' → ',
    c.new ? h('ins', {}, c.new) : h('span', { class: 'muted' }, '(empty)'))));
  return changes.length > 3 ? h('details', { class: 'changes-more' }, h('summary', {}, `${changes.length} fields`), list) : list;
}

export function journalSection(path, changed) {
  const { element, body } = section('journal', 'History of changes');
  const list = h('ol', { class: 'journal', id: 'journal-list' });
  const older = h('button', { type: 'button', id: 'journal-older', hidden: true }, 'Show older changes');
  const empty = h('p', { class: 'muted' }, 'No changes yet.');
  body.append(h('p', { class: 'help' }, 'Every change the hub made, newest first. Undo puts the old values back; the next sync writes them to your sources.'),
    empty, list, older);
  let next = null;

  const entryItem = (e) => {
    const undo = h('button', { type: 'button', class: 'small', onclick: () => busy(undo, async () => {
      let result;
      try {
        result = await post(path('journal', String(e.seq), 'undo'));
      } catch (error) {
        // Undoing an "Added" deletes the contact everywhere: the server asks first.
        if (error.field !== 'confirm') throw error;
        if (!confirm(`${error.message} Go ahead?`)) return;
        result = await post(`${path('journal', String(e.seq), 'undo')}?confirm=deletions`);
      }
      notify(`Undone: ${plural(result.restored, 'change')} restored for ${e.name}.`);
      await changed();
    }) }, 'Undo', h('span', { class: 'visually-hidden' }, ` this change to ${e.name}`));
    return h('li', { 'data-seq': e.seq },
      h('div', {},
        h('div', {}, h('strong', {}, e.name), ` — ${kindNames[e.kind] ?? e.kind}`),
        h('div', { class: 'meta' }, when(e.at), ` · from ${e.sourceName}`),
        e.conflicts?.length ? h('div', { class: 'meta' }, `Conflict on ${e.conflicts.join(', ')}: the newer change won.`) : null,
        changeList(e.changes)),
      e.kind === 'restored' ? null : undo);
  };

  async function page(before) {
    const query = new URLSearchParams({ limit: '10' });
    if (before !== null && before !== undefined) query.set('before', String(before));
    const result = await get(`${path('journal')}?${query}`);
    next = result.next ?? null;
    older.hidden = next === null;
    return result.entries.map(entryItem);
  }
  older.addEventListener('click', () => busy(older, async () => {
    const items = await page(next);
    list.append(...items);
    items[0]?.querySelector('button')?.focus();
  }));
  async function load() {
    const items = await page(null);
    list.replaceChildren(...items);
    empty.hidden = items.length > 0;
  }
  return { element, load };
}

export function contactsSection(path) {
  const { element, body } = section('contacts', 'Contacts in the hub');
  const search = h('input', { type: 'search', id: newID('search'), autocomplete: 'off' });
  const count = h('p', { class: 'muted', id: 'contacts-count', role: 'status', 'aria-live': 'polite' });
  const rows = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, 'Show more contacts');
  const limit = 50;
  let offset = 0, query = '', debounce = null;

  body.append(
    h('form', { class: 'search', role: 'search', onsubmit: (e) => { e.preventDefault(); load(); } },
      h('div', { class: 'field' }, h('label', { for: search.id }, 'Search contacts'), search),
      h('button', { type: 'submit' }, 'Search')),
    count,
    h('div', { class: 'table-wrap' }, h('table', { id: 'contacts-table', class: 'stack' },
      h('thead', {}, h('tr', {}, ['Name', 'Company', 'Email', 'Phone', 'Categories'].map((t) => h('th', { scope: 'col' }, t)))),
      rows)),
    more);
  search.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(load, 300); });

  const cell = (label, text) => h('td', { 'data-label': text ? label : null, class: text ? null : 'empty-cell' }, text);
  const row = (c) => h('tr', { 'data-contact': c.id },
    h('th', { scope: 'row' }, c.name), cell('Company', c.organization ?? ''), cell('Email', c.emails.join(', ')),
    cell('Phone', c.phones.join(', ')), cell('Categories', c.categories.join(', ')));

  // A page of results; a newer search makes older answers moot (they may arrive late).
  let generation = 0;
  async function fetchPage(from) {
    const mine = generation;
    const params = new URLSearchParams({ limit: String(limit), offset: String(from) });
    if (query) params.set('q', query);
    const result = await get(`${path('contacts')}?${params}`);
    if (mine !== generation) return null;
    offset = from + result.contacts.length;
    more.hidden = offset >= result.total;
    count.textContent = query ? `${plural(result.total, 'contact')} match "${query}".` : `${plural(result.total, 'contact')}.`;
    return result.contacts.map(row);
  }
  async function load() {
    generation += 1;
    query = search.value.trim();
    const page = await fetchPage(0);
    if (page) rows.replaceChildren(...page);
  }
  more.addEventListener('click', () => busy(more, async () => {
    const page = await fetchPage(offset);
    if (page) rows.append(...page);
  }));
  return { element, load };
}
