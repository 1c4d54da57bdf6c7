import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Project } from 'projen';
import { hasProjenMarker } from './backup';
import type { DockerfileStep } from './dockerfile-steps';
import {
  applyDockerfileSteps,
  buildRecipeDockerfile,
  compareInstructionSequences,
  planDockerfileSteps,
  renderModel,
} from './dockerfile-steps';
import type { Finding } from './findings';
import { FindingList } from './findings';
import type { InferredOptions } from './infer-dockerfile';
import { inferFromDockerfile } from './infer-dockerfile';
import { inferFromMakefile, planLocalMakefile } from './infer-makefile';
import { DockerfileReadError, parseOldDockerfile } from './old-dockerfile';
import { parseOldMakefile } from './old-makefile';
import type { PackageMetadata } from '../python/package-metadata';
import {
  normalizeDistributionName,
  PackageMetadataError,
  readPackageMetadata,
} from '../python/package-metadata';
import { readRequirements } from '../python/requirements';
import { resolveServiceConfig } from '../service-config';
import { checkServiceConfig } from '../validation/check-options';
import { formatProblems } from '../validation/problem';

/** The files whose hand-written versions adoption reads and replaces. */
export const ADOPTED_FILES = [
  'Dockerfile',
  'Makefile',
  '.dockerignore',
] as const;

/** Error for a repository that cannot be adopted without losing something. */
export class AdoptionError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'AdoptionError';
  }
}

/** Raised for a repository whose `.projenrc.ts` already uses this project type. */
export class AlreadyAdoptedError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'AlreadyAdoptedError';
  }
}

/** Everything adoption will do to one repository, computed without writing. */
export interface AdoptionPlan {
  readonly dir: string;
  /** The project name: the normalized distribution name or the folder name. */
  readonly name: string;
  /** The options for `.projenrc.ts`, besides `name`. */
  readonly options: InferredOptions;
  /** Steps of the old Dockerfile kept through the escape hatch. */
  readonly dockerfileSteps: readonly DockerfileStep[];
  /** Lines of the old `.gitignore`, which the generated one keeps. */
  readonly gitignorePatterns: readonly string[];
  /** Text to append to Makefile.local; empty when nothing moves. */
  readonly localMakefileText: string;
  readonly findings: readonly Finding[];
}

/** Options of {@link planAdoption}. */
export interface PlanOptions {
  /** Adopt even when the git work tree has uncommitted changes. */
  readonly force?: boolean;
  /**
   * Paths that the caller itself created and that the uncommitted-changes
   * check ignores, such as the package.json that `projen new` writes.
   */
  readonly ignoredChanges?: readonly string[];
  /** The backup folder to name in Makefile.local's header. */
  readonly backupFolder: string;
}

/**
 * Reads a repository and plans its adoption: the inferred options, the kept
 * Dockerfile steps, the Makefile.local text and a finding per option.
 *
 * Throws AdoptionError, before anything is written, when adopting could
 * lose something, and AlreadyAdoptedError when `.projenrc.ts` already uses
 * PythonServiceProject.
 */
export function planAdoption(
  dir: string,
  planOptions: PlanOptions,
): AdoptionPlan {
  checkProjenrc(dir);
  if (!planOptions.force) {
    checkWorkTree(dir, planOptions.ignoredChanges ?? []);
  }
  const findings = new FindingList();
  const metadata = readMetadata(dir, findings);
  const dockerfileText = readUserFile(dir, 'Dockerfile');
  const makefileText = readUserFile(dir, 'Makefile');

  if (
    metadata?.source === 'setup.py' &&
    metadata.distributionName === undefined &&
    dockerfileText === undefined
  ) {
    throw new AdoptionError(
      `setup.py computes the distribution name (${metadata.unresolved.join('; ') || 'no literal name= found'}), and there is no Dockerfile to infer the service from. Write the name as a literal (name='my-service') or add pyproject.toml, then run adopt again.`,
    );
  }

  const options: InferredOptions = {};
  const declaredScripts = (metadata?.consoleScripts ?? []).map((s) => s.name);
  if (metadata?.moduleName) {
    options.moduleName = metadata.moduleName;
    findings.inferred('moduleName', metadata.moduleName, metadata.source);
  }
  if (metadata?.versionSource) {
    findings.note(
      'version',
      `read from ${metadata.versionSource} by the build backend`,
    );
  }

  let dockerfile;
  let inference;
  if (dockerfileText !== undefined) {
    try {
      dockerfile = parseOldDockerfile(dockerfileText);
      inference = inferFromDockerfile(dockerfile, declaredScripts, findings);
    } catch (error) {
      if (error instanceof DockerfileReadError) {
        throw new AdoptionError(error.message);
      }
      throw error;
    }
    Object.assign(options, inference.options);
  } else {
    findings.note(
      'Dockerfile',
      'none found, so the recipe is generated with its defaults',
    );
    if (declaredScripts.length > 0) {
      options.consoleScripts = declaredScripts;
      findings.inferred(
        'consoleScripts',
        declaredScripts,
        "the package's entry points",
      );
    }
  }

  let localMakefileText = '';
  if (makefileText !== undefined) {
    const makefile = parseOldMakefile(makefileText);
    inferFromMakefile(makefile, options, findings);
    try {
      localMakefileText = planLocalMakefile(
        makefile,
        path.posix.join(planOptions.backupFolder, 'Makefile'),
        findings,
      ).text;
    } catch (error) {
      throw new AdoptionError((error as Error).message);
    }
  }

  const name = chooseName(dir, metadata, options, findings);
  const config = resolveServiceConfig({ name, ...options });
  const problems = checkServiceConfig(config).filter(
    (p) => p.severity === 'error',
  );
  if (problems.length > 0) {
    throw new AdoptionError(
      `The inferred options are invalid; set them in a .projenrc.ts by hand instead.\n${formatProblems(problems)}`,
    );
  }

  let dockerfileSteps: DockerfileStep[] = [];
  if (dockerfile !== undefined && inference?.keepsSequence) {
    const requirements = readRequirements(dir, config.requirementsFile);
    const model = buildRecipeDockerfile(config, requirements);
    dockerfileSteps = planDockerfileSteps(
      dockerfile,
      model,
      inference.linkInstruction,
    );
    applyDockerfileSteps(model, dockerfileSteps);
    const differences = compareInstructionSequences(
      dockerfile,
      renderModel(model),
      inference.linkInstruction,
    );
    if (differences.length > 0) {
      throw new AdoptionError(
        `The generated Dockerfile would not keep the old instruction sequence (${differences.join('; ')}). Adopt this repository by hand.`,
      );
    }
    for (const step of dockerfileSteps) {
      findings.note(
        'Dockerfile',
        step.action === 'removeInstruction'
          ? `the recipe step ${step.anchorId} is removed, because the old Dockerfile has no such step`
          : `kept through the escape hatch (${step.action} ${step.anchorId}): ${step.instruction!.keyword} ${step.instruction!.arguments.replace(/\n/g, ' ')}`,
      );
    }
  }

  return {
    dir,
    name,
    options,
    dockerfileSteps,
    gitignorePatterns: readGitignore(dir),
    localMakefileText,
    findings: findings.all,
  };
}

