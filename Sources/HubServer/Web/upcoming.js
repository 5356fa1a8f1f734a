// A calendar hub's "Upcoming events" (#/hubs/<hub>/events): the instances ahead in the window,
// moved ones where they moved to, cancelled ones left out, each with the sources it lives in.
import { get } from './api.js';
import { h, kindIcon } from './dom.js';
import { t, formatDate } from './i18n.js';

export function upcomingSection(path, hub) {
  const list = h('div', { id: 'upcoming-list' });
  const element = h('section', { class: 'panel', id: 'upcoming', 'aria-labelledby': 'upcoming-heading' },
    h('h2', { id: 'upcoming-heading' }, t('Upcoming events')), list);
  const kindOf = (name) => hub.spokes.find((s) => s.name === name)?.kind;

  const when = (e) => (e.allDay
    // An all-day event is its date wherever the page is read.
    ? formatDate(new Date(`${e.day}T12:00:00Z`), { dateStyle: 'full', timeZone: 'UTC' })
    : `${formatDate(e.start, { dateStyle: 'full', timeStyle: 'short' })} – ${formatDate(e.end, { timeStyle: 'short' })}`);

  async function load() {
    const page = await get(path('upcoming') + '?days=60&limit=100');
    if (!page.events.length) {
      list.replaceChildren(h('p', { class: 'muted' }, t('No events in the next 60 days.')));
      return;
    }
    list.replaceChildren(
      h('p', { class: 'help' }, t('From {from} to {to}, as the hub holds them.', {
        from: formatDate(page.from, { dateStyle: 'medium' }), to: formatDate(page.to, { dateStyle: 'medium' }) })),
      h('div', { class: 'table-wrap' }, h('table', { class: 'stack', id: 'upcoming-events' },
        h('thead', {}, h('tr', {}, [t('When'), t('Event'), t('Sources')].map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', {}, page.events.map((e) => h('tr', { 'data-item': e.item },
          h('td', { 'data-label': t('When') }, h('time', { datetime: e.allDay ? e.day : e.start }, when(e))),
          h('th', { scope: 'row' }, e.summary,
            e.recurring ? h('span', { class: 'badge' }, ' ', e.moved ? t('Moved') : t('Repeats')) : null,
            e.privateEvent ? h('span', { class: 'badge' }, ' ', t('Private')) : null,
            e.location ? h('div', { class: 'muted' }, e.location) : null),
          h('td', { 'data-label': t('Sources') }, e.sources.length
            ? h('ul', { class: 'plain' }, e.sources.map((s) => h('li', {}, h('span', { class: 'source-name' }, kindIcon(kindOf(s)), s))))
            : h('span', { class: 'muted' }, t('Only in the hub')))))))),
      page.unexpanded ? h('p', { class: 'muted' }, t('{n} repeating events have a rule HubSync cannot read yet: only their first time is shown.', { n: page.unexpanded })) : null);
  }
  return { element, load };
}
