import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Scratch space for the tests, ignored by git. */
export const SCRATCH_DIR = path.join(REPO_ROOT, '.tmp');

/**
 * Compiles the package with jsii and packs it with npm into an emptied
 * `destination`, as a user would install it. Returns the tarball's path.
 */
export function packPackage(
  destination = path.join(SCRATCH_DIR, 'pack'),
): string {
  fs.rmSync(destination, { recursive: true, force: true });
  fs.mkdirSync(destination, { recursive: true });
  execFileSync('npx', ['jsii', '--silence-warnings=reserved-word'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  const output = execFileSync(
    'npm',
    ['pack', '--json', '--pack-destination', destination],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
  return path.join(destination, filename);
}

/**
 * Returns the tarball packed in this test run, packing it on first use.
 */
export function packedTarball(runId: string): string {
  const marker = path.join(SCRATCH_DIR, 'pack-run.json');
  if (fs.existsSync(marker)) {
    const recorded = JSON.parse(fs.readFileSync(marker, 'utf8'));
    if (recorded.runId === runId && fs.existsSync(recorded.tarball)) {
      return recorded.tarball;
    }
  }
  const tarball = packPackage();
  fs.writeFileSync(marker, JSON.stringify({ runId, tarball }));
  return tarball;
}
