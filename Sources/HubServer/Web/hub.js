// One hub, in tabs with their own addresses:
//   #/hubs/<hub>            Overview: sync now with live progress, held deletions, conflicts
//   #/hubs/<hub>/sources    Sources: the table (problems, held deletions), group mailboxes
//   #/hubs/<hub>/contacts   Contacts (#/hubs/<hub>/contacts/<id>: one contact, contact.js)
//   #/hubs/<hub>/events     A calendar hub's upcoming events instead (upcoming.js)
//   #/hubs/<hub>/history    History: recent syncs and changes, grouped by sync, with filters
//   #/hubs/<hub>/conflicts  Conflicts, with "use the other value"
//   #/hubs/<hub>/settings   Settings: schedule, deleting the hub
// A running sync's status is pushed by the server (server-sent events); polling is the fallback.
import { get, post, patch, del, hubPath } from './api.js';
import { h, focusHeading, notify, when, busy, checkbox, newID, kindIcon, problemText } from './dom.js';
import { runsSection, journalSection, contactsSection, conflictsSection, statsText, runLabel } from './activity.js';
import { groupsSection } from './groups.js';
import { contactDetail } from './contact.js';
import { upcomingSection } from './upcoming.js';
import { t, tn, serverText } from './i18n.js';

let handedOver = null;

/** The wizard started a sync: the hub page shows it at once, before its first status. */
export function expectSync(hubID, status) { handedOver = { hubID, status }; }

const phases = () => ({ pull: t('Reading changes'), push: t('Writing changes') });

export const tabs = (hub) => [
  { id: 'overview', title: t('Overview') }, { id: 'sources', title: t('Sources') },
  hub?.objectKind === 'calendar' ? { id: 'events', title: t('Upcoming events') } : { id: 'contacts', title: t('Contacts') },
  { id: 'history', title: t('History') },
  { id: 'conflicts', title: t('Conflicts') }, { id: 'settings', title: t('Settings') },
];

/** Which way changes go for a source (the API's `direction`: options and receive-only group mailboxes). */
function directionText(s) {
  switch (s.direction) {
    case 'toHub': return t('Into the hub only');
    case 'fromHub': return t('From the hub only (receive only)');
    case 'none': return t('Neither way (receive only, and the hub does not write here)');
    case 'paused': return [t('Paused'), s.settings?.paused ? h('div', { class: 'muted' }, s.settings.paused) : null];
    default: return t('Two-way');
  }
}

/** "Next sync at 14:05" (or "Next sync: now"), for the hub list and the hub page. */
export function nextSyncText(hub) {
  if (!hub.scheduleMinutes) return t('Syncs only when you click Sync now');
  if (!hub.nextSyncAt) return tn(hub.scheduleMinutes, 'Syncs every minute', 'Syncs every {n} minutes');
  return [tn(hub.scheduleMinutes, 'Syncs every minute', 'Syncs every {n} minutes'), ' · ', t('next sync'), ' ', when(hub.nextSyncAt)];
}

