import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Instance, InvocationInput, InvocationResult } from '../types';
import { InstanceLog } from '../instance-log';
import { LambdaErrorType, processEndError, type ProcessEnd } from '../lambda-errors';
import { LineSplitter } from './line-splitter';
import { RuntimeApiServer, type RuntimeAnswer } from './runtime-api-server';

/** The process that runs a function's runtime. */
export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  /** The function's complete environment; of the emulator's own, only PATH, HOME and LANG are added. */
  env: Record<string, string>;
}

/** Variables of the emulator's own environment a runtime process gets (unless the function sets them). */
const INHERITED_VARIABLES = ['PATH', 'HOME', 'LANG'];
/** After the process exits, how long to wait for the rest of its output. */
const OUTPUT_GRACE_MS = 250;
/** How long `terminate()` waits for the killed process to be reaped. */
const KILL_WAIT_MS = 2000;

type InvocationLog = (line: string) => void;

/**
 * One runtime process that speaks the Lambda Runtime API to its own RuntimeApiServer. The process starts
 * at once (Lambda's init phase); init lasts from the spawn until its first `next`. Each line it writes on
 * stdout or stderr goes to the current invocation's `log`; lines written between invocations (init
 * output included) are held and handed to the next invocation first. When the process ends while an
 * invocation is pending, that invocation gets Lambda's `Runtime.ExitError`, marked fatal; so does every
 * later one.
 */
export class ProcessInstance implements Instance {
  private readonly booted: Promise<void>;
  readonly initialized: Promise<void>;
  private markInitialized!: () => void;
  private readonly ended: Promise<ProcessEnd>;
  private markEnded!: (end: ProcessEnd) => void;
  private end: ProcessEnd | undefined;
  private server: RuntimeApiServer | undefined;
  private child: ChildProcess | undefined;
  private spawnedAt = 0;
  private initMs: number | undefined;
  private invoked = false;
  private busy = false;
  private terminating = false;
  private readonly log = new InstanceLog();
  private peakKb = 0;
  private readonly stdout = new LineSplitter((line) => this.log.line(line));
  private readonly stderr = new LineSplitter((line) => this.log.line(line));

  constructor(private readonly spec: ProcessSpec) {
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    this.initialized = new Promise((resolve) => (this.markInitialized = resolve));
    this.booted = this.boot();
  }

  /** The process id (the leader of the process group `terminate()` kills), once spawned. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  get initDurationMs(): number | undefined {
    return this.invoked ? this.initMs : undefined;
  }

  async invoke(input: InvocationInput, log: InvocationLog): Promise<InvocationResult> {
    if (this.busy) throw new Error('ProcessInstance runs one invocation at a time');
    this.busy = true;
    this.invoked = true;
    this.log.attach(log);
    try {
      await this.booted;
      const server = this.server;
      const answer: RuntimeAnswer | ProcessEnd =
        server?.initError !== undefined
          ? { kind: 'init-error', error: server.initError }
          : this.end || !server
            ? await this.ended
            : await Promise.race([server.invoke(input), this.ended]);
      if (!this.end) {
        await outputDrained();
        this.sampleMemory();
      }
      return toResult(input.requestId, answer);
    } finally {
      this.stdout.flush();
      this.stderr.flush();
      this.log.detach();
      this.busy = false;
    }
  }

  maxMemoryUsedMb(): number {
    this.sampleMemory();
    return Math.ceil(this.peakKb / 1024);
  }

  async terminate(): Promise<void> {
    this.terminating = true;
    await this.booted;
    const child = this.child;
    if (child?.pid !== undefined && !this.end) {
      try {
        // The process was started as a group leader: kill the group, children (curl, shells) included.
        if (process.platform === 'win32') child.kill('SIGKILL');
        else process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await Promise.race([this.ended, delay(KILL_WAIT_MS)]);
    }
    await this.server?.close();
  }

  private async boot(): Promise<void> {
    try {
      this.server = await RuntimeApiServer.start({
        onReady: () => this.initDone(),
        onInitError: () => this.initDone(),
      });
    } catch (error) {
      return this.finish({
        kind: 'spawn-failed',
        command: this.spec.command,
        code: undefined,
        message: `cannot start the Runtime API: ${(error as Error).message}`,
      });
    }
    if (this.terminating) return this.finish({ kind: 'exit', code: null, signal: 'SIGKILL' });
    this.spawn(this.server.address);
  }

  private spawn(runtimeApi: string): void {
    const { command, args, cwd } = this.spec;
    let child: ChildProcess;
    try {
      child = spawn(command, args, {
        cwd,
        env: this.environment(runtimeApi),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
      });
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      return this.finish({ kind: 'spawn-failed', command, code, message });
    }
    this.child = child;
    this.spawnedAt = performance.now();
    child.stdout?.on('data', (chunk: Buffer) => this.stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined)
        this.finish({ kind: 'spawn-failed', command, code: error.code, message: error.message });
    });
    child.once('exit', (code, signal) => {
      const timer = setTimeout(() => this.finish({ kind: 'exit', code, signal }), OUTPUT_GRACE_MS);
      timer.unref();
    });
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) =>
      this.finish({ kind: 'exit', code, signal }),
    );
  }

  private environment(runtimeApi: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of INHERITED_VARIABLES) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    return { ...env, ...this.spec.env, AWS_LAMBDA_RUNTIME_API: runtimeApi };
  }

  private initDone(): void {
    this.initMs ??= performance.now() - this.spawnedAt;
    this.markInitialized();
  }

  private finish(end: ProcessEnd): void {
    if (this.end) return;
    this.end = end;
    if (this.initMs === undefined && this.spawnedAt) this.initMs = performance.now() - this.spawnedAt;
    this.stdout.flush(true);
    this.stderr.flush(true);
    void this.server?.close();
    this.markEnded(end);
    this.markInitialized();
  }

  private sampleMemory(): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.end || process.platform !== 'linux') return;
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) this.peakKb = Math.max(this.peakKb, Number(match[1]));
    } catch {
      // The process is gone: keep the last reading.
    }
  }
}

function toResult(requestId: string, answer: RuntimeAnswer | ProcessEnd): InvocationResult {
  switch (answer.kind) {
    case 'response':
      return { ok: true, payload: answer.payload };
    case 'error':
      // Lambda's Node.js runtime exits after reporting an unhandled rejection: the instance is done.
      if (answer.error.errorType === LambdaErrorType.UnhandledPromiseRejection) {
        return { ok: false, error: answer.error, fatal: true };
      }
      return { ok: false, error: answer.error };
    case 'init-error':
      return { ok: false, error: answer.error, fatal: true };
    default:
      return { ok: false, error: processEndError(requestId, answer), fatal: true };
  }
}

/**
 * Output the process wrote before answering can still be in its pipes when the answer arrives over
 * HTTP: let the event loop read what is already there (two turns: poll, then check) before the
 * invocation's log is closed.
 */
const outputDrained = () =>
  new Promise<void>((resolve) => setImmediate(() => setImmediate(() => setTimeout(resolve, 1))));

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
