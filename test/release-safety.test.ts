import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCommand } from './support/exec';
import { BUILD_PYTHON } from './support/python-packages';
import { initAndCommit } from './support/git-repo';
import { makeTempDir, synthProject } from './support/synth';

// The container tool here is a recording stand-in: a script that appends
// its arguments (and its standard input) to a log. Real builds and pushes
// are covered by image.test.ts.

const STAND_IN = `#!/bin/sh
printf '%s\\n' "$*" >> "$RECORD_FILE"
if [ "$1" = login ]; then printf 'stdin:%s\\n' "$(cat)" >> "$RECORD_FILE"; fi
`;

let root: string;
let dir: string;
let standIn: string;
let record: string;

beforeAll(async () => {
  root = makeTempDir('pyservice-release-');
  dir = path.join(root, 'analyzer');
  fs.mkdirSync(dir);
  synthProject(dir, { registryNamespace: 'acme', registry: '127.0.0.1:5000' });
  standIn = path.join(root, 'record-docker');
  fs.writeFileSync(standIn, STAND_IN, { mode: 0o755 });
  record = path.join(root, 'record.log');
  await initAndCommit(dir, 'Generate');
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function setVersion(version: string): void {
  const file = path.join(dir, 'pyproject.toml');
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(
    file,
    text.replace(/^version = ".*"$/m, `version = "${version}"`),
  );
}

/** Runs make with the stand-in and returns what it recorded and printed. */
async function make(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ calls: string[]; output: string; exitCode: number }> {
  fs.rmSync(record, { force: true });
  const result = await runCommand(
    'make',
    [
      '--no-print-directory',
      ...args,
      `DOCKER=${standIn}`,
      `PYTHON=${BUILD_PYTHON}`,
      'PYTHON_BUILD_FLAGS=--no-isolation',
    ],
    { cwd: dir, env: { RECORD_FILE: record, ...env }, allowFailure: true },
  );
  const calls = fs.existsSync(record)
    ? fs.readFileSync(record, 'utf8').trim().split('\n')
    : [];
  return {
    calls,
    output: result.stdout + result.stderr,
    exitCode: result.exitCode,
  };
}

const pushes = (calls: string[]) => calls.filter((c) => c.startsWith('push'));

describe('make upload', () => {
  test('pushes version and latest from a clean release', async () => {
    const { calls, exitCode } = await make(['upload']);
    expect(exitCode).toBe(0);
    expect(pushes(calls)).toEqual([
      'push 127.0.0.1:5000/acme/analyzer:0.1.0',
      'push 127.0.0.1:5000/acme/analyzer:latest',
    ]);
  });

  test.each([
    ['0.2.0rc1', 'pre-release'],
    ['0.2.0.dev3', 'dev'],
    ['0.2.0+local', 'local'],
  ])('keeps latest for %s', async (version) => {
    setVersion(version);
    try {
      const { calls, output } = await make(['upload']);
      expect(pushes(calls)).toHaveLength(1);
      expect(pushes(calls)[0]).not.toContain(':latest');
      expect(output).toContain('Not pushing latest:');
      expect(output).toContain('is a pre-release, dev or local version');
    } finally {
      setVersion('0.1.0');
    }
  });

  test('keeps latest with uncommitted changes', async () => {
    fs.appendFileSync(path.join(dir, 'analyzer', 'api.py'), '# edit\n');
    try {
      const { calls, output } = await make(['upload']);
      expect(pushes(calls)).toEqual([
        'push 127.0.0.1:5000/acme/analyzer:0.1.0',
      ]);
      expect(output).toContain('the git tree has uncommitted changes');
    } finally {
      await runCommand('git', ['checkout', '--', 'analyzer/api.py'], {
        cwd: dir,
      });
    }
  });

  test('PUSH_LATEST=always overrides', async () => {
    setVersion('0.2.0rc1');
    try {
      const { calls } = await make(['upload', 'PUSH_LATEST=always']);
      expect(pushes(calls)).toEqual([
        'push 127.0.0.1:5000/acme/analyzer:0.2.0rc1',
        'push 127.0.0.1:5000/acme/analyzer:latest',
      ]);
    } finally {
      setVersion('0.1.0');
    }
  });

  test('PUSH_LATEST=never skips latest', async () => {
    const { calls } = await make(['upload', 'PUSH_LATEST=never']);
    expect(pushes(calls)).toEqual(['push 127.0.0.1:5000/acme/analyzer:0.1.0']);
  });

  test('build carries OCI labels', async () => {
    const { calls } = await make(['docker']);
    const build = calls.find((c) => c.startsWith('build'))!;
    expect(build).toContain('--label org.opencontainers.image.version=0.1.0');
    expect(build).toMatch(
      /--label org\.opencontainers\.image\.revision=[0-9a-f]{40}/,
    );
    expect(build).toMatch(
      /--label org\.opencontainers\.image\.created=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
    );
    expect(build).toContain('-t analyzer:0.1.0 .');
  });
});

describe('make login', () => {
  test('passes the password on stdin only', async () => {
    const { calls, output, exitCode } = await make(
      ['login', 'REGISTRY_USER=ci'],
      { REGISTRY_PASSWORD: 's3cret-value' },
    );
    expect(exitCode).toBe(0);
    expect(calls[0]).toBe(
      'login --username ci --password-stdin 127.0.0.1:5000',
    );
    expect(calls[1]).toBe('stdin:s3cret-value');
    expect(output).not.toContain('s3cret-value');
  });

  test('fails without a password', async () => {
    const { calls, output, exitCode } = await make(['login']);
    expect(exitCode).not.toBe(0);
    expect(calls).toEqual([]);
    expect(output).toContain('Set REGISTRY_PASSWORD');
  });
});
