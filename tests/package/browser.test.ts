/**
 * The entry for browsers, bundlers and edge runtimes (`browser.js`: the "browser" and "worker" conditions and
 * `stingerdb/browser`; the same in the records companion), from the packed and installed packages: under Node's
 * own `fetch` against a loopback static server that honours Range (as an edge runtime would read a CDN),
 * answering as the Node entry does while reading one line per lookup; and `stingerdb` bundled with esbuild for
 * the browser, driven in headless Chromium (search → getMovie → the answer shown).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot, packAndInstall, removeSnapshot, type Snapshot } from '../helpers/snapshot.ts';

const CHROMIUM = process.env.STINGERDB_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

/** An answer or a record: what both readers' lookups give has an id. */
type Found = { id: string };
interface Lookups {
  getMovie(id: string): Promise<Found | undefined>;
  findByTmdbId(id: number): Promise<Found | undefined>;
  creditScenes(id: string): Promise<unknown>;
  search(text: string, options?: { year?: number; limit?: number } | null): Promise<Found[]>;
  info(): Promise<{ version: string }>;
}
interface NodeReader {
  getMovie(id: string): Found | undefined;
  findByTmdbId(id: number): Found | undefined;
  creditScenes(id: string): unknown;
  search(text: string, options?: { limit?: number }): Found[];
  info(): { version: string };
}

let snapshot: Snapshot;
let packageDir: string;
let projectDir: string;
let server: Server;
let origin: string;
const requests: { path: string; range?: string; bytes: number }[] = [];

