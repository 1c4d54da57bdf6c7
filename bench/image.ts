// Measures the generated image: the runtime image's size against its base,
// the builder image and a one-stage build of the same application, and a
// cold build against a warm rebuild after a code-only change. Run as root:
//   npx tsx bench/image.ts            (vfs storage, as the tests use)
//   npx tsx bench/image.ts overlay    (overlay storage in a separate store)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBaseImages } from '../test/support/base-images';
import { containerTool } from '../test/support/container-tool';
import { CommandResult, runCommand } from '../test/support/exec';
import {
  BUILD_PYTHON,
  buildWheel,
  startPackageIndex,
} from '../test/support/python-packages';
import { makeTempDir, synthProject } from '../test/support/synth';

const DEBIAN_WHEELS = '/usr/share/python-wheels';

/**
 * Global flags that select the image store. vfs keeps a full copy of the
 * file tree per layer. overlay stores only each layer's changes, as Docker
 * and Podman do by default, and uses a store of its own under /var/tmp.
 */
const OVERLAY_ROOT = '/var/tmp/pyservice-bench-overlay';
const STORAGE = process.argv[2] === 'overlay' ? 'overlay' : 'vfs';
const STORAGE_FLAGS =
  STORAGE === 'overlay'
    ? [
        '--storage-driver',
        'overlay',
        '--root',
        `${OVERLAY_ROOT}/root`,
        '--runroot',
        `${OVERLAY_ROOT}/run`,
      ]
    : ['--storage-driver', 'vfs'];

function buildah(args: string[], allowFailure = false): Promise<CommandResult> {
  return runCommand('buildah', [...STORAGE_FLAGS, ...args], { allowFailure });
}

/** Runs `argv` in a working container of `image`, then removes it. */
async function runInImage(
  image: string,
  argv: string[],
): Promise<CommandResult> {
  const container = (
    await buildah(['from', '--pull=never', '--quiet', image])
  ).stdout.trim();
  try {
    return await buildah([
      'run',
      '--isolation',
      'chroot',
      container,
      '--',
      ...argv,
    ]);
  } finally {
    await buildah(['rm', container], true);
  }
}

/** Copies a base image from the tests' vfs store into the overlay store. */
async function copyToStore(image: string): Promise<void> {
  if (
    (await buildah(['inspect', '--type', 'image', image], true)).exitCode === 0
  ) {
    return;
  }
  await runCommand('skopeo', [
    'copy',
    `containers-storage:[vfs@/var/lib/containers/storage+/run/containers/storage]${image}`,
    `containers-storage:[overlay@${OVERLAY_ROOT}/root+${OVERLAY_ROOT}/run]${image}`,
  ]);
}
const IMAGE = 'localhost/analyzer:0.1.0';
const ONE_STAGE_IMAGE = 'localhost/analyzer-one-stage:0.1.0';

async function imageSize(image: string): Promise<number> {
  const result = await runCommand('podman', [
    ...STORAGE_FLAGS,
    'image',
    'inspect',
    '--format',
    '{{.Size}}',
    image,
  ]);
  return Number(result.stdout.trim());
}

/** Sizes of the image's layers, newest first. */
async function layerSizes(
  image: string,
): Promise<Array<{ size: number; createdBy: string }>> {
  const result = await runCommand('podman', [
    ...STORAGE_FLAGS,
    'history',
    '--format',
    'json',
    image,
  ]);
  const history = JSON.parse(result.stdout) as Array<{
    size: number;
    CreatedBy?: string;
    createdBy?: string;
  }>;
  return history.map((layer) => ({
    size: layer.size,
    createdBy: (layer.createdBy ?? layer.CreatedBy ?? '').trim(),
  }));
}

