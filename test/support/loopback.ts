import * as net from 'node:net';

/** Loopback address that every test server binds to. */
export const LOOPBACK_HOST = '127.0.0.1';

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago. Another process
 * can take it before the caller binds it, so callers that start a separate
 * server program retry with a new port when the bind fails.
 */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK_HOST, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error(`Unexpected server address ${String(address)}`));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/** Options for {@link waitForHttp}. */
export interface WaitForHttpOptions {
  /** Time in milliseconds before giving up. Defaults to 30 seconds. */
  timeoutMs?: number;
  /** Callback run before each attempt. An error thrown from it stops the wait, for example when the server process exited. */
  checkAlive?: () => void;
}

/**
 * Polls `url` with GET until it responds with status 200, and throws when it
 * does not within the timeout.
 */
export async function waitForHttp(
  url: string,
  options: WaitForHttpOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let lastFailure = 'no response';
  while (Date.now() < deadline) {
    options.checkAlive?.();
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) {
        return;
      }
      lastFailure = `status ${response.status}`;
    } catch (error) {
      lastFailure = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${url} (last result: ${lastFailure})`,
  );
}
