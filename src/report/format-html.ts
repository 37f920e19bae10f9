import { escapeXml as escape } from '../aws/xml';
import type { Report } from './build';
import { topologyOf } from './topology';
import { TOPOLOGY_STYLE, topologySvg } from './topology-svg';

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1f2328; }
${TOPOLOGY_STYLE}
table { border-collapse: collapse; margin-top: 16px; }
td, th { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
`;

/**
 * The report as one standalone page: the topology (the graph the live view draws) and the findings. No
 * script and nothing fetched: it opens from disk anywhere.
 */
export function formatHtml(report: Report): string {
  const topology = topologyOf(report);
  const findings = report.findings.length
    ? `<table><tr><th>Level</th><th>Code</th><th>Function</th><th>Why</th></tr>${report.findings
        .map(
          (f) =>
            `<tr><td>${f.level}</td><td><code>${escape(f.code)}</code></td><td>${escape(f.function)}</td><td>${escape(f.message)}</td></tr>`,
        )
        .join('')}</table>`
    : '<p>None.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Invocation report: ${escape(topology.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Invocation report: ${escape(topology.title)}</h1>
<p>Solid: push, sync. Thick: push, async (Lambda's queue retries). Dashed: pull (an event source mapping polls). Dotted: where failed or finished events go.</p>
${topologySvg(topology)}
<h2>Findings</h2>
${findings}
</body>
</html>`;
}
