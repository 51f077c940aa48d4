// Entry point: sign-in, sign-out and the hash router (#dashboard, #log[?filters], #print, #templates, #template/{id}, #settings).
import { api, ApiError, clearSession, saveSession, session } from './api.js';
import { $, announce, clearStatus, initDialog } from './dom.js';
import * as dashboard from './dashboard.js';
import * as log from './log.js';
import * as templates from './templates.js';
import * as editor from './editor.js';
import * as settings from './settings.js';
import * as layout from './layout.js';
import * as print from './print.js';

const views = ['signin', 'dashboard', 'log', 'print', 'templates', 'editor', 'settings'];

let shownView = null;

function show(view) {
  // A status line belongs to the view that said it ("Showing 4 emails, page 1."): a new view starts without one.
  if (shownView !== null && view !== shownView) clearStatus();
  shownView = view;
  for (const name of views) $(`#view-${name}`).hidden = name !== view;
  for (const link of document.querySelectorAll('#nav a')) {
    const current = link.dataset.view === view || (view === 'editor' && link.dataset.view === 'templates');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
}

async function route() {
  const signedIn = session() !== null;
  $('#nav').hidden = !signedIn;
  $('#session').hidden = !signedIn;
  if (!signedIn) {
    show('signin');
    return;
  }
  $('#session-library').textContent = `Library: ${session().libraryId}`;
  // "#log?status=Failed&from=2026-03-01" opens the log with those filters (the dashboard links there).
  const [path, search] = (location.hash.slice(1) || 'dashboard').split('?');
  const [name, id] = path.split('/');
  const view = { dashboard: 'dashboard', log: 'log', print: 'print', templates: 'templates', template: 'editor', settings: 'settings' }[name] ?? 'dashboard';
  show(view);
  // Focus moves to the new view's heading region so keyboard and screen-reader users start there.
  $('#main').focus({ preventScroll: true });
  try {
    if (view === 'dashboard') await dashboard.open();
    else if (view === 'log') await log.open(search === undefined ? null : new URLSearchParams(search));
    else if (view === 'print') await print.open();
    else if (view === 'templates') await templates.open();
    else if (view === 'editor') await editor.open(decodeURIComponent(id ?? ''));
    else await Promise.all([settings.open(), layout.open()]);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      signOut('Your library key was not accepted. Please sign in again.');
    } else {
      announce(error.message, 'error');
    }
  }
}

async function signIn(event) {
  event.preventDefault();
  const libraryId = $('#signin-library').value.trim();
  const libraryKey = $('#signin-key').value.trim();
  const error = $('#signin-error');
  if (!libraryId || !libraryKey) {
    error.textContent = 'Enter both the library id and the library key.';
    return;
  }
  saveSession(libraryId, libraryKey);
  try {
    // Reading the library proves the key before anything else is shown.
    await api('GET', `/api/libraries/${encodeURIComponent(libraryId)}`);
  } catch (failure) {
    clearSession();
    error.textContent = failure instanceof ApiError && (failure.status === 401 || failure.status === 403)
      ? 'That library id and key do not match.' : `Could not sign in: ${failure.message}`;
    $('#signin-key').focus();
    return;
  }
  error.textContent = '';
  $('#signin-key').value = '';
  // replaceState fires no hashchange, so the sign-in message is announced after the dashboard is shown, not cleared by it.
  if (location.hash && location.hash !== '#dashboard') history.replaceState(null, '', '#dashboard');
  await route();
  announce(`Signed in to ${libraryId}.`);
}

async function signOut(message) {
  clearSession();
  history.replaceState(null, '', location.pathname + location.search);
  await route();
  announce(message ?? 'Signed out.');
  $('#signin-library').focus();
}

initDialog();
dashboard.init();
log.init();
print.init();
templates.init();
editor.init();
settings.init();
layout.init();
$('#signin-form').addEventListener('submit', signIn);
$('#sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
route();
