import type { Report } from './build';
import { nodeLines, topologyOf, type TopologyEdge, type TopologyNode } from './topology';

// Mermaid's arrows: push/sync plain, async thick, pull (the mapping polls) dotted.
const ARROW: Record<TopologyEdge['kind'], string> = {
  'push/sync': '-->',
  'push/async': '==>',
  'pull/sync': '-.->',
  target: '-->',
  unknown: '-.->',
};

/** Mermaid's entity codes for what would end a quoted label. */
const text = (label: string) =>
  label.replace(/[#"<>]/g, (c) => `#${{ '#': 35, '"': 34, '<': 60, '>': 62 }[c]};`);

function shape(node: TopologyNode): string {
  const label = `"${nodeLines(node).map(text).join('<br/>')}"`;
  if (node.kind === 'function') return `${node.id}([${label}])`;
  if (node.kind === 'target') return `${node.id}[(${label})]`;
  return `${node.id}[${label}]`;
}

/** The report as a Mermaid flowchart, which GitHub renders in a README or a pull request. */
export function formatMermaid(report: Report): string {
  const { title, nodes, edges } = topologyOf(report);
  const lines = [
    '---',
    `title: "${text(title)}"`,
    '---',
    'flowchart LR',
    ...nodes.map((node) => `  ${shape(node)}`),
    ...edges.map((edge) => `  ${edge.from} ${ARROW[edge.kind]}|"${text(edge.label)}"| ${edge.to}`),
    '  classDef error stroke:#d1242f,stroke-width:3px',
    '  classDef warning stroke:#bf8700,stroke-width:3px',
    '  classDef info stroke:#0969da,stroke-width:2px',
  ];
  for (const level of ['error', 'warning', 'info'] as const) {
    const marked = nodes.filter((node) => node.level === level).map((node) => node.id);
    if (marked.length) lines.push(`  class ${marked.join(',')} ${level}`);
  }
  return lines.join('\n');
}
