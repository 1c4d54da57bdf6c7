import * as os from 'node:os';
import * as path from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../cli/errors';
import { findRepositories } from './discover';
import { FleetMode, RepositoryResult, runFleet } from './run-fleet';

/** The options that `sync`, `check` and `diff` share. */
export interface FleetArguments {
  readonly dirs?: string[];
  readonly jobs?: number;
  readonly json?: boolean;
  readonly timeout?: number;
  readonly inProcess?: boolean;
}

const DEFAULT_TIMEOUT_SECONDS = 300;

/** Adds the positional folders and the shared options to a command. */
export function fleetOptions(yargs: Argv): Argv<FleetArguments> {
  return yargs
    .positional('dirs', {
      describe:
        'Repositories, folders that contain repositories, or glob patterns (default: the current folder)',
      type: 'string',
      array: true,
    })
    .option('jobs', {
      alias: 'j',
      describe: 'Number of repositories synthesized at once',
      type: 'number',
      default: defaultJobs(),
    })
    .option('json', {
      describe: 'Print one JSON document with every result instead of lines',
      type: 'boolean',
      default: false,
    })
    .option('timeout', {
      describe: 'Seconds allowed for one repository before it fails',
      type: 'number',
      default: DEFAULT_TIMEOUT_SECONDS,
    })
    .option('in-process', {
      describe:
        'Synthesize repositories that share installed packages in worker processes; --no-in-process runs each repository\'s own "npx projen"',
      type: 'boolean',
      default: true,
    }) as Argv<FleetArguments>;
}

function defaultJobs(): number {
  return os.availableParallelism?.() ?? os.cpus().length;
}

/**
 * Runs a fleet command, prints the results and sets the exit code: 1 when
 * a repository failed, and for `check` and `diff` also when one differs.
 */
export async function runFleetCommand(
  mode: FleetMode,
  args: FleetArguments,
): Promise<void> {
  const jobs = args.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new UserError(
      `--jobs must be a whole number of at least 1, not ${args.jobs}.`,
    );
  }
  const timeout = args.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  if (!(timeout > 0)) {
    throw new UserError(
      `--timeout must be a number of seconds above 0, not ${args.timeout}.`,
    );
  }
  let dirs: string[];
  try {
    dirs = findRepositories(args.dirs ?? []);
  } catch (error) {
    throw new UserError((error as Error).message);
  }

  const startedAt = Date.now();
  const progress = new ProgressLine(dirs.length, process.stderr);
  const printLine = (text: string) => {
    progress.clear();
    process.stdout.write(text);
    progress.draw();
  };
  const results = await runFleet(dirs, {
    mode,
    jobs,
    timeoutMs: timeout * 1000,
    spawnOnly: args.inProcess === false,
    onStart: () => progress.started(),
    onResult: (result) => {
      progress.finished(result);
      if (!args.json) {
        printLine(formatResult(result, mode));
      }
    },
  });
  progress.clear();

  const summary = summarize(results);
  const durationMs = Date.now() - startedAt;
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify(toJson(mode, results, summary, durationMs), null, 2)}\n`,
    );
  } else {
    process.stdout.write(formatSummary(mode, summary, durationMs));
  }
  const failed = summary.failed > 0 || (mode !== 'sync' && summary.changed > 0);
  if (failed) {
    process.exitCode = 1;
  }
}

interface Summary {
  total: number;
  unchanged: number;
  changed: number;
  failed: number;
}

function summarize(results: readonly RepositoryResult[]): Summary {
  const summary: Summary = {
    total: results.length,
    unchanged: 0,
    changed: 0,
    failed: 0,
  };
  for (const result of results) {
    summary[result.status]++;
  }
  return summary;
}

function displayPath(dir: string): string {
  return path.relative(process.cwd(), dir) || '.';
}

/** The word for a repository with changes: written, or would be. */
function changedWord(mode: FleetMode): string {
  return mode === 'sync' ? 'changed' : 'differs';
}

function formatResult(result: RepositoryResult, mode: FleetMode): string {
  const where = displayPath(result.dir);
  if (result.status === 'failed') {
    const [first, ...rest] = (result.error ?? '').split('\n');
    const details = rest.map((line) => `    ${line}\n`).join('');
    return `failed    ${where}: ${first}\n${details}`;
  }
  if (result.status === 'unchanged') {
    return `unchanged ${where}\n`;
  }
  const files = result.changes
    .map((c) => (c.change === 'modified' ? c.path : `${c.path} (${c.change})`))
    .join(', ');
  return `${changedWord(mode).padEnd(9)} ${where}: ${files}\n${result.diff ?? ''}`;
}

function formatSummary(
  mode: FleetMode,
  summary: Summary,
  durationMs: number,
): string {
  const noun = summary.total === 1 ? 'repository' : 'repositories';
  return (
    `${mode}: ${summary.total} ${noun}, ${summary.unchanged} unchanged, ` +
    `${summary.changed} ${mode === 'sync' ? 'changed' : 'differ'}, ` +
    `${summary.failed} failed (${(durationMs / 1000).toFixed(1)} s)\n`
  );
}

function toJson(
  mode: FleetMode,
  results: readonly RepositoryResult[],
  summary: Summary,
  durationMs: number,
) {
  return {
    command: mode,
    summary,
    durationMs,
    repositories: results.map((result) => ({
      dir: result.dir,
      status: result.status,
      files: result.changes,
      method: result.method ?? null,
      durationMs: result.durationMs,
      ...(result.error !== undefined ? { error: result.error } : {}),
      ...(result.diff !== undefined ? { diff: result.diff } : {}),
    })),
  };
}

/**
 * A one-line progress display on a terminal, redrawn in place. On a pipe or
 * file it prints nothing, so logs get only the result lines.
 */
class ProgressLine {
  private running = 0;
  private done = 0;
  private failed = 0;
  private readonly enabled: boolean;

  public constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.enabled = stream.isTTY === true;
  }

  public started(): void {
    this.running++;
    this.draw();
  }

  public finished(result: RepositoryResult): void {
    // A repository that failed before synthesis never started.
    if (result.method !== undefined) {
      this.running--;
    }
    this.done++;
    if (result.status === 'failed') {
      this.failed++;
    }
  }

  public draw(): void {
    if (this.enabled) {
      this.stream.write(
        `\r\x1b[K[${this.done}/${this.total}] ${this.running} running, ${this.failed} failed`,
      );
    }
  }

  public clear(): void {
    if (this.enabled) {
      this.stream.write('\r\x1b[K');
    }
  }
}
