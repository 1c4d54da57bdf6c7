import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { commandEnvironment } from './fleet-setup';
import { REPO_ROOT } from '../../test/support/pack';

/** Wall-clock times of the runs of one command, in milliseconds. */
export interface Measurement {
  readonly label: string;
  readonly command: string;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
}

/** Returns the median of `values`, the mean of the middle two for an even count. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `program args` in `cwd` once and returns its wall-clock time in
 * milliseconds. Throws with the output when it exits non-zero, unless
 * `allowFailure` is set.
 */
export function timeCommand(
  program: string,
  args: readonly string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {},
): number {
  const startedAt = process.hrtime.bigint();
  const result = spawnSync(program, args, {
    cwd,
    env: options.env ?? commandEnvironment(),
    encoding: 'utf8',
  });
  const elapsedMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(
      `${program} ${args.join(' ')} in ${cwd} exited with ${result.status}:\n${result.stderr}\n${result.stdout}`,
    );
  }
  return elapsedMs;
}

/** A command to time: its label, the command line for the records, and how to run it once. */
export interface Timed {
  readonly label: string;
  readonly command: string;
  readonly run: () => number;
  /**
   * Runs the command once untimed before the first round. A command that
   * itself runs many synths needs no warm-up.
   * @default true
   */
  readonly warmUp?: boolean;
}

/**
 * Times each of `commands` `runs` times, taking turns (one run of each, then
 * the next round), after one untimed warm-up run of each. Taking turns spreads the
 * load of other processes on a shared machine over all commands alike.
 * Prints each median and returns the measurements in the order given.
 */
export function measureInTurns(
  commands: readonly Timed[],
  runs: number,
): Measurement[] {
  for (const command of commands) {
    if (command.warmUp !== false) {
      command.run();
    }
  }
  const runsMs: number[][] = commands.map(() => []);
  for (let round = 0; round < runs; round++) {
    commands.forEach((command, index) => runsMs[index].push(command.run()));
  }
  return commands.map((command, index) => {
    const result = {
      label: command.label,
      command: command.command,
      runsMs: runsMs[index],
      medianMs: median(runsMs[index]),
    };
    console.log(
      `${command.label.padEnd(46)} median ${formatMs(result.medianMs).padStart(9)}  runs ${result.runsMs.map(formatMs).join(' ')}`,
    );
    return result;
  });
}

export function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** Describes the machine in one line, for the benchmark records. */
export function describeMachine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Writes `results` as JSON under bench/results/, which git ignores. */
export function saveResults(name: string, results: unknown): string {
  const dir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(
    dir,
    `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
  );
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
