// "Invite a user", in the wizard's sign-in step: the admin enters a person's address and gets a
// one-time link to copy (mailed too when the server sends mail); the invitations below show where
// each stands, and an accepted one's account is used like a sign-in of the admin's own.
import { get, post } from './api.js';
import { h, fill, field, busy, setFieldError } from './dom.js';
import { t, formatDate } from './i18n.js';

const statusWords = () => ({
  pending: t('Waiting for the person to sign in'), accepted: t('Connected'), expired: t('Expired'), revoked: t('Revoked'),
});

/** The box; `use(invitation)` takes an accepted invitation's account for this source. */
export function inviteBox(kind, use) {
  const invitationKind = kind.signIn === 'microsoft' ? 'microsoft' : 'google';
  const provider = invitationKind === 'microsoft' ? 'Microsoft' : 'Google';
  const email = h('input', { type: 'email', id: 'invite-email', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    placeholder: 'ann@example.com' });
  const error = h('p', { class: 'error', id: 'invite-error', role: 'alert' });
  const result = h('div', { id: 'invite-result', role: 'status', 'aria-live': 'polite' });
  const list = h('div', { id: 'invitations' });

  const showCreated = (created) => {
    const link = h('input', { type: 'text', id: 'invite-link', readonly: true, value: created.link, 'aria-label': t('Invitation link') });
    const copy = h('button', { type: 'button', class: 'small', id: 'invite-copy', onclick: async () => {
      link.select();
      try { await navigator.clipboard.writeText(created.link); copy.textContent = t('Copied'); } catch { document.execCommand?.('copy'); }
    } }, t('Copy link'));
    const mail = created.mailed
      ? t('Sent by mail to {email}.', { email: created.invitation.email })
      : created.mailError
        ? t('The mail could not be sent ({problem}): copy the link and send it yourself.', { problem: created.mailError })
        : t('This server sends no mail: copy the link and send it yourself.');
    fill(result, h('p', {}, t('Invitation for {email} created. The link works once, until {date}:',
      { email: created.invitation.email, date: formatDate(created.invitation.expiresAt) })),
    h('div', { class: 'invite-link' }, link, copy), h('p', { id: 'invite-mailed', class: created.mailed ? 'ok' : 'help' }, mail));
  };

  const create = h('button', { type: 'button', id: 'invite-create', onclick: () => busy(create, async () => {
    error.textContent = '';
    setFieldError(email, '');
    if (!email.value.trim()) {
      setFieldError(email, t('Enter the address of the person to invite.'));
      email.focus();
      return;
    }
    const created = await post('/api/invitations', { kind: invitationKind, email: email.value.trim() });
    showCreated(created);
    email.value = '';
    await refresh();
  }, (e) => {
    // The address refused goes next to its field; anything else below the button.
    if (e.field === 'email') setFieldError(email, e.message); else error.textContent = e.message;
  }) }, t('Invite'));

  const row = (i) => {
    const revoke = ['pending', 'accepted'].includes(i.status)
      ? h('button', { type: 'button', class: 'small danger', id: `revoke-${i.id}`, onclick: () => busy(revoke, async () => {
        await post(`/api/invitations/${encodeURIComponent(i.id)}/revoke`);
        await refresh();
      }) }, t('Revoke')) : null;
    const useIt = i.status === 'accepted'
      ? h('button', { type: 'button', class: 'small primary', id: `use-${i.id}`, onclick: () => use(i) }, t('Add this account')) : null;
    return h('tr', { 'data-status': i.status, id: `invitation-${i.id}` },
      h('td', {}, i.email), h('td', { class: 'invite-status' }, statusWords()[i.status] ?? i.status,
        i.account && i.status === 'accepted' ? ` (${i.account})` : null),
      h('td', {}, i.sources?.length ? i.sources.map((s) => s.name).join(', ') : null),
      h('td', {}, useIt, ' ', revoke));
  };

  const refresh = async () => {
    const all = (await get('/api/invitations')).filter((i) => i.kind === invitationKind);
    fill(list, all.length
      ? h('table', { class: 'invitations' }, h('caption', {}, t('Invitations')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('Invited')), h('th', { scope: 'col' }, t('Status')),
          h('th', { scope: 'col' }, t('Sources')), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('Actions'))))),
        h('tbody', {}, all.map(row)))
      : null);
  };
  refresh().catch((e) => { error.textContent = e.message; });

  return h('details', { class: 'invite-box', id: 'invite-box' },
    h('summary', {}, t('Invite a user')),
    h('p', { class: 'help' }, t('Someone else’s {provider} account? Invite them: they get a link, sign in with their own account and allow access; then add their account here.', { provider })),
    field({ label: t('Their email address'), input: email, required: true }), h('div', { class: 'actions' }, create), error, result, list);
}
