import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'fs-extra';
import { logProgress, runCommand } from './exec';
import { LOOPBACK_HOST } from './loopback';

/**
 * Python that builds the test wheels. Debian's /usr/bin/python3 has the
 * `build`, setuptools and wheel modules from python3-build, python3-setuptools
 * and python3-wheel. The first python3 on PATH may be another interpreter
 * without them, for example pyenv's.
 */
export const BUILD_PYTHON =
  process.env.PYSERVICE_TEST_BUILD_PYTHON ?? '/usr/bin/python3';

/** Project name rule of PEP 508. */
const PROJECT_NAME_PATTERN = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/** Options for {@link buildWheel}. */
export interface BuildWheelOptions {
  /** Project name, for example `tiny-dep`. */
  name: string;
  /** PEP 440 version, for example `1.0.0`. */
  version: string;
  /** PEP 508 requirements written to `[project].dependencies`. */
  requires?: readonly string[];
  /** Folder that receives the wheel. It is created if missing. */
  outDir: string;
}

/**
 * Builds a pure-Python wheel with `python3 -m build --wheel --no-isolation`
 * from a generated pyproject.toml, and returns the wheel's path.
 *
 * The wheel contains one package, the project name in lowercase with `-` and
 * `.` replaced by `_`, whose `__version__` is the version, so a test can
 * import it and check which version was installed.
 */
export async function buildWheel(options: BuildWheelOptions): Promise<string> {
  if (!PROJECT_NAME_PATTERN.test(options.name)) {
    throw new Error(
      `Invalid Python project name "${options.name}": see the name rule of PEP 508.`,
    );
  }
  const moduleName = importName(options.name);
  const sourceDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'pyservice-wheel-src-'),
  );
  try {
    const dependencies = (options.requires ?? []).map(tomlString).join(', ');
    const pyproject = [
      '[build-system]',
      'requires = ["setuptools>=61"]',
      'build-backend = "setuptools.build_meta"',
      '',
      '[project]',
      `name = ${tomlString(options.name)}`,
      `version = ${tomlString(options.version)}`,
      `description = ${tomlString(`Test package ${options.name}`)}`,
      `dependencies = [${dependencies}]`,
      '',
      '[tool.setuptools]',
      `packages = [${tomlString(moduleName)}]`,
      '',
    ].join('\n');
    await fs.writeFile(path.join(sourceDir, 'pyproject.toml'), pyproject);
    await fs.outputFile(
      path.join(sourceDir, moduleName, '__init__.py'),
      `__version__ = ${JSON.stringify(options.version)}\n`,
    );

    await fs.ensureDir(options.outDir);
    const result = await runCommand(
      BUILD_PYTHON,
      [
        '-m',
        'build',
        '--wheel',
        '--no-isolation',
        '--outdir',
        path.resolve(options.outDir),
        sourceDir,
      ],
      {
        // Keeps a PYTHONPATH meant for another interpreter out of the build.
        env: {
          PYTHONPATH: undefined,
          PYTHONHOME: undefined,
          PYTHONDONTWRITEBYTECODE: '1',
        },
        timeoutMs: 5 * 60_000,
      },
    );
    const match = /Successfully built (\S+\.whl)/.exec(result.stdout);
    if (!match) {
      throw new Error(
        `python -m build printed no wheel name for ${options.name}. Output:\n${result.stdout}`,
      );
    }
    const wheelPath = path.join(options.outDir, match[1]);
    logProgress('wheel', `built ${wheelPath}`);
    return wheelPath;
  } finally {
    await fs.remove(sourceDir);
  }
}

/**
 * Quotes `value` as a TOML basic string. JSON string escapes are valid TOML
 * escapes, except that TOML has no `\/`, which JSON.stringify never writes.
 */
function tomlString(value: string): string {
  return JSON.stringify(value);
}

/** Returns the import name that {@link buildWheel} gives a project's package. */
export function importName(projectName: string): string {
  return projectName.toLowerCase().replace(/[-.]+/g, '_');
}

/** Normalizes a project name as PEP 503 requires for index URLs. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A running PEP 503 simple package index on loopback. */
export interface PackageIndex {
  /** Index URL for `pip install --index-url`, `http://127.0.0.1:PORT/simple/`. */
  url: string;
  /** Request lines (`GET /simple/name/`) in the order the server received them. */
  requests: string[];
  /** Stops the server and closes open connections. Calling it again does nothing. */
  stop(): Promise<void>;
}

/**
 * Serves the wheels and source archives in `packagesDir` as a PEP 503 simple
 * index on a free port of 127.0.0.1.
 *
 * The server reads the folder on each request, so files added later are
 * listed. File links carry a `#sha256=` fragment, which pip checks.
 *
 * A pip in a `buildah build --isolation chroot` RUN step reaches this URL
 * without `--network host`, because chroot isolation creates no network
 * namespace and RUN steps use the host's loopback (checked with buildah
 * 1.28.2). buildah accepts `--network host` there but rejects every other
 * `--network` value with chroot isolation.
 */
