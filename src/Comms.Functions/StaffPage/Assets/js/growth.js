// "Blacklist growth" on the dashboard: how many of the library's contacts' addresses a provider's report (hard bounce,
// complaint, suppression) blacklisted each day, as an SVG bar chart and the same numbers as a table
// (report.blacklistAdded from GET /api/libraries/{id}/dashboard).
import { el, emptyState, table } from './dom.js';
import { formatNumber, stackedBars } from './chart.js';

const series = [{ name: 'Addresses blacklisted', className: 'series-bad' }];

export function blacklistGrowth(report, dayLabel, shortDay) {
  const days = report.blacklistAdded.map(d => ({ label: shortDay(d.date), date: d.date, values: [d.count] }));
  const total = days.reduce((sum, d) => sum + d.values[0], 0);
  const title = `Blacklist growth, ${dayLabel(report.from)} to ${dayLabel(report.to)}`;
  const section = el('section', { class: 'card', 'aria-labelledby': 'dash-growth-title' }, el('h2', { id: 'dash-growth-title' }, title));
  if (total === 0) {
    section.append(emptyState('No address of this library\'s readers or suppliers was blacklisted in this period.'));
    return section;
  }
  const summary = `${formatNumber(total)} ${total === 1 ? 'address' : 'addresses'} of this library's readers and suppliers blacklisted after a bounce or complaint.`;
  section.append(...[
    el('p', {}, summary),
    stackedBars(title, summary, days, series),
    report.blacklistAddedTruncated ? el('p', { class: 'notice-line' }, 'There were too many to count them all.') : null,
    el('details', {},
      el('summary', {}, 'The blacklist numbers per day'),
      table(`${title}, days with new entries`, ['Day', 'Addresses blacklisted'],
        days.filter(d => d.values[0] > 0).reverse().map(d => [dayLabel(d.date), formatNumber(d.values[0])]))),
    el('p', { class: 'hint' }, 'Counted when a provider reports a hard bounce, a complaint or a suppression for one of this library\'s emails. Addresses the nightly sync copies from the provider are not counted until this library emails them.'),
  ].filter(Boolean));
  return section;
}
