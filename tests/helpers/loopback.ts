/**
 * A loopback HTTP server for network tests: the client is pointed at it instead of the live web.
 *
 * ```ts
 * const server = await startLoopback();
 * server.on('/flaky', (req, res, hit) => {
 *   res.writeHead(hit < 3 ? 503 : 200).end('ok');
 * });
 * await client.get(server.url('/flaky'), …);
 * expect(server.hits('/flaky')).toBe(3);
 * await server.close();
 * ```
 *
 * Handlers are keyed by path without the query string; `hit` is 1 for the first request to that path.
 * A request to a path without a handler is answered 404 (and still counted). A handler may leave a response
 * hanging, or destroy `res.socket` to cut it mid-way: `close()` destroys every open socket, so a stalled
 * response never keeps the test process alive.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * Answers one request. `hit` counts the requests to this path so far, this one included (1-based). The
 * return value is ignored (so `(req, res) => res.end('ok')` is fine); a returned promise that rejects, or a
 * throw, destroys the socket.
 */
export type LoopbackHandler = (req: IncomingMessage, res: ServerResponse, hit: number) => unknown;

export interface Loopback {
  /** `http://<host>:<port>`, no trailing slash. */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  /** The absolute URL of `path` (which may carry a query) on this server. */
  url(path: string): string;
  /** Registers (or replaces) the handler of `path`. */
  on(path: string, handler: LoopbackHandler): Loopback;
  /** Requests received for `path` (query ignored), answered or not. */
  hits(path: string): number;
  /** Requests received on any path. */
  totalHits(): number;
  /** Stops listening and destroys open connections, stalled responses included. */
  close(): Promise<void>;
}

/** Starts a server on `host` (default 127.0.0.1; any 127.x.y.z works on Linux) and a free port. */
export async function startLoopback(options: { host?: string } = {}): Promise<Loopback> {
  const host = options.host ?? '127.0.0.1';
  const handlers = new Map<string, LoopbackHandler>();
  const hitCounts = new Map<string, number>();
  const sockets = new Set<Socket>();

  const server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://loopback').pathname;
    const hit = (hitCounts.get(pathname) ?? 0) + 1;
    hitCounts.set(pathname, hit);
    const handler = handlers.get(pathname);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no handler for ${pathname}`);
      return;
    }
    // A handler that throws must fail the request visibly, not leave the client waiting for a timeout.
    Promise.resolve()
      .then(() => handler(req, res, hit))
      .catch(() => res.socket?.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;

  const loopback: Loopback = {
    origin,
    host,
    port,
    url: (path) => origin + (path.startsWith('/') ? path : `/${path}`),
    on(path, handler) {
      handlers.set(path, handler);
      return loopback;
    },
    hits: (path) => hitCounts.get(path) ?? 0,
    totalHits: () => [...hitCounts.values()].reduce((a, b) => a + b, 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  return loopback;
}
