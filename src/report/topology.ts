import type { Report, ReportEvent, ReportFunction } from './build';
import { LEVELS, type Finding, type Level } from './findings';

export type NodeKind = 'source' | 'function' | 'target';

export interface TopologyNode {
  /** A short id, unique in the graph (`n1`, `n2`, ...). */
  id: string;
  kind: NodeKind;
  label: string;
  /** The most severe finding on it, if any. */
  level?: Level;
  findings: Finding[];
}

/**
 * `push/sync`, `push/async`, `pull/sync`: a source invokes the function (model/invocation); `target`:
 * where the function's or the queue's failed (or, on success, finished) events go.
 */
export interface TopologyEdge {
  from: string;
  to: string;
  label: string;
  kind: 'push/sync' | 'push/async' | 'pull/sync' | 'target' | 'unknown';
}

export interface Topology {
  title: string;
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

/** What a node shows: its name (a function's after `λ`), then how many findings it has. */
export function nodeLines(node: TopologyNode): string[] {
  const name = node.kind === 'function' ? `λ ${node.label}` : node.label;
  const count = node.findings.length;
  return count ? [name, `${count} ${node.level ?? ''} finding${count === 1 ? '' : 's'}`] : [name];
}

/**
 * The service as a graph, from its report: sources → functions → destinations and DLQs (a queue's DLQ
 * hangs off the queue). A source that feeds several functions is one node; so is a destination.
 */
export function topologyOf(report: Report): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges: TopologyEdge[] = [];
  const node = (key: string, kind: NodeKind, label: string): TopologyNode => {
    let found = nodes.get(key);
    if (!found) {
      found = { id: `n${nodes.size + 1}`, kind, label, findings: [] };
      nodes.set(key, found);
    }
    return found;
  };
  const target = (from: TopologyNode, label: string, name: string | undefined) => {
    if (name)
      edges.push({ from: from.id, to: node(`target ${name}`, 'target', name).id, label, kind: 'target' });
  };
  for (const fn of report.functions) {
    const fnNode = node(`function ${fn.name}`, 'function', fn.name);
    mark(fnNode, report.findings, fn, undefined);
    for (const event of fn.events) {
      const label = `${event.type} ${event.resource}`.trim();
      const source = node(`source ${label}`, 'source', label);
      mark(source, report.findings, fn, event);
      edges.push({ from: source.id, to: fnNode.id, ...edgeOf(event) });
      const { retry } = event;
      if (retry.owner === 'queue') target(source, 'redrive', retry.deadLetterQueue);
      if (retry.owner === 'mapping') target(fnNode, 'on failure', retry.onFailure);
    }
    target(fnNode, 'on success', fn.async.onSuccess);
    target(fnNode, 'on failure', fn.async.onFailure);
    target(fnNode, 'DLQ', fn.async.onError);
  }
  return {
    title: `${report.service} (${report.stage}, ${report.region})`,
    nodes: [...nodes.values()],
    edges: dedupe(edges),
  };
}

function edgeOf(event: ReportEvent): Pick<TopologyEdge, 'label' | 'kind'> {
  if (event.model === 'unknown') return { label: 'unknown', kind: 'unknown' };
  const kind = `${event.model}/${event.invocation}` as TopologyEdge['kind'];
  return { label: kind, kind };
}

/** Puts the findings about `fn` (or about one of its events) on the node, keeping the most severe level. */
function mark(node: TopologyNode, findings: Finding[], fn: ReportFunction, event: ReportEvent | undefined) {
  const own = findings.filter((f) => f.function === fn.name && f.event === event?.index);
  node.findings.push(...own);
  for (const finding of own) {
    if (node.level === undefined || LEVELS.indexOf(finding.level) < LEVELS.indexOf(node.level)) {
      node.level = finding.level;
    }
  }
}

function dedupe(edges: TopologyEdge[]): TopologyEdge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    const key = `${edge.from} ${edge.to} ${edge.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
