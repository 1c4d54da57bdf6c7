import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  commandEnvironment,
  copyRepositorySharingModules,
  createRepository,
  editProjenrc,
  REPO_ROOT,
  runPyservice,
} from '../bench/support/fleet-setup';
import { packedTarball } from './support/pack';
import { makeTempDir } from './support/synth';

const PRESET_FIXTURE = path.join(__dirname, 'fixtures', 'preset');

/**
 * Builds the preset fixture against the packed base package: compiles it
 * with this repository's jsii and packs it with npm. Returns the tarball.
 */
function buildPreset(root: string, baseTarball: string): string {
  const presetDir = path.join(root, 'preset');
  fs.cpSync(PRESET_FIXTURE, presetDir, { recursive: true });
  const manifest = path.join(presetDir, 'package.json');
  fs.writeFileSync(
    manifest,
    fs.readFileSync(manifest, 'utf8').replace('BASE_TARBALL', baseTarball),
  );

  // jsii reads the assemblies of the dependencies from node_modules.
  const nodeModules = path.join(presetDir, 'node_modules');
  const baseDir = path.join(nodeModules, 'projen-python-service');
  fs.mkdirSync(baseDir, { recursive: true });
  execFileSync('tar', [
    '-xzf',
    baseTarball,
    '--strip-components=1',
    '-C',
    baseDir,
  ]);
  for (const name of ['projen', 'constructs']) {
    fs.symlinkSync(
      path.join(REPO_ROOT, 'node_modules', name),
      path.join(nodeModules, name),
      'dir',
    );
  }

  execFileSync(
    'node',
    [
      path.join(REPO_ROOT, 'node_modules', 'jsii', 'bin', 'jsii'),
      '--silence-warnings=reserved-word',
    ],
    { cwd: presetDir, stdio: 'pipe' },
  );
  const packed = execFileSync(
    'npm',
    ['pack', '--json', '--pack-destination', root],
    { cwd: presetDir, encoding: 'utf8', env: commandEnvironment() },
  );
  const [{ filename }] = JSON.parse(packed) as Array<{ filename: string }>;
  return path.join(root, filename);
}

const read = (dir: string, file: string) =>
  fs.readFileSync(path.join(dir, file), 'utf8');

describe('company preset package', () => {
  let root: string;
  let fleet: string;
  let first: string;
  let second: string;

  beforeAll(() => {
    root = makeTempDir('pyservice-preset-');
    const presetTarball = buildPreset(root, packedTarball(inject('runId')));
    fleet = path.join(root, 'fleet');
    first = path.join(fleet, 'orders');
    createRepository(first, presetTarball);
    second = path.join(fleet, 'billing');
    copyRepositorySharingModules(first, second);
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('projen new writes the preset type', () => {
    const projenrc = read(first, '.projenrc.ts');

    expect(projenrc).toContain('from "acme-python-service"');
    expect(projenrc).toContain('new AcmeServiceProject(');
  });

  test('generated files use the preset defaults', () => {
    const dockerfile = read(first, 'Dockerfile');

    expect(dockerfile).toContain(
      'FROM registry.acme.example/python-builder:3.11 AS builder',
    );
    expect(dockerfile).toContain('RUN python3.11 -m venv');
    expect(dockerfile).toContain(
      'FROM registry.acme.example/python:3.11 AS api',
    );
    expect(read(first, 'Makefile')).toContain(
      'REGISTRY ?= registry.acme.example',
    );
  });

  test('npx projen synthesizes without changes', () => {
    const before = read(first, 'Dockerfile');
    const run = spawnSync('npx', ['projen'], {
      cwd: first,
      env: commandEnvironment(),
      encoding: 'utf8',
    });

    expect(run.status, run.stderr).toBe(0);
    expect(read(first, 'Dockerfile')).toBe(before);
  });

  test('sync runs preset repositories in-process', () => {
    const run = runPyservice(['sync', '--json', fleet], root);
    const report = JSON.parse(run.stdout);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.summary.unchanged).toBe(2);
    for (const repository of report.repositories) {
      expect(repository.method, repository.dir).toBe('in-process');
    }
  });

  test('check and sync follow an option change', () => {
    editProjenrc(
      second,
      'name: "orders",',
      'name: "orders",\n  pythonVersion: "3.12",',
    );
    const check = runPyservice(['check', fleet], root);
    const sync = runPyservice(['sync', fleet], root);

    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(
      /^differs\s+fleet\/billing: .*\bDockerfile\b/m,
    );
    expect(check.stdout).toMatch(/^unchanged fleet\/orders$/m);
    expect(sync.exitCode).toBe(0);
    expect(read(second, 'Dockerfile')).toContain('RUN python3.12 -m venv');
    expect(read(second, 'Dockerfile')).toContain(
      'FROM registry.acme.example/python-builder:3.11 AS builder',
    );
  });
});
