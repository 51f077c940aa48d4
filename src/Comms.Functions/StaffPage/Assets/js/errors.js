// Puts the server's field errors (problem+json "errors") next to the fields they name. A field is found by
// its data-field attribute; "timing.escalationDaysAfterDue[1]" falls back to "timing.escalationDaysAfterDue"
// and then to "timing", so every message lands somewhere visible, the rest in the form's summary.
import { el } from './dom.js';

export function clearErrors(root) {
  for (const node of root.querySelectorAll('.field-error')) node.remove();
  for (const node of root.querySelectorAll('[aria-invalid]')) {
    node.removeAttribute('aria-invalid');
    const described = (node.getAttribute('aria-describedby') || '').split(' ').filter(id => !id.startsWith('err-'));
    if (described.length) node.setAttribute('aria-describedby', described.join(' '));
    else node.removeAttribute('aria-describedby');
  }
  const summary = root.querySelector('.form-error');
  if (summary) summary.textContent = '';
}

/** Shows each message; returns the first invalid control so the caller can move focus to it. */
export function showErrors(root, errors, { prefix = '', summaryText } = {}) {
  clearErrors(root);
  let first = null;
  const unplaced = [];
  for (const [rawField, messages] of Object.entries(errors || {})) {
    const field = prefix && rawField.startsWith(prefix) ? rawField.slice(prefix.length) : rawField;
    const target = find(root, field);
    if (!target) { unplaced.push(...messages.map(m => `${field}: ${m}`)); continue; }
    const id = 'err-' + field.replace(/[^a-zA-Z0-9]+/g, '-');
    const message = el('p', { class: 'field-error', id }, messages.join(' '));
    const control = target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea');
    if (target.matches('fieldset')) target.querySelector('legend').after(message);
    else target.after(message);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [control.getAttribute('aria-describedby'), id].filter(Boolean).join(' '));
      first ??= control;
    }
  }
  const summary = root.querySelector('.form-error');
  if (summary) {
    const count = Object.keys(errors || {}).length;
    summary.textContent = [summaryText ?? (count ? `Please correct ${count === 1 ? 'the field' : count + ' fields'} marked below.` : ''), ...unplaced].filter(Boolean).join(' ');
  }
  return first;
}

function find(root, field) {
  let name = field;
  while (name) {
    const match = root.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (match) return match;
    const shorter = name.replace(/(\[\d+\]|\.[^.[\]]+)$/, '');
    if (shorter === name) return null;
    name = shorter;
  }
  return null;
}
