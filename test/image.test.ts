import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ensureBaseImages } from './support/base-images';
import {
  containerTool,
  listImages,
  readImageLabel,
  removeImages,
  runContainerTool,
  runInImage,
} from './support/container-tool';
import { CommandResult, runCommand } from './support/exec';
import {
  BUILD_PYTHON,
  buildWheel,
  PackageIndex,
  startPackageIndex,
} from './support/python-packages';
import { Registry, startRegistry } from './support/registry';
import { initAndCommit } from './support/git-repo';
import { makeTempDir, synthProject } from './support/synth';
import type { PythonServiceProjectOptions } from '../src';

// These tests build, run and push real images with buildah, against a
// registry and a package index that they start on 127.0.0.1.

const DEBIAN_WHEELS = '/usr/share/python-wheels';

let images: { runtime: string; builder: string };
let registry: Registry;
let index: PackageIndex;
let wheelsDir: string;
let root: string;

beforeAll(async () => {
  images = await ensureBaseImages();
  registry = await startRegistry();
  root = makeTempDir('pyservice-image-');
  wheelsDir = path.join(root, 'wheels');
  fs.mkdirSync(wheelsDir);
  // pip builds the sdist in an isolated environment, which needs setuptools
  // and wheel from the index, and the pip upgrade needs pip: Debian ships
  // all three as wheels.
  for (const wheel of fs.readdirSync(DEBIAN_WHEELS)) {
    fs.copyFileSync(
      path.join(DEBIAN_WHEELS, wheel),
      path.join(wheelsDir, wheel),
    );
  }
  await buildWheel({
    name: 'pyservice-dep',
    version: '1.0.0',
    outDir: wheelsDir,
  });
  await buildWheel({
    name: 'pyservice-dep',
    version: '2.0.0',
    outDir: wheelsDir,
  });
  await buildWheel({
    name: 'pyservice-lib',
    version: '1.0.0',
    requires: ['pyservice-dep<2'],
    outDir: wheelsDir,
  });
  index = await startPackageIndex(wheelsDir);
});

