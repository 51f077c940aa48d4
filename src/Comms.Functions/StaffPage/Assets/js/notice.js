// A notice's status from the email log: where it stands, every attempt (time, provider, reason), and the staff
// actions the API allows for it: resend a sent or failed notice (a new notice, re-rendered from the current
// template with the original data) and cancel a queued one.
import { api, libraryPath } from './api.js';
import { $, announce, confirmDialog, el, errorState, formatTime, table } from './dom.js';

const labels = {
  queued: 'Queued', sending: 'Sending', sent: 'Sent', delivered: 'Delivered', bounced: 'Bounced', complained: 'Complained',
  failed: 'Failed', suppressed: 'Suppressed', skipped: 'Skipped', expired: 'Expired', cancelled: 'Cancelled',
};
const resendable = new Set(['sent', 'delivered', 'failed', 'expired']);

let returnFocus = null;

export function init() {
  $('#notice-close').addEventListener('click', close);
}

/**
 * Opens the panel with a title and content (a log row's details use it too); focus goes to the title and returns to
 * the button that opened it when the panel closes.
 */
export function openPanel(title, content, opener) {
  returnFocus = opener ?? null;
  $('#notice-panel').hidden = false;
  $('#notice-title').textContent = title;
  $('#notice-body').replaceChildren(...content);
  $('#notice-title').focus();
}

/** Opens the panel on one notice's outbox status. */
export async function show(noticeId, opener) {
  openPanel('Notice', [el('p', {}, 'Loading…')], opener);
  try {
    render(await api('GET', libraryPath('notices/' + encodeURIComponent(noticeId))));
  } catch (error) {
    $('#notice-body').replaceChildren(errorState(`The notice could not be loaded: ${error.message}`));
  }
}

function close() {
  $('#notice-panel').hidden = true;
  returnFocus?.focus();
}

function render(notice) {
  $('#notice-title').textContent = `Notice ${notice.id} (${notice.scenario})`;
  const facts = el('dl', { class: 'facts' },
    el('dt', {}, 'Status'), el('dd', {}, el('span', { class: `badge badge-${notice.status}` }, labels[notice.status] ?? notice.status)),
    notice.reason ? [el('dt', {}, 'Why'), el('dd', {}, notice.reason)] : null,
    el('dt', {}, 'Queued'), el('dd', {}, formatTime(notice.createdAt)),
    notice.nextAttemptAt ? [el('dt', {}, 'Next attempt'), el('dd', {}, formatTime(notice.nextAttemptAt))] : null,
    notice.resendOf ? [el('dt', {}, 'Resends'), el('dd', {}, link(notice.resendOf))] : null,
    notice.resends?.length ? [el('dt', {}, 'Resent as'), el('dd', {}, notice.resends.map(link))] : null);
  const attempts = notice.attempts.length
    ? table(`Attempts of notice ${notice.id}`, ['Attempt', 'Time', 'Status', 'Provider', 'Reason'],
      notice.attempts.map(a => [String(a.number), formatTime(a.at), a.status, a.provider ?? '—', a.reason ?? '']))
    : el('p', { class: 'empty' }, 'No attempt yet.');
  const actions = el('div', { class: 'actions' },
    notice.status === 'queued' ? el('button', { type: 'button', class: 'danger', onclick: () => cancel(notice) }, 'Cancel notice') : null,
    resendable.has(notice.status) && notice.scenario !== 'password-reset'
      ? el('button', { type: 'button', onclick: () => resend(notice) }, 'Resend') : null);
  $('#notice-body').replaceChildren(facts, attempts, actions);
}

function link(id) {
  return el('button', { type: 'button', class: 'link', onclick: event => show(id, event.currentTarget) }, id);
}

async function resend(notice) {
  const ok = await confirmDialog('Resend this notice?',
    'A new notice, linked to this one, is rendered from the current template with the original data and sent again.', 'Resend');
  if (!ok) return;
  try {
    const queued = await api('POST', libraryPath(`notices/${encodeURIComponent(notice.id)}/resend`));
    announce(`Resent as notice ${queued.noticeId}; it is queued.`);
    await show(queued.noticeId, returnFocus);
  } catch (error) {
    announce(`The notice could not be resent: ${error.message}`, 'error');
  }
}

async function cancel(notice) {
  const ok = await confirmDialog('Cancel this notice?', 'It has not been sent yet; once cancelled it never will be.', 'Cancel notice');
  if (!ok) return;
  try {
    render(await api('POST', libraryPath(`notices/${encodeURIComponent(notice.id)}/cancel`)));
    announce('The notice was cancelled.');
  } catch (error) {
    announce(`The notice could not be cancelled: ${error.message}`, 'error');
  }
}
