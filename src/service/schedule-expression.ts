/**
 * EventBridge schedule expressions: `rate(value unit)`, six-field `cron(...)`, and (EventBridge
 * Scheduler only) one-time `at(yyyy-mm-ddThh:mm:ss)`.
 */
export type ScheduleExpression =
  { kind: 'rate'; seconds: number } | { kind: 'cron'; fields: string[] } | { kind: 'at'; time: string };

const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };
// minutes hours day-of-month month day-of-week year, each with the characters AWS allows there
const CRON_FIELDS = [
  /^[0-9,*/-]+$/,
  /^[0-9,*/-]+$/,
  /^([0-9,*/?LW-]+)$/,
  /^([0-9,*/-]|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)+$/i,
  /^([0-9,*/?L#-]|SUN|MON|TUE|WED|THU|FRI|SAT)+$/i,
  /^[0-9,*/-]+$/,
];

/** Parses an expression, or returns why it is invalid. */
export function parseScheduleExpression(
  expression: string,
  method: 'eventBus' | 'scheduler',
): ScheduleExpression | { error: string } {
  const rate = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) return { error: 'a rate must be at least 1' };
    if ((value === 1) !== (rate[3] === '')) {
      return {
        error: `use "${value} ${rate[2]}${value === 1 ? '' : 's'}" (AWS requires the singular for 1)`,
      };
    }
    return { kind: 'rate', seconds: value * UNIT_SECONDS[rate[2]] };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) {
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) return { error: `cron() takes 6 fields, got ${fields.length}` };
    const bad = fields.findIndex((field, i) => !CRON_FIELDS[i].test(field));
    if (bad >= 0) return { error: `cron() field ${bad + 1} ("${fields[bad]}") is not valid` };
    if ((fields[2] === '?') === (fields[4] === '?')) {
      return { error: 'cron() needs "?" in exactly one of day-of-month and day-of-week' };
    }
    return { kind: 'cron', fields };
  }
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (at && method === 'scheduler') return { kind: 'at', time: at[1] };
  const forms = method === 'scheduler' ? 'rate(...), cron(...) or at(...)' : 'rate(...) or cron(...)';
  return { error: `must be ${forms}` };
}
