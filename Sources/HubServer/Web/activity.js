// A hub's activity: recent syncs (undo a whole sync), the history of changes grouped by sync
// (undo one change; filters), the conflicts (use the other value) and the contacts (search).
import { get, post, query as queryString } from './api.js';
import { h, notify, when, busy, newID, fieldLabel } from './dom.js';
import { t, tn, problemWords } from './i18n.js';

export function runLabel(run) {
  if (!run) return h('span', { class: 'badge' }, t('Not synced yet'));
  const labels = {
    running: [t('Syncing…'), ''], succeeded: [t('Synced'), 'ok'], partial: [t('Synced with problems'), 'warn'],
    failed: [t('Sync failed'), 'bad'],
  };
  const [text, tone] = labels[run.status] ?? [run.status, ''];
  return h('span', { class: `badge ${tone}` }, text);
}

// Each count in its plural form ("1 créé ici", "47 créés ici"): the text is chosen with its n.
const statNames = [
  ['pulled', (n) => t('{n} read', { n })], ['matched', (n) => t('{n} matched', { n })],
  ['hubCreated', (n) => t('{n} new in hub', { n })], ['hubUpdated', (n) => t('{n} updated in hub', { n })],
  ['hubDeleted', (n) => t('{n} deleted in hub', { n })], ['conflicts', (n) => t('{n} conflicts', { n })],
  ['pushedCreates', (n) => t('{n} created here', { n })], ['pushedUpdates', (n) => t('{n} updated here', { n })],
  ['pushedDeletes', (n) => t('{n} deleted here', { n })], ['itemErrors', (n) => t('{n} failed', { n })],
  ['heldDeletions', (n) => t('{n} deletions held', { n })],
];

