/**
 * What a function that reports batch item failures answered, read with Lambda's rules: an empty or
 * null list, an empty or null response means complete success; an item identifier that is missing,
 * empty, not a string or not in the batch, a wrong key or a response that is not JSON means the whole
 * batch failed.
 */
export type BatchResponse = { kind: 'success' } | { kind: 'partial'; failed: string[] } | { kind: 'invalid' };

export function readBatchResponse(payload: string, identifiers: ReadonlySet<string>): BatchResponse {
  let response: unknown;
  try {
    response = payload.trim() === '' ? null : JSON.parse(payload);
  } catch {
    return { kind: 'invalid' };
  }
  if (response === null || response === undefined) return { kind: 'success' };
  if (typeof response !== 'object' || Array.isArray(response)) return { kind: 'invalid' };
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return { kind: 'success' };
  if (!Array.isArray(list)) return { kind: 'invalid' };
  const failed: string[] = [];
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !identifiers.has(id)) return { kind: 'invalid' };
    failed.push(id);
  }
  return failed.length ? { kind: 'partial', failed } : { kind: 'success' };
}
