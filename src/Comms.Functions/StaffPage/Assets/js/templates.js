// The library's templates and "copy a default".
import { api, ApiError, libraryPath } from './api.js';
import { $, announce, el, emptyState, errorState, formatTime, table } from './dom.js';
import { showErrors, clearErrors } from './errors.js';
import { scenarios } from './scenarios.js';
import * as sms from './sms.js';

let loadedDefaults = false;
const shapeNames = { household: 'household email to parents', class: 'class list to teachers', summary: 'summary to the head of school' };

export function init() {
  $('#copy-form').addEventListener('submit', copy);
  sms.init();
}

export async function open() {
  if (!loadedDefaults) {
    const select = $('#copy-from');
    for (const s of await scenarios()) {
      select.append(el('option', { value: s.defaultTemplateId }, `${s.title} (${s.key})`));
      // A ladder step's one email per shared contact: household, class list, head of school's summary.
      for (const [shape, id] of Object.entries(s.contactTemplateIds ?? {})) {
        select.append(el('option', { value: id }, `${s.title}, ${shapeNames[shape] ?? shape} (${s.key}:${shape})`));
      }
    }
    loadedDefaults = true;
  }
  await Promise.all([list(), sms.open()]);
}

async function list() {
  const target = $('#templates-list');
  try {
    const { items } = await api('GET', libraryPath('templates'));
    target.replaceChildren(items.length
      ? table('This library\'s templates', ['Name', 'Status', 'Used by', 'Language', 'Version', 'Updated'],
        items.map(t => [
          el('a', { href: `#template/${encodeURIComponent(t.id)}` }, t.name),
          el('span', { class: `badge ${t.active ? 'badge-sent' : 'badge-skipped'}` }, t.active ? 'Active' : 'Inactive'),
          t.usedBy.join(', '), t.language, String(t.latestVersion), formatTime(t.updatedAt),
        ]))
      : emptyState('No templates yet: every notice uses the shipped default. Copy one below to customise it.'));
  } catch (error) {
    target.replaceChildren(errorState(`The templates could not be loaded: ${error.message}`));
  }
}

async function copy(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { copyFrom: $('#copy-from').value, name: $('#copy-name').value.trim() };
  const language = $('#copy-language').value.trim();
  if (language) body.language = language;
  try {
    const created = await api('POST', libraryPath('templates'), body);
    clearErrors(form);
    form.reset();
    // The editor is a new view, which starts with an empty status line: say it once the editor is shown.
    const shown = new Promise(resolve => window.addEventListener('hashchange', resolve, { once: true }));
    location.hash = `#template/${encodeURIComponent(created.template.id)}`;
    await shown;
    announce(`Copied "${created.template.name}". It is inactive until you activate it.`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) showErrors(form, error.errors)?.focus();
    else showErrors(form, {}, { summaryText: error.message });
  }
}
