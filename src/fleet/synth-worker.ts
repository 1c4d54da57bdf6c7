import Module from 'node:module';
import * as path from 'node:path';
import { registerTypeScript } from './typescript-extension';

/**
 * The worker side of the in-process path: a process that loads projen and
 * the project type packages once and then runs one repository's
 * `.projenrc.ts` after another in the same Node process. `worker-pool.ts`
 * starts it and sends only repositories whose packages resolve to the
 * files given in the `init` message.
 */

/** A message from the pool to a worker. */
export type WorkerRequest =
  | {
      readonly type: 'init';
      /** Package folders to load before the first job. */
      readonly packageDirs: readonly string[];
    }
  | {
      readonly type: 'job';
      readonly id: number;
      /** The folder to synthesize in, the repository or a copy of it. */
      readonly dir: string;
      /** Whether a compiled `.projenrc.ts` may be written to the cache. */
      readonly writeCache: boolean;
    };

/** A message from a worker to the pool. */
export type WorkerResponse =
  | { readonly type: 'ready'; readonly loadErrors: readonly string[] }
  | {
      readonly type: 'result';
      readonly id: number;
      readonly ok: boolean;
      readonly error?: string;
      /** The output of synthesis, stdout and stderr together. */
      readonly output: string;
    };

/** `Module.prototype.load`, which Node's type definitions leave out. */
interface LoadableModule {
  load(filename: string): void;
}

/**
 * Runs `dir/.projenrc.ts` in this process with `dir` as the working folder,
 * which projen uses as the default output folder.
 */
export function synthesizeInProcess(dir: string, writeCache: boolean): void {
  registerTypeScript({ writeCache });
  const file = path.join(dir, '.projenrc.ts');
  const previousCwd = process.cwd();
  process.chdir(dir);
  try {
    // A new module each time, so that a second run of the same repository
    // executes again. load() sets the module's lookup paths from `file`, its
    // require() of local .ts files goes through the handler registered above,
    // and packages come from the require cache when already loaded.
    (new Module(file) as unknown as LoadableModule).load(file);
  } finally {
    process.chdir(previousCwd);
  }
}

/** Runs `action` while collecting what it writes to stdout and stderr. */
function captureOutput(action: () => void): string {
  const chunks: string[] = [];
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const collect = (chunk: string | Uint8Array): boolean => {
    chunks.push(
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(),
    );
    return true;
  };
  process.stdout.write = collect as typeof process.stdout.write;
  process.stderr.write = collect as typeof process.stderr.write;
  try {
    action();
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
  return chunks.join('');
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return String(error);
}

function handle(request: WorkerRequest): WorkerResponse {
  if (request.type === 'init') {
    const loadErrors: string[] = [];
    for (const dir of request.packageDirs) {
      try {
        require(dir);
      } catch (error) {
        loadErrors.push(`${dir}: ${describeError(error)}`);
      }
    }
    return { type: 'ready', loadErrors };
  }
  let error: string | undefined;
  const output = captureOutput(() => {
    try {
      synthesizeInProcess(request.dir, request.writeCache);
    } catch (caught) {
      error = describeError(caught);
    }
  });
  return {
    type: 'result',
    id: request.id,
    ok: error === undefined,
    error,
    output,
  };
}

function startWorker(): void {
  // Post-synthesis steps run npm install, which sync leaves to the user.
  process.env.PROJEN_DISABLE_POST = 'true';
  process.on('message', (request: WorkerRequest) => {
    process.send?.(handle(request));
  });
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) {
  startWorker();
}
