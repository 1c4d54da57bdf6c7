import * as fs from 'node:fs';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { afterAll, describe, expect, test } from 'vitest';
import { makeTempDir, readOut, synthProject } from './support/synth';

/** The options that reproduce the 2019 recipe of the "analyzer" service. */
const ORIGINAL_OPTIONS = {
  name: 'analyzer',
  pythonVersion: '3.8',
  builderImage: 'snakepacker/python:all',
  runtimeImage: 'snakepacker/python:3.8',
  venvPath: '/usr/share/python3/app',
  consoleScripts: ['analyzer-api', 'analyzer-db'],
  defaultCommand: 'analyzer-api',
  nonRootUser: false,
};

/** Keyword and arguments of each instruction, with whitespace collapsed. */
function instructionSequence(dockerfile: string): string[] {
  return DockerfileParser.parse(dockerfile)
    .getInstructions()
    .map((instruction) => {
      const args = (instruction.getArgumentsContent() ?? '')
        .replace(/\\\n/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
      return `${instruction.getKeyword()} ${args}`;
    });
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function generatedDockerfile(options: object): string {
  const dir = makeTempDir();
  dirs.push(dir);
  synthProject(dir, options);
  return readOut(dir, 'Dockerfile');
}

describe('original recipe', () => {
  const original = instructionSequence(
    fs.readFileSync(
      path.join(__dirname, 'fixtures', 'original-recipe.Dockerfile'),
      'utf8',
    ),
  );

  test('keeps instructions in order', () => {
    const generated = instructionSequence(
      generatedDockerfile(ORIGINAL_OPTIONS),
    );
    expect(generated).toHaveLength(original.length);

    // The deliberate differences, each explained in docs/design.md.
    const expected = original.map((line) =>
      line
        // Stage names use the upper-case AS of current Dockerfile style.
        .replace(/ as (builder|api)$/, ' AS $1')
        // Console scripts are linked by name, checking each exists.
        .replace(
          /^RUN ln -snf .*$/,
          'RUN for script in analyzer-api analyzer-db; do if [ ! -x "/usr/share/python3/app/bin/$script" ]; then echo "Console script $script not found in /usr/share/python3/app/bin: declare it in the package\'s entry points or remove it from consoleScripts." >&2; exit 1; fi; ln -snf "/usr/share/python3/app/bin/$script" /usr/local/bin/; done',
        ),
    );
    expect(generated).toEqual(expected);
  });

  test('lists each difference in the docs', () => {
    const docs = fs.readFileSync(
      path.join(__dirname, '..', 'docs', 'design.md'),
      'utf8',
    );
    expect(docs).toContain('`AS`');
    expect(docs).toContain('dangling link');
  });
});

describe('generated Dockerfile', () => {
  test.each([
    ['defaults', {}],
    ['original options', ORIGINAL_OPTIONS],
    [
      'every option',
      {
        runtimePackages: ['libpq5'],
        pipIndexUrl: 'http://127.0.0.1:3141/simple/',
        upgradePip: false,
        builderImageDigest: `sha256:${'a'.repeat(64)}`,
        defaultCommandArgs: ['--port', '8080'],
      },
    ],
  ])('validates cleanly with %s', (_name, options) => {
    const diagnostics = validate(generatedDockerfile(options));
    expect(diagnostics.map((d) => d.message)).toEqual([]);
  });
});

describe('switched-off feature', () => {
  test('removes the Makefile on next synth', () => {
    const dir = makeTempDir();
    dirs.push(dir);
    synthProject(dir);
    expect(fs.existsSync(path.join(dir, 'Makefile'))).toBe(true);

    synthProject(dir, { makefile: false });
    expect(fs.existsSync(path.join(dir, 'Makefile'))).toBe(false);
    const files = JSON.parse(readOut(dir, '.projen/files.json')).files;
    expect(files).not.toContain('Makefile');
    expect(readOut(dir, '.gitattributes')).not.toContain('/Makefile ');
    // Makefile.local is the user's and stays.
    expect(fs.existsSync(path.join(dir, 'Makefile.local'))).toBe(true);
  });
});
