import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'fs-extra';
import { logProgress, tail } from './exec';
import { LOOPBACK_HOST, findFreePort, waitForHttp } from './loopback';

/** A running image registry on loopback. */
export interface Registry {
  /** Address for image references, `127.0.0.1:PORT`. Push to it with `--tls-verify=false`, since it serves plain HTTP. */
  host: string;
  /** Folder that contains the configuration, the log and the stored blobs. */
  dataDir: string;
  /** Stops the registry and removes `dataDir`. Calling it again does nothing. */
  stop(): Promise<void>;
}

const START_ATTEMPTS = 3;

/**
 * Starts Debian's `docker-registry` (distribution 2.8) on a free port of
 * 127.0.0.1 with storage in a new temporary folder, and waits until
 * `GET /v2/` returns 200.
 */
export async function startRegistry(): Promise<Registry> {
  const dataDir = await fs.mkdtemp(
    path.join(os.tmpdir(), 'pyservice-registry-'),
  );
  try {
    for (let attempt = 1; ; attempt++) {
      const port = await findFreePort();
      try {
        return await startRegistryOnPort(dataDir, port);
      } catch (error) {
        const portTaken = String(error).includes('address already in use');
        if (!portTaken || attempt >= START_ATTEMPTS) {
          throw error;
        }
        logProgress(
          'registry',
          `port ${port} was taken, retrying with another port`,
        );
      }
    }
  } catch (error) {
    await fs.remove(dataDir);
    throw error;
  }
}

async function startRegistryOnPort(
  dataDir: string,
  port: number,
): Promise<Registry> {
  const host = `${LOOPBACK_HOST}:${port}`;
  const configPath = path.join(dataDir, 'config.yml');
  const logPath = path.join(dataDir, 'registry.log');
  await fs.writeFile(
    configPath,
    registryConfig(path.join(dataDir, 'storage'), host),
  );

  const logFd = await fs.open(logPath, 'w');
  let child: ChildProcess;
  try {
    child = spawn('docker-registry', ['serve', configPath], {
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    await fs.close(logFd);
  }
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  let startError: Error | undefined;
  child.once('error', (error) => {
    startError = error;
  });

  const readLog = () => tail(fs.readFileSync(logPath, 'utf8'), 20);
  try {
    await waitForHttp(`http://${host}/v2/`, {
      timeoutMs: 30_000,
      checkAlive: () => {
        if (startError) {
          throw new Error(
            `Failed to start docker-registry: ${startError.message}. ` +
              'Run `bash .ci/install-system-packages.sh` as root to install it.',
          );
        }
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `docker-registry exited with code ${child.exitCode} before serving ${host}. Log:\n${readLog()}`,
          );
        }
      },
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  logProgress(
    'registry',
    `started docker-registry pid ${child.pid} on ${host}`,
  );

  let stopped = false;
  return {
    host,
    dataDir,
    stop: async () => {
      if (stopped) {
        return;
      }
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killTimer);
      }
      await fs.remove(dataDir);
      logProgress('registry', `stopped docker-registry on ${host}`);
    },
  };
}

/**
 * Returns a distribution 2.8 configuration that listens only on `address`,
 * stores blobs in `storageDir` and sets no authentication, notification
 * endpoints, pull-through proxy or error reporting, so the registry has no
 * other host to contact.
 */
function registryConfig(storageDir: string, address: string): string {
  // Setting a secret removes the startup warning about a generated one.
  const secret = randomBytes(16).toString('hex');
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storageDir)}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: ${address}`,
    `  secret: ${secret}`,
    '',
  ].join('\n');
}
