// Small DOM helpers. Everything from the server is inserted as text (never innerHTML), which is what lets
// the page's policy forbid inline script and keeps a patron called "<script>" harmless.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name in node && typeof value !== 'string') node[name] = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Announces a message in the page's live region (and shows it). */
export function announce(message, kind = 'info') {
  const status = $('#status');
  status.textContent = '';
  status.className = `status ${kind}`;
  // A fresh text node after clearing makes screen readers announce a repeated message too.
  requestAnimationFrame(() => { status.textContent = message; });
}

/** Empties the live region (silently: an empty region announces nothing). */
export function clearStatus() {
  const status = $('#status');
  status.textContent = '';
  status.className = 'status';
}

/** A table whose cells carry their column name, so the narrow layout can show rows as labelled cards. */
export function table(caption, columns, rows) {
  return el('table', { class: 'data' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, columns.map(c => el('th', { scope: 'col' }, c)))),
    el('tbody', {}, rows.map(cells => el('tr', {}, cells.map((cell, i) =>
      i === 0 ? el('th', { scope: 'row', 'data-label': columns[i] }, cell) : el('td', { 'data-label': columns[i] }, cell))))));
}

export function emptyState(message) {
  return el('p', { class: 'empty' }, message);
}

export function errorState(message) {
  return el('p', { class: 'error-state', role: 'alert' }, message);
}

export function formatTime(iso) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

let dialogResolve = null;

/** Asks with a modal dialog (native <dialog>: focus is trapped and Escape cancels). */
export function confirmDialog(title, text, okLabel) {
  const dialog = $('#confirm');
  $('#confirm-title').textContent = title;
  $('#confirm-text').textContent = text;
  $('#confirm-ok').textContent = okLabel;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise(resolve => { dialogResolve = resolve; });
}

export function initDialog() {
  const dialog = $('#confirm');
  dialog.addEventListener('close', () => {
    dialogResolve?.(dialog.returnValue === 'ok');
    dialogResolve = null;
  });
}

export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
