// The wizard's "Connection" step: a form built from the spoke kind's fields (or "Sign in with
// Google"), checked live: required fields here, then "Check connection" asks the server, which
// names the field to blame (shown next to it).
import { get, post, APIError } from './api.js';
import { h, fill, field, checkbox, setFieldError } from './dom.js';
import { t } from './i18n.js';
import { inviteBox } from './invite.js';

const sentence = (label) => (/^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label);

export function connectionStep(wizard) {
  const { state } = wizard;
  const { draft } = state;
  const kind = wizard.kindInfo;
  const inputs = {};

  // The inputs, from the kind's field list.
  const fields = kind.fields.map((f) => {
    const value = draft.form[f.name];
    if (f.type === 'checkbox') {
      const box = checkbox(f.label, { checked: value ?? f.name === 'verifyTLS', help: f.help, id: `field-${f.name}` });
      inputs[f.name] = box.input;
      return box.box;
    }
    const input = f.type === 'select'
      ? h('select', { id: `field-${f.name}` }, f.choices.map((c) => h('option', { value: c.value, selected: c.value === value }, c.label)))
      : h('input', {
          type: f.type, id: `field-${f.name}`, value: value ?? '', placeholder: f.placeholder, spellcheck: 'false',
          autocomplete: f.type === 'password' ? 'new-password' : 'off', autocapitalize: 'off',
        });
    inputs[f.name] = input;
    return field({ label: f.label, input, help: f.help, required: f.required });
  });
  // A field only some choices need (Exchange: the other mailbox's address) is hidden, unsent and not required otherwise.
  const shown = (f) => !f.shownWhen || f.shownWhen.values.includes(inputs[f.shownWhen.field]?.value);
  const toggle = () => kind.fields.forEach((f, i) => { fields[i].hidden = !shown(f); });
  toggle();

  const status = h('div', { class: 'status-line', id: 'check-status', role: 'status', 'aria-live': 'polite' });
  const setStatus = (tone, text, details) => {
    fill(status, tone === 'busy' && h('span', { class: 'spinner', 'aria-hidden': 'true' }),
      h('span', { class: tone === 'ok' ? 'ok' : tone === 'bad' ? 'error' : null }, text),
      details ? h('details', { class: 'tech' }, h('summary', {}, t('Technical details')), h('code', {}, details)) : null);
    status.dataset.state = tone;
  };
  const clearStatus = () => {
    status.replaceChildren();
    delete status.dataset.state;
  };

  const read = () => {
    const form = {};
    for (const f of kind.fields.filter(shown)) {
      const input = inputs[f.name];
      if (f.type === 'checkbox') form[f.name] = input.checked;
      else {
        const value = f.type === 'password' ? input.value : input.value.trim();
        if (value !== '') form[f.name] = value;
      }
    }
    if (draft.signIn?.status === 'done') signedIn(form, draft.signIn);
    return form;
  };

  const requiredError = (f) => {
    if (!f.required || f.type === 'checkbox' || !shown(f)) return '';
    const input = inputs[f.name];
    if ((f.type === 'password' ? input.value : input.value.trim()) !== '') return '';
    return f.type === 'select' ? t('Choose the {field}.', { field: sentence(f.label) }) : t('Enter the {field}.', { field: sentence(f.label) });
  };

  const changed = () => {
    draft.form = read();
    delete draft.form.signIn;
    delete draft.form.invitation;
    draft.discovery = null;
    if (status.dataset.state !== 'busy') clearStatus();
  };
  // A field is checked when left after typing in it (not merely tabbed through), and again as
  // soon as it is fixed.
  for (const f of kind.fields) {
    const input = inputs[f.name];
    let touched = false;
    input.addEventListener(f.type === 'checkbox' || f.type === 'select' ? 'change' : 'input', () => {
      touched = true;
      toggle();
      changed();
      if (input.getAttribute('aria-invalid')) setFieldError(input, requiredError(f));
    });
    input.addEventListener('blur', () => { if (touched) setFieldError(input, requiredError(f)); });
  }

  // Sign in with Google or Microsoft (kinds with `signIn`).
  const provider = kind.signIn === 'microsoft' ? 'Microsoft' : 'Google';
  // Microsoft 365 also takes app-only access: a mailbox typed in needs no sign-in.
  const signInNeeded = () => kind.signIn && !(kind.signIn === 'microsoft' && inputs.email?.value?.trim());
  const signInError = h('p', { class: 'error', id: 'signin-error', role: 'alert' });
  const signInBox = h('div', { class: 'field', id: 'signin' });
  const startSignIn = async (button) => {
    button.disabled = true;
    signInError.textContent = '';
    try {
      const started = await post(`/api/spoke-kinds/${encodeURIComponent(kind.kind)}/sign-in`);
      draft.signIn = { id: started.id, status: 'pending' };
      wizard.saveNow();
      location.assign(started.url);
    } catch (error) {
      signInError.textContent = error.message;
      button.disabled = false;
    }
  };
  const drawSignIn = () => {
    if (!kind.signIn) return;
    const done = draft.signIn?.status === 'done';
    const button = h('button', { type: 'button', class: done ? 'small' : 'google-button', id: 'sign-in',
      'aria-describedby': 'signin-error', onclick: () => startSignIn(button) },
      done ? t('Use another account') : [h('span', { class: 'g', 'aria-hidden': 'true' }, provider[0]), t('Sign in with {provider}', { provider })]);
    fill(signInBox,
      done ? h('p', { class: 'signed-in', id: 'signed-in-as' }, h('span', { class: 'ok', 'aria-hidden': 'true' }, '✓'),
        t('Signed in as'), ' ', h('strong', {}, draft.signIn.account ?? t('your account'))) : null,
      button, signInError);
  };
  drawSignIn();
  // Someone else's account: an accepted invitation stands for the sign-in.
  const invites = kind.signIn ? inviteBox(kind, (invitation) => {
    draft.signIn = { invitation: invitation.id, status: 'done', account: invitation.account };
    wizard.saveNow();
    drawSignIn();
    signInBox.scrollIntoView?.({ block: 'center' });
    check();
  }) : null;

  const validate = () => {
    let first = null;
    for (const f of kind.fields) {
      const message = requiredError(f);
      setFieldError(inputs[f.name], message);
      if (message && !first) first = inputs[f.name];
    }
    if (signInNeeded() && draft.signIn?.status !== 'done') {
      signInError.textContent = t('Sign in with {provider} first.', { provider });
      first ??= signInBox.querySelector('button');
    }
    first?.focus();
    return !first;
  };

  const showProblem = (error) => {
    const input = error instanceof APIError && error.field ? inputs[error.field] : null;
    if (input) {
      setFieldError(input, error.message);
      const label = kind.fields.find((f) => f.name === error.field)?.label ?? error.field;
      setStatus('bad', t('The connection check failed: see "{field}".', { field: label }), error.details);
      input.focus();
    } else if (error instanceof APIError && error.field === 'signIn' && kind.signIn) {
      draft.signIn = null;
      drawSignIn();
      signInError.textContent = error.message;
      setStatus('bad', t('The connection check failed.'), error.details);
    } else {
      setStatus('bad', t('The connection check failed: {problem}', { problem: error.message }), error.details);
    }
  };

  /** Asks the server; true when the settings work (the discovery is kept for the next step). */
  const check = async () => {
    if (!validate()) {
      setStatus('bad', t('Some details are missing.'));
      return false;
    }
    const form = read();
    const snapshot = JSON.stringify(form);
    if (draft.discovery && draft.checked === snapshot) return true;
    for (const input of Object.values(inputs)) setFieldError(input, '');
    setStatus('busy', t('Checking the connection…'));
    checkButton.disabled = true;
    try {
      const discovery = await post(`/api/spoke-kinds/${encodeURIComponent(kind.kind)}/discover`, form);
      draft.discovery = discovery;
      draft.checked = snapshot;
      const where = [discovery.account ? t('as {account}', { account: discovery.account }) : null,
        discovery.endpoint ? t('to {server}', { server: discovery.endpoint }) : null].filter(Boolean).join(' ');
      const n = discovery.folders?.length ?? 0;
      setStatus('ok', `✓ ${where ? t('Connected {where}.', { where }) : t('Connected.')} ${t('Found {n} address books.', { n })}`);
      return true;
    } catch (error) {
      draft.discovery = null;
      showProblem(error);
      return false;
    } finally {
      checkButton.disabled = false;
    }
  };

  const checkButton = h('button', { type: 'button', id: 'check-connection', onclick: () => check() }, t('Check connection'));

  const demo = kind.demo && kind.fields.some((f) => kind.demo[f.name] !== undefined)
    ? h('p', {}, h('button', { type: 'button', class: 'small', id: 'fill-demo', onclick: () => {
        for (const f of kind.fields) {
          const value = kind.demo[f.name];
          if (value === undefined || value === null) continue;
          if (f.type === 'checkbox') inputs[f.name].checked = Boolean(value);
          else inputs[f.name].value = value;
          setFieldError(inputs[f.name], '');
        }
        toggle();
        changed();
      } }, t('Fill in demo values')), h('span', { class: 'help' }, ` ${t('Settings of the built-in demo servers.')}`))
    : null;

  // Coming back from Google: ask how the sign-in went, then check the account right away.
  const afterReturn = async () => {
    const id = draft.signIn?.id;
    setStatus('busy', t('Finishing the sign-in…'));
    try {
      const result = await get(`/api/sign-ins/${encodeURIComponent(id)}`);
      if (result.status === 'done') {
        draft.signIn = { id, status: 'done', account: result.account };
        wizard.saveNow();
        drawSignIn();
        await check();
        return;
      }
      draft.signIn = null;
      drawSignIn();
      clearStatus();
      signInError.textContent = result.status === 'failed'
        ? t('Signing in with {provider} did not work: {problem}. Try again.', { provider, problem: result.error ?? t('unknown error') })
        : t('The sign-in was not finished. Try again.');
    } catch (error) {
      draft.signIn = null;
      drawSignIn();
      clearStatus();
      signInError.textContent = error.status === 404 ? t('This sign-in has expired. Sign in again.') : error.message;
    }
  };

  return {
    // Not the kind's summary again (the previous step showed it): what to do here.
    intro: kind.signIn === 'microsoft' || kind.kind === 'graph'
      ? t('Sign in with Microsoft for your own mailbox, or fill in an app registration to reach any mailbox of your organisation. HubSync never sees your password.')
      : kind.signIn
        ? t('Sign in with the account whose contacts you want to keep in sync. HubSync never sees its password.')
        : t('Enter the details you use to connect to this account. HubSync checks them before going on.'),
    content: [demo, ...fields, kind.signIn ? signInBox : null, invites, h('div', { class: 'actions' }, checkButton), status],
    back: 'kind',
    next: async () => ((await check()) ? 'folder' : null),
    after: () => {
      if (draft.signIn?.status === 'returned') afterReturn();
      const pending = wizard.pendingError;
      wizard.pendingError = null;
      if (pending) showProblem(new APIError(422, pending.message, pending.field));
    },
  };
}

/** The form's sign-in: one of the admin's own (`signIn`), or an accepted invitation's account. */
export function signedIn(form, signIn) {
  if (signIn.invitation) form.invitation = signIn.invitation;
  else form.signIn = signIn.id;
}
