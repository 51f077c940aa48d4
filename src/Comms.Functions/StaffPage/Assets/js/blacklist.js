// "Manage blacklist": the blacklisted addresses with Remove (after confirmation). The list and delete routes
// (GET/DELETE /api/libraries/{id}/blacklist) come from the blacklist feature; a server without them answers
// 404 and the panel says so instead of failing.
import { api, ApiError, libraryPath, query } from './api.js';
import { $, announce, confirmDialog, el, emptyState, errorState, formatTime, table } from './dom.js';

let items = [];
let nextToken = null;

export function init() {
  const toggle = $('#blacklist-toggle');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    $('#blacklist-panel').hidden = !open;
    if (open) reload();
  });
  $('#blacklist-more').addEventListener('click', () => load(nextToken));
}

function reload() {
  items = [];
  return load(null);
}

async function load(token) {
  const body = $('#blacklist-body');
  try {
    const page = await api('GET', libraryPath('blacklist') + query({ pageSize: 50, continuationToken: token }));
    items = items.concat(page.items ?? []);
    nextToken = page.continuationToken ?? null;
    render();
  } catch (error) {
    nextToken = null;
    body.replaceChildren(error instanceof ApiError && error.status === 404
      ? errorState('Blacklist management is not available on this server yet.')
      : errorState(`The blacklist could not be loaded: ${error.message}`));
  }
  $('#blacklist-more').hidden = !nextToken;
}

function render() {
  const body = $('#blacklist-body');
  if (!items.length) {
    body.replaceChildren(emptyState('No addresses are blacklisted.'));
    return;
  }
  body.replaceChildren(table('Blacklisted addresses', ['Address', 'Reason', 'Source', 'Updated', 'Action'],
    items.map(item => [
      item.address, item.reason, item.source, formatTime(item.updatedAt),
      el('button', { type: 'button', class: 'danger', 'aria-label': `Remove ${item.address}`, onclick: () => remove(item.address) }, 'Remove'),
    ])));
}

async function remove(address) {
  const ok = await confirmDialog('Remove from blacklist?', `Notices will be sent to ${address} again.`, 'Remove');
  if (!ok) {
    $('#blacklist-toggle').focus();
    return;
  }
  try {
    await api('DELETE', libraryPath('blacklist/' + encodeURIComponent(address)));
    items = items.filter(i => i.address !== address);
    render();
    announce(`${address} was removed from the blacklist.`);
  } catch (error) {
    announce(`${address} could not be removed: ${error.message}`, 'error');
  }
  $('#blacklist-toggle').focus();
}