/**
 * Lists the files that the project's synthesis overwrites and that exist
 * without projen's marker, so hold something a user wrote.
 */
export function listReplacedFiles(
  project: Project,
  extra: readonly string[] = [],
): string[] {
  const paths = [...project.files.map((file) => file.path), ...extra];
  return [...new Set(paths)]
    .filter((file) => {
      const absolute = path.join(project.outdir, file);
      return fs.existsSync(absolute) && !hasProjenMarker(absolute);
    })
    .sort();
}

function checkProjenrc(dir: string): void {
  const existing = fs
    .readdirSync(dir)
    .filter((entry) => /^\.projenrc\./.test(entry));
  for (const file of existing) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    if (file === '.projenrc.ts' && text.includes('PythonServiceProject')) {
      throw new AlreadyAdoptedError(
        '.projenrc.ts already defines a PythonServiceProject',
      );
    }
    throw new AdoptionError(
      `${file} already defines another projen project. Remove it (projen eject keeps the generated files) or add PythonServiceProject's files to that project by hand.`,
    );
  }
}

function checkWorkTree(dir: string, ignored: readonly string[]): void {
  let status: string;
  try {
    status = execFileSync(
      'git',
      ['status', '--porcelain', '--untracked-files=all', '.'],
      {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
  } catch {
    return; // Not a git work tree, or git is missing: nothing to protect.
  }
  const changed = status
    .split('\n')
    .filter(Boolean)
    .map((line) => line.slice(3).replace(/^"|"$/g, ''))
    .filter(
      (file) =>
        !ignored.some((prefix) => file === prefix || file.startsWith(prefix)),
    );
  if (changed.length > 0) {
    throw new AdoptionError(
      `The git work tree has uncommitted changes (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''}). Commit or stash them so adoption's changes can be reviewed alone, or pass --force.`,
    );
  }
}

function readMetadata(
  dir: string,
  findings: FindingList,
): PackageMetadata | undefined {
  let metadata: PackageMetadata | undefined;
  try {
    metadata = readPackageMetadata(dir);
  } catch (error) {
    if (error instanceof PackageMetadataError) {
      throw new AdoptionError(
        `${error.file}${error.line ? `:${error.line}` : ''}: ${error.message}. Fix the file, then run adopt again.`,
      );
    }
    throw error;
  }
  if (metadata === undefined) {
    findings.note('package', 'no pyproject.toml, setup.cfg or setup.py found');
  }
  for (const sentence of metadata?.unresolved ?? []) {
    findings.note(metadata!.source, sentence);
  }
  return metadata;
}

/** Reads a file unless it is missing or generated by projen. */
function readUserFile(dir: string, file: string): string | undefined {
  const absolute = path.join(dir, file);
  if (!fs.existsSync(absolute) || hasProjenMarker(absolute)) {
    return undefined;
  }
  return fs.readFileSync(absolute, 'utf8');
}

function chooseName(
  dir: string,
  metadata: PackageMetadata | undefined,
  options: InferredOptions,
  findings: FindingList,
): string {
  if (metadata?.distributionName) {
    const name = normalizeDistributionName(metadata.distributionName);
    findings.inferred('name', name, `${metadata.source} (normalized)`);
    return name;
  }
  const name =
    options.imageName ?? path.basename(path.resolve(dir)).toLowerCase();
  findings.defaulted(
    'name',
    `no distribution name could be read, so ${JSON.stringify(name)} is used`,
  );
  return name;
}

function readGitignore(dir: string): string[] {
  const file = path.join(dir, '.gitignore');
  if (!fs.existsSync(file) || hasProjenMarker(file)) {
    return [];
  }
  return fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}
