import { graphlib, layout } from '@dagrejs/dagre';
import { escapeXml as escape } from '../aws/xml';
import { nodeLines, type Topology, type TopologyEdge } from './topology';

// Text is measured by its length: a monospace font keeps the boxes true to it without a browser.
const CHAR_WIDTH = 7.8;
const LINE_HEIGHT = 18;
const PADDING = 12;

/** How the SVG's classes look: the report's page and the live view both use it. */
export const TOPOLOGY_STYLE = `.topology text { font: 13px ui-monospace, monospace; fill: #1f2328; }
.topology text.note, .topology .edge-label { font-size: 11px; fill: #57606a; }
.topology .node rect { fill: #fff; stroke: #57606a; stroke-width: 1.5; }
.topology .node.function rect { fill: #ddf4ff; }
.topology .node.target rect { fill: #f6f8fa; }
.topology .node.error rect { stroke: #d1242f; stroke-width: 3; }
.topology .node.warning rect { stroke: #bf8700; stroke-width: 3; }
.topology .node.info rect { stroke: #0969da; stroke-width: 2; }
.topology .edge path { stroke: #57606a; }
.topology .edge-label { paint-order: stroke; stroke: #fff; stroke-width: 4px; }
.topology marker path { fill: #57606a; }`;

const EDGE_STYLE: Record<TopologyEdge['kind'], string> = {
  'push/sync': '',
  'push/async': ' stroke-width="3"',
  'pull/sync': ' stroke-dasharray="6 4"',
  target: ' stroke-dasharray="2 3"',
  unknown: ' stroke-dasharray="2 3"',
};

/**
 * The topology laid out by dagre (left to right: sources, functions, destinations) as one SVG element,
 * each node a `<g class="node <kind> <level>" data-node="<label>">` with its findings as a tooltip.
 */
export function topologySvg(topology: Topology): string {
  const graph = new graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 90, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of topology.nodes) {
    const lines = nodeLines(node);
    const width = Math.max(...lines.map((line) => line.length)) * CHAR_WIDTH + 2 * PADDING;
    graph.setNode(node.id, { width, height: lines.length * LINE_HEIGHT + PADDING });
  }
  topology.edges.forEach((edge, i) =>
    graph.setEdge(
      edge.from,
      edge.to,
      { label: edge.label, width: edge.label.length * CHAR_WIDTH, height: LINE_HEIGHT, labelpos: 'c' },
      String(i),
    ),
  );
  layout(graph);
  const { width = 0, height = 0 } = graph.graph();
  const nodes = topology.nodes.map((node) => {
    const { x, y, width: w, height: h } = graph.node(node.id);
    const lines = nodeLines(node);
    const rx = node.kind === 'function' ? h / 2 : node.kind === 'target' ? 10 : 3;
    const tip = node.findings.map((f) => `${f.level} ${f.code}: ${f.message}`).join('\n');
    const texts = lines
      .map(
        (line, i) =>
          `<text x="${x}" y="${y - ((lines.length - 1) * LINE_HEIGHT) / 2 + i * LINE_HEIGHT}" text-anchor="middle" dominant-baseline="central"${i > 0 ? ' class="note"' : ''}>${escape(line)}</text>`,
      )
      .join('');
    return `<g class="node ${node.kind}${node.level ? ` ${node.level}` : ''}" data-node="${escape(node.label)}">${tip ? `<title>${escape(tip)}</title>` : ''}<rect x="${x - w / 2}" y="${y - h / 2}" width="${w}" height="${h}" rx="${rx}"/>${texts}</g>`;
  });
  const edges = topology.edges.map((edge, i) => {
    const { points, x, y } = graph.edge({ v: edge.from, w: edge.to, name: String(i) });
    const path = points
      .map(
        (p: { x: number; y: number }, j: number) =>
          `${j === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`,
      )
      .join(' ');
    const label =
      x === undefined || y === undefined
        ? ''
        : `<text x="${x}" y="${y}" text-anchor="middle" dominant-baseline="central" class="edge-label">${escape(edge.label)}</text>`;
    return `<g class="edge ${edge.kind.replace('/', '-')}"><path d="${path}" fill="none" marker-end="url(#arrow)"${EDGE_STYLE[edge.kind]}/>${label}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="topology" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Topology">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
}
