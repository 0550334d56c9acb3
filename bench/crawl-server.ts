/**
 * The loopback page server of the crawl benchmark, in a process of its own: serves the recorded corpus pages
 * (`bench/corpus.ts`) at the path and query of the request that asks for each (`crawlPages`), with their
 * recorded content type, on 127.0.0.1. A URL several recordings answer is served from each in turn. Prints `{"port": n}` once listening; stops on SIGTERM, or
 * by itself after `--max-seconds` (a benchmark server never outlives its run).
 *
 * `tsx bench/crawl-server.ts [--max-seconds 600]`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { isMain } from './child.ts';
import { crawlPages, type CorpusPage } from './corpus.ts';

/** The server's key of a URL: path and query, a trailing slash ignored. */
export function routeOf(url: string): string {
  const parsed = new URL(url, 'http://loopback');
  return `${parsed.pathname.replace(/\/+$/, '') || '/'}${parsed.search}`;
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { 'max-seconds': { type: 'string', default: '600' } } });
  const routes = new Map<string, { pages: CorpusPage[]; next: number }>();
  for (const page of crawlPages()) {
    const route = routes.get(routeOf(page.request.url)) ?? { pages: [], next: 0 };
    route.pages.push(page);
    routes.set(routeOf(page.request.url), route);
  }
  let served = 0;
  const server = createServer((req, res) => {
    const route = routes.get(routeOf(req.url ?? '/'));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not a recorded page');
      return;
    }
    const page = route.pages[route.next++ % route.pages.length]!;
    served++;
    res.writeHead(200, { 'content-type': page.contentType, 'content-length': page.bytes.length }).end(page.bytes);
  });
  server.keepAliveTimeout = 30_000;
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  const stop = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  setTimeout(stop, Number(values['max-seconds']) * 1000).unref();
  process.on('exit', () => process.stderr.write(`served ${served} pages\n`));
}
