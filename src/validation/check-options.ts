import * as path from 'node:path';
import type { Problem } from './problem';
import {
  checkBaseImage,
  checkDigest,
  checkImageName,
  checkNamespace,
  checkRegistry,
} from '../docker/image-reference';
import type { ServiceConfig } from '../service-config';

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del ' +
    'elif else except finally for from global if import in is lambda ' +
    'nonlocal not or pass raise return try while with yield'
  ).split(' '),
);

const SCRIPT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;
const SAFE_PATH = /^[A-Za-z0-9._/-]+$/;
const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+:~-]+)?$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;

function error(where: string, value: string, message: string): Problem {
  return { severity: 'error', where, value, message };
}

/**
 * Checks every option of a resolved service config and returns all the
 * problems found, so one run reports them all.
 */
export function checkServiceConfig(config: ServiceConfig): Problem[] {
  return [
    ...checkNames(config),
    ...checkImages(config),
    ...checkBuild(config),
    ...checkScripts(config),
    ...checkRuntime(config),
  ];
}

function checkNames(config: ServiceConfig): Problem[] {
  const problems: Problem[] = [];
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(config.name)) {
    problems.push(
      error(
        'name',
        config.name,
        'The project name must start with a letter or digit and contain only letters, digits, ".", "_" and "-". Rename the folder or pass --name.',
      ),
    );
  }
  const parts = config.moduleName.split('.');
  const badPart = parts.find(
    (part) =>
      !/^[A-Za-z_][A-Za-z0-9_]*$/.test(part) || PYTHON_KEYWORDS.has(part),
  );
  if (badPart !== undefined) {
    const suggestion = config.moduleName
      .toLowerCase()
      .replace(/[^a-z0-9_.]/g, '_');
    problems.push(
      error(
        'moduleName',
        config.moduleName,
        `A module name must be a dotted path of Python identifiers that are not keywords ("${badPart}" is not). Use something like "${suggestion}".`,
      ),
    );
  }
  return problems;
}

function checkImages(config: ServiceConfig): Problem[] {
  const problems: Problem[] = [
    ...checkImageName('imageName', config.imageName),
    ...checkNamespace('registryNamespace', config.registryNamespace),
    ...checkRegistry('registry', config.registry),
    ...checkBaseImage('builderImage', config.builderImage),
    ...checkBaseImage('runtimeImage', config.runtimeImage),
  ];
  if (config.builderImageDigest !== undefined) {
    problems.push(
      ...checkDigest('builderImageDigest', config.builderImageDigest),
    );
  }
  if (config.runtimeImageDigest !== undefined) {
    problems.push(
      ...checkDigest('runtimeImageDigest', config.runtimeImageDigest),
    );
  }

  for (const option of ['builderStageName', 'runtimeStageName'] as const) {
    const value = config[option];
    if (!STAGE_NAME.test(value)) {
      problems.push(
        error(
          option,
          value,
          'A stage name must start with a lowercase letter and contain only lowercase letters, digits, ".", "_" and "-". Use something like "builder".',
        ),
      );
    }
  }
  if (config.builderStageName === config.runtimeStageName) {
    problems.push(
      error(
        'runtimeStageName',
        config.runtimeStageName,
        'The runtime stage needs a name other than the builder stage\'s. Use for example "api".',
      ),
    );
  }
  return problems;
}

function checkBuild(config: ServiceConfig): Problem[] {
  const problems: Problem[] = [];
  if (!/^3\.[0-9]{1,2}$/.test(config.pythonVersion)) {
    problems.push(
      error(
        'pythonVersion',
        config.pythonVersion,
        'The Python version must be MAJOR.MINOR of Python 3, such as "3.12".',
      ),
    );
  }

  const venv = config.venvPath;
  const normalized = path.posix.normalize(venv).replace(/\/+$/, '');
  if (
    !venv.startsWith('/') ||
    !SAFE_PATH.test(venv) ||
    normalized !== venv ||
    normalized === ''
  ) {
    problems.push(
      error(
        'venvPath',
        venv,
        `The virtual environment path must be an absolute, normalised path below / made of letters, digits, ".", "_", "-" and "/". Use something like "${DEFAULT_SUGGESTED_VENV}".`,
      ),
    );
  }

  const requirements = config.requirementsFile;
  if (
    requirements.startsWith('/') ||
    !SAFE_PATH.test(requirements) ||
    path.posix.normalize(requirements) !== requirements ||
    requirements.startsWith('..')
  ) {
    problems.push(
      error(
        'requirementsFile',
        requirements,
        'The requirements file must be a normalised path inside the project made of letters, digits, ".", "_", "-" and "/", such as "requirements.txt".',
      ),
    );
  }

  if (config.pipIndexUrl !== undefined) {
    problems.push(...checkIndexUrl(config.pipIndexUrl));
  }
  return problems;
}

