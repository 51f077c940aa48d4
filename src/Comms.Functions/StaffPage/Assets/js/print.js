// The print batches: notices neither email nor SMS reached, one PDF per branch and day. "Make a batch now" gathers the
// waiting ones at once; Download fetches the PDF with the library's key (a plain link could not send it) and hands the
// browser a local copy; "Mark printed" records that staff printed it, after confirmation.
import { api, libraryPath, query, session } from './api.js';
import { $, announce, confirmDialog, el, emptyState, errorState, formatTime, table } from './dom.js';

const stateLabels = { building: 'Being made', ready: 'Ready to print', printed: 'Printed' };

export function init() {
  $('#print-create').addEventListener('click', create);
}

export async function open() {
  await load();
}

async function load() {
  const results = $('#print-results');
  results.setAttribute('aria-busy', 'true');
  try {
    const page = await api('GET', libraryPath('print/batches') + query({ pageSize: 50 }));
    render(page.items ?? []);
  } catch (error) {
    results.replaceChildren(errorState(`The print batches could not be loaded: ${error.message}`));
  } finally {
    results.removeAttribute('aria-busy');
  }
}

function render(batches) {
  const results = $('#print-results');
  if (!batches.length) {
    results.replaceChildren(emptyState('No print batches yet.'));
    return;
  }
  results.replaceChildren(table('Print batches, newest first', ['Made', 'Branch', 'Pages', 'State', 'Actions'],
    batches.map(batch => [
      el('time', { datetime: batch.createdAt }, formatTime(batch.createdAt)),
      batch.branch ?? 'Whole library',
      String(batch.pageCount),
      el('span', {}, el('span', { class: `badge badge-${batch.state}` }, stateLabels[batch.state] ?? batch.state),
        batch.printedAt ? ` ${formatTime(batch.printedAt)}` : null),
      el('span', { class: 'actions' },
        batch.state === 'building' ? null
          : el('button', { type: 'button', class: 'secondary', 'aria-label': `Download PDF of the batch made ${formatTime(batch.createdAt)}`, onclick: () => download(batch) }, 'Download PDF'),
        batch.state === 'ready'
          ? el('button', { type: 'button', 'aria-label': `Mark printed: the batch made ${formatTime(batch.createdAt)}`, onclick: event => markPrinted(batch, event.currentTarget) }, 'Mark printed')
          : null),
    ])));
}

async function create() {
  const button = $('#print-create');
  button.disabled = true;
  try {
    const made = await api('POST', libraryPath('print/batches'));
    const count = made.batches?.length ?? 0;
    await load();
    announce(count === 0 ? 'No notices are waiting to be printed.' : `${count} ${count === 1 ? 'batch was' : 'batches were'} made.`);
  } catch (error) {
    announce(`No batch could be made: ${error.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

async function download(batch) {
  try {
    const response = await fetch(libraryPath(`print/batches/${encodeURIComponent(batch.id)}/pdf`), {
      headers: { Accept: 'application/pdf', 'X-Library-Key': session().libraryKey }, credentials: 'same-origin',
    });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: `print-${session().libraryId}-${batch.id}.pdf`, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    // The browser has taken the file; the local copy is released soon after.
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    announce('The PDF was downloaded.');
  } catch (error) {
    announce(`The PDF could not be downloaded: ${error.message}`, 'error');
  }
}

async function markPrinted(batch, button) {
  const ok = await confirmDialog('Mark this batch printed?', `Its ${batch.pageCount} ${batch.pageCount === 1 ? 'notice is' : 'notices are'} then shown as printed in the message log.`, 'Mark printed');
  if (!ok) {
    button.focus();
    return;
  }
  try {
    await api('POST', libraryPath(`print/batches/${encodeURIComponent(batch.id)}/printed`));
    await load();
    announce('The batch is marked printed.');
    $('#print-create').focus();
  } catch (error) {
    announce(`The batch could not be marked printed: ${error.message}`, 'error');
  }
}
