import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { REPO_ROOT } from '../../test/support/pack';
import { PROJEN_BIN, PROJEN_VERSION } from '../../test/support/projen-new';

export { REPO_ROOT } from '../../test/support/pack';
export { PROJEN_BIN, PROJEN_VERSION } from '../../test/support/projen-new';

/** The `pyservice` command of this checkout, which runs the compiled lib/. */
export const PYSERVICE_BIN = path.join(REPO_ROOT, 'bin', 'pyservice');

/**
 * Environment for the commands below: without vitest's NODE_ENV=test, which
 * makes projen treat a synth as a test run, and with npm preferring its
 * cache to the registry.
 */
export function commandEnvironment(): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    npm_config_prefer_offline: 'true',
  };
  delete environment.NODE_ENV;
  return environment;
}

/**
 * Creates a repository in the new folder `dir` with the real
 * `projen new --from <tarball>`, which also runs npm install there.
 */
export function createRepository(
  dir: string,
  tarball: string,
  switches: readonly string[] = [],
): void {
  fs.mkdirSync(dir, { recursive: true });
  execFileSync(
    'node',
    [
      PROJEN_BIN,
      'new',
      '--from',
      tarball,
      '--no-git',
      '--projen-version',
      PROJEN_VERSION,
      ...switches,
    ],
    { cwd: dir, env: commandEnvironment(), stdio: 'pipe' },
  );
}

/**
 * Copies the repository `template` to `target` without its node_modules,
 * and links `target/node_modules` to the template's, so that every copy
 * loads the same installed packages. `target` should be a sibling of the
 * other copies: package.json names a tarball by a relative path.
 */
export function copyRepositorySharingModules(
  template: string,
  target: string,
): void {
  fs.cpSync(template, target, {
    recursive: true,
    filter: (from) => path.basename(from) !== 'node_modules',
  });
  fs.symlinkSync(
    fs.realpathSync(path.join(template, 'node_modules')),
    path.join(target, 'node_modules'),
    'dir',
  );
}

/**
 * Replaces `search` with `replacement` in a repository's `.projenrc.ts`,
 * and throws when `search` is not there.
 */
export function editProjenrc(
  dir: string,
  search: string,
  replacement: string,
): void {
  const file = path.join(dir, '.projenrc.ts');
  const source = fs.readFileSync(file, 'utf8');
  if (!source.includes(search)) {
    throw new Error(`${file} does not contain ${JSON.stringify(search)}`);
  }
  fs.writeFileSync(file, source.replace(search, replacement));
}

/** Output and exit code of one `pyservice` run. */
export interface PyserviceRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs `pyservice` with `args` in `cwd` and waits for it. */
export function runPyservice(
  args: readonly string[],
  cwd: string,
): PyserviceRun {
  const result = spawnSync('node', [PYSERVICE_BIN, ...args], {
    cwd,
    env: commandEnvironment(),
    encoding: 'utf8',
  });
  return {
    stdout: result.stdout,
    stderr: result.stderr,
    exitCode: result.status ?? -1,
  };
}