const DEFAULT_SUGGESTED_VENV = '/usr/share/python3/app';

function checkIndexUrl(value: string): Problem[] {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (
    !url ||
    !['http:', 'https:'].includes(url.protocol) ||
    !/^[A-Za-z0-9._~:/?&=%+@[\]-]+$/.test(value)
  ) {
    return [
      error(
        'pipIndexUrl',
        value,
        'The index URL must be an http or https URL without spaces, quotes or "$", such as "https://pypi.example.com/simple/".',
      ),
    ];
  }
  if (url.username || url.password) {
    return [
      error(
        'pipIndexUrl',
        value.replace(/\/\/[^@/]*@/, '//***@'),
        'The index URL contains credentials, which would be stored in the image. Remove them and pass the URL with credentials as a build secret (see the docs on private indexes).',
      ),
    ];
  }
  return [];
}

function checkScripts(config: ServiceConfig): Problem[] {
  const problems: Problem[] = [];
  if (config.consoleScripts.length === 0) {
    problems.push(
      error(
        'consoleScripts',
        '[]',
        'List at least one console script for the image to run, such as "<name>-api".',
      ),
    );
  }
  const seen = new Set<string>();
  for (const script of config.consoleScripts) {
    if (!SCRIPT_NAME.test(script)) {
      problems.push(
        error(
          'consoleScripts',
          script,
          'A console script name must start with a letter or digit and contain only letters, digits, ".", "_" and "-".',
        ),
      );
    } else if (seen.has(script)) {
      problems.push(
        error(
          'consoleScripts',
          script,
          'The script is listed twice. Remove one.',
        ),
      );
    }
    seen.add(script);
  }

  if (!config.consoleScripts.includes(config.defaultCommand)) {
    problems.push(
      error(
        'defaultCommand',
        config.defaultCommand,
        `The default command must be one of the console scripts (${config.consoleScripts.join(', ') || 'none'}). Add it to consoleScripts or pick one of them.`,
      ),
    );
  }
  for (const arg of config.defaultCommandArgs) {
    if (/[\u0000-\u001f\u007f]/.test(arg)) {
      problems.push(
        error(
          'defaultCommandArgs',
          arg,
          'A command argument must not contain control characters such as newlines. Split it into separate arguments.',
        ),
      );
    }
  }
  return problems;
}

function checkRuntime(config: ServiceConfig): Problem[] {
  const problems: Problem[] = [];
  for (const name of config.runtimePackages) {
    if (!DEBIAN_PACKAGE.test(name)) {
      problems.push(
        error(
          'runtimePackages',
          name,
          'A runtime package must be a Debian package name (lowercase letters, digits, "+", "-", "."), optionally with "=version", such as "libpq5".',
        ),
      );
    }
  }
  if (config.nonRootUser) {
    if (!USER_NAME.test(config.runtimeUser)) {
      problems.push(
        error(
          'runtimeUser',
          config.runtimeUser,
          'A user name must start with a lowercase letter or "_" and contain at most 32 lowercase letters, digits, "_" and "-", such as "app".',
        ),
      );
    } else if (config.runtimeUser === 'root') {
      problems.push(
        error(
          'runtimeUser',
          config.runtimeUser,
          'The non-root user cannot be root. Pick another name, or set nonRootUser to false to run as root.',
        ),
      );
    }
  }
  return problems;
}