/** A static server of `routes` (URL prefix → folder) that answers `Range: bytes=a-b` with 206, like a CDN. */
function serve(routes: Record<string, string>): Promise<void> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json' };
  server = createServer((request: IncomingMessage, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const prefix = Object.keys(routes).find((p) => pathname.startsWith(p));
    const root = prefix && routes[prefix]!;
    const file = root && path.join(root, pathname.slice(prefix!.length) || 'index.html');
    if (!file || !file.startsWith(root + path.sep) || !existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    const body = readFileSync(file);
    const type = types[path.extname(file)] ?? 'application/octet-stream';
    const range = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? '');
    if (range) {
      const [start, end] = [Number(range[1]), Math.min(Number(range[2]), body.length - 1)];
      requests.push({ path: pathname, range: request.headers.range, bytes: end - start + 1 });
      response.writeHead(206, { 'content-type': type, 'content-range': `bytes ${start}-${end}/${body.length}`, 'accept-ranges': 'bytes' }).end(body.subarray(start, end + 1));
      return;
    }
    requests.push({ path: pathname, bytes: body.length });
    response.writeHead(200, { 'content-type': type, 'accept-ranges': 'bytes' }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => ((origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`), resolve())));
}

beforeAll(async () => {
  snapshot = await buildSnapshot();
  ({ projectDir } = packAndInstall(snapshot, { companions: ['records'] }));
  packageDir = path.join(projectDir, 'node_modules', 'stingerdb');
  await serve({ '/pkg/': packageDir, '/records/': path.join(projectDir, 'node_modules', 'stingerdb-records'), '/': path.join(projectDir, 'public') });
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  removeSnapshot(snapshot);
});

const nodeReader = (name: string) => createRequire(path.join(projectDir, 'package.json'))(name) as NodeReader;

describe('the browser and edge entry', () => {
  const PACKAGES = [
    { name: 'stingerdb', route: '/pkg/', data: 'movies.answers.json' },
    { name: 'stingerdb-records', route: '/records/', data: 'movies.json' },
  ];
  const folderOf = (name: string) => path.join(projectDir, 'node_modules', name);

  it.each(PACKAGES)('$name: is what the "browser" and "worker" conditions and <package>/browser resolve to', ({ name }) => {
    const pkg = JSON.parse(readFileSync(path.join(folderOf(name), 'package.json'), 'utf8'));
    expect(pkg.exports['.'].browser).toEqual({ types: './browser.d.ts', default: './browser.js' });
    expect(pkg.exports['.'].worker).toEqual({ types: './browser.d.ts', default: './browser.js' });
    expect(pkg.exports['./browser']).toEqual({ types: './browser.d.ts', default: './browser.js' });
    expect(readFileSync(path.join(folderOf(name), 'browser.js'), 'utf8')).not.toMatch(/node:|require\(/);
  });

  it.each(PACKAGES)('$name: under Node\'s fetch against a static server answers as the Node entry does, one Range request per film', async ({ name, route, data }) => {
    const { open } = (await import(pathToFileURL(path.join(folderOf(name), 'browser.js')).href)) as { open(base: string): Lookups };
    const db = open(`${origin}${route}`);
    const reader = nodeReader(name);
    const films = snapshot.movies.filter((m) => m.title).slice(0, 5);
    requests.length = 0;
    for (const film of films) {
      expect(await db.getMovie(film.id)).toEqual(reader.getMovie(film.id));
      expect(await db.creditScenes(film.id)).toEqual(reader.creditScenes(film.id));
      expect(await db.search(film.title!, { limit: 3 })).toEqual(reader.search(film.title!, { limit: 3 }));
    }
    const tmdb = snapshot.movies.find((m) => m.ids.tmdb)!;
    expect((await db.findByTmdbId(tmdb.ids.tmdb!))?.id).toBe(tmdb.id);
    expect(await db.findByTmdbId('0x25B' as unknown as number)).toBeUndefined();
    expect(await db.getMovie('tt0000000')).toBeUndefined();
    expect((await db.info()).version).toBe(snapshot.version);
    await expect(db.search('x', { limit: -1 })).rejects.toThrow(TypeError);
    // Never the whole data file: each film is a Range request of its own bytes.
    const lines = requests.filter((r) => r.path === `${route}${data}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((r) => r.range)).toBe(true);
    expect(Math.max(...lines.map((r) => r.bytes))).toBeLessThan(readFileSync(path.join(folderOf(name), data)).length / 10);
    // A base URL that is not the package's folder is an error naming the URL.
    await expect(open(`${origin}/nowhere/`).getMovie(films[0]!.id)).rejects.toThrow(`${origin}/nowhere/movies.index.json answered HTTP 404`);
  });

  it.skipIf(!hasChromium)('bundled by esbuild for the browser, answers a visitor in headless Chromium: search → getMovie → the answer', async () => {
    const film = snapshot.movies.find((m) => m.id === 'tt0087747')!;
    const publicDir = path.join(projectDir, 'public');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(publicDir, { recursive: true });
    writeFileSync(
      path.join(projectDir, 'page.js'),
      `import { configure, search, getMovie } from 'stingerdb';
configure({ baseUrl: '/pkg/' });
const [hit] = await search(${JSON.stringify(film.title)});
const movie = await getMovie(hit.id);
document.querySelector('#answer').textContent = movie.title + ': ' + movie.duringAnswer + ' / ' + movie.afterAnswer;
`,
    );
    const esbuild = await import('esbuild');
    const built = await esbuild.build({ entryPoints: [path.join(projectDir, 'page.js')], bundle: true, platform: 'browser', format: 'esm', outfile: path.join(publicDir, 'page.js'), absWorkingDir: projectDir, logLevel: 'silent' });
    expect(built.errors).toEqual([]);
    const bundle = readFileSync(path.join(publicDir, 'page.js'), 'utf8');
    expect(bundle).not.toContain('node:fs');
    writeFileSync(path.join(publicDir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>stingerdb</title><p id="answer">…</p><script type="module" src="/page.js"></script>');

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${origin}/index.html`);
      await page.waitForFunction("document.querySelector('#answer')?.textContent !== '…'", undefined, { timeout: 10_000 });
      const { during, after } = film.creditScenes.slots;
      expect(await page.locator('#answer').textContent()).toBe(`${film.title}: ${during.answer} / ${after.answer}`);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
