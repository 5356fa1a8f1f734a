// The mailboxes of a Microsoft 365 group (hub page): the groups the hub follows, each member's
// spoke (active or paused), and the form that adds one (a spoke per member mailbox).
import { get, post, patch, del } from './api.js';
import { h, field, setFieldError, busy, notify, checkbox } from './dom.js';
import { t } from './i18n.js';

export function groupsSection(path, onChange) {
  const list = h('div', { id: 'groups-list' });
  const inputs = {
    group: h('input', { name: 'group', placeholder: 'All Company', autocomplete: 'off' }),
    tenant: h('input', { name: 'tenant', placeholder: 'contoso.onmicrosoft.com', autocomplete: 'off' }),
    clientID: h('input', { name: 'clientID', autocomplete: 'off' }),
    clientSecret: h('input', { name: 'clientSecret', type: 'password', autocomplete: 'new-password' }),
    folder: h('input', { name: 'folder', placeholder: 'Company Directory', autocomplete: 'off' }),
  };
  const receiveOnly = checkbox(t('Receive only'), {
    help: t('Members\' edits, additions and deletions in the folder stay theirs and never reach the hub; the hub\'s next change to a contact overwrites an edit. Off: the folder syncs both ways.') });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('Add the mailboxes'));
  const form = h('form', { id: 'group-form', onsubmit: (e) => { e.preventDefault(); add(); } },
    field({ label: t('Group'), input: inputs.group, required: true, help: t('The Microsoft 365 group whose members get the hub\'s contacts: its name, address or id.') }),
    field({ label: t('Tenant'), input: inputs.tenant, required: true, help: t('Your tenant\'s id or domain.') }),
    field({ label: t('Application (client) id'), input: inputs.clientID, required: true,
      help: t('An app registration with the application permissions User.Read.All, GroupMember.Read.All and Contacts.ReadWrite, consented by an administrator.') }),
    field({ label: t('Client secret'), input: inputs.clientSecret, required: true, help: t('Stored encrypted.') }),
    field({ label: t('Folder'), input: inputs.folder, help: t('The contacts folder HubSync creates in each mailbox.') }),
    receiveOnly.box,
    h('div', { class: 'actions' }, submit));
  const element = h('section', { class: 'panel', 'aria-labelledby': 'groups-heading', id: 'groups' },
    h('h2', { id: 'groups-heading' }, t('Mailboxes of a group')),
    h('p', {}, t('One source per member mailbox of a Microsoft 365 group, kept in step with the group: before each sync a new member gets a source, and the source of a member who left is paused (their folder is left as it is).')),
    list, h('details', {}, h('summary', {}, t('Add the mailboxes of a group')), form));

  async function load() {
    let groups;
    try { groups = await get(path('groups')); } catch { element.hidden = true; return; }
    element.hidden = false;
    list.replaceChildren(...(groups.length === 0 ? [h('p', { class: 'muted' }, t('No group yet.'))] : groups.map((g) =>
      h('div', { class: 'group', 'data-group': g.id },
        h('h3', {}, g.name, ' ', h('span', { class: 'muted' }, `→ ${g.folder}${g.receiveOnly ? ` ${t('(receive only)')}` : ''}`)),
        h('ul', {}, g.members.map((m) => h('li', { 'data-spoke': m.spoke }, m.mailbox,
          m.paused ? h('span', { class: 'muted' }, ` ${t('(paused: {reason})', { reason: m.paused })}`) : null))),
        manage(g)))));
  }

  // Per group: switch two-way / receive-only, and stop following it (its spokes paused or removed).
  function manage(g) {
    const mode = h('button', { type: 'button', class: 'small', 'data-action': 'mode' },
      g.receiveOnly ? t('Make two-way') : t('Make receive-only'));
    mode.onclick = () => busy(mode, async () => {
      await patch(path('groups', g.id), { receiveOnly: !g.receiveOnly });
      notify(g.receiveOnly ? t('The mailboxes of {group} now sync both ways.', { group: g.name }) : t('The mailboxes of {group} are now receive-only.', { group: g.name }));
      await load();
      // The Sources table says which way each member's changes go: redrawn too.
      onChange();
    }, (e) => notify(e.message, { error: true }));
    const leaving = h('select', { name: 'spokes', 'aria-label': t('What becomes of the sources of {group}', { group: g.name }) },
      h('option', { value: 'pause' }, t('pause their sources')), h('option', { value: 'remove' }, t('remove their sources')));
    const stop = h('button', { type: 'button', class: 'small', 'data-action': 'stop' }, t('Stop following'));
    stop.onclick = () => {
      const verb = leaving.value === 'remove' ? 'removed' : 'paused';
      const question = leaving.value === 'remove'
        ? t('Stop following {group}? Its {n} sources will be removed; the hub keeps their contacts and the mailboxes are left as they are.', { group: g.name, n: g.members.length })
        : t('Stop following {group}? Its {n} sources will be paused; the hub keeps their contacts and the mailboxes are left as they are.', { group: g.name, n: g.members.length });
      if (!confirm(question)) return;
      busy(stop, async () => {
        const r = await del(`${path('groups', g.id)}?spokes=${leaving.value}`);
        notify(verb === 'removed' ? t('The hub no longer follows {group}: {n} sources removed.', { group: r.group, n: r[verb].length })
          : t('The hub no longer follows {group}: {n} sources paused.', { group: r.group, n: r[verb].length }));
        await load();
        onChange();
      }, (e) => notify(e.message, { error: true }));
    };
    return h('div', { class: 'actions' }, mode, ' ', leaving, ' ', stop);
  }

  async function add() {
    for (const input of Object.values(inputs)) setFieldError(input, '');
    const body = Object.fromEntries(Object.entries(inputs).map(([k, input]) => [k, input.value.trim() || undefined]));
    body.receiveOnly = receiveOnly.input.checked;
    await busy(submit, async () => {
      const g = await post(path('groups'), body);
      inputs.clientSecret.value = '';
      notify(t('{n} mailboxes of {group} added', { n: g.members.length, group: g.name })
        + (g.failed.length ? t('; not added: {list}', { list: g.failed.join('; ') }) : ''));
      await load();
      onChange();
    }, (e) => {
      const input = e.field && inputs[e.field];
      if (input) { setFieldError(input, e.message); input.focus(); } else notify(e.message, { error: true });
    });
  }

  return { element, load };
}
