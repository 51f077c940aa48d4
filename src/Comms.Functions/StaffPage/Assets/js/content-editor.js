// Content mode in the template editor: staff write the message as formatted text (the server makes the HTML and,
// unless edited, the plain text from it), insert variables from the scenario's model with a picker, and insert an
// item table as one block. HTML mode keeps the raw HTML body for those who want it.
import { $, el } from './dom.js';
import { scenarios } from './scenarios.js';

// The lists "[[table …]]" can show (ContentTables on the server).
const tables = [['items', 'Items'], ['order.lines', 'Order lines'], ['charges.lines', 'Charges'], ['renewals.items', 'Renewals']];

export function init(onChange) {
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', () => { show(); onChange(); });
  $('#ed-source').addEventListener('input', onChange);
  $('#ed-text-follows').addEventListener('change', () => { $('#ed-text').readOnly = $('#ed-text-follows').checked; onChange(); });
  $('#ed-insert-variable').addEventListener('click', () => insert(variableText($('#ed-variable').value)));
  $('#ed-insert-table').addEventListener('click', () => insert(`\n[[table ${$('#ed-table').value}]]\n`));
}

/** Fills the mode, source and text flag from a saved version. */
export function load(content) {
  const mode = content.mode === 'content' ? 'content' : 'html';
  $(`#ed-mode-${mode}`).checked = true;
  $('#ed-source').value = content.source ?? '';
  $('#ed-text-follows').checked = mode === 'content' && !content.textEdited;
  $('#ed-text').readOnly = $('#ed-text-follows').checked;
  show();
}

/** The mode's part of a draft or save: content mode sends the source (and the text only when edited by hand). */
export function fields(html, text) {
  if (!$('#ed-mode-content').checked) return { mode: 'html', html, text };
  const follows = $('#ed-text-follows').checked;
  return { mode: 'content', source: $('#ed-source').value, textEdited: !follows, text: follows ? '' : text };
}

/** The picker lists the variables of the scenario the preview uses ("escalation-2" reads "escalation-{level}"), each with its description. */
export async function fillPicker(scenarioKey) {
  const key = (scenarioKey ?? '').split(':')[0].replace(/^escalation-\d+$/, 'escalation-{level}');
  const scenario = (await scenarios()).find(s => s.key === key);
  const variables = scenario?.variables ?? [];
  // The description is part of the option's own text, so a screen reader reads it with the name as the option is
  // reached (a separate hint linked by aria-describedby is read only when the list gets focus, not per option).
  const about = scenario?.variableDescriptions ?? {};
  $('#ed-variable').replaceChildren(...variables.map(v => el('option', { value: v }, about[v] ? `${v} — ${about[v]}` : v)));
  const lists = tables.filter(([list]) => variables.some(v => v.startsWith(`${list}[]`)));
  $('#ed-table').replaceChildren(...lists.map(([list, label]) => el('option', { value: list }, label)));
  $('#ed-table').disabled = $('#ed-insert-table').disabled = lists.length === 0;
}

function show() {
  const content = $('#ed-mode-content').checked;
  $('#ed-content-part').hidden = !content;
  $('#ed-html-part').hidden = content;
  if (!content) $('#ed-text').readOnly = false;
  // Starting a formatted-text version from nothing: the plain text is already close to it, and from now on follows it.
  if (content && !$('#ed-source').value.trim()) {
    $('#ed-source').value = $('#ed-text').value;
    $('#ed-text-follows').checked = true;
    $('#ed-text').readOnly = true;
  }
}

// "items[].title" is shown once per item: inserted as a list section, so it works where it lands.
function variableText(path) {
  const at = path.lastIndexOf('[].');
  if (at < 0) return `{{${path}}}`;
  return `\n{{#${path.slice(0, at)}}}\n- {{${path.slice(at + 3)}}}\n{{/${path.slice(0, at)}}}\n`;
}

function insert(text) {
  const area = $('#ed-source');
  area.focus();
  area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
  area.dispatchEvent(new Event('input', { bubbles: true }));
}
