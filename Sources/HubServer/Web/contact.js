// One contact of a hub (#/hubs/<hub>/contacts/<id>): its fields, the sources that hold it (the
// id there and its state, or why a filter keeps it out), and its history with Undo.
import { get, hubPath } from './api.js';
import { h, fieldLabel, kindIcon } from './dom.js';
import { entryItem } from './activity.js';
import { t } from './i18n.js';

const states = () => ({
  inSync: t('In step with the hub'), pending: t('A change waits for the next sync'),
  leaving: t('Being taken out: it left this source\'s filter'), absent: t('Not there'),
});

export async function contactDetail(hubID, itemID, hub, changed) {
  const path = (...rest) => hubPath(hubID, ...rest);
  const body = h('div');
  const element = h('section', { class: 'panel', id: 'contact-detail', 'aria-labelledby': 'contact-heading' },
    h('p', {}, h('a', { href: `#/hubs/${encodeURIComponent(hubID)}/contacts` }, '← ', t('All contacts'))), body);

  async function load() {
    const d = await get(path('contacts', itemID));
    document.title = `${d.contact.name} · ${hub.name} — HubSync`;
    const spokeKind = (id) => hub.spokes.find((s) => s.id === id)?.kind;
    body.replaceChildren(
      h('h2', { id: 'contact-heading' }, d.contact.name, d.deleted ? h('span', { class: 'badge bad' }, ' ', t('Deleted')) : null),
      h('h3', {}, t('Fields')),
      d.fields.length ? h('dl', { class: 'settings', id: 'contact-fields' }, d.fields.flatMap((f) => [
        h('dt', {}, fieldLabel(f.field)), h('dd', { 'data-field': f.field }, f.value)])) : h('p', { class: 'muted' }, t('No fields.')),
      h('h3', {}, t('Sources')),
      h('div', { class: 'table-wrap' }, h('table', { id: 'contact-sources', class: 'stack' },
        h('thead', {}, h('tr', {}, [t('Source'), t('Id there'), t('State')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, d.sources.map((s) => h('tr', { 'data-spoke': s.spoke, 'data-state': s.state },
          h('th', { scope: 'row' }, h('span', { class: 'source-name' }, kindIcon(spokeKind(s.spoke)), s.spokeName)),
          h('td', { 'data-label': t('Id there'), class: 'ellipsis', title: s.remoteID ?? null }, s.remoteID ?? '—'),
          h('td', { 'data-label': t('State') }, states()[s.state] ?? s.state,
            s.filteredOut.length ? h('div', { class: 'muted filter-reason' },
              t('Its filter keeps this contact out: {reasons}.', { reasons: s.filteredOut.join('; ') })) : null,
            !s.twoWay && s.state === 'absent' ? h('div', { class: 'muted' }, t('This source only feeds the hub: the hub writes nothing there.')) : null)))))),
      h('h3', {}, t('History')),
      d.history.length ? h('ol', { class: 'journal', id: 'contact-history' }, d.history.map((e) => entryItem(e, path, hubID, changed))) : h('p', { class: 'muted' }, t('No changes yet.')));
  }
  return { element, load };
}
