// One template: edit subject, HTML and text with a live preview, save a version, roll back to an old one.
import { api, ApiError, libraryPath } from './api.js';
import { $, announce, confirmDialog, debounce, el, errorState, formatTime, table } from './dom.js';
import { clearErrors, showErrors } from './errors.js';
import * as content from './content-editor.js';
import { showEmail } from './email-frame.js';
import { savedLogoUrl } from './layout.js';

let current = null;
// Only the newest preview may paint: an answer to an older draft that arrives late is dropped.
let previewSeq = 0;

export function init() {
  const form = $('#editor-form');
  form.addEventListener('submit', save);
  const refresh = debounce(preview, 400);
  for (const id of ['#ed-subject', '#ed-html', '#ed-text', '#pv-patron']) $(id).addEventListener('input', refresh);
  $('#pv-scenario').addEventListener('change', () => { content.fillPicker($('#pv-scenario').value); preview(); });
  content.init(refresh);
  $('#ed-usedby').addEventListener('change', fillScenarios);
  $('#ts-send').addEventListener('click', testSend);
}

export async function open(id) {
  const details = await api('GET', libraryPath(`templates/${encodeURIComponent(id)}`));
  current = details.template;
  clearErrors($('#editor-form'));
  $('#editor-title').textContent = `Edit template: ${current.name}`;
  $('#ed-name').value = current.name;
  $('#ed-language').value = current.language;
  $('#ed-usedby').value = current.usedBy.join(', ');
  $('#ed-active').checked = current.active;
  $('#ed-subject').value = details.content.subject;
  $('#ed-html').value = details.content.html;
  $('#ed-text').value = details.content.text;
  content.load(details.content);
  fillScenarios();
  await content.fillPicker($('#pv-scenario').value);
  await Promise.all([preview(), versions()]);
}

function usedBy() {
  return $('#ed-usedby').value.split(',').map(s => s.trim()).filter(Boolean);
}

function fillScenarios() {
  const select = $('#pv-scenario');
  const chosen = select.value;
  select.replaceChildren(...usedBy().map(key => el('option', { value: key, selected: key === chosen }, key)));
}

function draft() {
  return { subject: $('#ed-subject').value, ...content.fields($('#ed-html').value, $('#ed-text').value) };
}

/** Sends the current draft to one address; the answer says what became of it (sent, suppressed…). */
async function testSend() {
  const box = $('#test-send');
  clearErrors(box);
  const template = { draft: draft(), scenario: $('#pv-scenario').value || usedBy()[0] };
  const patronId = $('#pv-patron').value.trim();
  if (patronId) template.patronId = patronId;
  try {
    const outcomes = await api('POST', libraryPath('templates/test-send'), { to: $('#ts-to').value.trim(), template });
    const status = outcomes?.[0]?.status ?? 'accepted';
    announce(status === 'sent' ? `Test sent to ${$('#ts-to').value.trim()}.` : `Test not sent: ${status}.`, status === 'sent' ? 'info' : 'error');
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const first = showErrors(box, error.errors, { prefix: 'template.', summaryText: '' });
    (first ?? $('#ts-to')).focus();
    if (!Object.keys(error.errors).length) announce(`Test not sent: ${error.message}`, 'error');
  }
}

async function preview() {
  const seq = ++previewSeq;
  const form = $('#editor-form');
  const state = $('#pv-state');
  state.textContent = 'Updating preview…';
  const body = { draft: draft(), scenario: $('#pv-scenario').value || usedBy()[0] };
  const patronId = $('#pv-patron').value.trim();
  if (patronId) body.patronId = patronId;
  try {
    const [result, logoUrl] = await Promise.all([api('POST', libraryPath('templates/preview'), body), savedLogoUrl()]);
    if (seq !== previewSeq) return;
    clearErrors(form);
    clearErrors($('.preview'));
    $('#pv-subject').textContent = result.subject;
    // In a frame sandboxed without scripts, whose policy lets the library's logo load: shown exactly, cannot act.
    await showEmail($('#pv-html'), result.html, logoUrl);
    $('#pv-text').textContent = result.text;
    state.textContent = `Preview of ${result.scenario}${patronId ? ` for patron ${patronId}` : ' with sample data'}.`;
  } catch (error) {
    if (seq !== previewSeq) return;
    if (error instanceof ApiError && error.status === 400) {
      // Draft errors come as "draft.html"; the same fields as a save's "html".
      showErrors(form, error.errors, { prefix: 'draft.', summaryText: 'The preview shows the last valid version of the draft.' });
      showErrors($('.preview'), error.errors, { summaryText: '' });
      state.textContent = 'The draft has errors; see the messages next to the fields.';
    } else if (error instanceof ApiError && error.status === 404 && patronId) {
      state.textContent = `No patron with id ${patronId}.`;
    } else {
      state.textContent = `The preview failed: ${error.message}`;
    }
  }
}

async function save(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const body = {
    name: $('#ed-name').value.trim(), active: $('#ed-active').checked, usedBy: usedBy(), language: $('#ed-language').value.trim(), ...draft(),
  };
  try {
    const saved = await api('PUT', libraryPath(`templates/${encodeURIComponent(current.id)}`), body);
    clearErrors(form);
    current = saved.template;
    // Content mode: the server made the HTML and (unless edited) the text; show what was stored.
    $('#ed-html').value = saved.content.html;
    $('#ed-text').value = saved.content.text;
    $('#editor-title').textContent = `Edit template: ${current.name}`;
    announce(`Saved version ${current.latestVersion} of "${current.name}".`);
    await versions();
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      showErrors(form, error.errors)?.focus();
      announce('The template was not saved: please correct the fields marked.', 'error');
    } else if (error instanceof ApiError && error.status === 409) {
      showErrors(form, {}, { summaryText: `${error.message} Reload the page to see the latest version.` });
      announce('The template was not saved (conflict).', 'error');
    } else {
      announce(`The template was not saved: ${error.message}`, 'error');
    }
  }
}

async function versions() {
  const target = $('#versions');
  try {
    const { items } = await api('GET', libraryPath(`templates/${encodeURIComponent(current.id)}/versions`));
    target.replaceChildren(table('Versions, newest first', ['Version', 'Saved', 'Note', 'Action'],
      items.map(v => [String(v.version), formatTime(v.createdAt), v.note,
        v.version === current.latestVersion ? 'Current'
          : el('button', { type: 'button', class: 'secondary', 'aria-label': `Roll back to version ${v.version}`, onclick: () => rollback(v.version) }, 'Roll back')])));
  } catch (error) {
    target.replaceChildren(errorState(`The versions could not be loaded: ${error.message}`));
  }
}

async function rollback(version) {
  const ok = await confirmDialog('Roll back?', `A new version will be saved with the subject, HTML and text of version ${version}. Unsaved edits are lost.`, 'Roll back');
  if (!ok) return;
  try {
    await api('POST', libraryPath(`templates/${encodeURIComponent(current.id)}/rollback`), { version });
    await open(current.id);
    announce(`Rolled back: version ${current.latestVersion} has the text of version ${version}.`);
    $('#versions-title').focus?.();
  } catch (error) {
    announce(`Rollback failed: ${error.message}`, 'error');
  }
}
