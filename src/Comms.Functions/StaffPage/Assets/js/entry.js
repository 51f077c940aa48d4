// One email log row opened: everything the log keeps about that attempt — when, to whom, the template and version,
// the subject and the start of the text (the log never keeps a notice's secret, so a reset link is not there), the
// provider, its message id and its reason — and, for a notice that went through the outbox, a way on to its status,
// every attempt and the resend and cancel actions (notice.js). A sent email also shows the stored copy of the message
// (docs/message-copies.md): its HTML in a frame sandboxed without scripts (email-frame.js), text and headers,
// every secret and the reader's own links already replaced by "[hidden]" on the server.
import { api, libraryPath, query } from './api.js';
import { el, errorState, formatTime, table } from './dom.js';
import * as notice from './notice.js';
import { showEmail } from './email-frame.js';
import { savedLogoUrl } from './layout.js';

const roles = { patron: 'Reader', parent: 'Parent', guardian: 'Guardian', carer: 'Carer', teacher: 'Teacher', headOfSchool: 'Head of school' };

export function show(item, badge, opener) {
  const fact = (term, value) => value === undefined || value === null || value === '' ? null : [el('dt', {}, term), el('dd', {}, value)];
  const facts = el('dl', { class: 'facts' },
    fact('Status', badge),
    fact('Time', el('time', { datetime: item.time }, formatTime(item.time))),
    fact('Channel', item.channel === 'sms' ? 'SMS' : 'Email'),
    fact('Scenario', item.scenario),
    fact('To', item.recipientName ? `${item.recipientName} <${item.address ?? ''}>` : item.address),
    fact('As', roles[item.role] ?? item.role),
    fact('Patron id', item.patronId),
    fact('Subject', item.subject),
    fact('Template', item.templateId ? `${item.templateId}${item.templateVersion ? `, version ${item.templateVersion}` : ''}` : null),
    fact('Provider', item.provider),
    fact('Provider message id', item.providerMessageId),
    fact('Attempt', item.attempt > 1 ? String(item.attempt) : null),
    fact('Reason', item.reason),
    fact('Erased', item.erasedAt ? `The reader was deleted on ${formatTime(item.erasedAt)}; their address, name and text are gone.` : null));
  const preview = item.preview
    ? [el('h3', {}, 'Start of the text'), el('pre', { class: 'preview-text' }, item.preview)]
    : [el('p', { class: 'hint' }, 'The log keeps no text for this email.')];
  const status = item.outboxNoticeId
    ? el('div', { class: 'actions' }, el('button', { type: 'button', onclick: event => notice.show(item.outboxNoticeId, event.currentTarget) }, 'Status, attempts and actions'))
    : null;
  const attempts = el('div', { 'aria-live': 'polite' }, el('p', {}, 'Loading the attempts…'));
  const message = item.status === 'Skipped' || !item.provider ? null : el('section', { class: 'message-copy', 'aria-live': 'polite' }, el('p', {}, 'Loading the email…'));
  notice.openPanel(`Email: ${item.subject ?? item.scenario}`, [facts, attempts, message, ...preview, status].filter(Boolean), opener);
  loadAttempts(item, attempts);
  if (message) loadMessage(item, message);
}

// The stored copy: 404 means none is kept (sent before copies were stored, expired or erased), not an error.
async function loadMessage(item, target) {
  try {
    const copy = await api('GET', libraryPath(`email-log/notices/${encodeURIComponent(item.noticeId)}/message`));
    // In a frame sandboxed without scripts, whose policy lets the library's logo load (email-frame.js): shown exactly,
    // cannot act.
    const frame = el('iframe', { class: 'message-frame', title: `The email as sent: ${copy.subject}`, sandbox: 'allow-same-origin' });
    target.replaceChildren(
      el('h3', {}, 'The email as sent'),
      el('p', { class: 'hint' }, 'Links and codes meant only for the reader show as [hidden].'),
      frame,
      el('h3', { id: 'copy-text-title' }, 'Plain text'),
      // A long text scrolls inside its box: focusable and named, so a keyboard can scroll it and a reader knows what it is.
      el('pre', { class: 'preview-text', tabindex: '0', role: 'region', 'aria-labelledby': 'copy-text-title' }, copy.text),
      table('Headers', ['Header', 'Value'], copy.headers.map(h => [h.name, h.value])));
    await showEmail(frame, copy.html, await savedLogoUrl());
  } catch (error) {
    // 400: a row from before notice ids were hashes; 404: no copy kept. Neither is an error to show.
    target.replaceChildren(error.status === 404 || error.status === 400
      ? el('p', { class: 'hint' }, 'No copy of this email is kept: it was sent before copies were kept, or its copy has expired or was erased.')
      : errorState(`The email could not be loaded: ${error.message}`));
  }
}

// Every log row of this recipient's notice: retries and failover each wrote one, with their provider and reason.
async function loadAttempts(item, target) {
  try {
    const page = await api('GET', libraryPath('email-log') + query({ noticeId: item.noticeId, pageSize: 50 }));
    const rows = page.items.length ? page.items : [item];
    target.replaceChildren(table(`Every attempt of this email (${rows.length})`, ['Time', 'Status', 'Provider', 'Attempt', 'Reason'],
      rows.map(row => [formatTime(row.time), row.status, row.provider ?? '—', String(row.attempt ?? 1), row.reason ?? ''])));
  } catch (error) {
    target.replaceChildren(errorState(`The attempts could not be loaded: ${error.message}`));
  }
}
