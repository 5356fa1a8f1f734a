// HubSync web app: a hash router over a few views.
//   #/                          the hubs
//   #/wizard                    set up a hub (wizard.js); #/wizard/signed-in/<id> comes back from Google
//   #/hubs/<hub>[/<tab>[/<id>]] one hub, in tabs (hub.js)
//   #/hubs/<hub>/spokes/<spoke> a source's sync options (options.js)
//   #/settings                  API tokens (tokens.js)
import { get, query } from './api.js';
import { h, focusHeading, when, clearOldNotice } from './dom.js';
import { showWizard } from './wizard.js';
import { showHub, nextSyncText } from './hub.js';
import { showSpokeOptions } from './options.js';
import { showSettings } from './tokens.js';
import { runLabel } from './activity.js';
import { t, tn } from './i18n.js';

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
  const view = h('div', { class: 'view' }, h('p', { class: 'muted' }, t('Loading…')));
  main.replaceChildren(view);
  const isCurrent = () => mine === generation;
  try {
    let stop;
    if (parts.length === 0) stop = await showHome(view);
    else if (parts[0] === 'settings' && parts.length === 1) stop = await showSettings(view);
    else if (parts[0] === 'wizard') stop = await showWizard(view, parts.slice(1), isCurrent);
    else if (parts[0] === 'hubs' && parts[2] === 'spokes' && parts.length === 4) {
      stop = await showSpokeOptions(view, parts[1], parts[3]);
    } else if (parts[0] === 'hubs' && parts.length >= 2 && parts.length <= 4) {
      stop = await showHub(view, parts[1], isCurrent, parts[2], parts[3]);
    } else showNotFound(view);
    if (isCurrent()) cleanup = stop ?? null;
    else stop?.();
  } catch (error) {
    if (!isCurrent()) return;
    view.replaceChildren(
      h('h1', {}, t('Something went wrong')),
      h('div', { class: 'alert', role: 'alert' }, error.message),
      h('p', {}, h('a', { href: '#/' }, t('Back to your hubs'))));
    focusHeading(view);
  }
}

function showNotFound(view) {
  document.title = `${t('Not found')} — HubSync`;
  view.replaceChildren(h('h1', {}, t('This page does not exist')), h('p', {}, h('a', { href: '#/' }, t('Back to your hubs'))));
  focusHeading(view);
}

// The hub list comes a page at a time: an MSP's thousand hubs are searched, not scrolled.
const HUB_PAGE = 100;
const hubPage = (q, offset) => get(`/api/hubs?${query({ q, offset: String(offset), limit: String(HUB_PAGE + 1) })}`);

async function showHome(view) {
  document.title = `${t('Your hubs')} — HubSync`;
  const first = await hubPage('', 0);
  const setUp = h('a', { class: 'button primary', href: '#/wizard' }, t('Set up a hub'));
  if (first.length === 0) {
    view.replaceChildren(h('div', { class: 'page-head' }, h('h1', {}, t('Your hubs'))),
      h('div', { class: 'panel empty' },
        h('h2', {}, t('No hub yet')),
        h('p', {}, t('A hub keeps the contacts of your address books (Exchange, Google, CardDAV…) the same everywhere.')),
        h('a', { class: 'button primary', href: '#/wizard' }, t('Set up your first hub'))));
    focusHeading(view);
    return;
  }
  const list = h('ul', { class: 'hub-list' });
  const more = h('button', { type: 'button', id: 'more-hubs' }, t('Show more hubs'));
  const none = h('p', { class: 'muted', id: 'no-hub-matches', hidden: true }, t('No hub matches this search.'));
  let search = '';
  let shown = 0;
  const show = (page, fresh) => {
    if (fresh) { list.replaceChildren(); shown = 0; }
    const rows = page.slice(0, HUB_PAGE);
    list.append(...rows.map(hubRow));
    shown += rows.length;
    more.hidden = page.length <= HUB_PAGE;
    none.hidden = shown > 0;
  };
  more.onclick = async () => show(await hubPage(search, shown), false);
  const box = h('input', { type: 'search', id: 'hub-search', name: 'q', autocomplete: 'off' });
  const finder = h('form', { class: 'filters', role: 'search', 'aria-label': t('Find a hub'),
    onsubmit: async (e) => { e.preventDefault(); search = box.value.trim(); show(await hubPage(search, 0), true); } },
  h('div', { class: 'field' }, h('label', { for: box.id }, t('Find a hub')), box),
  h('button', { type: 'submit', class: 'small' }, t('Find')));
  show(first, true);
  view.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', {}, t('Your hubs')), setUp),
    first.length > HUB_PAGE ? finder : null, list, none, more);
  focusHeading(view);
}

function hubRow(hub) {
  return h('li', { 'data-hub': hub.id },
    h('a', { class: 'title', href: `#/hubs/${encodeURIComponent(hub.id)}` }, hub.name),
    h('ul', { class: 'facts' },
      h('li', {}, t('{n} sources', { n: hub.spokeCount })),
      h('li', {}, hub.objectKind === 'calendar' ? t('{n} events', { n: hub.itemCount }) : t('{n} contacts', { n: hub.itemCount })),
      h('li', { class: 'last-result' }, hub.syncing ? h('span', { class: 'badge' }, t('Syncing…')) : runLabel(hub.lastRun),
        hub.lastRun?.finishedAt ? [' ', when(hub.lastRun.finishedAt)] : null),
      h('li', { class: 'next-sync' }, nextSyncText(hub)),
      hub.heldDeletions > 0 ? h('li', {}, h('a', { class: 'badge warn held', href: `#/hubs/${encodeURIComponent(hub.id)}` },
        tn(hub.heldDeletions, '1 deletion waiting for your approval', '{n} deletions waiting for your approval'))) : null));
}

window.addEventListener('hashchange', route);
route();
