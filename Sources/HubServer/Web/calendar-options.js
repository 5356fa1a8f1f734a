// A calendar source's own options: the sync window, what private events become there, and
// busy time only. Part of the options form (options.js) on calendar hubs.
import { h, field, checkbox, setFieldError, newID } from './dom.js';
import { t } from './i18n.js';

/** {element, read}: read() gives the API's `calendar` options, or null after marking what is wrong. */
export function calendarOptionsForm(calendar) {
  const c = { pastDays: 30, futureDays: 365, privateEvents: 'copy', busyOnly: false, ...(calendar ?? {}) };
  const days = (value, option) => {
    const input = h('input', { type: 'number', min: 0, max: 3660, step: 1, value, inputmode: 'numeric', class: 'short' });
    input.dataset.option = option;
    return input;
  };
  const past = days(c.pastDays, 'pastDays'), future = days(c.futureDays, 'futureDays');
  const choices = [
    ['copy', t('Copy them whole')],
    ['busy', t('Copy them as busy time, without title, place, notes or people')],
    ['skip', t('Leave them out')],
  ];
  // One radio group per form (the wizard shows a form per source).
  const group = newID('private');
  const radios = choices.map(([value]) => h('input', {
    type: 'radio', name: group, id: `${group}-${value}`, value, checked: value === c.privateEvents, 'data-option': 'privateEvents',
  }));
  const privateChoice = h('fieldset', { class: 'choices' },
    h('legend', {}, t('Private events')),
    choices.map(([, label], i) => h('div', { class: 'choice' }, radios[i], h('label', { for: radios[i].id }, label))));
  const busyOnly = checkbox(t('Only events that block time (leave out "free" ones)'), { checked: c.busyOnly });
  busyOnly.input.dataset.option = 'busyOnly';

  const element = h('div', { class: 'calendar-options' },
    h('p', { class: 'help' }, t('Only events in the window are copied. An event that leaves the window is never deleted anywhere: it stays where it is.')),
    field({ label: t('Days back'), input: past, help: t('How far into the past events are copied.') }),
    field({ label: t('Days ahead'), input: future, help: t('How far into the future events are copied.') }),
    privateChoice, busyOnly.box);

  function read() {
    let ok = true;
    for (const input of [past, future]) {
      const n = Number(input.value);
      const good = input.value !== '' && Number.isInteger(n) && n >= 0 && n <= 3660;
      setFieldError(input, good ? '' : t('Enter a number of days from 0 to 3660.'));
      if (!good) ok = false;
    }
    if (!ok) return null;
    return {
      ...c,
      pastDays: Number(past.value), futureDays: Number(future.value),
      privateEvents: radios.find((r) => r.checked)?.value ?? 'copy', busyOnly: busyOnly.input.checked,
    };
  }
  return { element, read };
}
