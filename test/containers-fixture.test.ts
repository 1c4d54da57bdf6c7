import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'fs-extra';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BaseImages, ensureBaseImages } from './support/base-images';
import {
  buildImage,
  containerTool,
  imageExists,
  removeImages,
  runContainerTool,
  runInImage,
} from './support/container-tool';
import { runCommand } from './support/exec';
import { withFileLock } from './support/file-lock';
import {
  buildWheel,
  startPackageIndex,
  PackageIndex,
} from './support/python-packages';
import { Registry, startRegistry } from './support/registry';

// These tests check the fixtures that the end-to-end tests build on: base
// images, an image registry and a Python package index, all local.

describe('container tool', () => {
  test('uses vfs storage and chroot', async () => {
    const tool = await containerTool();

    expect(tool.command).toEqual(['buildah', '--storage-driver', 'vfs']);
    expect(tool.buildFlags).toContain('--isolation');
    expect(tool.buildFlags).toContain('chroot');
    expect(tool.buildFlags).toContain('--pull=never');
    expect(tool.version).toMatch(/^buildah version \d+\.\d+/);
  });
});

describe('file lock', () => {
  test('serializes concurrent holders', async () => {
    const lockDir = await fs.mkdtemp(
      path.join(os.tmpdir(), 'pyservice-lock-test-'),
    );
    const lockPath = path.join(lockDir, 'test.lock');
    const events: string[] = [];
    const hold = (name: string) =>
      withFileLock(
        lockPath,
        async () => {
          events.push(`${name} start`);
          await new Promise((resolve) => setTimeout(resolve, 200));
          events.push(`${name} end`);
        },
        { pollMs: 20 },
      );

    try {
      await Promise.all([hold('first'), hold('second')]);

      expect(events).toHaveLength(4);
      expect(events[0].endsWith('start')).toBe(true);
      expect(events[1]).toBe(events[0].replace('start', 'end'));
      expect(events[2].endsWith('start')).toBe(true);
      expect(events[3]).toBe(events[2].replace('start', 'end'));
      expect(await fs.pathExists(lockPath)).toBe(false);
    } finally {
      await fs.remove(lockDir);
    }
  });

  test('removes lock of dead process', async () => {
    const lockDir = await fs.mkdtemp(
      path.join(os.tmpdir(), 'pyservice-lock-test-'),
    );
    const lockPath = path.join(lockDir, 'test.lock');
    const exited = spawn('true');
    await new Promise((resolve) => exited.once('exit', resolve));
    await fs.writeFile(
      lockPath,
      JSON.stringify({ pid: exited.pid, hostname: os.hostname(), token: 'x' }),
    );

    try {
      const result = await withFileLock(lockPath, async () => 'acquired', {
        timeoutMs: 5_000,
        pollMs: 20,
      });

      expect(result).toBe('acquired');
      expect(await fs.pathExists(lockPath)).toBe(false);
    } finally {
      await fs.remove(lockDir);
    }
  });
});

describe('base images', () => {
  let images: BaseImages;

  beforeAll(async () => {
    images = await ensureBaseImages();
  });

  test('second call reuses cached images', async () => {
    const startedAt = Date.now();
    const again = await ensureBaseImages();

    expect(again).toEqual(images);
    expect(await imageExists(images.runtime)).toBe(true);
    expect(await imageExists(images.builder)).toBe(true);
    // The cached path only lists and inspects images, in about 0.1 s on a
    // 2-core machine, while committing the cached trees again takes about 14 s.
    expect(Date.now() - startedAt).toBeLessThan(5_000);
  });

  test('runtime image runs python3', async () => {
    const result = await runInImage(images.runtime, ['python3', '--version']);

    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim()).toMatch(/^Python 3\.11\.\d+$/);
  });

  test('runtime venv has working pip', async () => {
    const result = await runInImage(images.runtime, [
      'sh',
      '-c',
      'python3 -m venv /tmp/venv && /tmp/venv/bin/pip --version',
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^pip \d+\.\d+.* from \/tmp\/venv\//m);
  });

  test('builder image has gcc', async () => {
    const result = await runInImage(images.builder, ['gcc', '--version']);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^gcc .*\d+\.\d+\.\d+/);
  });

  test('builder gcc links a program', async () => {
    const result = await runInImage(images.builder, [
      'sh',
      '-c',
      'printf "int main(void){return 7;}\\n" > /tmp/seven.c && gcc -o /tmp/seven /tmp/seven.c && /tmp/seven; echo "exit $?"',
    ]);

    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('exit 7');
  });

  test('runtime image lacks gcc', async () => {
    const result = await runInImage(images.runtime, ['gcc', '--version']);

    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('executable file not found');
  });
});