async function venvSize(image: string): Promise<number> {
  const result = await runInImage(image, [
    'du',
    '-sb',
    '/usr/share/python3/app',
  ]);
  return Number(result.stdout.split('\t')[0]);
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function main(): Promise<void> {
  const images = await ensureBaseImages();
  const tool = await containerTool();
  if (STORAGE === 'overlay') {
    await copyToStore(images.runtime);
    await copyToStore(images.builder);
  }
  const command = ['buildah', ...STORAGE_FLAGS];
  const root = makeTempDir('pyservice-bench-image-');
  const wheels = path.join(root, 'wheels');
  fs.mkdirSync(wheels);
  for (const wheel of fs.readdirSync(DEBIAN_WHEELS)) {
    fs.copyFileSync(path.join(DEBIAN_WHEELS, wheel), path.join(wheels, wheel));
  }
  await buildWheel({ name: 'pyservice-dep', version: '1.0.0', outDir: wheels });
  const index = await startPackageIndex(wheels);

  try {
    const dir = path.join(root, 'analyzer');
    fs.mkdirSync(dir);
    synthProject(dir, {
      pythonVersion: '3.11',
      builderImage: images.builder,
      runtimeImage: images.runtime,
      pipIndexUrl: index.url,
      consoleScripts: ['analyzer-api', 'analyzer-db'],
    });
    fs.writeFileSync(
      path.join(dir, 'requirements.txt'),
      'pyservice-dep==1.0.0\n',
    );

    const make = async (target: string[], ...flags: string[]) => {
      await runCommand(
        'make',
        [
          ...target,
          `DOCKER=${command.join(' ')}`,
          `DOCKER_BUILD_FLAGS=${[...tool.buildFlags, '--layers', ...flags].join(' ')}`,
          `PYTHON=${BUILD_PYTHON}`,
          'PYTHON_BUILD_FLAGS=--no-isolation',
        ],
        { cwd: dir },
      );
    };

    // The sdist is built first and untimed; "make -o sdist docker" then
    // times the image build alone.
    const buildImage = ['-o', 'sdist', 'docker'];
    await make(['sdist']);
    const cold = await timed(() => make(buildImage, '--no-cache'));
    fs.appendFileSync(path.join(dir, 'analyzer', 'api.py'), '\n# changed\n');
    await make(['sdist']);
    const warm = await timed(() => make(buildImage));

    // The same application in one stage: everything the builder image has
    // stays in the final image.
    const oneStage = [
      `FROM ${images.builder}`,
      `ARG PIP_INDEX_URL=${index.url}`,
      'RUN python3.11 -m venv /usr/share/python3/app',
      'RUN /usr/share/python3/app/bin/pip install -U pip',
      'COPY requirements.txt /mnt/',
      'RUN /usr/share/python3/app/bin/pip install -Ur /mnt/requirements.txt',
      'COPY dist/ /mnt/dist/',
      'RUN /usr/share/python3/app/bin/pip install /mnt/dist/* && /usr/share/python3/app/bin/pip check',
      'RUN ln -snf /usr/share/python3/app/bin/analyzer-api /usr/share/python3/app/bin/analyzer-db /usr/local/bin/',
      'CMD ["analyzer-api"]',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'one-stage.Dockerfile'), oneStage);
    await buildah([
      'build',
      ...tool.buildFlags,
      '-f',
      path.join(root, 'one-stage.Dockerfile'),
      '-t',
      ONE_STAGE_IMAGE,
      dir,
    ]);

    const runtimeBase = await imageSize(images.runtime);
    const builderBase = await imageSize(images.builder);
    const runtime = await imageSize(IMAGE);
    const single = await imageSize(ONE_STAGE_IMAGE);
    const venv = await venvSize(IMAGE);
    const added = runtime - runtimeBase;

    console.log(`buildah: ${tool.version}, storage driver: ${STORAGE}`);
    console.log('layers of the runtime image, newest first:');
    for (const layer of await layerSizes(IMAGE)) {
      if (layer.size > 0) {
        console.log(
          `  ${mb(layer.size).padStart(9)}  ${layer.createdBy.slice(0, 90)}`,
        );
      }
    }
    console.log('| image | size |');
    console.log('| --- | --- |');
    console.log(`| runtime base | ${mb(runtimeBase)} |`);
    console.log(`| builder base | ${mb(builderBase)} |`);
    console.log(`| generated runtime image | ${mb(runtime)} |`);
    console.log(`| one-stage build | ${mb(single)} |`);
    console.log(`| virtual environment (du -sb) | ${mb(venv)} |`);
    console.log('');
    console.log(
      `runtime image adds ${mb(added)} to its base; venv is ${mb(venv)} (ratio ${(added / venv).toFixed(2)})`,
    );
    console.log(
      `runtime image / one-stage image: ${(runtime / single).toFixed(2)}`,
    );
    console.log(
      `runtime image / builder base: ${(runtime / builderBase).toFixed(2)}`,
    );
    console.log(`cold image build (--no-cache): ${cold.toFixed(1)} s`);
    console.log(`warm image build after a code change: ${warm.toFixed(1)} s`);
    console.log(`warm / cold: ${(warm / cold).toFixed(2)}`);
  } finally {
    // vfs storage keeps a full copy of every layer, so the images this run
    // made (not the cached base images) are removed.
    await buildah(['rmi', ONE_STAGE_IMAGE, IMAGE], true);
    await buildah(['rmi', '--prune'], true);
    await index.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