export async function showHub(view, hubID, isCurrent, tab = 'overview', sub = null) {
  let hub = await get(hubPath(hubID));
  if (!tabs(hub).some((x) => x.id === tab)) tab = 'overview';
  if (!isCurrent()) return null;
  let stopped = false, timer = null, events = null, wasRunning = false;
  const path = (...rest) => hubPath(hubID, ...rest);
  const link = (t2) => `#/hubs/${encodeURIComponent(hubID)}${t2 === 'overview' ? '' : `/${t2}`}`;
  const spokeName = (id) => hub.spokes.find((s) => s.id === id)?.name ?? id;

  // Sync status: the summary line is the live region; the bars are redrawn without being read out.
  const syncButton = h('button', { type: 'button', class: 'primary', id: 'sync-now', onclick: () => syncNow() }, t('Sync now'));
  const syncSummary = h('p', { id: 'sync-summary', role: 'status', 'aria-live': 'polite' });
  const syncBars = h('div', { id: 'sync-progress' });
  const syncPanel = h('section', { class: 'panel', 'aria-labelledby': 'sync-heading', id: 'sync-panel' },
    h('h2', { id: 'sync-heading' }, t('Sync')), syncSummary, syncBars, h('div', { class: 'actions' }, syncButton));

  const drawSync = (sync) => {
    syncPanel.dataset.running = String(sync.running);
    syncButton.disabled = sync.running;
    syncButton.textContent = sync.running ? t('Syncing…') : t('Sync now');
    if (sync.running) {
      const text = t('Syncing…');
      if (syncSummary.textContent !== text) syncSummary.textContent = text;
      syncBars.className = 'progress';
      syncBars.replaceChildren(h('ul', {}, sync.progress.length === 0
        ? h('li', {}, h('span', {}, t('Starting')), h('progress', { 'aria-label': t('Starting') }), h('span'))
        : sync.progress.map((p) => {
            const label = `${p.spokeName}: ${phases()[p.phase] ?? p.phase}`;
            const bar = h('progress', { 'aria-label': label, max: p.total ?? null, value: p.total ? p.done : null });
            return h('li', { 'data-spoke': p.spoke, 'data-phase': p.phase }, h('span', {}, label), bar,
              h('span', { class: 'count' }, p.total ? t('{done} / {total}', { done: p.done, total: p.total })
                : p.done ? t('{n} so far', { n: p.done }) : ''));
          })));
      return;
    }
    syncBars.className = '';
    const run = sync.lastRun;
    syncBars.replaceChildren(run ? lastRunDetails(run, spokeName) : h('p', { class: 'muted' }, t('This hub has not synced yet.')));
    const text = run ? (run.status === 'succeeded' ? t('Last sync finished.') : run.status === 'failed'
      ? t('Last sync failed.') : t('Last sync finished with problems.')) : '';
    if (syncSummary.textContent !== text) syncSummary.textContent = text;
  };

  const holdsBox = h('div', { id: 'holds' });
  const itemCount = h('strong', { id: 'item-count' });
  const title = h('h1', {});
  const facts = h('ul', { class: 'facts', id: 'hub-facts' });
  const conflictsLink = h('p', { id: 'conflict-count' });

  const drawHub = () => {
    document.title = `${tabs(hub).find((x) => x.id === tab).title} · ${hub.name} — HubSync`;
    title.textContent = hub.name;
    itemCount.textContent = String(hub.itemCount);
    facts.replaceChildren(
      h('li', {}, itemCount, ' ', hub.objectKind === 'calendar' ? t('events in the hub') : t('contacts in the hub')),
      h('li', { id: 'hub-last-result' }, hub.sync.running ? h('span', { class: 'badge' }, t('Syncing…')) : runLabel(hub.lastRun),
        hub.lastRun?.finishedAt ? [' ', when(hub.lastRun.finishedAt)] : null),
      h('li', { id: 'hub-next-sync' }, nextSyncText(hub)));
    holdsBox.replaceChildren(...hub.holds.map((hold) => holdBox(hold)));
    conflictsLink.replaceChildren(hub.conflictCount
      ? h('a', { href: link('conflicts') }, tn(hub.conflictCount, '1 conflict settled recently: check it', '{n} conflicts settled recently: check them'))
      : h('span', { class: 'muted' }, t('No conflicts recently.')));
    for (const a of tabBar.querySelectorAll('a[data-tab=conflicts] .badge')) a.textContent = String(hub.conflictCount);
  };

  const holdBox = (hold) => {
    const decide = (approve, button) => {
      const question = approve
        ? tn(hold.count, 'Delete this contact from the hub and from every other source?', 'Delete these {n} contacts from the hub and from every other source?')
        : tn(hold.count, 'Keep this contact? It will be written back to {source}.', 'Keep these {n} contacts? They will be written back to {source}.', { source: hold.spokeName });
      if (!confirm(question)) return;
      busy(button, async () => {
        await post(path('holds', hold.spoke, approve ? 'approve' : 'reject'));
        notify(approve ? t('The deletions from {source} were applied.', { source: hold.spokeName }) : t('The contacts were kept.'));
        await refresh();
      });
    };
    const approve = h('button', { type: 'button', class: 'danger', onclick: () => decide(true, approve) }, t('Approve the deletions'));
    const reject = h('button', { type: 'button', onclick: () => decide(false, reject) }, t('Reject: keep the contacts'));
    return h('section', { class: 'warn-box', 'data-spoke': hold.spoke, 'aria-label': t('Held deletions from {source}', { source: hold.spokeName }) },
      h('h2', {}, tn(hold.count, '1 contact deleted in {source} is waiting for your approval', '{n} contacts deleted in {source} are waiting for your approval', { source: hold.spokeName })),
      h('p', {}, hold.reason, ' (', when(hold.detectedAt), ')'),
      hold.sample.length ? h('p', {}, t('Among them:'), ' ', hold.sample.join(', '), hold.count > hold.sample.length ? '…' : '') : null,
      h('div', { class: 'actions' }, approve, reject));
  };

  const spokesTable = () => {
    if (hub.spokes.length === 0) return h('p', {}, t('This hub has no source yet.'));
    const rows = hub.spokes.map((s) => {
      const optionsLink = `#/hubs/${encodeURIComponent(hub.id)}/spokes/${encodeURIComponent(s.id)}`;
      const remove = h('button', { type: 'button', class: 'small danger', onclick: () => {
        if (!confirm(t('Remove {source} from this hub? Its contacts stay where they are; the hub stops syncing them.', { source: s.name }))) return;
        busy(remove, async () => {
          await del(path('spokes', s.id));
          notify(t('{source} was removed.', { source: s.name }));
          await refresh();
        });
      } }, t('Remove'), h('span', { class: 'visually-hidden' }, ` ${s.name}`));
      const problems = [
        s.status.heldDeletions ? h('div', {}, h('a', { class: 'badge warn', href: link('overview') },
          tn(s.status.heldDeletions, '1 deletion held for your approval', '{n} deletions held for your approval'))) : null,
        s.status.problem ? problemText(s.status.problem) : null,
      ].filter(Boolean);
      return h('tr', { 'data-spoke': s.id },
        h('th', { scope: 'row' }, h('span', { class: 'source-name' }, kindIcon(s.kind), h('a', { href: optionsLink }, s.name)),
          h('div', { class: 'muted' }, serverText(s.kindName))),
        h('td', { 'data-label': t('Direction'), 'data-direction': s.direction }, directionText(s),
          s.options.categorizeAs ? h('div', { class: 'muted' }, t('Category "{name}"', { name: s.options.categorizeAs })) : null),
        h('td', { 'data-label': t('Last sync') }, when(s.status.lastSyncAt),
          s.status.lastStats ? h('div', { class: 'muted' }, statsText(s.status.lastStats)) : null),
        h('td', { class: 'num', 'data-label': t('Linked'), 'data-linked': s.status.linked }, String(s.status.linked)),
        h('td', { 'data-label': t('Problem'), 'data-problem': problems.length ? 'yes' : 'no' },
          problems.length ? problems : h('span', { class: 'muted' }, t('None'))),
        h('td', { class: 'row-actions' },
          h('a', { href: optionsLink }, t('Options'), h('span', { class: 'visually-hidden' }, ` ${t('of')} ${s.name}`)), remove));
    });
    return h('div', { class: 'table-wrap' }, h('table', { id: 'spokes', class: 'stack' },
      h('caption', { class: 'visually-hidden' }, t('Sources of this hub')),
      h('thead', {}, h('tr', {}, [t('Source'), t('Direction'), t('Last sync'), t('Linked'), t('Problem'), t('Actions')]
        .map((x, i) => h('th', { scope: 'col', class: i === 3 ? 'num' : null }, x)))),
      h('tbody', {}, rows)));
  };

  const scheduleForm = () => {
    const on = checkbox(t('Sync automatically'), { checked: Boolean(hub.scheduleMinutes) });
    const minutes = h('input', { type: 'number', id: newID('minutes'), min: 1, max: 10080, value: hub.scheduleMinutes || 15 });
    const every = h('div', { class: 'field inline' }, h('label', {}, t('Every'), ' ', minutes, ' ', t('minutes')));
    every.hidden = !on.input.checked;
    on.input.addEventListener('change', () => { every.hidden = !on.input.checked; });
    const save = h('button', { type: 'submit', class: 'small' }, t('Save schedule'));
    return h('form', { id: 'schedule', novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      const n = Number.parseInt(minutes.value, 10);
      if (on.input.checked && !(n >= 1)) { notify(t('Enter a number of minutes, 1 or more.'), { error: true }); minutes.focus(); return; }
      busy(save, async () => {
        hub = await patch(path(), { scheduleMinutes: on.input.checked ? n : 0 });
        notify(hub.scheduleMinutes ? tn(hub.scheduleMinutes, 'This hub now syncs every minute.', 'This hub now syncs every {n} minutes.') : t('Automatic sync is off.'));
        drawHub();
      });
    } }, h('p', { class: 'muted' }, nextSyncText(hub)),
      h('div', { class: 'schedule-row' }, on.box, every, save));
  };

  const deleteHub = h('button', { type: 'button', class: 'danger', id: 'delete-hub', onclick: () => {
    if (!confirm(t('Delete the hub "{name}" with its history? The contacts in your sources are not touched.', { name: hub.name }))) return;
    busy(deleteHub, async () => {
      await del(path());
      notify(t('The hub "{name}" was deleted.', { name: hub.name }));
      location.hash = '#/';
    });
  } }, t('Delete this hub'));

  const tabBar = h('nav', { class: 'tabs', 'aria-label': t('Hub sections') }, h('ul', {}, tabs(hub).map((x) => h('li', {},
    h('a', { href: link(x.id), 'data-tab': x.id, 'aria-current': x.id === tab ? 'page' : null }, x.title,
      x.id === 'conflicts' ? [' ', h('span', { class: 'badge', 'aria-label': tn(hub.conflictCount, '1 conflict', '{n} conflicts') }, String(hub.conflictCount))] : null)))));

  const panel = (id, heading, ...children) => h('section', { class: 'panel', 'aria-labelledby': `${id}-heading`, id },
    h('h2', { id: `${id}-heading` }, heading), ...children);

  // The tab's own content and what refreshes it.
  const loaders = [];
  let content;
  if (tab === 'overview') {
    content = [syncPanel, holdsBox, panel('overview-conflicts', t('Conflicts'), conflictsLink)];
  } else if (tab === 'sources') {
    const spokesBox = h('div');
    // The mailboxes of a group are contact folders: a calendar hub has none to offer.
    const groups = hub.objectKind === 'calendar' ? null : groupsSection(path, () => refresh());
    loaders.push(() => { spokesBox.replaceChildren(spokesTable()); }, () => groups?.load());
    content = [panel('sources', t('Sources'), spokesBox,
      h('p', {}, h('a', { class: 'button', href: `#/wizard/add/${encodeURIComponent(hubID)}` }, t('Add a source')))), groups?.element ?? null];
  } else if (tab === 'events') {
    const upcoming = upcomingSection(path, hub);
    loaders.push(upcoming.load);
    content = [upcoming.element];
  } else if (tab === 'contacts' && sub) {
    const detail = await contactDetail(hubID, sub, hub, () => refresh());
    content = [detail.element];
    loaders.push(detail.load);
  } else if (tab === 'contacts') {
    const contacts = contactsSection(path, hubID);
    loaders.push(contacts.load);
    content = [contacts.element];
  } else if (tab === 'history') {
    const runs = runsSection(path, spokeName, () => refresh());
    const journal = journalSection(path, hub, () => refresh());
    loaders.push(runs.load, journal.load);
    content = [journal.element, runs.element];
  } else if (tab === 'conflicts') {
    const conflicts = conflictsSection(path, hubID, () => refresh());
    loaders.push(conflicts.load);
    content = [conflicts.element];
  } else {
    content = [panel('settings', t('Schedule'), h('div', { id: 'schedule-box' }, scheduleForm())),
      panel('danger', t('Delete the hub'),
        h('p', {}, t('Deletes the hub, its sources and its history from HubSync. The contacts in your sources stay as they are.')),
        deleteHub)];
  }

  view.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '← ', t('Your hubs'))),
    h('div', { class: 'page-head' }, title),
    facts, tabBar, h('div', { class: 'tab-content', 'data-tab': tab }, content));

  async function refresh() {
    hub = await get(path());
    if (stopped) return;
    drawHub();
    drawSync(hub.sync);
    await Promise.all(loaders.map((load) => load()));
  }

  // Status as it comes: from the server's event stream, else from a poll.
  function onStatus(sync) {
    if (stopped) return;
    if (sync.running) {
      wasRunning = true;
      drawSync(sync);
    } else if (wasRunning) {
      wasRunning = false;
      refresh();
    }
  }

  async function poll() {
    timer = null;
    if (stopped) return;
    try {
      const sync = await get(path('sync'));
      onStatus(sync);
      timer = setTimeout(poll, sync.running ? 500 : 10000);
    } catch {
      if (!stopped) timer = setTimeout(poll, 5000);
    }
  }

  function listen() {
    if (typeof EventSource !== 'function') { syncPanel.dataset.live = 'poll'; timer = setTimeout(poll, 500); return; }
    let failures = 0;
    events = new EventSource(path('sync', 'events'));
    syncPanel.dataset.live = 'events';
    events.addEventListener('open', () => { failures = 0; });
    events.addEventListener('status', (event) => { failures = 0; onStatus(JSON.parse(event.data)); });
    // The server ends each stream after a sync or a quiet while and the browser reconnects:
    // only repeated failures without a message mean the stream does not work here.
    events.addEventListener('error', () => {
      failures += 1;
      if (failures < 3 || stopped) return;
      events.close();
      events = null;
      syncPanel.dataset.live = 'poll';
      timer = setTimeout(poll, 500);
    });
  }

  async function syncNow() {
    syncButton.disabled = true;
    try {
      const sync = await post(path('sync'));
      wasRunning = true;
      drawSync(sync);
      if (!events) { clearTimeout(timer); timer = setTimeout(poll, 500); }
    } catch (error) {
      syncButton.disabled = false;
      notify(error.message, { error: true });
    }
  }

  drawHub();
  let first = hub.sync;
  if (handedOver?.hubID === hub.id && !first.running && !first.lastRun) first = handedOver.status;
  handedOver = null;
  wasRunning = first.running;
  drawSync(first);
  focusHeading(view);
  await Promise.all(loaders.map((load) => load()));
  listen();
  return () => { stopped = true; clearTimeout(timer); events?.close(); };
}

function lastRunDetails(run, spokeName) {
  const stats = Object.entries(run.stats ?? {});
  return h('div', { id: 'last-run', 'data-status': run.status },
    h('p', {}, runLabel(run), ' ', run.finishedAt ? when(run.finishedAt) : null),
    stats.length ? h('ul', {}, stats.map(([spoke, s]) => h('li', {}, h('strong', {}, spokeName(spoke)), ': ', statsText(s)))) : null,
    run.problems?.length ? h('ul', { class: 'error' }, run.problems.map((p) => h('li', {}, problemText(p)))) : null);
}
