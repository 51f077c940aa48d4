// The message log (every channel: email, SMS, print): filters, paging with the API's continuation tokens, status badges, empty and error states.
import { api, ApiError, libraryPath, query } from './api.js';
import { $, announce, el, emptyState, errorState, formatTime, table } from './dom.js';
import { clearErrors, showErrors } from './errors.js';
import { scenarioKeys } from './scenarios.js';
import * as blacklist from './blacklist.js';
import * as notice from './notice.js';
import * as entry from './entry.js';

// Tokens of the pages already seen: going back re-reads page n with the token that led to it.
let tokens = [null];
let pageIndex = 0;
let nextToken = null;
let loadedScenarios = false;

export function init() {
  const form = $('#log-filters');
  form.addEventListener('submit', event => { event.preventDefault(); restart(); });
  form.addEventListener('reset', () => setTimeout(restart));
  $('#log-page-size').addEventListener('change', restart);
  $('#log-next').addEventListener('click', () => { tokens[pageIndex + 1] = nextToken; pageIndex++; load(); });
  $('#log-prev').addEventListener('click', () => { pageIndex--; load(); });
  blacklist.init();
  notice.init();
}

/** Opens the log; with filters (from a link such as the dashboard's) the form starts from those alone. */
export async function open(filters = null) {
  if (!loadedScenarios) {
    const select = $('#log-scenario');
    for (const key of await scenarioKeys()) select.append(el('option', { value: key }, key));
    loadedScenarios = true;
  }
  if (filters) {
    const form = $('#log-filters');
    // Not form.reset(): its reset event reloads the log, which would race this load.
    for (const field of form.elements) {
      if (field.name) field.value = field.tagName === 'SELECT' ? ([...field.options].find(o => o.defaultSelected) ?? field.options[0]).value : '';
    }
    for (const [name, value] of filters) {
      if (form.elements[name]) form.elements[name].value = value;
    }
  }
  await restart();
}

function restart() {
  tokens = [null];
  pageIndex = 0;
  return load();
}

async function load() {
  const form = $('#log-filters');
  const results = $('#log-results');
  const filters = Object.fromEntries(new FormData(form));
  results.setAttribute('aria-busy', 'true');
  try {
    const page = await api('GET', libraryPath('email-log') + query({ ...filters, continuationToken: tokens[pageIndex] }));
    clearErrors(form);
    nextToken = page.continuationToken ?? null;
    render(page.items);
  } catch (error) {
    nextToken = null;
    if (error instanceof ApiError && error.status === 400) {
      showErrors(form, error.errors)?.focus();
      results.replaceChildren(errorState('Some filters are not valid; see the messages above.'));
    } else {
      results.replaceChildren(errorState(`The message log could not be loaded: ${error.message}`));
    }
  } finally {
    results.removeAttribute('aria-busy');
    $('#log-prev').disabled = pageIndex === 0;
    $('#log-next').disabled = !nextToken;
    $('#log-page').textContent = `Page ${pageIndex + 1}`;
  }
}

function render(items) {
  const results = $('#log-results');
  if (!items.length) {
    results.replaceChildren(emptyState(pageIndex === 0 ? 'No messages match these filters.' : 'No more messages.'));
    announce('No messages match these filters.');
    return;
  }
  results.replaceChildren(table(`Message log, page ${pageIndex + 1}: ${items.length} attempts`,
    ['Time', 'Status', 'Channel', 'Scenario', 'Recipient', 'Subject', 'Reason', 'Notice'],
    items.map(item => [
      el('time', { datetime: item.time }, formatTime(item.time)),
      badge(item.status, item.isTest),
      channelLabels[item.channel ?? 'email'] ?? item.channel,
      item.scenario,
      el('span', {}, item.recipientName ? [item.recipientName, el('br'), item.address ?? ''] : (item.address ?? '—')),
      item.subject ?? '—',
      item.reason ?? '',
      el('span', { class: 'actions' },
        // Every row opens; immediate notices went through the outbox, so their status (attempts, resend, cancel) is one click away too.
        el('button', { type: 'button', class: 'secondary', 'aria-label': `Details: ${item.subject ?? item.scenario}`, onclick: event => entry.show(item, badge(item.status, item.isTest), event.currentTarget) }, 'Details'),
        item.outboxNoticeId
          ? el('button', { type: 'button', class: 'secondary', 'aria-label': `Notice status: ${item.subject ?? item.scenario}`, onclick: event => notice.show(item.outboxNoticeId, event.currentTarget) }, 'Status')
          : null),
    ])));
  announce(`Showing ${items.length} ${items.length === 1 ? 'message' : 'messages'}, page ${pageIndex + 1}.`);
}

// Rows written before channels existed have none: they were emails.
const channelLabels = { email: 'Email', sms: 'SMS', print: 'Print' };

const statusLabels = {
  sent: 'Sent', suppressed: 'Suppressed', failed: 'Failed', invalidAddress: 'Invalid address', noContact: 'No contact', skipped: 'Skipped',
  delivered: 'Delivered', bounced: 'Bounced', complained: 'Complained', queued: 'Queued for print', printed: 'Printed',
};

function badge(status, isTest) {
  // The word carries the meaning; colour only repeats it, so the badge reads the same without colour.
  return el('span', {}, el('span', { class: `badge badge-${status}` }, statusLabels[status] ?? status), isTest ? el('span', { class: 'badge' }, 'Test') : null);
}
