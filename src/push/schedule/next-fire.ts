import { Cron } from 'croner';
import type { ScheduleExpression } from '../../service/schedule-expression';

// AWS cron field -> the largest value, for rewriting AWS's `start/step` as croner's `start-max/step`.
const FIELD_MAX = [59, 23, 31, 12, 7];

/** AWS day-of-week numbers run 1 (SUN) to 7 (SAT); croner's run 0 to 6. */
const shiftWeekday = (field: string) => field.replace(/(?<!#)\b\d+/g, (n) => String(Number(n) - 1));

/** Rewrites AWS's six-field cron (minutes hours day-of-month month day-of-week year) for croner. */
function cronerPattern(fields: string[]): string {
  const [minutes, hours, dayOfMonth, month, dayOfWeek] = fields.map((field, i) =>
    i < 5 ? field.replace(/^(\d+)\/(\d+)$/, (_m, start, step) => `${start}-${FIELD_MAX[i]}/${step}`) : field,
  );
  return ['0', minutes, hours, dayOfMonth, month, shiftWeekday(dayOfWeek)].join(' ');
}

function yearMatches(field: string, year: number): boolean {
  if (field === '*') return true;
  return field.split(',').some((part) => {
    const [range, step = '1'] = part.split('/');
    const [from, to = from] = range.split('-').map(Number);
    return year >= from && year <= to && (year - from) % Number(step) === 0;
  });
}

/** Compiled once per schedule: when it fires next after a given time (undefined: never again). */
export function compileSchedule(
  expression: ScheduleExpression,
  timezone?: string,
): (after: Date) => Date | undefined {
  switch (expression.kind) {
    case 'rate':
      return (after) => new Date(after.getTime() + expression.seconds * 1000);
    case 'at': {
      // A one-off, in the schedule's timezone (UTC by default).
      const once = new Cron(expression.time, { paused: true, timezone: timezone ?? 'UTC' });
      return (after) => once.nextRun(after) ?? undefined;
    }
    case 'cron': {
      const cron = new Cron(cronerPattern(expression.fields), { paused: true, timezone: timezone ?? 'UTC' });
      const years = expression.fields[5];
      return (after) => {
        let next = cron.nextRun(after);
        for (let guard = 0; next && !yearMatches(years, next.getUTCFullYear()) && guard < 1000; guard++) {
          next = cron.nextRun(next);
        }
        return next && yearMatches(years, next.getUTCFullYear()) ? next : undefined;
      };
    }
  }
}
