import type { PythonServiceProjectOptions } from './python-service-project-options';

/**
 * The options of a Python service with every default applied: the one
 * plain object that the Dockerfile, Makefile and sample builders read.
 */
export interface ServiceConfig {
  readonly name: string;
  readonly moduleName: string;
  readonly pythonVersion: string;
  readonly builderImage: string;
  readonly runtimeImage: string;
  readonly builderImageDigest?: string;
  readonly runtimeImageDigest?: string;
  readonly builderStageName: string;
  readonly runtimeStageName: string;
  readonly venvPath: string;
  readonly consoleScripts: readonly string[];
  readonly defaultCommand: string;
  readonly defaultCommandArgs: readonly string[];
  readonly imageName: string;
  readonly registry: string;
  readonly registryNamespace: string;
  readonly upgradePip: boolean;
  readonly pipIndexUrl?: string;
  readonly pipConfigSecret: boolean;
  readonly requirementsFile: string;
  readonly runtimePackages: readonly string[];
  readonly nonRootUser: boolean;
  readonly runtimeUser: string;
  readonly sample: boolean;
  readonly makefile: boolean;
}

export const DEFAULT_PYTHON_VERSION = '3.12';
export const DEFAULT_BUILDER_IMAGE = 'snakepacker/python:all';
export const DEFAULT_VENV_PATH = '/usr/share/python3/app';

/**
 * Applies the defaults to the options. It does not validate them; see
 * `checkServiceConfig`.
 */
export function resolveServiceConfig(
  options: PythonServiceProjectOptions,
): ServiceConfig {
  const name = options.name;
  const pythonVersion = options.pythonVersion ?? DEFAULT_PYTHON_VERSION;
  const consoleScripts = options.consoleScripts ?? [`${name}-api`];

  return {
    name,
    moduleName: options.moduleName ?? name.toLowerCase().replace(/[-.]/g, '_'),
    pythonVersion,
    builderImage: options.builderImage ?? DEFAULT_BUILDER_IMAGE,
    runtimeImage: options.runtimeImage ?? `snakepacker/python:${pythonVersion}`,
    builderImageDigest: options.builderImageDigest,
    runtimeImageDigest: options.runtimeImageDigest,
    builderStageName: options.builderStageName ?? 'builder',
    runtimeStageName: options.runtimeStageName ?? 'api',
    venvPath: options.venvPath ?? DEFAULT_VENV_PATH,
    consoleScripts,
    defaultCommand: options.defaultCommand ?? consoleScripts[0] ?? '',
    defaultCommandArgs: options.defaultCommandArgs ?? [],
    imageName: options.imageName ?? name,
    registry: options.registry ?? '',
    registryNamespace: options.registryNamespace ?? '',
    upgradePip: options.upgradePip ?? true,
    pipIndexUrl: options.pipIndexUrl,
    pipConfigSecret: options.pipConfigSecret ?? false,
    requirementsFile: options.requirementsFile ?? 'requirements.txt',
    runtimePackages: options.runtimePackages ?? [],
    nonRootUser: options.nonRootUser ?? true,
    runtimeUser: options.runtimeUser ?? 'app',
    sample: options.sample ?? true,
    makefile: options.makefile ?? true,
  };
}
