import type { Report } from './build';

const cell = (text: string | number | undefined) => String(text ?? '').replace(/\|/g, '\\|');
const row = (cells: Array<string | number | undefined>) => `| ${cells.map(cell).join(' | ')} |`;

/** The report as Markdown tables that paste into a README or a pull request. */
export function formatMarkdown(report: Report): string {
  const events = report.functions.flatMap((fn) =>
    fn.events.length
      ? fn.events.map((e) => row([fn.name, e.type, e.model, e.invocation, e.resource, e.retry.summary]))
      : [row([fn.name, '(none)', '', '', 'no events: invoked directly', ''])],
  );
  const findings = report.findings.map((f) =>
    row([f.level, `\`${f.code}\``, f.function, f.event === undefined ? '' : f.event, f.message]),
  );
  return [
    `## Invocation report: ${report.service} (${report.stage}, ${report.region})`,
    '',
    row(['Function', 'Source', 'Model', 'Invocation', 'Resource', 'On error']),
    row(['---', '---', '---', '---', '---', '---']),
    ...events,
    '',
    '### Findings',
    '',
    ...(findings.length
      ? [
          row(['Level', 'Code', 'Function', 'Event', 'Why']),
          row(['---', '---', '---', '---', '---']),
          ...findings,
        ]
      : ['None.']),
  ].join('\n');
}
