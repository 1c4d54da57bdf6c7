import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCommand } from './support/exec';
import { BUILD_PYTHON } from './support/python-packages';
import { makeTempDir, synthProject } from './support/synth';

/** Variables that let the generated Makefile build sdists offline here. */
const OFFLINE = [`PYTHON=${BUILD_PYTHON}`, 'PYTHON_BUILD_FLAGS=--no-isolation'];

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function newDir(): string {
  const dir = path.join(makeTempDir('pyservice-make-'), 'analyzer');
  fs.mkdirSync(dir);
  dirs.push(path.dirname(dir));
  return dir;
}

async function make(dir: string, ...args: string[]) {
  return runCommand('make', ['--no-print-directory', ...args], { cwd: dir });
}

function setVersion(dir: string, version: string): void {
  const file = path.join(dir, 'pyproject.toml');
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    text.replace(/^version = ".*"$/m, `version = "${version}"`),
  );
}

describe('generated Makefile with the sample package', () => {
  let dir: string;
  beforeAll(() => {
    dir = newDir();
    synthProject(dir, { pythonVersion: '3.11', registryNamespace: 'acme' });
  });

  test('help lists the targets', async () => {
    const { stdout } = await make(dir);
    for (const target of [
      'help',
      'clean',
      'sdist',
      'docker',
      'login',
      'upload',
    ]) {
      expect(stdout).toMatch(new RegExp(`^  ${target} +\\S`, 'm'));
    }
  });

  test('sdist leaves one archive', async () => {
    await make(dir, 'sdist', ...OFFLINE);
    await make(dir, 'sdist', ...OFFLINE);
    expect(fs.readdirSync(path.join(dir, 'dist'))).toEqual([
      'analyzer-0.1.0.tar.gz',
    ]);
  });

  test('upload dry run tags and pushes both', async () => {
    const { stdout } = await make(
      dir,
      '-n',
      'upload',
      ...OFFLINE,
      'REGISTRY=127.0.0.1:5000',
    );
    const lines = stdout.split('\n');
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^docker build .*--target=api -t analyzer:0\.1\.0 \.$/,
      ),
    );
    expect(lines).toContain(
      'docker tag analyzer:0.1.0 127.0.0.1:5000/acme/analyzer:0.1.0',
    );
    expect(lines).toContain('docker push  127.0.0.1:5000/acme/analyzer:0.1.0');
    expect(lines).toContain(
      'docker tag analyzer:0.1.0 127.0.0.1:5000/acme/analyzer:latest',
    );
    expect(lines).toContain('docker push  127.0.0.1:5000/acme/analyzer:latest');
  });

  test('upload sanitises a local version', async () => {
    setVersion(dir, '0.2.0+build.7');
    const { stdout } = await make(dir, '-n', 'upload', ...OFFLINE);
    expect(stdout).toContain('-t analyzer:0.2.0-build.7 .');
    expect(stdout).toContain('docker push  acme/analyzer:0.2.0-build.7');
    expect(stdout).not.toContain('acme/analyzer:latest');
    expect(stdout).toContain(
      'Not pushing latest: 0.2.0-build.7 is a pre-release, dev or local version.',
    );
    setVersion(dir, '0.1.0');
  });

  test('upload tags latest with the sanitised version', async () => {
    setVersion(dir, '0.2.0+build.7');
    const { stdout } = await make(
      dir,
      '-n',
      'upload',
      ...OFFLINE,
      'REGISTRY=127.0.0.1:5000',
      'PUSH_LATEST=always',
    );
    const lines = stdout.split('\n');
    for (const tag of ['0.2.0-build.7', 'latest']) {
      expect(lines).toContain(
        `docker tag analyzer:0.2.0-build.7 127.0.0.1:5000/acme/analyzer:${tag}`,
      );
      expect(lines).toContain(
        `docker push  127.0.0.1:5000/acme/analyzer:${tag}`,
      );
    }
    setVersion(dir, '0.1.0');
  });
});

describe('generated Makefile with a setup.py package', () => {
  let dir: string;
  beforeAll(() => {
    dir = newDir();
    fs.cpSync(
      path.join(__dirname, 'fixtures', 'python-packages', 'analyzer-setup-py'),
      dir,
      { recursive: true },
    );
    synthProject(dir, {
      pythonVersion: '3.11',
      consoleScripts: ['analyzer-api', 'analyzer-db'],
    });
  });

  test('writes no sample files', () => {
    expect(fs.existsSync(path.join(dir, 'pyproject.toml'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'analyzer', 'api.py'))).toBe(false);
  });

  test('sdist leaves one archive', async () => {
    await make(dir, 'sdist', ...OFFLINE);
    const files = fs.readdirSync(path.join(dir, 'dist'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^analyzer-0\.0\.1\.tar\.gz$/);
  });

  test('version comes from __init__.py', async () => {
    const { stdout } = await make(dir, '-n', 'docker', ...OFFLINE);
    expect(stdout).toContain('-t analyzer:0.0.1 .');
  });
});
