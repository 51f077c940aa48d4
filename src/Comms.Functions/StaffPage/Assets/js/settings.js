// Scenario settings: the library's timing ladder, send time, time zone, closed dates and, per scenario,
// on/off, recipient roles and excluded patron groups. The form edits a copy of the whole library document
// (GET), and saves it whole (PUT), so settings this page does not show are kept as they are.
import { api, ApiError, libraryPath } from './api.js';
import { $, announce, el } from './dom.js';
import { clearErrors, showErrors } from './errors.js';
import { scenarios } from './scenarios.js';

const roles = [
  ['patron', 'Patron'], ['parent', 'Parent'], ['guardian', 'Guardian'], ['carer', 'Carer'], ['teacher', 'Teacher'], ['headOfSchool', 'Head of school'],
];
// The library document names scenarios in camelCase ("preOverdue"); the catalogue in kebab-case ("pre-overdue"),
// with escalation as "escalation-{level}". Every scenario the catalogue lists gets its fieldset, in its order.
const camel = key => key.replace('-{level}', '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());

let library = null;

export function init() {
  $('#settings-form').addEventListener('submit', save);
  $('#st-add-level').addEventListener('click', () => addRow('#st-levels', levelRow, '')?.focus());
  $('#st-add-closed').addEventListener('click', () => addRow('#st-closed', closedRow, '')?.focus());
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  $('#time-zones').replaceChildren(...zones.map(z => el('option', { value: z })));
}

export async function open() {
  const [lib, catalogue] = await Promise.all([api('GET', libraryPath()), scenarios()]);
  library = lib;
  fill(catalogue);
}

function fill(catalogue) {
  const form = $('#settings-form');
  clearErrors(form);
  $('#st-send-time').value = (library.sendTime ?? '09:00:00').slice(0, 5);
  $('#st-time-zone').value = library.timeZone ?? '';
  $('#st-pre').value = library.timing.preOverdueDaysBefore;
  $('#st-grace').value = library.timing.overdueGraceDays;
  $('#st-res').value = library.timing.reservationExpiringDaysBefore;
  $('#st-lost').value = library.timing.declaredLostDaysAfterDue ?? 0;
  $('#st-currency').value = library.currency ?? '';
  $('#st-card').value = library.timing.cardExpiryDaysBefore ?? 30;
  $('#st-levels').replaceChildren();
  for (const days of library.timing.escalationDaysAfterDue) addRow('#st-levels', levelRow, days);
  $('#st-closed').replaceChildren();
  for (const date of library.closedDates ?? []) addRow('#st-closed', closedRow, date);
  $('#st-scenarios').replaceChildren(...catalogue.map(s => scenarioFieldset(camel(s.key), s.title, library.scenarios?.[camel(s.key)])));
}

/** Rows are numbered by position; renumbering after a removal keeps labels and error fields in step. */
function addRow(list, make, value) {
  const row = make(value);
  $(list).append(row);
  renumber(list);
  return row.querySelector('input');
}

function renumber(list) {
  [...$(list).children].forEach((row, i) => row.dispatchEvent(new CustomEvent('renumber', { detail: i })));
}

function levelRow(days) {
  const input = el('input', { type: 'number', inputmode: 'numeric', value: String(days) });
  const label = el('label');
  const remove = el('button', { type: 'button', class: 'secondary' }, 'Remove');
  const row = el('li', { class: 'row' }, label, input, remove);
  row.addEventListener('renumber', ({ detail: i }) => {
    input.id = `st-level-${i}`;
    label.htmlFor = input.id;
    label.textContent = `Level ${i + 1}: days after due`;
    input.dataset.field = `timing.escalationDaysAfterDue[${i}]`;
    remove.setAttribute('aria-label', `Remove level ${i + 1}`);
  });
  remove.addEventListener('click', () => { row.remove(); renumber('#st-levels'); $('#st-add-level').focus(); });
  return row;
}

function closedRow(date) {
  const input = el('input', { type: 'date', value: date });
  const label = el('label');
  const remove = el('button', { type: 'button', class: 'secondary' }, 'Remove');
  const row = el('li', { class: 'row' }, label, input, remove);
  row.addEventListener('renumber', ({ detail: i }) => {
    input.id = `st-closed-${i}`;
    label.htmlFor = input.id;
    label.textContent = `Closed date ${i + 1}`;
    input.dataset.field = `closedDates[${i}]`;
    remove.setAttribute('aria-label', `Remove closed date ${i + 1}`);
  });
  remove.addEventListener('click', () => { row.remove(); renumber('#st-closed'); $('#st-add-closed').focus(); });
  return row;
}

function scenarioFieldset(name, title, settings = { enabled: true, roles: ['patron'], excludedPatronGroups: [] }) {
  const field = `scenarios.${name}`;
  const id = `sc-${name}`;
  return el('fieldset', { class: 'card scenario', 'data-scenario': name },
    el('legend', {}, title),
    el('div', { class: 'field check' },
      el('input', { type: 'checkbox', id: `${id}-enabled`, checked: settings.enabled, 'data-field': field }),
      el('label', { for: `${id}-enabled` }, 'Enabled')),
    el('fieldset', { class: 'sub roles', 'data-field': `${field}.roles` },
      el('legend', {}, 'Send to'),
      roles.map(([role, label]) => el('span', { class: 'check' },
        el('input', { type: 'checkbox', id: `${id}-role-${role}`, value: role, checked: settings.roles.includes(role) }),
        el('label', { for: `${id}-role-${role}` }, label)))),
    el('div', { class: 'field' },
      el('label', { for: `${id}-excluded` }, 'Excluded patron groups ', el('span', { class: 'hint' }, '(comma separated)')),
      el('input', { id: `${id}-excluded`, value: settings.excludedPatronGroups.join(', '), 'data-field': `${field}.excludedPatronGroups` })),
    ladderSteps.includes(name) ? contactDigestFields(name, settings.contactDigests ?? {}) : []);
}

const ladderSteps = ['preOverdue', 'overdue', 'escalation'];
const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

// Teachers and heads of school get one email per step across all their students (docs/circulation.md).
function contactDigestFields(name, digests) {
  const field = `scenarios.${name}.contactDigests`;
  const id = `sc-${name}`;
  const level = (suffix, key, label, hint) => el('div', { class: 'field' },
    el('label', { for: `${id}-${suffix}` }, label, ' ', el('span', { class: 'hint' }, hint)),
    el('input', { id: `${id}-${suffix}`, inputmode: 'numeric', value: String(digests[key] ?? 0), 'data-field': `${field}.${key}` }));
  return el('fieldset', { class: 'sub' },
    el('legend', {}, 'Teachers and head of school'),
    level('class-from', 'classListFromLevel', 'Class list from escalation level', '(0: every step)'),
    level('summary-from', 'summaryListFromLevel', 'Summary names students from level', '(0: the last level)'),
    el('span', { class: 'check' },
      el('input', { type: 'checkbox', id: `${id}-weekly`, checked: !!digests.summaryWeekly, 'data-field': `${field}.summaryWeekly` }),
      el('label', { for: `${id}-weekly` }, 'Head of school: one summary a week')),
    el('div', { class: 'field' },
      el('label', { for: `${id}-weekday` }, 'Weekly summary day'),
      el('select', { id: `${id}-weekday`, 'data-field': `${field}.summaryWeekday` },
        weekdays.map(day => el('option', { value: day, selected: (digests.summaryWeekday ?? 'monday') === day }, day[0].toUpperCase() + day.slice(1))))));
}

function readInt(selector, field, errors, message = 'Enter a whole number of days.') {
  const text = $(selector).value.trim();
  if (!/^-?\d+$/.test(text)) errors[field] = [message];
  return Number(text);
}

function read() {
  const errors = {};
  const timing = {
    preOverdueDaysBefore: readInt('#st-pre', 'timing.preOverdueDaysBefore', errors),
    overdueGraceDays: readInt('#st-grace', 'timing.overdueGraceDays', errors),
    reservationExpiringDaysBefore: readInt('#st-res', 'timing.reservationExpiringDaysBefore', errors),
    declaredLostDaysAfterDue: readInt('#st-lost', 'timing.declaredLostDaysAfterDue', errors),
    cardExpiryDaysBefore: readInt('#st-card', 'timing.cardExpiryDaysBefore', errors),
    escalationDaysAfterDue: [...document.querySelectorAll('#st-levels input')].map((input, i) => readInt(`#${input.id}`, `timing.escalationDaysAfterDue[${i}]`, errors)),
  };
  const closedDates = [...document.querySelectorAll('#st-closed input')].map((input, i) => {
    if (!input.value) errors[`closedDates[${i}]`] = ['Choose a date or remove this row.'];
    return input.value;
  });
  const sendTime = $('#st-send-time').value;
  if (!/^\d{2}:\d{2}/.test(sendTime)) errors.sendTime = ['Enter a time such as 09:00.'];
  const scenarioSettings = {};
  for (const fieldset of document.querySelectorAll('#st-scenarios fieldset.scenario')) {
    const name = fieldset.dataset.scenario;
    // Settings this form does not show (set over the API) are kept, not reset to their defaults.
    scenarioSettings[name] = {
      ...library.scenarios?.[name],
      enabled: fieldset.querySelector(`#sc-${name}-enabled`).checked,
      roles: [...fieldset.querySelectorAll('.roles input:checked')].map(i => i.value),
      excludedPatronGroups: fieldset.querySelector(`#sc-${name}-excluded`).value.split(',').map(s => s.trim()).filter(Boolean),
    };
    if (fieldset.querySelector(`#sc-${name}-class-from`)) {
      scenarioSettings[name].contactDigests = {
        ...library.scenarios?.[name]?.contactDigests,
        classListFromLevel: readInt(`#sc-${name}-class-from`, `scenarios.${name}.contactDigests.classListFromLevel`, errors, 'Enter a level from 0 to 10.'),
        summaryListFromLevel: readInt(`#sc-${name}-summary-from`, `scenarios.${name}.contactDigests.summaryListFromLevel`, errors, 'Enter a level from 0 to 10.'),
        summaryWeekly: fieldset.querySelector(`#sc-${name}-weekly`).checked,
        summaryWeekday: fieldset.querySelector(`#sc-${name}-weekday`).value,
      };
    }
  }
  const currency = $('#st-currency').value.trim().toUpperCase();
  const updated = {
    ...library, currency: currency || null, sendTime: sendTime.length === 5 ? sendTime + ':00' : sendTime, timeZone: $('#st-time-zone').value.trim(),
    timing: { ...library.timing, ...timing }, closedDates, scenarios: { ...library.scenarios, ...scenarioSettings },
  };
  return { updated, errors };
}

async function save(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const { updated, errors } = read();
  if (Object.keys(errors).length) {
    showErrors(form, errors)?.focus();
    announce('The settings were not saved: please correct the fields marked.', 'error');
    return;
  }
  try {
    library = await api('PUT', libraryPath(), updated);
    fill(await scenarios());
    announce('Settings saved.', 'success');
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      showErrors(form, error.errors)?.focus();
      announce('The settings were not saved: please correct the fields marked.', 'error');
    } else {
      announce(`The settings were not saved: ${error.message}`, 'error');
    }
  }
}
