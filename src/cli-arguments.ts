import type { InitProject } from 'projen';
import type { PythonServiceProjectOptions } from './python-service-project-options';

/** The options of type string, which `projen new` may pass as numbers. */
const STRING_OPTIONS = [
  'name',
  'moduleName',
  'pythonVersion',
  'builderImage',
  'runtimeImage',
  'builderImageDigest',
  'runtimeImageDigest',
  'builderStageName',
  'runtimeStageName',
  'venvPath',
  'defaultCommand',
  'imageName',
  'registry',
  'registryNamespace',
  'pipIndexUrl',
  'requirementsFile',
  'runtimeUser',
] as const;

/** The options of type string array. */
const STRING_ARRAY_OPTIONS = [
  'consoleScripts',
  'defaultCommandArgs',
  'runtimePackages',
  'devDeps',
] as const;

/**
 * Restores string options that `projen new --from` turned into numbers.
 *
 * projen parses the switches of an external project type without knowing
 * their types, so `--python-version 3.10` arrives as the number 3.1. The raw
 * text is still in the command line of the running `projen new`, so it is
 * read back from there, and the arguments that projen renders into the new
 * `.projenrc.ts` are corrected too.
 */
export function restoreStringOptions(
  options: PythonServiceProjectOptions,
  initProject: InitProject | undefined,
  argv: readonly string[] = process.argv,
): PythonServiceProjectOptions {
  const restored: Record<string, unknown> = { ...options };
  for (const key of STRING_OPTIONS) {
    const value = restored[key];
    if (typeof value === 'number') {
      restored[key] = rawSwitchValue(argv, key) ?? String(value);
    }
  }
  for (const key of STRING_ARRAY_OPTIONS) {
    const value = restored[key];
    if (Array.isArray(value) && value.some((v) => typeof v === 'number')) {
      restored[key] = value.map((v) => String(v));
    }
  }

  if (initProject) {
    for (const key of [...STRING_OPTIONS, ...STRING_ARRAY_OPTIONS]) {
      if (key in initProject.args && restored[key] !== undefined) {
        initProject.args[key] = restored[key];
        initProject.args[toSwitch(key)] = restored[key];
      }
    }
  }
  return restored as unknown as PythonServiceProjectOptions;
}

function toSwitch(optionName: string): string {
  return optionName.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Finds `--switch value` or `--switch=value` on the command line. */
function rawSwitchValue(
  argv: readonly string[],
  optionName: string,
): string | undefined {
  const names = new Set([`--${toSwitch(optionName)}`, `--${optionName}`]);
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const equals = token.indexOf('=');
    if (equals > 0 && names.has(token.slice(0, equals))) {
      return token.slice(equals + 1);
    }
    if (names.has(token) && i + 1 < argv.length) {
      return argv[i + 1];
    }
  }
  return undefined;
}
