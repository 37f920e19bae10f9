/** The lines Lambda writes around every invocation, in CloudWatch's format. */
export const startLine = (requestId: string) => `START RequestId: ${requestId} Version: $LATEST`;
export const endLine = (requestId: string) => `END RequestId: ${requestId}`;

export function reportLine(
  requestId: string,
  report: { durationMs: number; memorySize: number; maxMemoryUsedMb: number; initDurationMs?: number },
): string {
  const parts = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.ceil(report.durationMs)} ms`,
    `Memory Size: ${report.memorySize} MB`,
    `Max Memory Used: ${report.maxMemoryUsedMb} MB`,
  ];
  if (report.initDurationMs !== undefined)
    parts.push(`Init Duration: ${report.initDurationMs.toFixed(2)} ms`);
  return parts.join('\t');
}

const TAIL_BYTES = 4096;

/** The Invoke API's X-Amz-Log-Result: the last 4 KB of the invocation's log, base64. */
export function logTail(lines: string[]): string {
  const log = Buffer.from(`${lines.join('\n')}\n`);
  return log.subarray(Math.max(0, log.length - TAIL_BYTES)).toString('base64');
}
