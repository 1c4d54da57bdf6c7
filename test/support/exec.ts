import { spawn } from 'node:child_process';

/** Output and exit status of a finished command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
  /** Exit code, or -1 when a signal ended the process. */
  exitCode: number;
}

/** Options for {@link runCommand}. */
export interface RunCommandOptions {
  cwd?: string;
  /** Variables added to (or, with `undefined`, removed from) this process's environment. */
  env?: Record<string, string | undefined>;
  /** Time in milliseconds before the process is killed with SIGKILL. Defaults to 10 minutes. */
  timeoutMs?: number;
  /** Returns a failed result instead of throwing on a non-zero exit code. */
  allowFailure?: boolean;
  /** Text written to the standard input, which is closed afterwards. */
  input?: string;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

/** Error thrown when a command exits non-zero, is killed or times out. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: CommandResult,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/**
 * Runs a program without a shell and collects its output.
 *
 * Throws a {@link CommandError} that contains the command line and the end
 * of stderr when the program exits non-zero, unless `allowFailure` is set.
 * A timeout or a failure to start always throws.
 */
export async function runCommand(
  file: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const commandLine = formatCommandLine(file, args);
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: mergeEnvironment(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  const stdoutChunks: Buffer[] = [];
  const stderrChunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdoutChunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
  // A program that exits before reading its input closes the pipe first;
  // the write then fails with EPIPE, which is no error of the program.
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      throw error;
    }
  });
  child.stdin.end(options.input ?? '');

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);

  let exitCode: number;
  try {
    exitCode = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code ?? -1));
    });
  } catch (error) {
    throw new Error(`Failed to start ${commandLine}: ${String(error)}`);
  } finally {
    clearTimeout(timer);
  }

  const result: CommandResult = {
    stdout: Buffer.concat(stdoutChunks).toString('utf8'),
    stderr: Buffer.concat(stderrChunks).toString('utf8'),
    exitCode,
  };
  if (timedOut) {
    throw new CommandError(
      `Timed out after ${timeoutMs} ms: ${commandLine}\n${tail(result.stderr)}`,
      result,
    );
  }
  if (exitCode !== 0 && !options.allowFailure) {
    throw new CommandError(
      `Command failed with exit code ${exitCode}: ${commandLine}\n` +
        `stderr (end):\n${tail(result.stderr)}\n` +
        `stdout (end):\n${tail(result.stdout)}`,
      result,
    );
  }
  return result;
}

/** Formats a command line for logs and error messages, quoting words that contain spaces. */
export function formatCommandLine(
  file: string,
  args: readonly string[],
): string {
  return [file, ...args]
    .map((word) => (/[\s"'$]/.test(word) ? JSON.stringify(word) : word))
    .join(' ');
}

/** Writes one progress line for a test fixture to stderr. */
export function logProgress(scope: string, message: string): void {
  process.stderr.write(`[${scope}] ${message}\n`);
}

/** Returns the last `maxLines` lines of `text`. */
export function tail(text: string, maxLines = 30): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-maxLines).join('\n');
}

function mergeEnvironment(
  overrides: Record<string, string | undefined> | undefined,
): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) {
      delete environment[name];
    } else {
      environment[name] = value;
    }
  }
  return environment;
}
