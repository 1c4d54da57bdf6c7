import * as fs from 'node:fs';
import * as path from 'node:path';
import { CommandResult, runCommand, RunCommandOptions } from './exec';
import { REPO_ROOT } from './pack';

/** The projen CLI installed for this repository. */
export const PROJEN_BIN = path.join(
  REPO_ROOT,
  'node_modules',
  'projen',
  'bin',
  'projen',
);

/** The version of that projen, which new repositories install too. */
export const PROJEN_VERSION: string = JSON.parse(
  fs.readFileSync(
    path.join(REPO_ROOT, 'node_modules', 'projen', 'package.json'),
    'utf8',
  ),
).version;

/**
 * Runs the real `projen new --from <tarball> --no-git` in `dir` with extra
 * switches. It installs projen and the tarball with npm.
 */
export async function projenNew(
  dir: string,
  tarball: string,
  switches: readonly string[] = [],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  return runCommand(
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
    { cwd: dir, ...options },
  );
}
