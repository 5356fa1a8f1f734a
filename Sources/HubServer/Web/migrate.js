// "Move to Microsoft 365" on an Exchange source's page: the spoke leaves EWS (blocked in
// Exchange Online since October 2026) for Microsoft Graph, keeping its links, in one step.
// Either app-only (an app registration's secret) or "Sign in with Microsoft" as the mailbox's
// user: the same sign-in as the wizard's, after which the move finishes on this page.
import { get, post, hubPath, APIError } from './api.js';
import { h, field, setFieldError, notify, busy } from './dom.js';
import { t } from './i18n.js';

// The move waiting for a sign-in to come back: { hub, spoke, id }, for this tab only.
const pendingKey = 'hubsync.migration';
const pending = () => { try { return JSON.parse(sessionStorage.getItem(pendingKey)); } catch { return null; } };

/**
 * Back from Microsoft (`#/wizard/signed-in/<id>`): true when the sign-in was a move's, after
 * sending the browser back to that source's page, where the move finishes.
 */
export function resumeMigration(signInID) {
  const p = pending();
  if (!p || p.id !== signInID) return false;
  p.returned = true;
  sessionStorage.setItem(pendingKey, JSON.stringify(p));
  location.replace(`#/hubs/${encodeURIComponent(p.hub)}/spokes/${encodeURIComponent(p.spoke)}`);
  return true;
}

/** "3 contacts kept their links, 1 will be found again at the next sync." */
const moved = (r) => (r.refind
  ? t('{n} contacts kept their links, {refind} will be found again at the next sync.', { n: r.kept, refind: r.refind })
  : t('{n} contacts kept their links.', { n: r.kept }));

/** The move of a source whose sign-in came back: finished here, or why not. */
async function finishSignedIn(hubID, spoke, status, done) {
  const p = pending();
  if (!p?.returned || p.hub !== hubID || p.spoke !== spoke.id) return;
  sessionStorage.removeItem(pendingKey);
  status.textContent = t('Finishing the sign-in and moving the source…');
  try {
    const signIn = await get(`/api/sign-ins/${encodeURIComponent(p.id)}`);
    if (signIn.status !== 'done') {
      status.textContent = signIn.status === 'failed'
        ? t('Signing in with Microsoft did not work: {error}. Try again.', { error: signIn.error ?? t('unknown error') })
        : t('The sign-in was not finished. Try again.');
      return;
    }
    const r = await post(hubPath(hubID, 'spokes', spoke.id, 'migrate'), { kind: 'graph', form: { signIn: p.id } });
    status.textContent = '';
    notify(t('{source} now syncs through Microsoft 365 as {account}:', { source: spoke.name, account: signIn.account ?? t('the signed-in user') })
      + ' ' + moved(r));
    done();
  } catch (error) {
    status.textContent = error.status === 404 ? t('This sign-in has expired. Sign in again.') : error.message;
  }
}

/** "Sign in with Microsoft" for the move, when the server has an app for it (else nothing). */
function signInBlock(hubID, spoke, status) {
  const box = h('div', { class: 'field', id: 'migrate-signin' });
  get('/api/spoke-kinds').then((kinds) => {
    if (kinds.find((k) => k.kind === 'graph')?.signIn !== 'microsoft') return;
    const button = h('button', { type: 'button', class: 'google-button', id: 'migrate-sign-in' },
      h('span', { class: 'g', 'aria-hidden': 'true' }, 'M'), t('Sign in with {provider}', { provider: 'Microsoft' }));
    button.onclick = () => {
      if (!confirm(t("Move {source} to Microsoft 365? Sign in as the mailbox's own user next. It keeps its contacts, links and options; the next sync goes through Microsoft Graph.", { source: spoke.name }))) return;
      busy(button, async () => {
        const started = await post('/api/spoke-kinds/graph/sign-in');
        sessionStorage.setItem(pendingKey, JSON.stringify({ hub: hubID, spoke: spoke.id, id: started.id }));
        location.assign(started.url);
      }, (error) => { status.textContent = error.message; });
    };
    box.replaceChildren(h('p', { class: 'help' }, t('Signing in as the mailbox’s own user needs no administrator:')), button);
  }).catch(() => {});
  return box;
}

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
      notify(`${t('{source} now syncs through Microsoft 365:', { source: spoke.name })} ${moved(r)}`);
      done();
    }, (error) => {
      const target = error instanceof APIError && fields[error.field];
      if (target) setFieldError(target, error.message); else notify(error.message, { error: true });
    });
  };
  const status = h('p', { class: 'error', id: 'migrate-status', role: 'alert' });
  finishSignedIn(hubID, spoke, status, done);
  return h('details', { class: 'panel', id: 'migrate', open: pending()?.spoke === spoke.id },
    h('summary', {}, t('Move to Microsoft 365 (Exchange Online)')),
    h('p', { class: 'help' }, t('Exchange Online blocks EWS from October 2026 and shuts it down in April 2027. If this mailbox is in Exchange Online, move the source to Microsoft Graph: its contacts keep their links, so nothing is matched, created or sent again. Sign in with Microsoft as the mailbox’s user, or give an app registration with the application permission Contacts.ReadWrite that an administrator consented to.')),
    signInBlock(hubID, spoke, status), status,
    h('form', { onsubmit: submit, novalidate: true },
      field({ label: t('Mailbox'), input: mailbox, required: true, help: t('The same mailbox, as its address.') }),
      field({ label: t('Tenant'), input: tenant, required: true, help: t('Your tenant’s id or domain (contoso.onmicrosoft.com).') }),
      field({ label: t('Application (client) id'), input: clientID, required: true }),
      field({ label: t('Client secret'), input: secret, required: true, help: t('Stored encrypted.') }),
      h('div', { class: 'actions' }, move)));
}
