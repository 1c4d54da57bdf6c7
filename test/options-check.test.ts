import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir, readOut, synthProject } from './support/synth';
import type { PythonServiceProjectOptions } from '../src';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function newDir(): string {
  const dir = path.join(makeTempDir('pyservice-options-'), 'analyzer');
  fs.mkdirSync(dir);
  dirs.push(path.dirname(dir));
  return dir;
}

/** Synthesizes with the options and returns the error message, if any. */
function synthError(options: Partial<PythonServiceProjectOptions>): string {
  try {
    synthProject(newDir(), options);
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

/**
 * Characters that would start a new Makefile line or recipe, a new
 * Dockerfile instruction, or shell syntax inside a RUN.
 */
const HOSTILE_CHARACTERS = [
  '\n',
  '\r',
  '\0',
  '$',
  '`',
  '"',
  "'",
  ';',
  '&',
  '|',
  '<',
  '>',
  '(',
  ')',
  ' ',
  '#',
  '\\',
  '*',
  '{',
];

/** Each string option with a valid value to corrupt. */
const STRING_OPTIONS: Array<[keyof PythonServiceProjectOptions, string]> = [
  ['name', 'analyzer'],
  ['moduleName', 'analyzer'],
  ['pythonVersion', '3.12'],
  ['builderImage', 'snakepacker/python:all'],
  ['runtimeImage', 'snakepacker/python:3.12'],
  ['builderImageDigest', `sha256:${'a'.repeat(64)}`],
  ['builderStageName', 'builder'],
  ['runtimeStageName', 'api'],
  ['venvPath', '/usr/share/python3/app'],
  ['imageName', 'analyzer'],
  ['registry', 'registry.example.com'],
  ['registryNamespace', 'acme'],
  ['pipIndexUrl', 'https://pypi.example.com/simple/'],
  ['requirementsFile', 'requirements.txt'],
  ['runtimeUser', 'app'],
];

const ARRAY_OPTIONS: Array<[keyof PythonServiceProjectOptions, string]> = [
  ['consoleScripts', 'analyzer-api'],
  ['runtimePackages', 'libpq5'],
];

const cases = [
  ...STRING_OPTIONS.flatMap(([option, value]) =>
    HOSTILE_CHARACTERS.map((character) => ({
      option,
      character,
      options: {
        [option]: `${value.slice(0, 3)}${character}${value.slice(3)}`,
      },
    })),
  ),
  ...ARRAY_OPTIONS.flatMap(([option, value]) =>
    HOSTILE_CHARACTERS.map((character) => ({
      option,
      character,
      options: {
        [option]: [`${value.slice(0, 3)}${character}${value.slice(3)}`],
        // A bad script must not also break the default command check.
        ...(option === 'consoleScripts' ? { defaultCommand: 'x' } : {}),
      },
    })),
  ),
];

describe('hostile characters', () => {
  test.each(cases)('$option rejects $character', ({ option, options }) => {
    const message = synthError(options as Partial<PythonServiceProjectOptions>);
    expect(message).toMatch(
      new RegExp(`^${String(option)}: invalid value`, 'm'),
    );
  });

  test.each(HOSTILE_CHARACTERS.filter((c) => !/[\0-\x1f]/.test(c)))(
    'command argument keeps %j literally',
    (character) => {
      const dir = newDir();
      const arg = `a${character}b`;
      synthProject(dir, { defaultCommandArgs: [arg, '--port'] });
      const cmd = DockerfileParser.parse(readOut(dir, 'Dockerfile'))
        .getInstructions()
        .find((i) => i.getKeyword() === 'CMD');
      expect(JSON.parse(cmd!.getArgumentsContent()!)).toEqual([
        'analyzer-api',
        arg,
        '--port',
      ]);
    },
  );

  test.each(['\n', '\r', '\0', '\t'])(
    'command argument rejects %j',
    (character) => {
      expect(synthError({ defaultCommandArgs: [`a${character}b`] })).toMatch(
        /^defaultCommandArgs: invalid value/m,
      );
    },
  );
});

describe('option checks', () => {
  test.each([
    [
      { imageName: 'Analyzer' },
      'imageName: invalid value "Analyzer": ',
      "Use 'analyzer'",
    ],
    [
      { registryNamespace: 'ACME' },
      'registryNamespace: invalid value "ACME": ',
      "Use 'acme'",
    ],
    [
      { registry: 'https://registry.example.com' },
      'registry: invalid value "https://registry.example.com"',
      'scheme',
    ],
    [{ pythonVersion: '3' }, 'pythonVersion: invalid value "3"', 'MAJOR.MINOR'],
    [
      { pythonVersion: '2.7' },
      'pythonVersion: invalid value "2.7"',
      'Python 3',
    ],
    [{ venvPath: 'venv' }, 'venvPath: invalid value "venv"', 'absolute'],
    [
      { venvPath: '/opt/../app' },
      'venvPath: invalid value "/opt/../app"',
      'normalised',
    ],
    [
      { venvPath: '/opt/app/' },
      'venvPath: invalid value "/opt/app/"',
      'normalised',
    ],
    [
      { moduleName: 'my-service' },
      'moduleName: invalid value "my-service"',
      'my_service',
    ],
    [{ moduleName: 'class' }, 'moduleName: invalid value "class"', 'keywords'],
    [
      { consoleScripts: ['a', 'a'], defaultCommand: 'a' },
      'consoleScripts: invalid value "a"',
      'twice',
    ],
    [
      { defaultCommand: 'other' },
      'defaultCommand: invalid value "other"',
      'analyzer-api',
    ],
    [
      { pipIndexUrl: 'https://user:secret@pypi.example.com/simple/' },
      'pipIndexUrl: invalid value',
      'build secret',
    ],
    [
      { runtimeUser: 'root' },
      'runtimeUser: invalid value "root"',
      'nonRootUser',
    ],
    [
      { builderStageName: 'same', runtimeStageName: 'same' },
      'runtimeStageName: invalid value "same"',
      'other than',
    ],
    [
      { builderImageDigest: 'sha256:abc' },
      'builderImageDigest: invalid value "sha256:abc"',
      '64',
    ],
  ])('rejects %j', (options, where, fix) => {
    const message = synthError(options as Partial<PythonServiceProjectOptions>);
    expect(message).toContain(where);
    expect(message).toContain(fix);
  });

  test('credentials never appear in the error', () => {
    const message = synthError({
      pipIndexUrl: 'https://user:secret@pypi.example.com/simple/',
    });
    expect(message).not.toContain('user:secret');
  });

  test('reports every problem at once', () => {
    const message = synthError({
      imageName: 'Bad Name',
      pythonVersion: 'three',
      venvPath: 'relative',
      runtimePackages: ['Not A Package'],
    });
    expect(message).toMatch(/^4 problems/);
    for (const option of [
      'imageName',
      'pythonVersion',
      'venvPath',
      'runtimePackages',
    ]) {
      expect(message).toMatch(new RegExp(`^${option}: `, 'm'));
    }
  });

  test('writes nothing on invalid options', () => {
    const dir = newDir();
    expect(() => synthProject(dir, { imageName: 'Bad' })).toThrow();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('accepts a digest-pinned build', () => {
    const dir = newDir();
    const digest = `sha256:${'b'.repeat(64)}`;
    synthProject(dir, {
      runtimeImageDigest: digest,
      builderImageDigest: digest,
    });
    const dockerfile = readOut(dir, 'Dockerfile');
    expect(dockerfile).toContain(
      `FROM snakepacker/python:all@${digest} AS builder`,
    );
    expect(dockerfile).toContain(
      `FROM snakepacker/python:3.12@${digest} AS api`,
    );
  });
});
