import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  compareSnapshots,
  copyRepository,
  FileChange,
  snapshotTree,
  TreeSnapshot,
} from './tree-snapshot';
import { resolveToolchain, Toolchain } from './toolchain';
import { unifiedDiff } from './unified-diff';
import { spawnProjen, SynthOutcome, SynthWorker, tail } from './worker-pool';

/**
 * `sync` writes the synthesized files, `check` and `diff` synthesize into a
 * temporary copy and only compare.
 */
export type FleetMode = 'sync' | 'check' | 'diff';

/** Name prefix of the copies that check and diff synthesize into. */
export const SCRATCH_PREFIX = '.pyservice-check-';

/** The path that synthesized a repository. */
export type SynthMethod = 'in-process' | 'spawn';

/** The result for one repository. */
export interface RepositoryResult {
  /** The repository folder as given or found. */
  readonly dir: string;
  readonly status: 'unchanged' | 'changed' | 'failed';
  /** Files that synthesis changed (sync) or would change (check, diff). */
  readonly changes: readonly FileChange[];
  /** The error, for a failed repository. */
  readonly error?: string;
  /** Undefined when the repository failed before synthesis started. */
  readonly method?: SynthMethod;
  readonly durationMs: number;
  /** Unified diff of the changes, in diff mode. */
  readonly diff?: string;
}

/** Options for {@link runFleet}. */
export interface FleetOptions {
  readonly mode: FleetMode;
  /** How many repositories are synthesized at once. */
  readonly jobs: number;
  /** Time allowed for one repository's synthesis. */
  readonly timeoutMs: number;
  /** Turns the in-process path off, so every repository spawns `npx projen`. */
  readonly spawnOnly?: boolean;
  /** Called when a repository starts. */
  readonly onStart?: (dir: string) => void;
  /** Called when a repository is done, in the order they finish. */
  readonly onResult?: (result: RepositoryResult) => void;
}

interface Task {
  readonly dir: string;
  readonly inProcess: boolean;
}

/**
 * Synthesizes every repository in `dirs`, `jobs` at a time, and returns
 * the results in the order of `dirs`. A failure in one repository is part
 * of its result and does not stop the others.
 *
 * The in-process path is used for the repositories whose projen, constructs
 * and imported packages resolve to the same installed folders as the most
 * common such set among `dirs` (for example copies that share one
 * node_modules). A worker loads that set once and runs their `.projenrc.ts`
 * one after another. Every other repository falls back to spawning its own
 * `npx projen`, because loading a second copy of projen into a worker would
 * mix two versions of its classes.
 */
export async function runFleet(
  dirs: readonly string[],
  options: FleetOptions,
): Promise<RepositoryResult[]> {
  const results = new Map<string, RepositoryResult>();
  const toolchains = new Map<string, Toolchain>();
  for (const dir of dirs) {
    try {
      toolchains.set(dir, resolveToolchain(dir));
    } catch (error) {
      const result = failedResult(dir, (error as Error).message, 0);
      results.set(dir, result);
      options.onResult?.(result);
    }
  }

  const shared = options.spawnOnly ? undefined : mostCommon(toolchains);
  const queue: Task[] = dirs
    .filter((dir) => toolchains.has(dir))
    .map((dir) => ({
      dir,
      inProcess:
        shared !== undefined && toolchains.get(dir)?.key === shared.key,
    }));

  const runners = Array.from(
    { length: Math.max(1, Math.min(options.jobs, queue.length)) },
    () => runQueue(queue, shared, options, results),
  );
  await Promise.all(runners);
  return dirs.map((dir) => results.get(dir)!);
}

