import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import {
  copyRepositorySharingModules,
  createRepository,
  editProjenrc,
  runPyservice,
} from '../bench/support/fleet-setup';
import { packedTarball } from './support/pack';
import { makeTempDir } from './support/synth';

/** One repository's entry in `--json` output. */
interface JsonRepository {
  dir: string;
  status: 'unchanged' | 'changed' | 'failed';
  files: Array<{ path: string; change: string }>;
  method: 'in-process' | 'spawn' | null;
  durationMs: number;
  error?: string;
  diff?: string;
}

interface JsonReport {
  command: string;
  summary: {
    total: number;
    unchanged: number;
    changed: number;
    failed: number;
  };
  durationMs: number;
  repositories: JsonRepository[];
}

/**
 * Hashes every file and symbolic link under `root`, without following
 * links. Of a node_modules folder only the `.cache` folder is read, where
 * the compiled `.projenrc.ts` files are kept.
 */
function hashTree(root: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      hash.update(path.relative(root, full));
      if (entry.isSymbolicLink()) {
        hash.update(`-> ${fs.readlinkSync(full)}`);
      } else if (entry.name === 'node_modules') {
        const cache = path.join(full, '.cache');
        if (fs.existsSync(cache)) {
          walk(cache);
        }
      } else if (entry.isDirectory()) {
        walk(full);
      } else {
        hash.update(fs.readFileSync(full));
        hash.update(String(fs.statSync(full).mode));
      }
    }
  };
  walk(root);
  return hash.digest('hex');
}

function byName(report: JsonReport): Map<string, JsonRepository> {
  return new Map(report.repositories.map((r) => [path.basename(r.dir), r]));
}

function parseReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