afterAll(async () => {
  await index?.stop();
  await registry?.stop();
  // vfs storage keeps a full copy of each layer: drop this file's images and
  // the intermediate layers that --layers kept, but not the base images.
  const built = (await listImages()).filter(
    (image) => !Object.values(images ?? {}).includes(image),
  );
  await removeImages(built);
  // A failed build leaves its working container, which keeps its image.
  await runContainerTool(['rm', '--all'], { allowFailure: true });
  await runContainerTool(['rmi', '--prune'], { allowFailure: true });
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** Generates a repository that builds on the local base images. */
async function generateRepository(
  name: string,
  options: Partial<PythonServiceProjectOptions> = {},
): Promise<string> {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  synthProject(dir, {
    name: 'analyzer',
    pythonVersion: '3.11',
    builderImage: images.builder,
    runtimeImage: images.runtime,
    pipIndexUrl: index.url,
    registryNamespace: 'acme',
    consoleScripts: ['analyzer-api', 'analyzer-db'],
    ...options,
  });
  fs.writeFileSync(
    path.join(dir, 'requirements.txt'),
    'pyservice-dep==1.0.0\n',
  );
  await initAndCommit(dir, 'Generate');
  return dir;
}

/** Runs make with the container tool and registry overridden. */
async function make(dir: string, ...args: string[]): Promise<CommandResult> {
  const tool = await containerTool();
  return runCommand(
    'make',
    [
      '--no-print-directory',
      ...args,
      `DOCKER=${tool.command.join(' ')}`,
      // buildah keeps intermediate layers, and so a cache, only with --layers.
      `DOCKER_BUILD_FLAGS=${[...tool.buildFlags, '--layers'].join(' ')}`,
      'DOCKER_PUSH_FLAGS=--tls-verify=false',
      `REGISTRY=${registry.host}`,
      `PYTHON=${BUILD_PYTHON}`,
      'PYTHON_BUILD_FLAGS=--no-isolation',
    ],
    { cwd: dir, allowFailure: true },
  );
}

async function inspectDigest(reference: string): Promise<string> {
  const result = await runCommand('skopeo', [
    'inspect',
    '--tls-verify=false',
    `docker://${reference}`,
  ]);
  return JSON.parse(result.stdout).Digest;
}

/** Checks whether the build output shows the cached layer for a RUN step. */
function stepUsedCache(output: string, stepText: string): boolean {
  const lines = output.split('\n');
  const at = lines.findIndex(
    (line) => line.includes('STEP') && line.includes(stepText),
  );
  expect(at, `no build step containing ${stepText}`).toBeGreaterThanOrEqual(0);
  return /Using cache/.test(lines[at + 1] ?? '');
}

describe('make upload', () => {
  let dir: string;
  let upload: CommandResult;

  beforeAll(async () => {
    dir = await generateRepository('upload');
    upload = await make(dir, 'upload');
  });

  test('builds and pushes both tags', async () => {
    expect(upload.exitCode, upload.stderr).toBe(0);
    const version = await inspectDigest(`${registry.host}/acme/analyzer:0.1.0`);
    const latest = await inspectDigest(`${registry.host}/acme/analyzer:latest`);
    expect(version).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(latest).toBe(version);
  });

  test('default command runs', async () => {
    const inspected = await runContainerTool([
      'inspect',
      '--type',
      'image',
      'localhost/analyzer:0.1.0',
    ]);
    const command: string[] = JSON.parse(inspected.stdout).OCIv1.config.Cmd;
    expect(command).toEqual(['analyzer-api']);
    const result = await runInImage('localhost/analyzer:0.1.0', command);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('analyzer 0.1.0 is ready\n');
  });

  test('console scripts are on PATH', async () => {
    for (const script of ['analyzer-api', 'analyzer-db']) {
      const result = await runInImage('localhost/analyzer:0.1.0', [
        'sh',
        '-c',
        `command -v ${script}`,
      ]);
      expect(result.stdout.trim()).toBe(`/usr/local/bin/${script}`);
    }
  });

  test('installs the requirement from the index', async () => {
    const result = await runInImage('localhost/analyzer:0.1.0', [
      '/usr/share/python3/app/bin/python',
      '-c',
      'import importlib.metadata as m; print(m.version("pyservice-dep"))',
    ]);
    expect(result.stdout.trim()).toBe('1.0.0');
    expect(index.requests).toContain('GET /simple/pyservice-dep/');
  });

  test('runtime has no compiler or build inputs', async () => {
    const builderGcc = await runInImage(images.builder, [
      'sh',
      '-c',
      'command -v gcc',
    ]);
    expect(builderGcc.exitCode).toBe(0);
    const result = await runInImage('localhost/analyzer:0.1.0', [
      'sh',
      '-c',
      'command -v gcc cc; ls -A /mnt',
    ]);
    expect(result.stdout.trim()).toBe('');
  });

  test('runs as a non-root user', async () => {
    const result = await runInImage('localhost/analyzer:0.1.0', [
      'sh',
      '-c',
      'id -un; touch "$HOME/probe" && echo writable',
    ]);
    expect(result.stdout).toBe('app\nwritable\n');
  });

  test('labels carry the version', async () => {
    const label = await readImageLabel(
      'localhost/analyzer:0.1.0',
      'org.opencontainers.image.version',
    );
    expect(label).toBe('0.1.0');
    const revision = await readImageLabel(
      'localhost/analyzer:0.1.0',
      'org.opencontainers.image.revision',
    );
    expect(revision).toMatch(/^[0-9a-f]{40}$/);
  });

  test('code change reuses the dependency layer', async () => {
    fs.appendFileSync(path.join(dir, 'analyzer', 'api.py'), '\n# changed\n');
    const result = await make(dir, 'docker');
    expect(result.exitCode, result.stderr).toBe(0);
    const output = result.stdout + result.stderr;
    expect(stepUsedCache(output, 'pip install -Ur /mnt/requirements.txt')).toBe(
      true,
    );
    expect(stepUsedCache(output, 'pip install /mnt/dist/*')).toBe(false);
  });

  test('requirements change rebuilds the layer', async () => {
    fs.appendFileSync(path.join(dir, 'requirements.txt'), '# pinned\n');
    const result = await make(dir, 'docker');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(
      stepUsedCache(
        result.stdout + result.stderr,
        'pip install -Ur /mnt/requirements.txt',
      ),
    ).toBe(false);
  });
});

describe('failing builds', () => {
  test('dependency conflict fails at pip check', async () => {
    const dir = await generateRepository('conflict');
    fs.writeFileSync(
      path.join(dir, 'requirements.txt'),
      'pyservice-lib==1.0.0\n',
    );
    const pyproject = path.join(dir, 'pyproject.toml');
    fs.writeFileSync(
      pyproject,
      fs
        .readFileSync(pyproject, 'utf8')
        .replace('dependencies = []', 'dependencies = ["pyservice-dep>=2"]'),
    );
    const result = await make(dir, 'docker');
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      'pyservice-lib 1.0.0 has requirement pyservice-dep<2, but you have pyservice-dep 2.0.0.',
    );
  });

  test('missing console script fails by name', async () => {
    const dir = await generateRepository('missing-script');
    synthProject(dir, {
      name: 'analyzer',
      pythonVersion: '3.11',
      builderImage: images.builder,
      runtimeImage: images.runtime,
      upgradePip: false,
      pipIndexUrl: index.url,
      consoleScripts: ['analyzer-api', 'analyzer-ghost'],
    });
    const result = await make(dir, 'docker');
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      'Console script analyzer-ghost not found in /usr/share/python3/app/bin',
    );
  });
});

describe('private index secret', () => {
  test('installs through the secret only', async () => {
    const dir = await generateRepository('secret', {
      pipIndexUrl: undefined,
      pipConfigSecret: true,
    });
    const credential = 'token-7f3a9c';
    const pipConfig = path.join(root, 'pip.conf');
    const url = index.url.replace('http://', `http://ci:${credential}@`);
    fs.writeFileSync(pipConfig, `[global]\nindex-url = ${url}\n`);
    const requestsBefore = index.requests.length;

    const result = await make(dir, 'docker', `PIP_CONFIG=${pipConfig}`);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(index.requests.length).toBeGreaterThan(requestsBefore);
    expect(result.stdout + result.stderr).not.toContain(credential);

    const inspected = await runContainerTool([
      'inspect',
      '--type',
      'image',
      'localhost/analyzer:0.1.0',
    ]);
    expect(inspected.stdout).not.toContain(credential);
    const search = await runInImage('localhost/analyzer:0.1.0', [
      'sh',
      '-c',
      `ls /etc/pip.conf 2>/dev/null; grep -rl ${credential} /etc /usr /home /root /tmp /mnt 2>/dev/null; true`,
    ]);
    expect(search.stdout.trim()).toBe('');
  });
});
