// "Going out next" on the dashboard: how many loans reach each ladder step at the next planned send time, shown in
// the library's own time zone (report.planned from GET /api/libraries/{id}/dashboard; null when nothing is planned).
import { el, emptyState, table } from './dom.js';
import { formatNumber } from './chart.js';

export function planned(plan) {
  const section = el('section', { class: 'card', 'aria-labelledby': 'dash-planned-title' },
    el('h2', { id: 'dash-planned-title' }, 'Going out next'));
  if (!plan) {
    section.append(emptyState('No loan notices are planned.'));
    return section;
  }
  const rows = Object.entries(plan.scenarios).sort(([a], [b]) => a.localeCompare(b));
  // append() writes null as the word "null": the optional line is left out by filter.
  section.append(...[
    el('p', {}, el('strong', {}, wallClock(plan.localTime)), ` (${plan.timeZone}): `,
      `${formatNumber(plan.total)} ${plan.total === 1 ? 'loan reaches' : 'loans reach'} a notice step.`),
    table('Loans per notice at the next send time', ['Notice', 'Loans'], rows.map(([scenario, count]) => [scenario, formatNumber(count)])),
    el('p', { class: 'hint' }, 'Loans, not emails: one reader\'s loans of the same step go in one email, and a reader who has turned a notice off or is blacklisted gets none.'),
    plan.truncated ? el('p', { class: 'notice-line' }, 'There are too many to count them all: these are the first ones.') : null,
  ].filter(Boolean));
  return section;
}

// localTime is the library's wall-clock time without an offset: format it as written, whatever the browser's zone.
function wallClock(localTime) {
  return new Date(`${localTime}Z`).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
}