describe('pyservice sync, check and diff', () => {
  let root: string;
  let fleet: string;
  let template: string;

  beforeAll(() => {
    const tarball = packedTarball(inject('runId'));
    root = makeTempDir('pyservice-fleet-');
    // The template and the copies are at the same depth, because
    // package.json names the tarball by a relative path.
    template = path.join(root, 'template', 'svc');
    createRepository(template, tarball, ['--image-name', 'svc']);
    fleet = path.join(root, 'fleet');
    for (const name of ['svc-1', 'svc-2', 'svc-3', 'svc-4']) {
      copyRepositorySharingModules(template, path.join(fleet, name));
    }
    // A repository with its own copy of node_modules resolves projen to
    // other files, so it takes the fallback path.
    fs.cpSync(template, path.join(fleet, 'svc-own'), { recursive: true });
  });

  afterAll(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('sync of fresh copies is unchanged', () => {
    const run = runPyservice(['sync', '--json', fleet], root);
    const report = parseReport(run.stdout);

    expect(run.exitCode, run.stderr).toBe(0);
    expect(report.command).toBe('sync');
    expect(report.summary).toEqual({
      total: 5,
      unchanged: 5,
      changed: 0,
      failed: 0,
    });
  });

  test('in-process and fallback paths both run', () => {
    const run = runPyservice(['check', '--json', fleet], root);
    const repositories = byName(parseReport(run.stdout));

    for (const name of ['svc-1', 'svc-2', 'svc-3', 'svc-4']) {
      expect(repositories.get(name)?.method, name).toBe('in-process');
    }
    expect(repositories.get('svc-own')?.method).toBe('spawn');
    expect(repositories.get('svc-own')?.status).toBe('unchanged');
  });

  test('check lists the files of a changed option', () => {
    editProjenrc(
      path.join(fleet, 'svc-2'),
      'imageName: "svc",',
      'imageName: "svc",\n  pythonVersion: "3.11",',
    );
    const run = runPyservice(['check', fleet], root);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^differs\s+fleet\/svc-2: .*\bDockerfile\b/m);
    expect(run.stdout).toMatch(/^unchanged fleet\/svc-1$/m);
    expect(run.stdout).toContain(
      'check: 5 repositories, 4 unchanged, 1 differ, 0 failed',
    );
  });

  test('check writes nothing', () => {
    const before = hashTree(root);
    runPyservice(['check', fleet], root);
    runPyservice(['check', '--no-in-process', fleet], root);

    expect(hashTree(root)).toBe(before);
  });

  test('diff shows the change', () => {
    const run = runPyservice(['diff', path.join(fleet, 'svc-2')], root);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('--- a/Dockerfile\n+++ b/Dockerfile\n');
    expect(run.stdout).toMatch(/^-RUN python3\.12 -m venv/m);
    expect(run.stdout).toMatch(/^\+RUN python3\.11 -m venv/m);
    expect(run.stdout).toMatch(/^\+FROM snakepacker\/python:3\.11 AS api$/m);
  });

  test('diff json carries the diff', () => {
    const run = runPyservice(
      ['diff', '--json', path.join(fleet, 'svc-2')],
      root,
    );
    const [repository] = parseReport(run.stdout).repositories;

    expect(repository.status).toBe('changed');
    expect(repository.diff).toContain('+RUN python3.11 -m venv');
  });

  test('broken projenrc fails only its repository', () => {
    fs.appendFileSync(
      path.join(fleet, 'svc-3', '.projenrc.ts'),
      '\nconst broken: number = ;\n',
    );
    const run = runPyservice(['sync', fleet], root);

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^failed\s+fleet\/svc-3: .*Transform failed/m);
    expect(run.stdout).toMatch(/^changed\s+fleet\/svc-2: .*\bDockerfile\b/m);
    expect(run.stdout).toMatch(/^unchanged fleet\/svc-1$/m);
    expect(run.stdout).toContain(
      'sync: 5 repositories, 3 unchanged, 1 changed, 1 failed',
    );
  });

  test('sync writes the changed files', () => {
    const dockerfile = fs.readFileSync(
      path.join(fleet, 'svc-2', 'Dockerfile'),
      'utf8',
    );
    const again = runPyservice(['sync', path.join(fleet, 'svc-2')], root);

    expect(dockerfile).toContain('RUN python3.11 -m venv');
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/^unchanged fleet\/svc-2$/m);
  });

  test('missing node_modules fails only its repository', () => {
    fs.rmSync(path.join(fleet, 'svc-4', 'node_modules'));
    const run = runPyservice(['check', '--json', fleet], root);
    const report = parseReport(run.stdout);
    const repositories = byName(report);

    expect(run.exitCode).toBe(1);
    expect(repositories.get('svc-4')?.status).toBe('failed');
    expect(repositories.get('svc-4')?.error).toContain(
      'Run "npm install" in the repository',
    );
    expect(repositories.get('svc-4')?.method).toBeNull();
    expect(repositories.get('svc-1')?.status).toBe('unchanged');
    expect(repositories.get('svc-own')?.status).toBe('unchanged');
  });

  test('json output has the documented shape', () => {
    const run = runPyservice(['check', '--json', fleet], root);
    const report = parseReport(run.stdout);

    expect(Object.keys(report).sort()).toEqual([
      'command',
      'durationMs',
      'repositories',
      'summary',
    ]);
    expect(report.summary).toEqual({
      total: 5,
      unchanged: 3,
      changed: 0,
      failed: 2,
    });
    expect(report.repositories.map((r) => path.basename(r.dir))).toEqual([
      'svc-1',
      'svc-2',
      'svc-3',
      'svc-4',
      'svc-own',
    ]);
    for (const repository of report.repositories) {
      expect(typeof repository.durationMs, repository.dir).toBe('number');
      expect(Array.isArray(repository.files), repository.dir).toBe(true);
    }
    expect(run.stderr).toBe('');
  });

  test('jobs 2 gives the same results', () => {
    const statuses = (jobs: string, extra: string[] = []) =>
      parseReport(
        runPyservice(['check', '--json', '--jobs', jobs, ...extra, fleet], root)
          .stdout,
      ).repositories.map((r) => [path.basename(r.dir), r.status, r.files]);

    const sequential = statuses('1');
    expect(statuses('2')).toEqual(sequential);
    expect(statuses('2', ['--no-in-process'])).toEqual(sequential);
  });

  test('glob and list select repositories', () => {
    const glob = runPyservice(['check', '--json', 'fleet/svc-[12]'], root);
    const list = runPyservice(
      ['check', '--json', 'fleet/svc-1', 'fleet/svc-2'],
      root,
    );

    expect(parseReport(glob.stdout).summary.total).toBe(2);
    expect(parseReport(list.stdout).summary.total).toBe(2);
  });

  test('folder without repositories is an error', () => {
    const run = runPyservice(['check', path.join(root, 'template')], root);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const none = runPyservice(['sync', empty], root);

    expect(run.exitCode).toBe(0);
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('No repository found at');
  });
});
