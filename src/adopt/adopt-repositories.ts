import * as fs from 'node:fs';
import * as path from 'node:path';
import { Adoption, formatReport } from './adoption';
import { backupFolder } from './backup';
import {
  AdoptionError,
  AdoptionPlan,
  AlreadyAdoptedError,
  listReplacedFiles,
  planAdoption,
} from './plan';
import { applyProjenrcExtras, renderProjenrc } from './projenrc-file';
import type { CliLogger } from '../cli/logger';
import { OWN_PACKAGE_NAME } from '../dev-dependencies';
import { LOCAL_MAKEFILE } from '../make/service-makefile';
import { PythonServiceProject } from '../python-service-project';

/** Options of {@link adoptRepositories}, the `pyservice adopt` command. */
export interface AdoptOptions {
  /** The folder that relative paths start from. */
  readonly cwd: string;
  /**
   * A repository, or a folder whose subfolders are repositories.
   *
   * @default "."
   */
  readonly dir?: string;
  /** Print the inferred options and the planned changes, and write nothing. */
  readonly dryRun?: boolean;
  /** Adopt even when the git work tree has uncommitted changes. */
  readonly force?: boolean;
  /**
   * Let projen run `npm install` after synthesis. With false, synthesis
   * skips it and the user runs `npm install && npx projen` later.
   *
   * @default true
   */
  readonly install?: boolean;
  readonly logger: CliLogger;
}

/** The outcome for one repository. */
export interface RepositoryOutcome {
  /** The repository folder, relative to `cwd`. */
  readonly dir: string;
  readonly status: 'adopted' | 'planned' | 'skipped' | 'failed';
  /** The reason, the error or a summary of the changes. */
  readonly message: string;
  /** Report lines: findings and file changes. */
  readonly details: readonly string[];
}

/** Files or folders whose presence makes a folder a repository to adopt. */
const REPOSITORY_MARKERS = [
  '.git',
  'setup.py',
  'setup.cfg',
  'pyproject.toml',
  'Dockerfile',
  'Makefile',
  'requirements.txt',
];

/**
 * Adopts one repository, or each repository folder directly inside `dir`,
 * and prints one line per repository (adopted, skipped with the reason or
 * failed with the error), then a summary. A repository's details follow
 * its line when only one repository is adopted, or with a dry run.
 */
export function adoptRepositories(options: AdoptOptions): RepositoryOutcome[] {
  const root = path.resolve(options.cwd, options.dir ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new AdoptionError(
      `${root} is not a folder. Name a repository or a folder of repositories.`,
    );
  }
  const single = isRepository(root);
  const repositories = single
    ? [root]
    : fs
        .readdirSync(root, { withFileTypes: true })
        .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
        .map((entry) => path.join(root, entry.name))
        .filter(isRepository)
        .sort();
  if (repositories.length === 0) {
    throw new AdoptionError(
      `${root} contains no repository: none of ${REPOSITORY_MARKERS.join(', ')} in it or in its subfolders.`,
    );
  }

  const outcomes: RepositoryOutcome[] = [];
  for (const dir of repositories) {
    const outcome = adoptOne(
      dir,
      path.relative(options.cwd, dir) || '.',
      options,
    );
    outcomes.push(outcome);
    const line = `${outcome.status.padEnd(7)} ${outcome.dir}: ${outcome.message}`;
    if (outcome.status === 'failed') {
      options.logger.error(line);
    } else {
      options.logger.info(line);
    }
    if (single || options.dryRun) {
      for (const detail of outcome.details) {
        options.logger.info(`  ${detail}`);
      }
    }
  }
  const count = (status: RepositoryOutcome['status']) =>
    outcomes.filter((o) => o.status === status).length;
  options.logger.info(
    `${outcomes.length} repositor${outcomes.length === 1 ? 'y' : 'ies'}: ${count(options.dryRun ? 'planned' : 'adopted')} ${options.dryRun ? 'planned' : 'adopted'}, ${count('skipped')} skipped, ${count('failed')} failed`,
  );
  return outcomes;
}

function adoptOne(
  dir: string,
  label: string,
  options: AdoptOptions,
): RepositoryOutcome {
  const folder = backupFolder(dir);
  let plan;
  try {
    plan = planAdoption(dir, { force: options.force, backupFolder: folder });
  } catch (error) {
    if (error instanceof AlreadyAdoptedError) {
      return {
        dir: label,
        status: 'skipped',
        message: `${error.message}, so it is already adopted`,
        details: [],
      };
    }
    if (error instanceof AdoptionError) {
      return {
        dir: label,
        status: 'failed',
        message: `${error.message} Nothing was written.`,
        details: [],
      };
    }
    throw error;
  }

  const projenrcOptions = { name: plan.name, ...plan.options };
  const previousDisablePost = process.env.PROJEN_DISABLE_POST;
  try {
    if (options.install === false) {
      process.env.PROJEN_DISABLE_POST = 'true';
    }
    const project = new PythonServiceProject({
      ...projenrcOptions,
      outdir: dir,
    });
    if (options.dryRun) {
      return describePlan(label, project, plan, projenrcOptions, folder);
    }
    const adoption = new Adoption(project, plan, projenrcOptions);
    adoption.run();
    project.synth();
    const result = adoption.result!;
    const replaced =
      result.replacedFiles.length > 0
        ? `replaced ${result.replacedFiles.join(', ')} (originals in ${result.backupFolder}/)`
        : 'replaced no files';
    return {
      dir: label,
      status: 'adopted',
      message: `${replaced}; wrote ${result.writtenFiles.join(', ')}; report in ${result.backupFolder}/adopt-report.txt`,
      details: result.report,
    };
  } catch (error) {
    return {
      dir: label,
      status: 'failed',
      message: (error as Error).message,
      details: [],
    };
  } finally {
    if (previousDisablePost === undefined) {
      delete process.env.PROJEN_DISABLE_POST;
    } else {
      process.env.PROJEN_DISABLE_POST = previousDisablePost;
    }
  }
}

function describePlan(
  label: string,
  project: PythonServiceProject,
  plan: AdoptionPlan,
  projenrcOptions: Record<string, unknown>,
  folder: string,
): RepositoryOutcome {
  applyProjenrcExtras(project, plan);
  const appendsLocal = plan.localMakefileText !== '';
  const replaced = listReplacedFiles(
    project,
    appendsLocal && fs.existsSync(path.join(plan.dir, LOCAL_MAKEFILE))
      ? [LOCAL_MAKEFILE]
      : [],
  );
  const written = ['.projenrc.ts', ...(appendsLocal ? [LOCAL_MAKEFILE] : [])];
  const details = [
    ...formatReport(plan.findings, replaced, folder, written),
    'The .projenrc.ts to write:',
    ...renderProjenrc(projenrcOptions, plan, OWN_PACKAGE_NAME, folder)
      .trimEnd()
      .split('\n')
      .map((line) => `  ${line}`),
  ];
  if (appendsLocal) {
    details.push(
      `The text to append to ${LOCAL_MAKEFILE}:`,
      ...plan.localMakefileText
        .trimEnd()
        .split('\n')
        .map((line) => `  ${line}`),
    );
  }
  return {
    dir: label,
    status: 'planned',
    message: `would replace ${replaced.join(', ') || 'no files'} (saving them in ${folder}/) and write ${written.join(', ')}; nothing was written`,
    details,
  };
}

function isRepository(dir: string): boolean {
  return REPOSITORY_MARKERS.some((marker) =>
    fs.existsSync(path.join(dir, marker)),
  );
}
