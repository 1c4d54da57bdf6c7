import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Compiles `.projenrc.ts` and the TypeScript files it imports to CommonJS,
 * and keeps the output in a cache so that a synth with an unchanged file
 * loads neither esbuild nor tsx.
 *
 * Only node builtins are imported here, because the `--require` hook in
 * `projenrc-loader.ts` loads this module on every synth.
 */

/** Folder under the nearest `node_modules` for the compiled files. */
const CACHE_SUBDIR = path.join('.cache', 'projen-python-service', 'projenrc');

/**
 * Changes whenever the compile settings below change, so that older cache
 * entries are not used.
 */
const COMPILE_SETTINGS_REVISION = '1';

/**
 * Environment variable that, set to `true`, keeps the hook from writing the
 * cache. `pyservice check` sets it for the `npx projen` it spawns.
 */
export const READ_ONLY_CACHE_VARIABLE = 'PYSERVICE_READ_ONLY_COMPILE_CACHE';

/** The part of esbuild's API that is used, to avoid a type dependency on it. */
interface Transformer {
  version: string;
  transformSync(
    source: string,
    options: Record<string, unknown>,
  ): { code: string };
}

/** Options for {@link compileTypeScript}. */
export interface CompileOptions {
  /**
   * Writes a compiled file to the cache on a miss. Check mode turns this
   * off so that it writes nothing under the repository.
   * @default - true, unless the environment variable
   * PYSERVICE_READ_ONLY_COMPILE_CACHE is `true`
   */
  readonly writeCache?: boolean;
}

/**
 * Returns `file` compiled to CommonJS JavaScript with an inline source map,
 * from the cache when the cache contains an entry for the same source text.
 *
 * Throws when the file has a syntax error, and when neither the file's
 * folder nor tsx can resolve esbuild.
 */
export function compileTypeScript(
  file: string,
  options: CompileOptions = {},
): string {
  const source = fs.readFileSync(file, 'utf8');
  const cacheFile = cacheFileFor(file, source);
  if (cacheFile !== undefined) {
    try {
      return fs.readFileSync(cacheFile, 'utf8');
    } catch {
      // A miss: compile below.
    }
  }

  const esbuild = loadEsbuild(path.dirname(file));
  const { code } = esbuild.transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    sourcemap: 'inline',
    // The base name keeps the output the same for every copy of a file, and
    // a source map resolves it against the compiled file's own path.
    sourcefile: path.basename(file),
  });

  const writeCache =
    options.writeCache ?? process.env[READ_ONLY_CACHE_VARIABLE] !== 'true';
  if (cacheFile !== undefined && writeCache) {
    writeCacheEntry(cacheFile, code);
  }
  return code;
}

/**
 * Returns the cache file for `source`, or undefined when no `node_modules`
 * folder is found above `file`. The key covers the source text, the base
 * name (which the source map names) and the Node major version (the
 * target), so repositories with the same `.projenrc.ts` share an entry.
 */
function cacheFileFor(file: string, source: string): string | undefined {
  const nodeModules = findNodeModules(path.dirname(file));
  if (nodeModules === undefined) {
    return undefined;
  }
  const key = createHash('sha256')
    .update(COMPILE_SETTINGS_REVISION)
    .update('\0')
    .update(process.versions.node.split('.')[0])
    .update('\0')
    .update(path.basename(file))
    .update('\0')
    .update(source)
    .digest('hex');
  return path.join(nodeModules, CACHE_SUBDIR, `${key}.js`);
}

/** Returns the first `node_modules` folder that Node's lookup from `start` finds. */
export function findNodeModules(start: string): string | undefined {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'node_modules');
    if (fs.existsSync(candidate)) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}

/**
 * Writes through a temporary file and a rename, so that a concurrent synth
 * never reads a half-written entry.
 */
function writeCacheEntry(cacheFile: string, code: string): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, code);
    fs.renameSync(temporary, cacheFile);
  } catch {
    // A read-only node_modules only costs a compile on the next synth.
  }
}

/**
 * Loads esbuild from the repository, or else from the tsx package that
 * generated repositories depend on, which depends on esbuild.
 */
function loadEsbuild(fromDir: string): Transformer {
  const attempts: string[] = [];
  for (const base of [fromDir, tsxPackageDir(fromDir)]) {
    if (base === undefined) {
      continue;
    }
    try {
      const resolved = require.resolve('esbuild', { paths: [base] });
      return require(resolved) as Transformer;
    } catch (error) {
      attempts.push(`${base}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(
    `Cannot compile .projenrc.ts because esbuild was not found (${attempts.join('; ')}). Run "npm install" in the repository.`,
  );
}

function tsxPackageDir(fromDir: string): string | undefined {
  try {
    return path.dirname(
      require.resolve('tsx/package.json', { paths: [fromDir] }),
    );
  } catch {
    return undefined;
  }
}
