import { createHash } from 'node:crypto';
import { randomHex } from './random-hex';

/**
 * X-Ray trace headers as Lambda and the HTTP fronts pass them (tracing not active, so not sampled): a root
 * `1-<epoch seconds, 8 hex>-<24 hex>`, and the header `Root=<root>;Parent=<16 hex>;Sampled=0;Lineage=...`
 * an invocation gets in `_X_AMZN_TRACE_ID` (and the Runtime API's `Lambda-Runtime-Trace-Id`).
 * `Parent` is the id of the invocation's segment: a call the function makes carries it (the SDKs copy
 * `_X_AMZN_TRACE_ID` into `X-Amzn-Trace-Id`), which is how an invocation is known to have caused
 * another. `Lineage` is what Lambda counts recursive loops with: one `1:<8 hex>:<count>` entry per
 * function of the chain, joined by `|` (the form AWS writes since 2024; the hash and the counter are
 * not documented: ours hash the function's ARN and count its invocations before this one).
 * https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html
 */

export function newTraceRoot(nowMs: number): string {
  const seconds = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `1-${seconds}-${randomHex(12)}`;
}

/** The trace header of a request that gives only a root (the fronts' `X-Amzn-Trace-Id`). */
export const rootTraceHeader = (root: string | undefined) =>
  root === undefined ? undefined : `Root=${root}`;

/** A new segment id, the `Parent` of the calls an invocation makes. */
export const newSegmentId = () => randomHex(8);

/** The parts of a trace header the emulator reads; a part it cannot read is absent. */
export interface TraceParts {
  root?: string;
  parent?: string;
  /** Per function hash, how many times the chain has invoked it. */
  lineage: Map<string, number>;
}

const ROOT = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\s*(?:;|$)/i;
const PARENT = /(?:^|;)\s*Parent=([0-9a-f]{16})\s*(?:;|$)/i;
const LINEAGE = /(?:^|;)\s*Lineage=([^;]*)/;
/** `1:<hash>:<count>`, or the older `<hash>:<count>`. */
const LINEAGE_ENTRY = /^(?:\d+:)?([0-9a-f]{8}):(\d+)$/i;

/** The root of a trace header a client sent, when it is a well-formed one. */
export function traceRootOf(header: string | undefined): string | undefined {
  return header === undefined ? undefined : ROOT.exec(header)?.[1]?.toLowerCase();
}

export function parseTrace(header: string | undefined): TraceParts {
  const lineage = new Map<string, number>();
  if (header === undefined) return { lineage };
  for (const entry of LINEAGE.exec(header)?.[1]?.split('|') ?? []) {
    const [, hash, count] = LINEAGE_ENTRY.exec(entry.trim()) ?? [];
    if (hash) lineage.set(hash.toLowerCase(), Number(count));
  }
  return { root: traceRootOf(header), parent: PARENT.exec(header)?.[1]?.toLowerCase(), lineage };
}

export function formatTrace(root: string, parent: string, lineage: Map<string, number>): string {
  let header = `Root=${root};Parent=${parent};Sampled=0`;
  let separator = ';Lineage=';
  for (const [hash, count] of lineage) {
    header += `${separator}1:${hash}:${count}`;
    separator = '|';
  }
  return header;
}

/** A function's key in a lineage. */
export const lineageHash = (functionArn: string) =>
  createHash('sha256').update(functionArn).digest('hex').slice(0, 8);
