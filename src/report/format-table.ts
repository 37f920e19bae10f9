import { plural } from '../plural';
import chalk from 'chalk';
import type { Report, ReportEvent, ReportFunction } from './build';
import type { Finding } from './findings';

const WIDTH = 80;

const TYPE_WIDTH = 16;
const CLASS_WIDTH = 12;
const INDENT = ' '.repeat(2 + TYPE_WIDTH);

/**
 * Greedy word wrap; the first line is `first` columns wide, the rest `rest` columns. Pass a list of
 * phrases to keep each one whole.
 */
function wrap(text: string | string[], first = WIDTH - 2, rest = WIDTH - 4): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of typeof text === 'string' ? text.split(' ') : text) {
    const limit = lines.length === 0 ? first : rest;
    if (word.length > limit) {
      // An unbreakable token such as an ARN: cut it where the line ends.
      if (line) lines.push(line);
      lines.push(...(word.match(new RegExp(`.{1,${rest}}`, 'g')) ?? []));
      line = lines.pop() ?? '';
      continue;
    }
    if (line && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}

/** The report as a terminal table grouped by function, readable at 80 columns. */
export function formatTable(report: Report, color: boolean): string {
  const c = new chalk.Instance({ level: color ? 1 : 0 });
  const MODEL_COLOR = { push: c.cyan, pull: c.magenta, unknown: c.red };
  const INVOCATION_COLOR = { sync: c.green, async: c.yellow, unknown: c.red };
  const LEVEL_COLOR = { error: c.red, warning: c.yellow, info: c.blue };

  /** A bold title and its dim details, on one line when they fit in 80 columns. */
  const heading = (title: string, details: string) => {
    const titleLines = wrap([title], WIDTH, WIDTH).map((l) => c.bold(l));
    const last = titleLines.length - 1;
    if (wrap([title, details], WIDTH, WIDTH).length === 1) return [`${titleLines[0]} ${c.dim(details)}`];
    return [
      ...titleLines.slice(0, last + 1),
      ...wrap(details, WIDTH - 2, WIDTH - 2).map((l) => `  ${c.dim(l)}`),
    ];
  };
  const finding = (f: Finding) => {
    const [first, ...rest] = wrap(`${f.code}: ${f.message}`, WIDTH - 12, WIDTH - 4);
    return [`  ${LEVEL_COLOR[f.level](`! ${f.level.padEnd(7)}`)} ${first}`, ...rest.map((l) => `    ${l}`)];
  };
  const event = (e: ReportEvent) => {
    const cls =
      e.model === 'unknown'
        ? MODEL_COLOR.unknown('unknown'.padEnd(CLASS_WIDTH))
        : `${MODEL_COLOR[e.model](e.model.padEnd(5))}${INVOCATION_COLOR[e.invocation](e.invocation.padEnd(CLASS_WIDTH - 5))}`;
    const resourceWidth = WIDTH - 2 - TYPE_WIDTH - CLASS_WIDTH;
    const [first, ...more] = wrap(e.resource, resourceWidth, resourceWidth);
    const retry = wrap(`↳ ${e.retry.summary}`, WIDTH - INDENT.length, WIDTH - INDENT.length - 2);
    return [
      `  ${`${e.type} `.padEnd(TYPE_WIDTH)}${cls}${first}`,
      ...more.map((l) => `${INDENT}${' '.repeat(CLASS_WIDTH)}${l}`),
      ...retry.map((l, i) => c.dim(`${INDENT}${i ? '  ' : ''}${l}`)),
    ];
  };
  const fn = (f: ReportFunction) => {
    const facts = [f.runtime, `${f.timeout} s`, `${f.memorySize} MB`];
    if (f.reservedConcurrency !== undefined) facts.push(`reserved ${f.reservedConcurrency}`);
    const findings = report.findings.filter((x) => x.function === f.name);
    return [
      '',
      ...heading(f.name, `(${facts.join(', ')})`),
      ...(f.events.length
        ? f.events.flatMap(event)
        : [c.dim('  no events in serverless.yml: invoked directly, or by a source set up elsewhere')]),
      ...findings.flatMap(finding),
    ];
  };
  const { summary } = report;
  const indented = (lines: string[]) => lines.map((l, i) => `${i ? '    ' : '  '}${l}`);
  const list = (counts: Record<string, number>) => {
    const phrases = Object.entries(counts).map(
      ([k, n], i, all) => `${k} ${n}${i < all.length - 1 ? ',' : ''}`,
    );
    return phrases.length ? phrases : ['none'];
  };
  return [
    ...heading(report.service, `stage ${report.stage}, region ${report.region}`),
    ...report.functions.flatMap(fn),
    '',
    c.bold('Summary'),
    ...indented(
      wrap([
        `${plural(summary.functions, 'function')}, ${plural(summary.sources, 'source')}:`,
        ...list(summary.byClass),
      ]),
    ),
    ...indented(wrap(['by type:', ...list(summary.byType)])),
    `  findings: ${plural(summary.findings.error, 'error')}, ${plural(summary.findings.warning, 'warning')}, ${summary.findings.info} info`,
  ].join('\n');
}
