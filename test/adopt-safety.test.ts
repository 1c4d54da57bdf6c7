import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { main } from '../src/cli/main';
import { adopt, copyFixture, treeHashes } from './support/adopt';
import { makeTempDir } from './support/synth';

const root = makeTempDir('pyservice-adopt-safety-');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let caseNumber = 0;
function newCaseDir(): string {
  const dir = path.join(root, `case-${++caseNumber}`);
  fs.mkdirSync(dir);
  return dir;
}

// execFileSync, because runCommand's write to the stdin of a git that has
// already exited can fail with EPIPE.
function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Commits everything in a fresh git repository. */
function commitAll(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(
    dir,
    '-c',
    'user.name=test',
    '-c',
    'user.email=test@example.com',
    'commit',
    '-q',
    '-m',
    'Initial',
  );
}

interface RejectedCase {
  readonly name: string;
  /** Builds the repository and returns its folder. */
  readonly prepare: (parent: string) => Promise<string>;
  /** Text the failure line must contain. */
  readonly reason: string;
}

const REJECTED: readonly RejectedCase[] = [
  {
    name: 'unparseable Dockerfile',
    prepare: async (parent) => {
      const dir = copyFixture('recipe-2019', parent);
      fs.appendFileSync(path.join(dir, 'Dockerfile'), 'COPPY dist/ /mnt/\n');
      return dir;
    },
    reason: 'unknown instruction "COPPY"',
  },
  {
    name: 'computed setup.py name',
    prepare: async (parent) => {
      const dir = path.join(parent, 'computed');
      fs.cpSync(
        path.join(__dirname, 'fixtures', 'python-packages', 'computed'),
        dir,
        {
          recursive: true,
        },
      );
      fs.writeFileSync(path.join(dir, 'Makefile'), 'lint:\n\t@echo lint\n');
      return dir;
    },
    reason: 'setup.py computes the distribution name',
  },
  {
    name: 'other projen project',
    prepare: async (parent) => {
      const dir = copyFixture('recipe-2019', parent);
      fs.writeFileSync(
        path.join(dir, '.projenrc.js'),
        "const { javascript } = require('projen');\nnew javascript.NodeProject({ name: 'x', defaultReleaseBranch: 'main' }).synth();\n",
      );
      return dir;
    },
    reason: '.projenrc.js already defines another projen project',
  },
  {
    name: 'uncommitted git changes',
    prepare: async (parent) => {
      const dir = copyFixture('recipe-2019', parent);
      commitAll(dir);
      fs.appendFileSync(path.join(dir, 'requirements.txt'), 'uvloop\n');
      return dir;
    },
    reason: 'uncommitted changes (requirements.txt)',
  },
];

describe.each(REJECTED)('adopt rejects $name', (rejected) => {
  test('writes nothing and says why', async () => {
    const dir = await rejected.prepare(newCaseDir());
    const before = treeHashes(dir);

    const { outcomes, output } = adopt(dir);

    expect(treeHashes(dir)).toEqual(before);
    expect(outcomes.map((o) => o.status)).toEqual(['failed']);
    expect(output[0]).toMatch(/^error: failed /);
    expect(output[0]).toContain(rejected.reason);
    expect(output[0]).toContain('Nothing was written.');
  });
});

describe('adopt with --force', () => {
  test('adopts a dirty work tree', async () => {
    const dir = copyFixture('recipe-2019', newCaseDir());
    commitAll(dir);
    fs.appendFileSync(path.join(dir, 'requirements.txt'), 'uvloop\n');

    const { outcomes } = adopt(dir, { force: true });

    expect(outcomes.map((o) => o.status)).toEqual(['adopted']);
    expect(fs.existsSync(path.join(dir, '.projenrc.ts'))).toBe(true);
  });
});

describe('adopt --dry-run', () => {
  test('prints the plan, writes nothing', () => {
    const dir = copyFixture('custom-venv', newCaseDir());
    const before = treeHashes(dir);

    const { outcomes, output } = adopt(dir, { dryRun: true });

    expect(treeHashes(dir)).toEqual(before);
    expect(outcomes.map((o) => o.status)).toEqual(['planned']);
    const text = output.join('\n');
    expect(text).toContain('would replace .dockerignore, Dockerfile, Makefile');
    expect(text).toContain('venvPath: "/opt/service/venv"');
    expect(text).toContain('insertBefore("copy-venv"');
    expect(text).toContain('lint:');
    expect(output[output.length - 1]).toBe(
      '1 repository: 1 planned, 0 skipped, 0 failed',
    );
  });
});

describe('adopt a folder of repositories', () => {
  test('prints one line per repository', () => {
    const folder = newCaseDir();
    copyFixture('recipe-2019', folder);
    copyFixture('python310-renamed', folder);
    const broken = copyFixture('single-stage', folder);
    fs.renameSync(broken, path.join(folder, 'broken'));
    fs.writeFileSync(path.join(folder, 'broken', 'Dockerfile'), 'RUN make\n');
    const done = copyFixture('dashed-pyproject', folder);
    fs.writeFileSync(
      path.join(done, '.projenrc.ts'),
      "import { PythonServiceProject } from 'projen-python-service';\n",
    );
    fs.mkdirSync(path.join(folder, 'notes'));

    const { outcomes, output } = adopt(folder);

    expect(outcomes.map((o) => `${o.status} ${o.dir}`)).toEqual([
      'failed broken',
      'skipped dashed-pyproject',
      'adopted python310-renamed',
      'adopted recipe-2019',
    ]);
    expect(output).toHaveLength(5);
    expect(output[0]).toContain('RUN comes before the first FROM');
    expect(output[1]).toContain('already adopted');
    expect(output[2]).toMatch(
      /^adopted python310-renamed: replaced \.dockerignore, Dockerfile, Makefile/,
    );
    expect(output[4]).toBe('4 repositories: 2 adopted, 1 skipped, 1 failed');
  });
});

describe('pyservice adopt command', () => {
  test('adopts through the CLI', async () => {
    const dir = copyFixture('no-dockerfile', newCaseDir());
    const printed: string[] = [];
    const spy = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((chunk) => {
        printed.push(String(chunk));
        return true;
      });
    try {
      await main(['adopt', dir, '--no-install']);
    } finally {
      spy.mockRestore();
    }
    expect(printed.join('')).toContain(
      '1 repository: 1 adopted, 0 skipped, 0 failed',
    );
    expect(fs.existsSync(path.join(dir, 'Dockerfile'))).toBe(true);
    expect(process.exitCode ?? 0).toBe(0);
  });
});
