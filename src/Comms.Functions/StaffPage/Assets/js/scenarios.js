// The scenario catalogue (GET /api/scenarios) and the library, read once per sign-in and shared by views.
import { api, libraryPath } from './api.js';

let catalogue = null;

export async function scenarios() {
  catalogue ??= api('GET', '/api/scenarios').then(r => r.items);
  return catalogue;
}

export function library() {
  return api('GET', libraryPath());
}

/** Every key a notice can be logged or a template used under: "escalation-{level}" becomes one per level. */
export async function scenarioKeys() {
  const [items, lib] = await Promise.all([scenarios(), library()]);
  const levels = lib.timing?.escalationDaysAfterDue?.length ?? 0;
  return items.flatMap(s => s.key.endsWith('-{level}')
    ? Array.from({ length: levels }, (_, i) => s.key.replace('{level}', String(i + 1)))
    : [s.key]);
}
