import * as fs from 'node:fs';
import * as path from 'node:path';
import { Project, SampleFile } from 'projen';
import { checkRequirements } from './requirements-check';
import { renderTemplate } from '../templates';
import type { Problem } from '../validation/problem';

/** The result of reading the requirements file at synthesis. */
export interface RequirementsState {
  readonly problems: readonly Problem[];
  /** Every requirement carries `--hash`, so pip runs in hash-checking mode. */
  readonly allHashed: boolean;
}

/**
 * Reads and checks the user's requirements file, if it exists yet.
 */
export function readRequirements(
  outdir: string,
  requirementsFile: string,
): RequirementsState {
  const file = path.join(outdir, requirementsFile);
  if (!fs.existsSync(file)) {
    return { problems: [], allHashed: false };
  }
  const result = checkRequirements(fs.readFileSync(file), requirementsFile);
  return { problems: result.problems, allHashed: result.allHashed };
}

/**
 * Writes a requirements file with only a comment when it is missing; an
 * existing one is never overwritten.
 */
export function addRequirementsFile(
  project: Project,
  requirementsFile: string,
): void {
  new SampleFile(project, requirementsFile, {
    contents: renderTemplate('requirements.txt', {}),
  });
}
