// Settings: API tokens for scripts and monitoring. A new token's secret is shown once (the server
// keeps only its hash); the list shows each token's scope and last use, and revokes.
import { get, post, del } from './api.js';
import { h, fill, field, busy, setFieldError, focusHeading, when } from './dom.js';
import { t } from './i18n.js';

const scopeWords = () => ({ read: t('Read only'), admin: t('Administrator') });

export async function showSettings(view) {
  document.title = `${t('Settings')} — HubSync`;
  const name = h('input', { type: 'text', id: 'token-name', autocomplete: 'off', maxlength: 64, placeholder: t('monitoring') });
  const scope = h('select', { id: 'token-scope' },
    Object.entries(scopeWords()).map(([value, label]) => h('option', { value }, label)));
  const error = h('p', { class: 'error', id: 'token-error', role: 'alert' });
  const result = h('div', { id: 'token-result', role: 'status', 'aria-live': 'polite' });
  const list = h('div', { id: 'tokens' });

  const showCreated = (created) => {
    const secret = h('input', { type: 'text', id: 'token-secret', readonly: true, value: created.secret, 'aria-label': t('API token') });
    const copy = h('button', { type: 'button', class: 'small', id: 'token-copy', onclick: async () => {
      secret.select();
      try { await navigator.clipboard.writeText(created.secret); copy.textContent = t('Copied'); } catch { document.execCommand?.('copy'); }
    } }, t('Copy'));
    fill(result, h('p', {}, t('Token “{name}” created. Copy it now: it is not shown again.', { name: created.token.name })),
      h('div', { class: 'invite-link' }, secret, copy),
      h('p', { class: 'help' }, t('Send it in the Authorization header: Bearer followed by the token.')));
  };

  const create = h('button', { type: 'button', id: 'token-create', onclick: () => busy(create, async () => {
    error.textContent = '';
    setFieldError(name, '');
    if (!name.value.trim()) {
      setFieldError(name, t('Name the token after what will use it.'));
      name.focus();
      return;
    }
    showCreated(await post('/api/tokens', { name: name.value.trim(), scope: scope.value }));
    name.value = '';
    await refresh();
  }, (e) => {
    if (e.field === 'name') setFieldError(name, e.message); else error.textContent = e.message;
  }) }, t('Create token'));

  const row = (token) => {
    const revoke = h('button', { type: 'button', class: 'small danger', id: `revoke-token-${token.id}`, onclick: () => busy(revoke, async () => {
      await del(`/api/tokens/${encodeURIComponent(token.id)}`);
      await refresh();
    }) }, t('Revoke'));
    return h('tr', { id: `token-${token.id}` },
      h('td', {}, token.name), h('td', {}, scopeWords()[token.scope] ?? token.scope),
      h('td', {}, when(token.createdAt)), h('td', {}, token.lastUsed ? when(token.lastUsed) : t('Never')),
      h('td', {}, revoke));
  };

  const refresh = async () => {
    const all = await get('/api/tokens');
    fill(list, all.length
      ? h('table', { class: 'invitations' }, h('caption', {}, t('API tokens')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('Name')), h('th', { scope: 'col' }, t('Access')),
          h('th', { scope: 'col' }, t('Created')), h('th', { scope: 'col' }, t('Last used')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('Actions'))))),
        h('tbody', {}, all.map(row)))
      : h('p', { class: 'muted', id: 'no-tokens' }, t('No API token yet.')));
  };
  await refresh();

  view.replaceChildren(
    h('div', { class: 'page-head' }, h('h1', {}, t('Settings'))),
    h('section', { class: 'panel', id: 'api-tokens', 'aria-labelledby': 'api-tokens-title' },
      h('h2', { id: 'api-tokens-title' }, t('API tokens')),
      h('p', { class: 'help' }, t('Scripts and monitoring use the JSON API with a token instead of a password. A read-only token can only look; an administrator token can change everything you can.')),
      field({ label: t('Name'), input: name, required: true }),
      field({ label: t('Access'), input: scope, required: true }),
      h('div', { class: 'actions' }, create), error, result, list));
  focusHeading(view);
}
