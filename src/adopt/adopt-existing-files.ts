import * as fs from 'node:fs';
import * as path from 'node:path';
import { Adoption } from './adoption';
import { backupFolder, hasProjenMarker } from './backup';
import { ADOPTED_FILES, AlreadyAdoptedError, planAdoption } from './plan';
import { hasPythonPackage } from '../python/package-metadata';
import type { PythonServiceProject } from '../python-service-project';
import type { PythonServiceProjectOptions } from '../python-service-project-options';

/**
 * Files that `projen new --from` itself writes before the project type
 * runs, which the uncommitted-changes check ignores.
 */
const PROJEN_NEW_FILES = ['package.json', 'package-lock.json', 'node_modules/'];

/**
 * Adopts the repository that `projen new` runs in, when it already contains a
 * Python package or a hand-written Dockerfile, Makefile or .dockerignore.
 *
 * Returns the options to build the project from: the inferred ones,
 * overridden by the switches passed to `projen new`. Outside `projen new`,
 * or in an empty folder, it returns the options unchanged. Set
 * PYSERVICE_ADOPT_FORCE=1 to adopt despite uncommitted changes.
 */
export function adoptExistingFiles(
  project: PythonServiceProject,
  options: PythonServiceProjectOptions,
): PythonServiceProjectOptions {
  const initProject = project.initProject;
  const dir = project.outdir;
  if (initProject === undefined || !hasExistingService(dir)) {
    return options;
  }
  let plan;
  try {
    plan = planAdoption(dir, {
      force: process.env.PYSERVICE_ADOPT_FORCE === '1',
      ignoredChanges: PROJEN_NEW_FILES,
      backupFolder: backupFolder(dir),
    });
  } catch (error) {
    if (error instanceof AlreadyAdoptedError) {
      return options;
    }
    throw error;
  }

  // The options passed to projen new win over inferred values. Its args
  // contain each option twice, as camelCase and as the dashed switch.
  const explicitOptions: Record<string, unknown> = {};
  for (const key of Object.keys(initProject.args)) {
    const value = (options as unknown as Record<string, unknown>)[key];
    if (!key.includes('-') && key !== 'outdir' && value !== undefined) {
      explicitOptions[key] = value;
    }
  }
  const merged = { ...plan.options, ...explicitOptions };
  new Adoption(project, plan, merged, {
    logReport: true,
    // NOTE: a package.json that the repository had before projen new is
    // not saved either, because npm already changed it by the time this
    // runs.
    notUserFiles: ['package.json', 'package-lock.json'],
  });
  return { ...options, ...merged } as PythonServiceProjectOptions;
}

function hasExistingService(dir: string): boolean {
  const handWritten = ADOPTED_FILES.some((file) => {
    const absolute = path.join(dir, file);
    return fs.existsSync(absolute) && !hasProjenMarker(absolute);
  });
  return handWritten || hasPythonPackage(dir);
}
