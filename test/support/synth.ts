import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PythonServiceProject, PythonServiceProjectOptions } from '../../src';

/**
 * Makes an empty temporary folder that the test removes with `cleanup`.
 */
export function makeTempDir(prefix = 'pyservice-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Synthesizes a project in-process into `outdir`, skipping the npm install
 * that projen runs after synthesis (the end-to-end tests cover it).
 */
export function synthProject(
  outdir: string,
  options: Partial<PythonServiceProjectOptions> = {},
): PythonServiceProject {
  process.env.PROJEN_DISABLE_POST = 'true';
  const project = new PythonServiceProject({
    name: 'analyzer',
    outdir,
    ...options,
  });
  project.synth();
  return project;
}

/** Reads a file of a synthesized project. */
export function readOut(outdir: string, file: string): string {
  return fs.readFileSync(path.join(outdir, file), 'utf8');
}
