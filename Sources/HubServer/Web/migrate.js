// "Move to Microsoft 365" on an Exchange source's page: the spoke leaves EWS (blocked in
// Exchange Online since October 2026) for Microsoft Graph, keeping its links, in one step.
import { post, hubPath, APIError } from './api.js';
import { h, field, setFieldError, notify, busy } from './dom.js';
import { t } from './i18n.js';

/** The section for an Exchange spoke (null for any other kind). `done` runs after the move. */
export function migrateSection(hubID, spoke, done) {
  if (spoke.kind !== 'ews') return null;
  const input = (type, value = '') => h('input', { type, value, autocomplete: 'off' });
  const mailbox = input('email', (spoke.settings?.user ?? '').includes('@') ? spoke.settings.user : '');
  const tenant = input('text'), clientID = input('text'), secret = input('password');
  secret.autocomplete = 'new-password';
  const fields = { email: mailbox, tenant, clientID, clientSecret: secret };
  const move = h('button', { type: 'submit', class: 'primary', id: 'migrate-spoke' }, t('Move to Microsoft 365'));
  const submit = (event) => {
    event.preventDefault();
    Object.values(fields).forEach((i) => setFieldError(i, ''));
    const missing = Object.entries(fields).find(([, i]) => !i.value.trim());
    if (missing) { setFieldError(missing[1], t('Fill this in.')); missing[1].focus(); return; }
    if (!confirm(t('Move {source} to Microsoft 365? It keeps its contacts, links and options; the next sync goes through Microsoft Graph.', { source: spoke.name }))) return;
    const form = Object.fromEntries(Object.entries(fields).map(([k, i]) => [k, i.value.trim()]));
    busy(move, async () => {
      const r = await post(hubPath(hubID, 'spokes', spoke.id, 'migrate'), { kind: 'graph', form });
      notify(`${spoke.name} now syncs through Microsoft 365: ${r.kept} contacts kept their links` +
        (r.refind ? `, ${r.refind} will be found again at the next sync.` : '.'));
      done();
    }, (error) => {
      const target = error instanceof APIError && fields[error.field];
      if (target) setFieldError(target, error.message); else notify(error.message, { error: true });
    });
  };
  return h('details', { class: 'panel', id: 'migrate' },
    h('summary', {}, t('Move to Microsoft 365 (Exchange Online)')),
    h('p', { class: 'help' }, t('Exchange Online blocks EWS from October 2026 and shuts it down in April 2027. If this mailbox is in Exchange Online, move the source to Microsoft Graph: its contacts keep their links, so nothing is matched, created or sent again. Give an app registration with the application permission Contacts.ReadWrite that an administrator consented to.')),
    h('form', { onsubmit: submit, novalidate: true },
      field({ label: t('Mailbox'), input: mailbox, required: true, help: t('The same mailbox, as its address.') }),
      field({ label: t('Tenant'), input: tenant, required: true, help: t('Your tenant’s id or domain (contoso.onmicrosoft.com).') }),
      field({ label: t('Application (client) id'), input: clientID, required: true }),
      field({ label: t('Client secret'), input: secret, required: true, help: t('Stored encrypted.') }),
      h('div', { class: 'actions' }, move)));
}
