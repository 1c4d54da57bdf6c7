import { ChildProcess, fork, spawn } from 'node:child_process';
import * as path from 'node:path';
import { READ_ONLY_CACHE_VARIABLE } from './projenrc-compiler';
import type { WorkerRequest, WorkerResponse } from './synth-worker';

/** The outcome of one synthesis, by either path. */
export interface SynthOutcome {
  readonly ok: boolean;
  readonly error?: string;
  /** The output of synthesis, stdout and stderr together. */
  readonly output: string;
}

/** Last lines of output kept in an error message. */
const OUTPUT_TAIL_LINES = 20;

/**
 * One worker process of the in-process path. It loads the given packages
 * once and then synthesizes one repository at a time.
 */
export class SynthWorker {
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private pending?: {
    id: number;
    resolve: (outcome: SynthOutcome) => void;
  };
  private nextId = 1;
  private exitReason?: string;

  public constructor(packageDirs: readonly string[]) {
    const entry = path.join(__dirname, 'synth-worker.js');
    this.child = fork(entry, [], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Running from the TypeScript sources (tests, benchmarks) needs tsx.
      execArgv: __filename.endsWith('.ts') ? ['--require', 'tsx/cjs'] : [],
    });
    // Output outside a job, such as a warning from Node, is dropped.
    this.child.stdout?.resume();
    this.child.stderr?.resume();
    this.ready = new Promise((resolve) => {
      const onMessage = (message: WorkerResponse) => {
        if (message.type === 'ready') {
          this.child.off('message', onMessage);
          resolve();
        }
      };
      this.child.on('message', onMessage);
    });
    this.child.on('message', (message: WorkerResponse) => {
      if (message.type === 'result' && message.id === this.pending?.id) {
        const { resolve } = this.pending;
        this.pending = undefined;
        resolve({
          ok: message.ok,
          error: message.error,
          output: message.output,
        });
      }
    });
    this.child.on('exit', (code, signal) => {
      this.exitReason = `the worker process exited (${signal ?? `code ${code}`}) during synthesis`;
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve({ ok: false, error: this.exitReason, output: '' });
    });
    this.send({ type: 'init', packageDirs });
  }

  /** Whether the process can take another job. */
  public get alive(): boolean {
    return this.exitReason === undefined;
  }

  /**
   * Synthesizes `dir` in the worker. A job that takes longer than
   * `timeoutMs` kills the worker and fails.
   */
  public async synthesize(
    dir: string,
    writeCache: boolean,
    timeoutMs: number,
  ): Promise<SynthOutcome> {
    await Promise.race([this.ready, this.exited()]);
    if (!this.alive) {
      return { ok: false, error: this.exitReason, output: '' };
    }
    const id = this.nextId++;
    const outcome = new Promise<SynthOutcome>((resolve) => {
      this.pending = { id, resolve };
    });
    this.send({ type: 'job', id, dir, writeCache });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.child.kill('SIGKILL');
    }, timeoutMs);
    const result = await outcome;
    clearTimeout(timer);
    return timedOut
      ? { ...result, error: `synthesis timed out after ${timeoutMs / 1000} s` }
      : result;
  }

  /** Stops the process and waits for it to exit. */
  public async stop(): Promise<void> {
    if (this.alive) {
      const exited = this.exited();
      this.child.disconnect();
      await exited;
    }
  }

  private exited(): Promise<void> {
    if (!this.alive) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  private send(request: WorkerRequest): void {
    this.child.send(request);
  }
}

/**
 * Runs, as the fallback path, the repository's own `npx projen --no-post` in
 * `dir`. `--no` makes npx fail instead of downloading projen when the
 * repository has not installed it.
 */
export async function spawnProjen(
  dir: string,
  writeCache: boolean,
  timeoutMs: number,
): Promise<SynthOutcome> {
  const env = { ...process.env };
  if (!writeCache) {
    env[READ_ONLY_CACHE_VARIABLE] = 'true';
  }
  const child = spawn('npx', ['--no', 'projen', '--no-post'], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const exitCode = await new Promise<number | string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('close', (code, signal) => resolve(code ?? signal ?? -1));
  });
  clearTimeout(timer);
  const output = Buffer.concat(chunks).toString('utf8');
  if (exitCode === 0) {
    return { ok: true, output };
  }
  const error = timedOut
    ? `synthesis timed out after ${timeoutMs / 1000} s`
    : `npx projen failed (${typeof exitCode === 'number' ? `exit code ${exitCode}` : exitCode})`;
  return { ok: false, error: `${error}\n${tail(output)}`.trim(), output };
}

/** Returns the last lines of `text`. */
export function tail(text: string, maxLines = OUTPUT_TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-maxLines).join('\n');
}