describe('local registry', () => {
  const runId = randomUUID().slice(0, 8);
  const localTag = `localhost/pyservice-test/registry-fixture:${runId}`;
  const marker = `registry-fixture-${runId}`;
  let images: BaseImages;
  let registry: Registry | undefined;
  let contextDir: string | undefined;

  beforeAll(async () => {
    images = await ensureBaseImages();
    registry = await startRegistry();
    contextDir = await fs.mkdtemp(
      path.join(os.tmpdir(), 'pyservice-registry-context-'),
    );
  });

  afterAll(async () => {
    await registry?.stop();
    await removeImages([localTag]);
    if (contextDir) {
      await fs.remove(contextDir);
    }
  });

  test('registry serves v2 API', async () => {
    const response = await fetch(`http://${registry!.host}/v2/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe(
      'registry/2.0',
    );
    expect(registry!.host).toMatch(/^127\.0\.0\.1:\d+$/);
  });

  test('pushed image reads back', async () => {
    await fs.writeFile(
      path.join(contextDir!, 'Dockerfile'),
      `FROM ${images.runtime}\nLABEL org.example.pyservice-test.marker="${marker}"\n`,
    );
    await buildImage(contextDir!, localTag);
    const remote = `${registry!.host}/pyservice-test/registry-fixture:${runId}`;

    await runContainerTool([
      'push',
      '--tls-verify=false',
      localTag,
      `docker://${remote}`,
    ]);
    const inspected = await runCommand('skopeo', [
      'inspect',
      '--tls-verify=false',
      `docker://${remote}`,
    ]);
    const manifest = JSON.parse(inspected.stdout) as {
      Name: string;
      RepoTags: string[];
      Labels: Record<string, string>;
      Layers: string[];
    };

    expect(manifest.Name).toBe(
      `${registry!.host}/pyservice-test/registry-fixture`,
    );
    expect(manifest.RepoTags).toEqual([runId]);
    expect(manifest.Labels['org.example.pyservice-test.marker']).toBe(marker);
    expect(manifest.Layers.length).toBeGreaterThanOrEqual(1);
  });

  test('stop frees port and folder', async () => {
    const other = await startRegistry();
    try {
      await other.stop();

      expect(await fs.pathExists(other.dataDir)).toBe(false);
      await expect(fetch(`http://${other.host}/v2/`)).rejects.toThrow();
    } finally {
      // A second call does nothing, and it stops the registry if a check failed first.
      await other.stop();
    }
  });
});

