// The series behind a project's chart of gaps opened vs resolved.

import type { Gap } from './api/schemas.js';

/**
 * Per day: gaps first seen that day and gaps resolved that day, as cumulative counts, from zero on the day
 * before the first (so a project whose gaps all came on one day still draws lines, not two lone dots).
 */
export function gapsOverTime(gaps: Gap[]): { days: number[]; opened: number[]; resolved: number[] } {
  const day = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);
  const events = new Map<number, { opened: number; resolved: number }>();
  const bump = (d: number, key: 'opened' | 'resolved') => {
    const e = events.get(d) ?? { opened: 0, resolved: 0 };
    e[key]++;
    events.set(d, e);
  };
  for (const g of gaps) {
    bump(day(g.firstSeen.at), 'opened');
    if (g.resolved) bump(day(g.resolved.at), 'resolved');
  }
  const days = [...events.keys()].sort((a, b) => a - b);
  if (days.length) {
    days.unshift(days[0]! - 1);
    events.set(days[0]!, { opened: 0, resolved: 0 });
  }
  let o = 0;
  let r = 0;
  return {
    days: days.map((d) => d * 86_400),
    opened: days.map((d) => (o += events.get(d)!.opened)),
    resolved: days.map((d) => (r += events.get(d)!.resolved)),
  };
}