/** Takes tasks from `queue` until it is empty, with at most one worker. */
async function runQueue(
  queue: Task[],
  shared: Toolchain | undefined,
  options: FleetOptions,
  results: Map<string, RepositoryResult>,
): Promise<void> {
  let worker: SynthWorker | undefined;
  try {
    for (let task = queue.shift(); task; task = queue.shift()) {
      options.onStart?.(task.dir);
      let synthesize: (dir: string) => Promise<SynthOutcome>;
      if (task.inProcess && shared) {
        if (!worker?.alive) {
          worker = new SynthWorker(shared.packages.map((p) => p.dir));
        }
        const current = worker;
        synthesize = (dir) =>
          current.synthesize(dir, options.mode === 'sync', options.timeoutMs);
      } else {
        synthesize = (dir) =>
          spawnProjen(dir, options.mode === 'sync', options.timeoutMs);
      }
      const method: SynthMethod = task.inProcess ? 'in-process' : 'spawn';
      const result = await synthesizeRepository(
        task.dir,
        options.mode,
        method,
        synthesize,
      );
      results.set(task.dir, result);
      options.onResult?.(result);
    }
  } finally {
    await worker?.stop();
  }
}

async function synthesizeRepository(
  dir: string,
  mode: FleetMode,
  method: SynthMethod,
  synthesize: (dir: string) => Promise<SynthOutcome>,
): Promise<RepositoryResult> {
  const startedAt = Date.now();
  const elapsed = () => Date.now() - startedAt;
  let scratch: string | undefined;
  try {
    const before = snapshotTree(dir);
    let runDir = dir;
    if (mode !== 'sync') {
      scratch = makeScratchCopy(dir);
      runDir = scratch;
    }
    const outcome = await synthesize(runDir);
    if (!outcome.ok) {
      return failedResult(dir, describeFailure(outcome), elapsed(), method);
    }
    const after = snapshotTree(runDir);
    const changes = compareSnapshots(before, after);
    return {
      dir,
      status: changes.length === 0 ? 'unchanged' : 'changed',
      changes,
      method,
      durationMs: elapsed(),
      diff: mode === 'diff' ? formatDiff(changes, before, after) : undefined,
    };
  } catch (error) {
    return failedResult(dir, (error as Error).message, elapsed(), method);
  } finally {
    if (scratch !== undefined) {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }
}

/**
 * Copies the repository into a new hidden folder beside it, so that
 * relative paths such as a `file:../preset.tgz` dependency in package.json
 * resolve as they do from the repository. A parent folder that cannot be
 * written gets the copy in the system's temporary folder instead.
 */
function makeScratchCopy(dir: string): string {
  const parent = path.dirname(path.resolve(dir));
  let scratch: string;
  try {
    scratch = fs.mkdtempSync(path.join(parent, SCRATCH_PREFIX));
  } catch {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), SCRATCH_PREFIX));
  }
  copyRepository(dir, scratch);
  return scratch;
}

function describeFailure(outcome: SynthOutcome): string {
  const error = outcome.error ?? 'synthesis failed';
  const output = tail(outcome.output);
  return output && !error.includes(output) ? `${error}\n${output}` : error;
}

function failedResult(
  dir: string,
  error: string,
  durationMs: number,
  method?: SynthMethod,
): RepositoryResult {
  return { dir, status: 'failed', changes: [], error, method, durationMs };
}

function formatDiff(
  changes: readonly FileChange[],
  before: TreeSnapshot,
  after: TreeSnapshot,
): string {
  return changes
    .map((change) =>
      unifiedDiff(
        change.path,
        before.get(change.path)?.toString('utf8'),
        after.get(change.path)?.toString('utf8'),
      ),
    )
    .join('');
}

/** Returns the toolchain that most repositories share; ties go to the first. */
function mostCommon(toolchains: Map<string, Toolchain>): Toolchain | undefined {
  const counts = new Map<string, { toolchain: Toolchain; count: number }>();
  for (const toolchain of toolchains.values()) {
    const entry = counts.get(toolchain.key) ?? { toolchain, count: 0 };
    entry.count++;
    counts.set(toolchain.key, entry);
  }
  let best: { toolchain: Toolchain; count: number } | undefined;
  for (const entry of counts.values()) {
    if (best === undefined || entry.count > best.count) {
      best = entry;
    }
  }
  return best?.toolchain;
}
