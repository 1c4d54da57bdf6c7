import { CommandResult, RunCommandOptions, runCommand } from './exec';

/**
 * Command words for building and running images on a machine without a
 * Docker engine.
 */
export interface ContainerTool {
  /** Program and global flags that start every call, for example `['buildah', '--storage-driver', 'vfs']`. */
  command: string[];
  /** Flags to add after `build` (`buildah build` or `podman build`). */
  buildFlags: string[];
  /** Version line that the program printed, for example `buildah version 1.28.2 (...)`. */
  version: string;
}

/**
 * Storage driver for every call. Without a storage.conf that sets a driver,
 * Debian's buildah 1.28 picks overlay, and overlay and vfs images live in
 * separate stores under /var/lib/containers/storage. So every call names vfs,
 * which needs no kernel overlay support, to see the same images.
 */
const STORAGE_FLAGS = ['--storage-driver', 'vfs'];

/**
 * Build flags. `--isolation chroot` runs RUN steps without a runtime that
 * needs namespaces or cgroups. buildah 1.28 defaults to `--pull=true`, which
 * asks the registry for a newer FROM image even when the image is stored
 * locally. `--pull=never` uses local images only, so a FROM line that names an
 * image this machine lacks fails at once instead of contacting docker.io.
 */
const BUILD_FLAGS = ['--isolation', 'chroot', '--pull=never'];

let cachedTool: Promise<ContainerTool> | undefined;

/**
 * Checks that buildah runs as root and returns its command words and build
 * flags. Throws with the install command when buildah is missing.
 */
export async function containerTool(): Promise<ContainerTool> {
  cachedTool ??= detectContainerTool();
  return cachedTool;
}

async function detectContainerTool(): Promise<ContainerTool> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'Container tests need root, because buildah with vfs storage and chroot isolation writes /var/lib/containers.',
    );
  }
  let version: string;
  try {
    version = (await runCommand('buildah', ['--version'])).stdout.trim();
  } catch (error) {
    throw new Error(
      `buildah is missing or broken (${String(error)}). ` +
        'Run `bash .ci/install-system-packages.sh` as root to install it.',
    );
  }
  return {
    command: ['buildah', ...STORAGE_FLAGS],
    buildFlags: [...BUILD_FLAGS],
    version,
  };
}

/** Runs buildah with the global storage flags followed by `args`. */
export async function runContainerTool(
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const tool = await containerTool();
  const [program, ...globalArgs] = tool.command;
  return runCommand(program, [...globalArgs, ...args], options);
}

/**
 * Builds the context folder `contextDir` into image `tag` with the standard
 * build flags and `extraArgs` (for example `--build-arg` or `-f`).
 */
export async function buildImage(
  contextDir: string,
  tag: string,
  extraArgs: readonly string[] = [],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const tool = await containerTool();
  return runContainerTool(
    ['build', ...tool.buildFlags, '--tag', tag, ...extraArgs, contextDir],
    options,
  );
}

/**
 * Lists the local images as `name:tag` references, as
 * `buildah images` prints them (for example `localhost/pyservice-test/python:bookworm`).
 */
export async function listImages(): Promise<string[]> {
  const result = await runContainerTool([
    'images',
    '--noheading',
    '--format',
    '{{.Name}}:{{.Tag}}',
  ]);
  return result.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** Checks whether the local store contains `image`, a full `name:tag` reference. */
export async function imageExists(image: string): Promise<boolean> {
  return (await listImages()).includes(image);
}

/** Reads one label of a local image, or returns undefined when the label is not set. */
export async function readImageLabel(
  image: string,
  label: string,
): Promise<string | undefined> {
  const result = await runContainerTool(['inspect', '--type', 'image', image]);
  const inspected = JSON.parse(result.stdout) as {
    OCIv1?: { config?: { Labels?: Record<string, string> | null } };
  };
  return inspected.OCIv1?.config?.Labels?.[label];
}

/** Removes local images, ignoring the ones that are already gone. */
export async function removeImages(images: readonly string[]): Promise<void> {
  for (const image of images) {
    await runContainerTool(['rmi', image], { allowFailure: true });
  }
}

/** Options for {@link runInImage}. */
export interface RunInImageOptions {
  /** Environment variables set for the command. */
  env?: Record<string, string>;
  /** Working folder inside the container. */
  workingDir?: string;
  /** Time in milliseconds before buildah is killed. Defaults to 5 minutes. */
  timeoutMs?: number;
}

/**
 * Runs `argv` in a new working container of `image` and removes the
 * container afterwards.
 *
 * Uses `buildah from`, `buildah run --isolation chroot` and `buildah rm`,
 * because `podman run` fails on this kind of machine. The command shares the
 * host's network. A non-zero exit code is returned, not thrown, and when the
 * program is missing buildah itself exits 1 with "executable file not found"
 * on stderr.
 */
export async function runInImage(
  image: string,
  argv: readonly string[],
  options: RunInImageOptions = {},
): Promise<CommandResult> {
  const created = await runContainerTool([
    'from',
    '--pull=never',
    '--quiet',
    image,
  ]);
  const containerId = created.stdout.trim();
  try {
    const runArgs = ['run', '--isolation', 'chroot'];
    for (const [name, value] of Object.entries(options.env ?? {})) {
      runArgs.push('--env', `${name}=${value}`);
    }
    if (options.workingDir !== undefined) {
      runArgs.push('--workingdir', options.workingDir);
    }
    return await runContainerTool([...runArgs, containerId, '--', ...argv], {
      allowFailure: true,
      timeoutMs: options.timeoutMs ?? 5 * 60_000,
    });
  } finally {
    await runContainerTool(['rm', containerId], { allowFailure: true });
  }
}
