const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `90s`, `2m`, `1h30m`, `1d`, or milliseconds as a number. */
export function durationMs(duration: string | number): number {
  if (typeof duration === 'number') {
    if (Number.isFinite(duration) && duration >= 0) return duration;
  } else {
    const parts = [...duration.trim().matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)];
    const total = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0);
    if (
      parts.length > 0 &&
      parts
        .map(([text]) => text)
        .join('')
        .replace(/\s/g, '') === duration.replace(/\s/g, '')
    ) {
      return total;
    }
  }
  throw new TypeError(
    `not a duration: ${JSON.stringify(duration)} (a number of ms, or e.g. "500ms", "90s", "2m", "1h30m")`,
  );
}