describe('package index', () => {
  const runId = randomUUID().slice(0, 8);
  const imageTag = `localhost/pyservice-test/index-fixture:${runId}`;
  let images: BaseImages;
  let workDir: string | undefined;
  let wheelsDir: string;
  let appWheel: string;
  let depWheel: string;
  let index: PackageIndex | undefined;

  beforeAll(async () => {
    images = await ensureBaseImages();
    workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'pyservice-index-test-'));
    wheelsDir = path.join(workDir, 'wheels');
    depWheel = await buildWheel({
      name: 'pyservice-fixture-dep',
      version: '1.2.0',
      outDir: wheelsDir,
    });
    appWheel = await buildWheel({
      name: 'pyservice-fixture-app',
      version: '0.3.0',
      requires: ['pyservice-fixture-dep>=1.0'],
      outDir: wheelsDir,
    });
    index = await startPackageIndex(wheelsDir);
  });

  afterAll(async () => {
    await index?.stop();
    await removeImages([imageTag]);
    if (workDir) {
      await fs.remove(workDir);
    }
  });

  test('wheels have standard file names', () => {
    expect(path.basename(depWheel)).toBe(
      'pyservice_fixture_dep-1.2.0-py3-none-any.whl',
    );
    expect(path.basename(appWheel)).toBe(
      'pyservice_fixture_app-0.3.0-py3-none-any.whl',
    );
  });

  test('wheel metadata lists requirement', async () => {
    const result = await runCommand('/usr/bin/python3', [
      '-c',
      'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); ' +
        'print(z.read("pyservice_fixture_app-0.3.0.dist-info/METADATA").decode())',
      appWheel,
    ]);

    expect(result.stdout).toMatch(/^Name: pyservice-fixture-app$/m);
    expect(result.stdout).toMatch(/^Version: 0\.3\.0$/m);
    expect(result.stdout).toMatch(
      // setuptools 66 writes `name (>=1.0)`, newer versions write `name>=1.0`.
      /^Requires-Dist: pyservice-fixture-dep ?\(?>=1\.0\)?$/m,
    );
  });

  test('index lists projects and hashes', async () => {
    const root = await (await fetch(index!.url)).text();
    const projectResponse = await fetch(`${index!.url}pyservice-fixture-app/`);
    const projectPage = await projectResponse.text();
    const digest = (await runCommand('sha256sum', [appWheel])).stdout.split(
      ' ',
    )[0];

    expect(root).toContain('href="/simple/pyservice-fixture-app/"');
    expect(root).toContain('href="/simple/pyservice-fixture-dep/"');
    expect(projectResponse.status).toBe(200);
    expect(projectPage).toContain(
      `pyservice_fixture_app-0.3.0-py3-none-any.whl#sha256=${digest}`,
    );
  });

  test('index redirects unnormalized names', async () => {
    const response = await fetch(`${index!.url}Pyservice_Fixture.App`, {
      redirect: 'manual',
    });

    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(
      '/simple/pyservice-fixture-app/',
    );
  });

  test('index rejects unknown files', async () => {
    const response = await fetch(
      new URL('/files/..%2F..%2Fetc%2Fpasswd', index!.url),
    );

    expect(response.status).toBe(404);
  });

  test('pip installs from index in build', async () => {
    const contextDir = path.join(workDir!, 'context');
    // The build needs no --network host, because with chroot isolation RUN
    // steps share the host's network and 127.0.0.1 is this machine's loopback.
    await fs.outputFile(
      path.join(contextDir, 'Dockerfile'),
      [
        `FROM ${images.runtime}`,
        'ARG INDEX_URL',
        'ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1',
        'RUN python3 -m venv /opt/venv && /opt/venv/bin/pip install --index-url "$INDEX_URL" pyservice-fixture-app==0.3.0',
        '',
      ].join('\n'),
    );

    const build = await buildImage(contextDir, imageTag, [
      '--build-arg',
      `INDEX_URL=${index!.url}`,
    ]);
    const imported = await runInImage(imageTag, [
      '/opt/venv/bin/python',
      '-c',
      'import pyservice_fixture_app as app, pyservice_fixture_dep as dep; print(app.__version__, dep.__version__)',
    ]);
    const installed = /^Successfully installed (.+)$/m.exec(build.stdout);

    expect(installed?.[1].split(' ').sort()).toEqual([
      'pyservice-fixture-app-0.3.0',
      'pyservice-fixture-dep-1.2.0',
    ]);
    expect(index!.requests).toContain('GET /simple/pyservice-fixture-app/');
    expect(index!.requests).toContain('GET /simple/pyservice-fixture-dep/');
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(imported.stdout.trim()).toBe('0.3.0 1.2.0');
  });
});
