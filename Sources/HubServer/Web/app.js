// HubSync web app: a hash router over a few views.
//   #/                          the hubs
//   #/wizard                    set up a hub (wizard.js); #/wizard/signed-in/<id> comes back from Google
//   #/hubs/<hub>                one hub (hub.js)
//   #/hubs/<hub>/spokes/<spoke> a source's sync options (options.js)
import { get } from './api.js';
import { h, focusHeading, plural, when, clearOldNotice } from './dom.js';
import { showWizard } from './wizard.js';
import { showHub } from './hub.js';
import { showSpokeOptions } from './options.js';
import { runLabel } from './activity.js';

const main = document.getElementById('main');
let cleanup = null;
let generation = 0;

async function route() {
  const hash = location.hash;
  // In-page anchors (the skip link) are not routes.
  if (hash && !hash.startsWith('#/')) return;
  cleanup?.();
  cleanup = null;
  clearOldNotice();
  const mine = ++generation;
  const parts = hash.slice(2).split('/').filter(Boolean).map(decodeURIComponent);
  const view = h('div', { class: 'view' }, h('p', { class: 'muted' }, 'Loading…'));
  main.replaceChildren(view);
  const isCurrent = () => mine === generation;
  try {
    let stop;
    if (parts.length === 0) stop = await showHome(view);
    else if (parts[0] === 'wizard') stop = await showWizard(view, parts.slice(1), isCurrent);
    else if (parts[0] === 'hubs' && parts.length === 2) stop = await showHub(view, parts[1], isCurrent);
    else if (parts[0] === 'hubs' && parts[2] === 'spokes' && parts.length === 4) {
      stop = await showSpokeOptions(view, parts[1], parts[3]);
    } else showNotFound(view);
    if (isCurrent()) cleanup = stop ?? null;
    else stop?.();
  } catch (error) {
    if (!isCurrent()) return;
    view.replaceChildren(
      h('h1', {}, 'Something went wrong'),
      h('div', { class: 'alert', role: 'alert' }, error.message),
      h('p', {}, h('a', { href: '#/' }, 'Back to your hubs')));
    focusHeading(view);
  }
}

function showNotFound(view) {
  document.title = 'Not found — HubSync';
  view.replaceChildren(h('h1', {}, 'This page does not exist'), h('p', {}, h('a', { href: '#/' }, 'Back to your hubs')));
  focusHeading(view);
}

async function showHome(view) {
  document.title = 'Your hubs — HubSync';
  const hubs = await get('/api/hubs');
  const setUp = h('a', { class: 'button primary', href: '#/wizard' }, 'Set up a hub');
  const list = hubs.length === 0
    ? h('div', { class: 'panel empty' },
        h('h2', {}, 'No hub yet'),
        h('p', {}, 'A hub keeps the contacts of your address books (Exchange, Google, CardDAV…) the same everywhere.'),
        h('a', { class: 'button primary', href: '#/wizard' }, 'Set up your first hub'))
    : h('ul', { class: 'hub-list' }, hubs.map((hub) => h('li', {},
        h('a', { class: 'title', href: `#/hubs/${encodeURIComponent(hub.id)}` }, hub.name),
        h('ul', { class: 'facts' },
          h('li', {}, plural(hub.spokeCount, 'source')),
          h('li', {}, plural(hub.itemCount, 'contact')),
          h('li', {}, hub.syncing ? h('span', { class: 'badge' }, 'Syncing…') : runLabel(hub.lastRun)),
          hub.lastRun?.finishedAt ? h('li', {}, 'Last sync ', when(hub.lastRun.finishedAt)) : null,
          hub.scheduleMinutes ? h('li', {}, `Syncs every ${plural(hub.scheduleMinutes, 'minute')}`) : null,
          hub.holds > 0 ? h('li', {}, h('span', { class: 'badge warn' }, 'Deletions waiting for your approval')) : null))));
  view.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', {}, 'Your hubs'), hubs.length ? setUp : null),
    list);
  focusHeading(view);
}

window.addEventListener('hashchange', route);
route();
