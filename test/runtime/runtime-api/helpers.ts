import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FunctionConfig, Instance, InvocationInput, InvocationResult } from '../../../src/runtime/types';

export const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'runtime-api');
export const PYTHON_SERVICE = path.join(FIXTURES, 'python');
export const PROVIDED_SERVICE = path.join(FIXTURES, 'provided');

/** A function as lambda/ would hand it to a runtime, with Lambda's reserved variables. */
export function functionConfig(
  overrides: Partial<FunctionConfig> & Pick<FunctionConfig, 'handler'>,
): FunctionConfig {
  const name = `svc-dev-${overrides.key ?? 'fn'}`;
  return {
    key: 'fn',
    name,
    runtime: 'python3.11',
    timeout: 6,
    memorySize: 256,
    serviceDir: PYTHON_SERVICE,
    arn: `arn:aws:lambda:eu-west-1:000000000000:function:${name}`,
    awsEndpoint: 'http://127.0.0.1:1',
    layers: [],
    recursiveLoop: 'Terminate',
    environment: {
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/01/[$LATEST]0123456789abcdef',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      STAGE: 'dev',
    },
    ...overrides,
  };
}

export function invocation(
  fn: FunctionConfig,
  event: unknown,
  extra: Partial<InvocationInput> = {},
): InvocationInput {
  return {
    requestId: randomUUID(),
    event: JSON.stringify(event),
    deadlineMs: Date.now() + fn.timeout * 1000,
    invokedFunctionArn: fn.arn,
    traceId: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0',
    ...extra,
  };
}

/** Runs one invocation and collects its log lines. */
export async function run(
  instance: Instance,
  input: InvocationInput,
): Promise<{ result: InvocationResult; lines: string[] }> {
  const lines: string[] = [];
  const result = await instance.invoke(input, (line) => lines.push(line));
  return { result, lines };
}

/** Live (not zombie) processes of a process group, read from /proc. */
export function liveProcessesInGroup(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') live.push(Number(entry));
  }
  return live;
}

/**
 * Checks `condition` every 10 ms until it holds or `ms` have passed; tells whether it held. For what a
 * test can see happen (a line a process wrote, a process in /proc) but cannot be told of.
 */
export async function eventually(condition: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/**
 * The live processes left in a process group once they have had up to `ms` to finish dying: SIGKILL
 * is delivered at once, but a killed grandchild (curl) may still be tearing down for a moment after the
 * group leader was reaped.
 */
export async function survivorsInGroup(pgid: number, ms = 1000): Promise<number[]> {
  let live: number[] = [];
  await eventually(() => (live = liveProcessesInGroup(pgid)).length === 0, ms);
  return live;
}

/** A Python interpreter of that minor version, if this machine has one (directly or through pyenv). */
export function pythonOfVersion(version: string): string | undefined {
  const candidates = [`python${version}`];
  const pyenvRoot = process.env.PYENV_ROOT ?? path.join(process.env.HOME ?? '/root', '.pyenv');
  try {
    for (const dir of readdirSync(path.join(pyenvRoot, 'versions'))) {
      if (dir.startsWith(`${version}.`))
        candidates.push(path.join(pyenvRoot, 'versions', dir, 'bin', 'python3'));
    }
  } catch {
    // no pyenv
  }
  for (const candidate of candidates) {
    try {
      const out = execFileSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      if (out.trim() === version) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}