/** "12 read · 3 new in hub · 4 created here", or "No changes". */
export function statsText(stats) {
  const parts = statNames.filter(([key]) => stats?.[key]).map(([key, text]) => text(stats[key]));
  return parts.length ? parts.join(' · ') : t('No changes');
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

/** Undoes a run or an entry; the server asks again when that deletes contacts everywhere. */
async function undoing(url) {
  try {
    return await post(url);
  } catch (error) {
    if (error.field !== 'confirm' || !confirm(t('{question} Go ahead?', { question: error.message }))) {
      if (error.field === 'confirm') return null;
      throw error;
    }
    return post(`${url}?confirm=deletions`);
  }
}

export function runsSection(path, spokeName, changed) {
  const { element, body } = section('runs', t('Recent syncs'));
  async function load() {
    const runs = await get(`${path('runs')}?limit=10`);
    if (runs.length === 0) {
      body.replaceChildren(h('p', { class: 'muted' }, t('No sync yet.')));
      return;
    }
    body.replaceChildren(h('div', { class: 'table-wrap' }, h('table', { class: 'stack' },
      h('thead', {}, h('tr', {}, [t('Started'), t('Result'), t('Changes'), t('Problems'), t('Actions')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, runs.map((run) => {
        const undo = h('button', { type: 'button', class: 'small', onclick: () => {
          if (!confirm(t('Undo every change this sync made to the hub? Contacts it added to the hub are taken out again, and the next sync carries all of this to your sources.'))) return;
          busy(undo, async () => {
            const result = await undoing(path('runs', run.id, 'undo'));
            if (!result) return;
            notify(t('Undid the sync: {n} changes restored.', { n: result.restored }));
            await changed();
          });
        } }, t('Undo this sync'));
        return h('tr', { 'data-run': run.id },
          h('td', { 'data-label': t('Started') }, when(run.startedAt)),
          h('td', { 'data-label': t('Result') }, runLabel(run)),
          h('td', { 'data-label': t('Changes') }, statsText(sumStats(run)),
            h('details', {}, h('summary', {}, t('Per source')),
              h('ul', {}, Object.entries(run.stats ?? {}).map(([spoke, s]) => h('li', {}, `${spokeName(spoke)}: ${statsText(s)}`))))),
          h('td', { 'data-label': t('Problems') }, run.errors.length
            ? h('ul', { class: 'error' }, (run.problems ?? run.errors.map((e) => ({ summary: e }))).map((p) => h('li', {}, problemWords(p) ?? p.summary)))
            : t('None')),
          h('td', {}, run.status === 'running' ? null : undo));
      })))));
  }
  return { element, load };
}

const kindNames = () => ({
  created: t('Added'), updated: t('Changed'), deleted: t('Deleted'), restored: t('Restored'), conflict: t('Conflict resolved'),
});

/** Field: old → new, one line each; more than three fold away behind a disclosure. */
export function changeList(changes) {
  if (!changes.length) return null;
  const list = h('ul', { class: 'changes' }, changes.map((c) => h('li', { 'data-field': c.field },
    h('span', { class: 'field-name' }, fieldLabel(c.field)), ': ',
    c.old ? h('del', {}, c.old) : h('span', { class: 'muted' }, t('(empty)')),
    ' → ',
    c.new ? h('ins', {}, c.new) : h('span', { class: 'muted' }, t('(empty)')))));
  return changes.length > 3 ? h('details', { class: 'changes-more' }, h('summary', {}, t('{n} fields', { n: changes.length })), list) : list;
}

/** One history entry, with Undo. `hubID` links the contact's name to its page. */
export function entryItem(e, path, hubID, changed) {
  const undo = h('button', { type: 'button', class: 'small', onclick: () => busy(undo, async () => {
    const result = await undoing(path('journal', String(e.seq), 'undo'));
    if (!result) return;
    notify(t('Undone: {n} changes restored for {name}.', { n: result.restored, name: e.name }));
    await changed();
  }) }, t('Undo'), h('span', { class: 'visually-hidden' }, ` ${t('this change to {name}', { name: e.name })}`));
  return h('li', { 'data-seq': e.seq, 'data-kind': e.kind },
    h('div', {},
      h('div', {}, h('strong', {}, h('a', { href: `#/hubs/${encodeURIComponent(hubID)}/contacts/${encodeURIComponent(e.item)}` }, e.name)),
        ` — ${kindNames()[e.kind] ?? e.kind}`),
      h('div', { class: 'meta' }, when(e.at), ' · ', t('from {source}', { source: e.sourceName })),
      e.conflicts?.length ? h('div', { class: 'meta' }, t('Conflict on {fields}: the newer change won.',
        { fields: e.conflicts.map(fieldLabel).join(', ') })) : null,
      changeList(e.changes)),
    e.kind === 'restored' ? null : undo);
}

export function journalSection(path, hub, changed) {
  const { element, body } = section('journal', t('History of changes'));
  const list = h('ol', { class: 'journal', id: 'journal-list' });
  const older = h('button', { type: 'button', id: 'journal-older', hidden: true }, t('Show older changes'));
  const empty = h('p', { class: 'muted' }, t('No changes yet.'));
  const select = (label, name, options) => {
    const input = h('select', { id: newID(name), name }, options.map(([value, text]) => h('option', { value }, text)));
    return { input, box: h('div', { class: 'field' }, h('label', { for: input.id }, label), input) };
  };
  const source = select(t('Source'), 'source', [['', t('All sources')], ...hub.spokes.map((s) => [`spoke:${s.id}`, s.name]), ['restore', t('Undo')]]);
  const kind = select(t('Kind of change'), 'kind', [['', t('All changes')], ...Object.entries(kindNames())]);
  const contact = h('input', { type: 'search', id: newID('contact'), name: 'contact', autocomplete: 'off' });
  // A calendar hub's history is filtered by series (the server lists them by summary).
  const events = hub.objectKind === 'calendar';
  const conflictsOnly = h('input', { type: 'checkbox', id: newID('conflicts'), name: 'conflicts' });
  const filters = h('form', { class: 'filters', id: 'journal-filters', role: 'search', 'aria-label': t('Filter the history'),
    onsubmit: (e) => { e.preventDefault(); load(); }, onchange: () => load() },
  source.box, kind.box,
  h('div', { class: 'field' }, h('label', { for: contact.id }, events ? t('Event') : t('Contact')), contact),
  h('div', { class: 'check' }, conflictsOnly, h('label', { for: conflictsOnly.id }, t('Conflicts only'))),
  h('button', { type: 'submit', class: 'small' }, t('Filter')));
  const contactPick = h('div', { id: 'journal-contact-pick', role: 'status', 'aria-live': 'polite' });
  body.append(h('p', { class: 'help' }, t('Every change the hub made, newest first, grouped by sync. Undo puts the old values back; the next sync writes them to your sources.')),
    filters, contactPick, empty, list, older);
  let next = null;
  let lastGroup = null;
  // The contact whose history is shown ({ id, name }): the server filters by its id, so paging
  // reaches its oldest changes however many others came between.
  let chosen = null;
  const choose = (c) => { chosen = { id: c.id, name: c.name }; contact.value = c.name; contactPick.replaceChildren(); };

  /** The contact box as a contact: the one whose name it is, or the only one it matches; with
   *  several, a choice (false: nothing to show until one is picked). */
  async function resolveContact() {
    const text = contact.value.trim();
    if (!text) { chosen = null; contactPick.replaceChildren(); return true; }
    if (chosen && chosen.name === text) return true;
    const found = await get(`${path('contacts')}?${queryString({ q: text, limit: '10' })}`);
    const exact = found.contacts.filter((c) => c.name.toLowerCase() === text.toLowerCase());
    const only = exact.length === 1 ? exact[0] : found.contacts.length === 1 ? found.contacts[0] : null;
    if (only) { choose(only); return true; }
    chosen = null;
    if (!found.contacts.length) {
      contactPick.replaceChildren(h('p', { class: 'muted' },
        events ? t('No event in the hub matches "{text}".', { text }) : t('No contact in the hub matches "{text}".', { text })));
      return false;
    }
    contactPick.replaceChildren(h('p', {},
      events ? t('Several events match "{text}". Which one?', { text }) : t('Several contacts match "{text}". Which one?', { text })),
      h('ul', { class: 'contact-choices' }, found.contacts.map((c) => h('li', {}, h('button', { type: 'button', class: 'small', onclick: () => {
        choose(c);
        load();
      } }, c.name, c.emails[0] ? h('span', { class: 'muted' }, ` ${c.emails[0]}`) : null)))),
      found.total > found.contacts.length ? h('p', { class: 'help' }, t('Type more of the name to see the others.')) : null);
    return false;
  }

  // Entries of one sync share a group; its "Added" entries (a first sync's are most of it) fold
  // into one line, placed where the first of them came.
  const groupFor = (e) => {
    const key = e.run ?? `admin-${e.seq}`;
    if (lastGroup?.key === key) return lastGroup;
    const items = h('ol', { class: 'journal' });
    const element = h('li', { class: 'run-group', 'data-run': e.run ?? '' },
      h('h3', {}, e.run ? t('Sync') : t('Change by an admin'), ' · ', when(e.at)), items);
    lastGroup = { key, items, element, added: null };
    return lastGroup;
  };
  const place = (e) => {
    const group = groupFor(e);
    const item = entryItem(e, path, hub.id, changed);
    if (e.kind !== 'created' || !e.run) { group.items.append(item); return group; }
    if (!group.added) {
      const inner = h('ol', { class: 'journal' });
      const summary = h('summary', {});
      const fold = h('li', { class: 'added-fold' }, h('details', {}, summary, inner));
      group.added = { inner, summary, fold, n: 0 };
      group.items.append(fold);
    }
    group.added.n += 1;
    group.added.inner.append(item);
    group.added.summary.textContent = tn(group.added.n, '1 contact added', '{n} contacts added');
    return group;
  };

  async function page(before) {
    const query = new URLSearchParams({ limit: '50' });
    if (before !== null && before !== undefined) query.set('before', String(before));
    if (source.input.value) query.set('source', source.input.value);
    if (kind.input.value) query.set('kind', kind.input.value);
    if (conflictsOnly.checked) query.set('conflicts', '1');
    if (chosen) query.set('item', chosen.id);
    const result = await get(`${path('journal')}?${queryString(query)}`);
    next = result.next ?? null;
    older.hidden = next === null;
    const groups = [];
    for (const e of result.entries) {
      const g = place(e);
      if (!groups.includes(g)) groups.push(g);
    }
    // One "Added" alone needs no folding.
    for (const g of groups) {
      if (g.added?.n !== 1) continue;
      g.added.fold.replaceWith(g.added.inner.firstChild);
      g.added = null;
    }
    return groups.map((g) => g.element);
  }
  older.addEventListener('click', () => busy(older, async () => {
    const groups = await page(next);
    list.append(...groups.filter((g) => !g.isConnected));
    groups[0]?.querySelector('button')?.focus();
  }));
  // Loads run one after the other (submit and change both ask for one), and one that a newer
  // load follows is skipped: the list is drawn once, from one set of filters.
  let loads = 0, queue = Promise.resolve();
  function load() {
    const mine = ++loads;
    queue = queue.catch(() => {}).then(() => (mine === loads ? reload() : null));
    return queue;
  }
  async function reload() {
    lastGroup = null;
    if (!(await resolveContact())) {
      list.replaceChildren();
      empty.hidden = true;
      older.hidden = true;
      return;
    }
    const groups = await page(null);
    list.replaceChildren(...groups);
    empty.hidden = groups.length > 0;
  }
  return { element, load };
}

export function conflictsSection(path, hubID, changed) {
  const { element, body } = section('conflicts', t('Conflicts'));
  const list = h('ul', { class: 'conflicts', id: 'conflict-list' });
  const empty = h('p', { class: 'muted' }, t('No conflicts recently.'));
  const older = h('button', { type: 'button', id: 'conflicts-older', hidden: true }, t('Show older conflicts'));
  body.append(h('p', { class: 'help' }, t('A conflict is a field changed differently in two sources between two syncs. The newer change wins; you can take the other value instead.')),
    empty, list, older);
  const pageSize = 50;
  // The newest conflicts, 50 at a time: the hub page counts them all.
  async function page(before) {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (before !== undefined) query.set('before', String(before));
    const conflicts = await get(`${path('conflicts')}?${query}`);
    older.hidden = conflicts.length < pageSize;
    older.dataset.before = conflicts.length ? String(conflicts[conflicts.length - 1].seq) : '';
    return conflicts.map(item);
  }
  older.addEventListener('click', () => busy(older, async () => {
    const items = await page(Number(older.dataset.before));
    list.append(...items);
    items[0]?.querySelector('a')?.focus();
  }));
  async function load() {
    const items = await page(undefined);
    empty.hidden = items.length > 0;
    list.replaceChildren(...items);
  }
  function item(c) {
    const use = h('button', { type: 'button', class: 'small', onclick: () => busy(use, async () => {
      await post(path('conflicts', String(c.seq), 'use-other'));
      notify(t('{name} now has the other value. The next sync writes it to your sources.', { name: c.name }));
      await changed();
    }) }, t('Use the other value'), h('span', { class: 'visually-hidden' }, ` ${t('for {name}', { name: c.name })}`));
    return h('li', { 'data-seq': c.seq },
      h('div', {}, h('strong', {}, h('a', { href: `#/hubs/${encodeURIComponent(hubID)}/contacts/${encodeURIComponent(c.item)}` }, c.name)),
        ' · ', when(c.at)),
      h('table', { class: 'conflict-values' },
        h('thead', {}, h('tr', {}, [t('Field'), t('Kept: from {source}', { source: c.winnerSource }), t('Other value: from {source}', { source: c.otherSource })]
          .map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, c.fields.map((f) => h('tr', {}, h('th', { scope: 'row' }, fieldLabel(f.field)),
          h('td', { class: 'winner' }, f.winner ?? t('(empty)')), h('td', { class: 'other' }, f.other ?? t('(empty)')))))),
      h('div', { class: 'actions' }, use));
  }
  return { element, load };
}

export function contactsSection(path, hubID) {
  const { element, body } = section('contacts', t('Contacts in the hub'));
  const search = h('input', { type: 'search', id: newID('search'), autocomplete: 'off' });
  const count = h('p', { class: 'muted', id: 'contacts-count', role: 'status', 'aria-live': 'polite' });
  const rows = h('tbody');
  const more = h('button', { type: 'button', hidden: true }, t('Show more contacts'));
  const limit = 50;
  let offset = 0, query = '', debounce = null;

  body.append(
    h('form', { class: 'search', role: 'search', onsubmit: (e) => { e.preventDefault(); load(); } },
      h('div', { class: 'field' }, h('label', { for: search.id }, t('Search contacts')), search),
      h('button', { type: 'submit' }, t('Search'))),
    count,
    h('div', { class: 'table-wrap' }, h('table', { id: 'contacts-table', class: 'stack' },
      h('thead', {}, h('tr', {}, [t('Name'), t('Company'), t('Email'), t('Phone'), t('Categories')].map((x) => h('th', { scope: 'col' }, x)))),
      rows)),
    more);
  search.addEventListener('input', () => { clearTimeout(debounce); debounce = setTimeout(load, 300); });

  const cell = (label, text, cls) => h('td', { 'data-label': text ? label : null, class: text ? cls : 'empty-cell', title: cls && text ? text : null }, text);
  const row = (c) => h('tr', { 'data-contact': c.id },
    h('th', { scope: 'row' }, h('a', { href: `#/hubs/${encodeURIComponent(hubID)}/contacts/${encodeURIComponent(c.id)}` }, c.name)),
    cell(t('Company'), c.organization ?? ''), cell(t('Email'), c.emails.join(', '), 'ellipsis'),
    cell(t('Phone'), c.phones.join(', ')), cell(t('Categories'), c.categories.join(', ')));

  // A page of results; a newer search makes older answers moot (they may arrive late).
  let generation = 0;
  async function fetchPage(from) {
    const mine = generation;
    const params = new URLSearchParams({ limit: String(limit), offset: String(from) });
    if (query) params.set('q', query);
    const result = await get(`${path('contacts')}?${queryString(params)}`);
    if (mine !== generation) return null;
    offset = from + result.contacts.length;
    more.hidden = offset >= result.total;
    count.textContent = query ? tn(result.total, '1 contact matches "{query}".', '{n} contacts match "{query}".', { query }) : tn(result.total, '1 contact.', '{n} contacts.');
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
