import {
  IgnoreFile,
  javascript,
  Project,
  SampleFile,
  typescript,
} from 'projen';
import { adoptExistingFiles } from './adopt/adopt-existing-files';
import { HandEditGuard } from './adopt/hand-edit-guard';
import { restoreStringOptions } from './cli-arguments';
import { addDevDependencies, OWN_PACKAGE_NAME } from './dev-dependencies';
import { Dockerfile } from './docker/dockerfile';
import { addServiceStages } from './docker/service-image';
import { Makefile } from './make/makefile';
import { addServiceTargets, LOCAL_MAKEFILE } from './make/service-makefile';
import { hasPythonPackage } from './python/package-metadata';
import { addRequirementsFile, readRequirements } from './python/requirements';
import { addSamplePackage } from './python/sample-package';
import type { PythonServiceProjectOptions } from './python-service-project-options';
import { resolveServiceConfig, ServiceConfig } from './service-config';
import { renderTemplate } from './templates';
import { checkServiceConfig } from './validation/check-options';
import { formatProblems } from './validation/problem';

/**
 * The command that runs `.projenrc.ts`, without type checking. The hook
 * compiles the file with esbuild (from tsx) on the first run and then loads
 * the cached output, because `tsx/cjs` transforms every module projen loads
 * and doubles its load time. See src/fleet/projenrc-loader.ts.
 */
const PROJENRC_COMMAND = `node --require ${OWN_PACKAGE_NAME}/lib/fleet/projenrc-loader .projenrc.ts`;

/**
 * A Python service repository whose Dockerfile, Makefile and `.dockerignore`
 * are generated from `.projenrc.ts`.
 *
 * The image is built in two stages. The builder installs the requirements
 * and then the package's sdist into a virtual environment at a fixed path.
 * The runtime stage copies that environment, links the console scripts onto
 * PATH and runs the default one. `make upload` builds,
 * tags and pushes the image.
 *
 * @pjid python-service
 */
export class PythonServiceProject extends Project {
  /** The generated Dockerfile; its stages and instructions can be changed. */
  public readonly dockerfile: Dockerfile;

  /** The generated Makefile, unless the `makefile` option is off. */
  public readonly makefile?: Makefile;

  /** The generated `.dockerignore`. */
  public readonly dockerignore: IgnoreFile;

  /** The generated package.json. */
  public readonly nodePackage: javascript.NodePackage;

  public constructor(options: PythonServiceProjectOptions) {
    super(options);
    const restored = restoreStringOptions(options, this.initProject);
    // In `projen new` inside an existing repository: infer the options from
    // its files and back them up (see src/adopt/).
    Object.assign(restored, adoptExistingFiles(this, restored));
    const config = resolveServiceConfig(restored);
    const requirements = readRequirements(this.outdir, config.requirementsFile);

    // Every problem is reported at once, before any file is written.
    const problems = [...checkServiceConfig(config), ...requirements.problems];
    const errors = problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) {
      throw new Error(formatProblems(errors));
    }
    for (const warning of problems.filter((p) => p.severity === 'warning')) {
      this.logger.warn(`${warning.where}: ${warning.message}`);
    }

    this.nodePackage = this.addNodeTooling(restored);

    this.dockerfile = new Dockerfile(this);
    addServiceStages(this.dockerfile, config, requirements);
    this.dockerignore = this.addDockerignore(config);

    if (config.makefile) {
      this.makefile = new Makefile(this);
      addServiceTargets(this.makefile, config);
      new SampleFile(this, LOCAL_MAKEFILE, {
        contents: renderTemplate(LOCAL_MAKEFILE, {}),
      });
    }

    this.addPythonFiles(config);
    this.gitignore.exclude(
      'dist/',
      'build/',
      '*.egg-info/',
      '__pycache__/',
      '.venv/',
      'node_modules/',
    );

    // Created last, so that it hashes the files above after they are written.
    new HandEditGuard(this);
  }

  /**
   * Marks a generated file for git, so that diffs and code review fold it.
   */
  public annotateGenerated(glob: string): void {
    this.gitattributes.addAttributes(glob, 'linguist-generated');
  }

  private addNodeTooling(
    options: PythonServiceProjectOptions,
  ): javascript.NodePackage {
    const nodePackage = new javascript.NodePackage(this, {
      packageName: options.name,
      packageManager: javascript.NodePackageManager.NPM,
    });
    addDevDependencies(this, options.devDeps ?? []);

    // ProjenrcTs writes tsconfig.projen.json for editors. Its default task
    // is replaced by PROJENRC_COMMAND, which runs .projenrc.ts in one Node
    // process, without a type check and without npx fetching anything.
    new typescript.ProjenrcTs(this, {
      runner: typescript.TypeScriptRunner.tsx(),
    });
    this.defaultTask?.reset(PROJENRC_COMMAND);
    return nodePackage;
  }

  private addDockerignore(config: ServiceConfig): IgnoreFile {
    // The build context is only what the Dockerfile copies, so that no
    // other change invalidates the cache or leaks into the image.
    const dockerignore = new IgnoreFile(this, '.dockerignore');
    dockerignore.exclude('*');
    dockerignore.include(config.requirementsFile, 'dist/');
    return dockerignore;
  }

  private addPythonFiles(config: ServiceConfig): void {
    addRequirementsFile(this, config.requirementsFile);
    if (!config.sample) {
      return;
    }
    if (hasPythonPackage(this.outdir)) {
      this.logger.verbose(
        'The folder already contains a Python package, so no sample package is written.',
      );
      return;
    }
    addSamplePackage(this, config);
  }
}
