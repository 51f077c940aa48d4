// The library's email layout (logo, colours, footer, contact line, address): read, preview a draft, save, reset.
// Colours are checked on the server (hex, contrast 4.5:1), and its messages land next to the fields.
import { api, ApiError, libraryPath } from './api.js';
import { $, announce } from './dom.js';
import { clearErrors, showErrors } from './errors.js';
import { showEmail } from './email-frame.js';

const fields = {
  logoUrl: '#ly-logo', brandColour: '#ly-brand', brandTextColour: '#ly-brand-text', linkColour: '#ly-link',
  footerText: '#ly-footer', contactLine: '#ly-contact', address: '#ly-address',
};

export function init() {
  $('#layout-form').addEventListener('submit', save);
  $('#ly-preview').addEventListener('click', preview);
  $('#ly-reset').addEventListener('click', reset);
}

// The saved layout's logo, read once per library for the editor's preview; saving or resetting the layout forgets it.
let savedLogo = null;

/** The logo address of the library's saved layout (null without one): the template preview's frame lets it load. */
export function savedLogoUrl() {
  const path = libraryPath('layout');
  if (savedLogo?.path !== path) savedLogo = { path, url: api('GET', path).then(layout => layout.logoUrl ?? null, () => null) };
  return savedLogo.url;
}

export async function open() {
  fill(await api('GET', libraryPath('layout')));
  await preview();
}

function fill(layout) {
  clearErrors($('#layout-form'));
  for (const [name, selector] of Object.entries(fields)) $(selector).value = layout[name] ?? '';
}

function draft() {
  return Object.fromEntries(Object.entries(fields).map(([name, selector]) => [name, $(selector).value.trim() || null]));
}

async function preview() {
  const state = $('#ly-state');
  try {
    const result = await api('POST', libraryPath('templates/preview'), { templateId: 'default:welcome', layout: draft() });
    clearErrors($('#layout-form'));
    // The logo being tried, not the saved one: the frame's policy allows exactly its origin.
    await showEmail($('#ly-frame'), result.html, draft().logoUrl);
    state.textContent = 'Preview of the welcome notice in this layout.';
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    showErrors($('#layout-form'), error.errors, { prefix: 'layout.', summaryText: 'The layout has errors; see the fields marked.' })?.focus();
    state.textContent = 'The preview shows the last valid layout.';
  }
}

async function save(event) {
  event.preventDefault();
  try {
    fill(await api('PUT', libraryPath('layout'), draft()));
    savedLogo = null;
    announce('Layout saved: notices use it from now on.');
    await preview();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    showErrors($('#layout-form'), error.errors)?.focus();
    announce('The layout was not saved: please correct the fields marked.', 'error');
  }
}

async function reset() {
  await api('DELETE', libraryPath('layout'));
  savedLogo = null;
  await open();
  announce('Back to the neutral layout.');
}
