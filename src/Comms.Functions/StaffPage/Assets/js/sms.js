// SMS texts, under Templates: one text per scenario and language (GET/PUT/DELETE …/sms/texts/{scenario}). As staff
// type, the server's SMS preview renders the draft with the sample facts and says its length on the wire (GSM-7 or
// UCS-2, character units, segments), so the numbers are the ones the send path uses, never a second count in script.
import { api, ApiError, libraryPath, query } from './api.js';
import { $, announce, debounce, el, formatTime } from './dom.js';
import { clearErrors, showErrors } from './errors.js';
import { scenarios } from './scenarios.js';

let loaded = false;
let inFlight = null;

export function init() {
  $('#sms-scenario').addEventListener('change', () => load());
  $('#sms-language').addEventListener('change', () => load());
  $('#sms-text').addEventListener('input', debounce(preview, 250));
  $('#sms-insert-variable').addEventListener('click', insertVariable);
  $('#sms-form').addEventListener('submit', save);
  $('#sms-revert').addEventListener('click', revert);
}

export async function open() {
  if (!loaded) {
    const [{ items }, catalogue] = await Promise.all([api('GET', libraryPath('sms/texts')), scenarios()]);
    $('#sms-scenario').replaceChildren(...items.map(t => el('option', { value: t.scenario }, `${titleOf(catalogue, t.scenario)} (${t.scenario})`)));
    loaded = true;
  }
  await load();
}

function path(rest = '') {
  return libraryPath(`sms/texts/${encodeURIComponent($('#sms-scenario').value)}${rest}`);
}

function language() {
  return $('#sms-language').value.trim();
}

async function load() {
  const form = $('#sms-form');
  try {
    const current = await api('GET', path() + query({ language: language() }));
    clearErrors(form);
    $('#sms-text').value = current.text;
    showState(current);
    await fillPicker(current.scenario);
    await preview();
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) showErrors(form, error.errors)?.focus();
    else showErrors(form, {}, { summaryText: `The SMS text could not be loaded: ${error.message}` });
  }
}

function showState(current) {
  $('#sms-state').textContent = current.custom
    ? `This library's text in ${current.language}, version ${current.version}, saved ${formatTime(current.updatedAt)}.`
    : `The shipped text (${current.language} readers get it until you save your own).`;
  $('#sms-revert').disabled = !current.custom;
}

/** The draft rendered by the server with its encoding and segments; a mistake in it lands at the text field. */
async function preview() {
  inFlight?.abort();
  inFlight = new AbortController();
  const body = { scenario: $('#sms-scenario').value, text: $('#sms-text').value };
  if (language()) body.language = language();
  const form = $('#sms-form');
  try {
    const result = await api('POST', libraryPath('sms/preview'), body, inFlight.signal);
    clearErrors(form);
    const gsm = result.encoding === 'gsm7';
    $('#sms-length').textContent = `${gsm ? 'GSM-7' : 'UCS-2 (a character outside GSM-7, so 70 per message)'}: `
      + `${result.units} ${gsm ? 'characters' : 'units'}, ${result.segments} ${result.segments === 1 ? 'segment' : 'segments'} of at most ${result.maxSegments}.`;
    $('#sms-preview').textContent = result.text;
  } catch (error) {
    if (error.name === 'AbortError') return;
    $('#sms-length').textContent = 'No length: the text has a mistake.';
    $('#sms-preview').textContent = '';
    if (error instanceof ApiError && error.status === 400) showErrors(form, error.errors);
    else showErrors(form, {}, { summaryText: `The preview failed: ${error.message}` });
  }
}

async function save(event) {
  event.preventDefault();
  const form = $('#sms-form');
  const body = { text: $('#sms-text').value };
  if (language()) body.language = language();
  try {
    const saved = await api('PUT', path(), body);
    clearErrors(form);
    showState(saved);
    announce(`SMS text for ${saved.scenario} saved as version ${saved.version}.`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) showErrors(form, error.errors)?.focus();
    else showErrors(form, {}, { summaryText: `Not saved: ${error.message}` });
  }
}

async function revert() {
  const form = $('#sms-form');
  try {
    const current = await api('DELETE', path() + query({ language: language() }));
    clearErrors(form);
    $('#sms-text').value = current.text;
    showState(current);
    await preview();
    $('#sms-text').focus();
    announce(`SMS text for ${current.scenario} is the shipped text again.`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) showErrors(form, error.errors)?.focus();
    else showErrors(form, {}, { summaryText: `Not changed: ${error.message}` });
  }
}

/** The scenario's variables with their descriptions, as in the template editor's picker. */
async function fillPicker(scenarioKey) {
  const catalogue = await scenarios();
  const scenario = catalogue.find(s => s.key === catalogueKey(scenarioKey));
  const about = scenario?.variableDescriptions ?? {};
  $('#sms-variable').replaceChildren(...(scenario?.variables ?? []).map(v => el('option', { value: v }, about[v] ? `${v} — ${about[v]}` : v)));
}

// A text is one line on a phone: a list element ("items[].title") goes in as a section on the same line.
function insertVariable() {
  const path = $('#sms-variable').value;
  if (!path) return;
  const at = path.lastIndexOf('[].');
  const text = at < 0 ? `{{${path}}}` : `{{#${path.slice(0, at)}}} {{${path.slice(at + 3)}}}{{/${path.slice(0, at)}}}`;
  const area = $('#sms-text');
  area.focus();
  area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
  area.dispatchEvent(new Event('input', { bubbles: true }));
}

function catalogueKey(key) {
  return key.replace(/^escalation-\d+$/, 'escalation-{level}');
}

function titleOf(catalogue, key) {
  return catalogue.find(s => s.key === catalogueKey(key))?.title ?? key;
}
