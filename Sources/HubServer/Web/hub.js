// One hub (#/hubs/<hub>): sync now with live progress, held deletions, sources, schedule, and the
// activity sections (activity.js). While a sync runs its status is polled every 500 ms.
import { get, post, patch, del, hubPath } from './api.js';
import { h, focusHeading, notify, plural, when, busy, checkbox, newID } from './dom.js';
import { runsSection, journalSection, contactsSection, statsText, runLabel } from './activity.js';
import { groupsSection } from './groups.js';

let handedOver = null;

/** The wizard started a sync: the hub page shows it at once, before its first poll. */
export function expectSync(hubID, status) { handedOver = { hubID, status }; }

const phases = { pull: 'Reading changes', push: 'Writing changes' };

export async function showHub(view, hubID, isCurrent) {
  let hub = await get(hubPath(hubID));
  if (!isCurrent()) return null;
  let stopped = false, timer = null, wasRunning = false;
  const path = (...rest) => hubPath(hubID, ...rest);
  const spokeName = (id) => hub.spokes.find((s) => s.id === id)?.name ?? id;

  const activity = {
    runs: runsSection(path, spokeName, () => refresh()),
    journal: journalSection(path, () => refresh()),
    contacts: contactsSection(path),
    groups: groupsSection(path, () => refresh()),
  };

  // Sync status: the summary line is the live region; the bars are redrawn without being read out.
  const syncButton = h('button', { type: 'button', class: 'primary', id: 'sync-now', onclick: () => syncNow() }, 'Sync now');
  const syncSummary = h('p', { id: 'sync-summary', role: 'status', 'aria-live': 'polite' });
  const syncBars = h('div', { id: 'sync-progress' });
  const scheduleBox = h('div', { class: 'schedule' });
  const syncPanel = h('section', { class: 'panel', 'aria-labelledby': 'sync-heading', id: 'sync-panel' },
    h('h2', { id: 'sync-heading' }, 'Sync'), syncSummary, syncBars, h('div', { class: 'actions' }, syncButton), scheduleBox);

  const drawSync = (sync) => {
    syncPanel.dataset.running = String(sync.running);
    syncButton.disabled = sync.running;
    syncButton.textContent = sync.running ? 'Syncing…' : 'Sync now';
    if (sync.running) {
      const text = 'Syncing…';
      if (syncSummary.textContent !== text) syncSummary.textContent = text;
      syncBars.className = 'progress';
      syncBars.replaceChildren(h('ul', {}, sync.progress.length === 0
        ? h('li', {}, h('span', {}, 'Starting'), h('progress', { 'aria-label': 'Starting' }), h('span'))
        : sync.progress.map((p) => {
            const label = `${p.spokeName}: ${phases[p.phase] ?? p.phase}`;
            const bar = h('progress', { 'aria-label': label, max: p.total ?? null, value: p.total ? p.done : null });
            return h('li', { 'data-spoke': p.spoke, 'data-phase': p.phase }, h('span', {}, label), bar,
              h('span', { class: 'count' }, p.total ? `${p.done} / ${p.total}` : p.done ? `${p.done} so far` : ''));
          })));
      return;
    }
    syncBars.className = '';
    const run = sync.lastRun;
    syncBars.replaceChildren(run ? lastRunDetails(run, spokeName) : h('p', { class: 'muted' }, 'This hub has not synced yet.'));
    const text = run ? `Last sync ${run.status === 'succeeded' ? 'finished' : run.status === 'failed' ? 'failed' : 'finished with problems'}.` : '';
    if (syncSummary.textContent !== text) syncSummary.textContent = text;
  };

  const holdsBox = h('div', { id: 'holds' });
  const spokesBox = h('div');
  const itemCount = h('strong', { id: 'item-count' });
  const title = h('h1', {});

  const drawHub = () => {
    document.title = `${hub.name} — HubSync`;
    title.textContent = hub.name;
    itemCount.textContent = String(hub.itemCount);
    holdsBox.replaceChildren(...hub.holds.map((hold) => holdBox(hold)));
    spokesBox.replaceChildren(spokesTable());
    scheduleBox.replaceChildren(scheduleForm());
  };

  const holdBox = (hold) => {
    const decide = (approve, button) => {
      const question = approve
        ? `Delete these ${hold.count} contacts from the hub and from every other source?`
        : `Keep these ${hold.count} contacts? They will be written back to ${hold.spokeName}.`;
      if (!confirm(question)) return;
      busy(button, async () => {
        await post(path('holds', hold.spoke, approve ? 'approve' : 'reject'));
        notify(approve ? `The deletions from ${hold.spokeName} were applied.` : `The contacts were kept.`);
        await refresh();
      });
    };
    const approve = h('button', { type: 'button', class: 'danger', onclick: () => decide(true, approve) }, 'Approve the deletions');
    const reject = h('button', { type: 'button', onclick: () => decide(false, reject) }, 'Reject: keep the contacts');
    return h('section', { class: 'warn-box', 'data-spoke': hold.spoke, 'aria-label': `Held deletions from ${hold.spokeName}` },
      h('h2', {}, `${plural(hold.count, 'contact')} deleted in ${hold.spokeName} are waiting for your approval`),
      h('p', {}, hold.reason, ' (', when(hold.detectedAt), ')'),
      hold.sample.length ? h('p', {}, 'Among them: ', hold.sample.join(', '), hold.count > hold.sample.length ? '…' : '') : null,
      h('div', { class: 'actions' }, approve, reject));
  };

  const spokesTable = () => {
    if (hub.spokes.length === 0) return h('p', {}, 'This hub has no source yet.');
    const rows = hub.spokes.map((s) => {
      const optionsLink = `#/hubs/${encodeURIComponent(hub.id)}/spokes/${encodeURIComponent(s.id)}`;
      const remove = h('button', { type: 'button', class: 'small danger', onclick: () => {
        if (!confirm(`Remove ${s.name} from this hub? Its contacts stay where they are; the hub stops syncing them.`)) return;
        busy(remove, async () => {
          await del(path('spokes', s.id));
          notify(`${s.name} was removed.`);
          await refresh();
        });
      } }, 'Remove', h('span', { class: 'visually-hidden' }, ` ${s.name}`));
      return h('tr', { 'data-spoke': s.id },
        h('th', { scope: 'row' }, h('a', { href: optionsLink }, s.name), h('div', { class: 'muted' }, s.kindName)),
        h('td', { 'data-label': 'Direction' }, s.options.twoWay ? 'Two-way' : 'Into the hub only',
          s.options.categorizeAs ? h('div', { class: 'muted' }, `Category "${s.options.categorizeAs}"`) : null),
        h('td', { 'data-label': 'Last sync' }, when(s.status.lastSyncAt),
          s.status.lastStats ? h('div', { class: 'muted' }, statsText(s.status.lastStats)) : null),
        h('td', { class: 'num', 'data-label': 'Linked', 'data-linked': s.status.linked }, String(s.status.linked)),
        h('td', { 'data-label': 'Problem' }, s.status.lastError ? h('span', { class: 'error' }, s.status.lastError) : h('span', { class: 'muted' }, 'None')),
        h('td', { class: 'row-actions' },
          h('a', { href: optionsLink }, 'Options', h('span', { class: 'visually-hidden' }, ` of ${s.name}`)), remove));
    });
    return h('div', { class: 'table-wrap' }, h('table', { id: 'spokes', class: 'stack' },
      h('caption', { class: 'visually-hidden' }, 'Sources of this hub'),
      h('thead', {}, h('tr', {}, ['Source', 'Direction', 'Last sync', 'Linked', 'Problem', 'Actions']
        .map((t, i) => h('th', { scope: 'col', class: i === 3 ? 'num' : null }, t)))),
      h('tbody', {}, rows)));
  };

  const scheduleForm = () => {
    const on = checkbox('Sync automatically', { checked: Boolean(hub.scheduleMinutes) });
    const minutes = h('input', { type: 'number', id: newID('minutes'), min: 1, max: 10080, value: hub.scheduleMinutes || 15 });
    const every = h('div', { class: 'field inline' }, h('label', {}, 'Every ', minutes, ' minutes'));
    every.hidden = !on.input.checked;
    on.input.addEventListener('change', () => { every.hidden = !on.input.checked; });
    const save = h('button', { type: 'submit', class: 'small' }, 'Save schedule');
    return h('form', { id: 'schedule', novalidate: true, onsubmit: (event) => {
      event.preventDefault();
      const n = Number.parseInt(minutes.value, 10);
      if (on.input.checked && !(n >= 1)) { notify('Enter a number of minutes, 1 or more.', { error: true }); minutes.focus(); return; }
      busy(save, async () => {
        hub = await patch(path(), { scheduleMinutes: on.input.checked ? n : 0 });
        notify(hub.scheduleMinutes ? `This hub now syncs every ${plural(hub.scheduleMinutes, 'minute')}.` : 'Automatic sync is off.');
        drawHub();
      });
    } }, h('h3', {}, 'Schedule'), h('div', { class: 'schedule-row' }, on.box, every, save));
  };

  const deleteHub = h('button', { type: 'button', class: 'danger', id: 'delete-hub', onclick: () => {
    if (!confirm(`Delete the hub "${hub.name}" with its history? The contacts in your sources are not touched.`)) return;
    busy(deleteHub, async () => {
      await del(path());
      notify(`The hub "${hub.name}" was deleted.`);
      location.hash = '#/';
    });
  } }, 'Delete this hub');

  view.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '← Your hubs')),
    h('div', { class: 'page-head' }, title,
      h('a', { class: 'button', href: `#/wizard/add/${encodeURIComponent(hubID)}` }, 'Add a source')),
    h('ul', { class: 'facts' }, h('li', {}, itemCount, ' contacts in the hub')),
    syncPanel, holdsBox,
    h('section', { class: 'panel', 'aria-labelledby': 'spokes-heading' }, h('h2', { id: 'spokes-heading' }, 'Sources'), spokesBox),
    activity.groups.element, activity.contacts.element, activity.runs.element, activity.journal.element,
    h('section', { class: 'panel', 'aria-labelledby': 'danger-heading' }, h('h2', { id: 'danger-heading' }, 'Delete the hub'),
      h('p', {}, 'Deletes the hub, its sources and its history from HubSync. The contacts in Exchange, Google and your other sources stay as they are.'),
      deleteHub));

  async function refresh() {
    hub = await get(path());
    if (stopped) return;
    drawHub();
    drawSync(hub.sync);
    await Promise.all([activity.runs.load(), activity.journal.load(), activity.contacts.load(), activity.groups.load()]);
  }

  async function poll() {
    timer = null;
    if (stopped) return;
    try {
      const sync = await get(path('sync'));
      if (stopped) return;
      if (sync.running) {
        wasRunning = true;
        drawSync(sync);
      } else if (wasRunning) {
        wasRunning = false;
        await refresh();
      }
      timer = setTimeout(poll, sync.running ? 500 : 10000);
    } catch (error) {
      if (!stopped) timer = setTimeout(poll, 5000);
    }
  }

  async function syncNow() {
    syncButton.disabled = true;
    try {
      const sync = await post(path('sync'));
      wasRunning = true;
      drawSync(sync);
      clearTimeout(timer);
      timer = setTimeout(poll, 500);
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
  await Promise.all([activity.runs.load(), activity.journal.load(), activity.contacts.load(), activity.groups.load()]);
  timer = setTimeout(poll, first.running ? 500 : 10000);
  return () => { stopped = true; clearTimeout(timer); };
}

function lastRunDetails(run, spokeName) {
  const stats = Object.entries(run.stats ?? {});
  return h('div', { id: 'last-run', 'data-status': run.status },
    h('p', {}, runLabel(run), ' ', run.finishedAt ? when(run.finishedAt) : null),
    stats.length ? h('ul', {}, stats.map(([spoke, s]) => h('li', {}, h('strong', {}, spokeName(spoke)), ': ', statsText(s)))) : null,
    run.errors.length ? h('ul', { class: 'error' }, run.errors.map((e) => h('li', {}, e))) : null);
}
