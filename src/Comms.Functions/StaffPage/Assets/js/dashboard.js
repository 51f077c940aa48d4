// The dashboard, the first view after sign-in: notices per day by status (a stacked SVG bar chart and the same
// numbers as a table), the bounce and complaint rates against the provider's thresholds, and the failed notices
// with a link to the email log filtered to them. Everything comes from GET /api/libraries/{id}/dashboard.
import { api, ApiError, libraryPath, query } from './api.js';
import { $, el, emptyState, errorState, table } from './dom.js';
import { clearErrors, showErrors } from './errors.js';
import { scenarioKeys } from './scenarios.js';
import { formatNumber, formatPercent, gauge, stackedBars } from './chart.js';
import { planned } from './planned.js';
import { blacklistGrowth } from './growth.js';

// Chart series: statuses grouped by what staff do about them. Words carry the meaning; colours only repeat it.
const series = [
  { name: 'Sent or delivered', className: 'series-ok', statuses: ['sent', 'delivered'] },
  { name: 'Bounced or complained', className: 'series-bad', statuses: ['bounced', 'complained'] },
  { name: 'Failed', className: 'series-failed', statuses: ['failed', 'invalidAddress'] },
  { name: 'Not sent (suppressed, no contact, skipped)', className: 'series-skipped', statuses: ['suppressed', 'noContact', 'skipped'] },
];

const attentionLabels = { failed: 'failed', invalidAddress: 'with an invalid address' };
const levelWords = { ok: 'Healthy', review: 'At the review threshold', pause: 'At the pause threshold' };

let loadedScenarios = false;

export function init() {
  $('#dash-filters').addEventListener('submit', event => { event.preventDefault(); load(); });
}

export async function open() {
  if (!loadedScenarios) {
    const select = $('#dash-scenario');
    for (const key of await scenarioKeys()) select.append(el('option', { value: key }, key));
    loadedScenarios = true;
  }
  await load();
}

async function load() {
  const form = $('#dash-filters');
  const body = $('#dash-body');
  body.setAttribute('aria-busy', 'true');
  try {
    const report = await api('GET', libraryPath('dashboard') + query(Object.fromEntries(new FormData(form))));
    clearErrors(form);
    body.replaceChildren(...render(report).filter(Boolean));
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      showErrors(form, error.errors)?.focus();
      body.replaceChildren(errorState('Some choices are not valid; see the messages above.'));
    } else {
      body.replaceChildren(errorState(`The dashboard could not be loaded: ${error.message}`));
    }
  } finally {
    body.removeAttribute('aria-busy');
  }
}

function render(report) {
  return [
    report.truncated
      ? el('p', { class: 'notice-line' }, `There were too many emails to count them all: the counts are complete from ${dayLabel(report.completeFrom)}.`)
      : null,
    el('div', { class: 'dash-grid' }, health(report.health, report), attention(report), planned(report.planned)),
    daily(report),
    blacklistGrowth(report, dayLabel, shortDay),
  ];
}

function health(h, report) {
  const rate = (name, value, thresholds) => {
    const text = `${name} ${formatPercent(value)}: review at ${formatPercent(thresholds.review)}, pause at ${formatPercent(thresholds.pause)}.`;
    return el('div', { class: 'rate' },
      el('p', {}, el('strong', {}, `${name}: ${formatPercent(value)}`), ` (review at ${formatPercent(thresholds.review)}, pause at ${formatPercent(thresholds.pause)})`),
      gauge(text, value, thresholds.review, thresholds.pause));
  };
  return el('section', { class: 'card', 'aria-labelledby': 'dash-health-title' },
    el('h2', { id: 'dash-health-title' }, 'Sending health'),
    el('p', {}, el('span', { class: `badge badge-health-${h.level}` }, levelWords[h.level] ?? h.level),
      ` ${formatNumber(h.accepted)} emails accepted by the provider from ${dayLabel(report.from)} to ${dayLabel(report.to)}, every scenario.`),
    rate('Bounce rate', h.bounceRate, h.bounceThresholds),
    rate('Complaint rate', h.complaintRate, h.complaintThresholds),
    el('p', { class: 'hint' }, 'Amazon SES reviews an account whose bounces reach 5 % or complaints 0.1 %, and may pause its sending at 10 % or 0.5 %. Few emails make the rates jumpy.'));
}

function attention(report) {
  const from = report.from;
  const items = Object.entries(report.needsAttention).filter(([, count]) => count > 0);
  return el('section', { class: 'card', 'aria-labelledby': 'dash-attention-title' },
    el('h2', { id: 'dash-attention-title' }, 'Needs attention'),
    items.length
      ? el('ul', { class: 'attention' }, items.map(([status, count]) => el('li', {},
        el('a', { href: `#log?${new URLSearchParams({ status: status[0].toUpperCase() + status.slice(1), from })}` },
          `${formatNumber(count)} ${count === 1 ? 'email' : 'emails'} ${attentionLabels[status] ?? status}`),
        ' since ', dayLabel(from))))
      : emptyState('Nothing failed in this period.'));
}

function daily(report) {
  const days = report.days.map(d => ({
    label: shortDay(d.date),
    date: d.date,
    values: series.map(s => s.statuses.reduce((sum, status) => sum + (d.statuses[status] ?? 0), 0)),
  }));
  const totals = series.map((_, k) => days.reduce((sum, d) => sum + d.values[k], 0));
  const total = totals.reduce((a, b) => a + b, 0);
  const scope = report.scenario ? `${report.scenario} notices` : 'Notices';
  const title = `${scope} per day, ${dayLabel(report.from)} to ${dayLabel(report.to)}`;
  const section = el('section', { class: 'card', 'aria-labelledby': 'dash-daily-title' }, el('h2', { id: 'dash-daily-title' }, title));
  if (total === 0) {
    section.append(emptyState('No emails in this period.'));
    return section;
  }
  const summary = `${formatNumber(total)} emails: ` + series.map((s, k) => `${formatNumber(totals[k])} ${s.name.toLowerCase()}`).join(', ') + '.';
  section.append(
    el('p', {}, summary),
    stackedBars(title, summary, days, series),
    el('ul', { class: 'legend', 'aria-hidden': 'true' }, series.map(s => el('li', {}, el('span', { class: `swatch ${s.className}` }), s.name))),
    // The same numbers for screen readers and for anyone who wants them exact; busy days only, newest first.
    el('details', {},
      el('summary', {}, 'The numbers per day'),
      table(`${title}, days with emails`, ['Day', ...series.map(s => s.name), 'Total'],
        days.filter(d => d.values.some(v => v > 0)).reverse()
          .map(d => [dayLabel(d.date), ...d.values.map(formatNumber), formatNumber(d.values.reduce((a, b) => a + b, 0))]))));
  return section;
}

function dayLabel(date) {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

function shortDay(date) {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
}