export async function startPackageIndex(
  packagesDir: string,
): Promise<PackageIndex> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    handleIndexRequest(packagesDir, request, response).catch(
      (error: unknown) => {
        logProgress(
          'package-index',
          `request ${request.url} failed: ${String(error)}`,
        );
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'text/plain' });
        }
        response.end(`Internal error: ${String(error)}\n`);
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => resolve());
  });
  const address = server.address() as { port: number };
  const url = `http://${LOOPBACK_HOST}:${address.port}/simple/`;
  logProgress('package-index', `serving ${packagesDir} at ${url}`);

  let stopped = false;
  return {
    url,
    requests,
    stop: async () => {
      if (stopped) {
        return;
      }
      stopped = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      logProgress('package-index', `stopped ${url}`);
    },
  };
}

/** Distribution files in `packagesDir`, grouped by normalized project name. */
async function readDistributions(
  packagesDir: string,
): Promise<Map<string, string[]>> {
  const projects = new Map<string, string[]>();
  for (const file of (await fs.readdir(packagesDir)).sort()) {
    const project = projectNameOfFile(file);
    if (project === undefined) {
      continue;
    }
    const files = projects.get(project) ?? [];
    files.push(file);
    projects.set(project, files);
  }
  return projects;
}

/**
 * Reads the normalized project name from a wheel file name (PEP 427, name up
 * to the first `-`) or a source archive name (`name-version.tar.gz`).
 */
function projectNameOfFile(file: string): string | undefined {
  if (file.endsWith('.whl')) {
    return normalizeProjectName(file.split('-')[0]);
  }
  for (const extension of ['.tar.gz', '.zip']) {
    if (file.endsWith(extension)) {
      const stem = file.slice(0, -extension.length);
      const lastDash = stem.lastIndexOf('-');
      return lastDash > 0
        ? normalizeProjectName(stem.slice(0, lastDash))
        : undefined;
    }
  }
  return undefined;
}

async function handleIndexRequest(
  packagesDir: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  const requestPath = new URL(request.url ?? '/', 'http://index.invalid')
    .pathname;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendText(response, 405, 'Only GET and HEAD are supported\n');
    return;
  }
  const projects = await readDistributions(packagesDir);

  if (requestPath === '/simple/') {
    const links = [...projects.keys()].map(
      (project) => `<a href="/simple/${project}/">${project}</a>`,
    );
    sendHtml(response, 'Simple index', links);
    return;
  }

  const projectMatch = /^\/simple\/([^/]+)(\/?)$/.exec(requestPath);
  if (projectMatch) {
    const project = normalizeProjectName(decodeURIComponent(projectMatch[1]));
    if (projectMatch[2] === '' || project !== projectMatch[1]) {
      // PEP 503 clients request the normalized name with a trailing slash.
      response.writeHead(301, { Location: `/simple/${project}/` });
      response.end();
      return;
    }
    const files = projects.get(project);
    if (!files) {
      sendText(
        response,
        404,
        `Project ${project} not found in ${packagesDir}\n`,
      );
      return;
    }
    const links: string[] = [];
    for (const file of files) {
      const digest = await sha256OfFile(path.join(packagesDir, file));
      links.push(
        `<a href="/files/${encodeURIComponent(file)}#sha256=${digest}">${file}</a>`,
      );
    }
    sendHtml(response, `Links for ${project}`, links);
    return;
  }

  const fileMatch = /^\/files\/([^/]+)$/.exec(requestPath);
  if (fileMatch) {
    const file = decodeURIComponent(fileMatch[1]);
    // Only names from the folder listing are served, so no path leaves the folder.
    const isListed = [...projects.values()].some((files) =>
      files.includes(file),
    );
    if (!isListed) {
      sendText(response, 404, `File ${file} not found in ${packagesDir}\n`);
      return;
    }
    const content = await fs.readFile(path.join(packagesDir, file));
    response.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': content.length,
    });
    response.end(request.method === 'HEAD' ? undefined : content);
    return;
  }

  sendText(response, 404, `Not found: ${requestPath}\n`);
}

async function sha256OfFile(filePath: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(filePath))
    .digest('hex');
}

function sendHtml(
  response: http.ServerResponse,
  title: string,
  links: readonly string[],
): void {
  const body = [
    '<!DOCTYPE html>',
    `<html><head><meta name="pypi:repository-version" content="1.0"><title>${title}</title></head><body>`,
    ...links.map((link) => `${link}<br>`),
    '</body></html>',
    '',
  ].join('\n');
  response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  response.end(body);
}

function sendText(
  response: http.ServerResponse,
  status: number,
  text: string,
): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}
