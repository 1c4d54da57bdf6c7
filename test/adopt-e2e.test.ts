import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  ADOPT_FIXTURES,
  copyFixture,
  instructionSequence,
  onlyBackupFolder,
} from './support/adopt';
import { runCommand } from './support/exec';
import { initAndCommit } from './support/git-repo';
import { packedTarball } from './support/pack';
import { projenNew } from './support/projen-new';
import { makeTempDir } from './support/synth';

const read = (dir: string, file: string) =>
  fs.readFileSync(path.join(dir, file), 'utf8');

describe('projen new in the 2019 recipe repository', () => {
  let root: string;
  let original: string;
  let dir: string;
  let output: string;

  beforeAll(async () => {
    const tarball = packedTarball(inject('runId'));
    root = makeTempDir('pyservice-adopt-e2e-');
    original = copyFixture('recipe-2019', path.join(root, 'original'));
    dir = copyFixture('recipe-2019', path.join(root, 'adopted'));
    // A committed repository, so the uncommitted-changes check runs and
    // has to ignore the package.json that projen new installs into.
    await initAndCommit(dir);
    // projen prints no log lines when NODE_ENV is "test", as under vitest.
    const result = await projenNew(dir, tarball, [], {
      env: { NODE_ENV: undefined },
    });
    output = result.stdout + result.stderr;
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('records the inferred options', () => {
    const projenrc = read(dir, '.projenrc.ts');
    for (const line of [
      'pythonVersion: "3.8"',
      'consoleScripts: ["analyzer-api", "analyzer-db"]',
      'defaultCommand: "analyzer-api"',
      'nonRootUser: false',
      'registryNamespace: "acme"',
      'imageName: "analyzer"',
      'venvPath: "/usr/share/python3/app"',
    ]) {
      expect(projenrc, line).toContain(line);
    }
    expect(projenrc).toMatch(/devDeps: \[".*projen-python-service.*"\]/);
  });

  test('keeps the instruction sequence', () => {
    expect(instructionSequence(read(dir, 'Dockerfile'))).toEqual(
      instructionSequence(read(original, 'Dockerfile')),
    );
  });

  test('keeps the backups and reports them', () => {
    const backups = onlyBackupFolder(dir);
    for (const file of ['Dockerfile', 'Makefile', '.dockerignore']) {
      const backup = fs.readFileSync(path.join(dir, backups, file));
      expect(
        backup.equals(fs.readFileSync(path.join(original, file))),
        file,
      ).toBe(true);
      expect(output, file).toContain(
        `${file} is replaced; your version is saved as ${backups}/${file}`,
      );
    }
    expect(read(dir, 'requirements.txt')).toBe(
      read(original, 'requirements.txt'),
    );
    // projen new's own npm install wrote package.json, so it is no backup.
    expect(output).not.toContain('package.json is replaced');
    expect(fs.existsSync(path.join(dir, backups, 'package.json'))).toBe(false);
    expect(fs.existsSync(path.join(dir, backups, 'adopt-report.txt'))).toBe(
      true,
    );
  });

  test('runs the old make targets', async () => {
    const { stdout } = await runCommand(
      'make',
      ['--no-print-directory', 'test'],
      { cwd: dir },
    );
    expect(stdout).toContain('lint: would run pylama');
    expect(stdout).toContain('test: would run pytest for analyzer');
  });

  test('synthesizes again without changes', async () => {
    const files = [
      'Dockerfile',
      'Makefile',
      '.dockerignore',
      'Makefile.local',
      '.projenrc.ts',
    ];
    const before = files.map((file) => read(dir, file));
    const { stdout, stderr } = await runCommand('npx', ['projen'], {
      cwd: dir,
    });
    expect(files.map((file) => read(dir, file))).toEqual(before);
    expect(stdout + stderr).not.toContain('changed by hand');
    expect(
      fs.readdirSync(path.join(dir, '.pyservice', 'backups')),
    ).toHaveLength(1);
  });

  test('fixture is the 2019 recipe', () => {
    expect(
      instructionSequence(read(ADOPT_FIXTURES + '/recipe-2019', 'Dockerfile')),
    ).toEqual(
      instructionSequence(
        read(path.join(__dirname, 'fixtures'), 'original-recipe.Dockerfile'),
      ),
    );
  });
});
