/**
 * The example site (`examples/site`), built from the installed package as its README says, then checked: its
 * pages as functions (verdict wording, escaping, missing scores), the generated files, and — in headless
 * Chromium over a localhost server — what a visitor sees: search on the index, a film with a scene (the kind
 * hidden until clicked), a film with no known scenes, a film with a missing score. Screenshots go to
 * `test-output/site/`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movie } from '../../src/schema/movie.ts';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { movieRecord, NO_ANSWER } from '../helpers/records.ts';
import { buildSnapshot, packAndInstall, removeSnapshot, type Snapshot } from '../helpers/snapshot.ts';

/** What `examples/site/render.mjs` exports (it is plain JavaScript, typed here for the test). */
interface RenderModule {
  escapeHtml(value: unknown): string;
  pageName(id: string): string;
  answerOf(verdict: Pick<Movie['creditScenes'], 'slots'>): { answer: 'yes' | 'no' | 'probably' | 'probably-not' | 'unknown'; probability: number | null };
  scoreRows(scores: Movie['scores'], catalogue: unknown[]): { name: string; value: string | null; count: string | null; source: string | null }[];
  filmPage(movie: Movie, site: SiteInfo): string;
}

const SITE_DIR = path.join(REPO_ROOT, 'examples', 'site');
const SCREENSHOTS = path.join(REPO_ROOT, 'test-output', 'site');
const CHROMIUM = process.env.STINGERDB_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`[stingerdb] Chromium is not at ${CHROMIUM}: the browser test of examples/site is skipped (apt-get install -y chromium, or set STINGERDB_CHROMIUM).`);
}

let render: RenderModule;
let snapshot: Snapshot;
let projectDir: string;
let publicDir: string;
/** What build.mjs takes from the package for the pages (its scores and its fold, read from the snapshot built below). */
interface SiteInfo {
  version: string;
  attributions: string[];
  scores: unknown[];
  fold: (text: string) => string;
}
let site: SiteInfo;

beforeAll(async () => {
  render = (await import(pathToFileURL(path.join(SITE_DIR, 'render.mjs')).href)) as RenderModule;
  snapshot = await buildSnapshot();
  ({ projectDir } = packAndInstall(snapshot, { companions: ['records'] }));
  // The example as a user runs it: its files beside an installed `stingerdb-records` (and `stingerdb`, for its datapackage.json).
  const siteCopy = path.join(projectDir, 'site');
  mkdirSync(siteCopy);
  for (const name of ['build.mjs', 'render.mjs']) cpSync(path.join(SITE_DIR, name), path.join(siteCopy, name));
  const reader = createRequire(path.join(projectDir, 'package.json'))('stingerdb-records') as { scores(): unknown[]; fold(text: string): string };
  site = { version: '2.20261127.0', attributions: ['This product uses the TMDB API but is not endorsed or certified by TMDB.'], scores: reader.scores(), fold: reader.fold };
  publicDir = path.join(projectDir, 'public');
  execFileSync(process.execPath, [path.join(siteCopy, 'build.mjs'), '--out', publicDir], { cwd: projectDir, encoding: 'utf8' });
}, 60_000);

afterAll(() => removeSnapshot(snapshot));

const record = (extra: Partial<Movie>): Movie => movieRecord('tt0000001', { title: 'Film', ...extra });

/** The headline answer of a film page. */
const answerIn = (html: string) => /<p class="answer">(.*?)<\/p>/.exec(html)?.[1];

/** The visible text of an HTML page, roughly: tags dropped, entities of the escaper decoded. */
const textOf = (html: string) => html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describe('the pages', () => {
  it('say "Yes" for a "yes" in either slot, "No" for "no" in both, "Probably not (n%)" or "Probably (n%)" when unsure, and "Not known yet" when nothing is known', () => {
    const slot = (answer: 'yes' | 'no' | 'unknown', probability: number | null, why = 'Because.') => ({ answer, probability, basis: probability === null ? ('none' as const) : ('inferred' as const), why });
    const slots = (during: ReturnType<typeof slot>, after: ReturnType<typeof slot>) => ({ during, after });
    expect(render.answerOf({ slots: slots(slot('yes', 0.99), slot('unknown', 0.4)) }).answer).toBe('yes');
    expect(render.answerOf({ slots: slots(slot('no', 0.01), slot('no', 0.02)) }).answer).toBe('no');
    expect(render.answerOf({ slots: slots(slot('unknown', 0.1), slot('no', 0.01)) })).toEqual({ answer: 'probably-not', probability: expect.closeTo(0.109, 3) });
    expect(render.answerOf({ slots: slots(slot('unknown', 0.6), slot('unknown', 0.5)) }).answer).toBe('probably');
    expect(render.answerOf({ slots: NO_ANSWER }).answer).toBe('unknown');
    const why = 'Not listed by AfterCredits, which lists 93 in 100 films with a scene during the credits.';
    const none = render.filmPage(record({ title: 'Moscow on the Hudson', creditScenes: { during: null, after: null, confidence: 0, slots: slots(slot('no', 0.003, why), slot('no', 0.003)), scenes: [], evidence: [] } }), site);
    expect(answerIn(none)).toBe('No');
    expect(textOf(none)).toContain('Moscow on the Hudson does not have end credit scenes.');
    expect(textOf(none)).toContain(why);
    const unsure = render.filmPage(record({ title: 'Jurassic Park', creditScenes: { during: null, after: true, confidence: 0.95, slots: slots(slot('unknown', 0.04), slot('unknown', 0.45)), scenes: [], evidence: [] } }), site);
    expect(answerIn(unsure)).toBe('Probably not (53%)');
    expect(textOf(unsure)).toMatch(/After the credits:\s+probably not \(55%\)/);
    const unknown = render.filmPage(record({ title: 'Die Hard' }), site);
    expect(answerIn(unknown)).toBe('Not known yet');
    expect(textOf(unknown)).toContain('We do not know yet whether Die Hard has end credit scenes.');
    expect(textOf(unknown)).not.toContain('does not have end credit scenes');
    const oneSlot = render.filmPage(record({ title: 'Half', creditScenes: { during: true, after: null, confidence: 0.5, slots: slots(slot('yes', 0.99), slot('unknown', 0.3)), scenes: [], evidence: [] } }), site);
    expect(answerIn(oneSlot)).toBe('Yes');
    expect(textOf(oneSlot)).toContain('Half has a scene during the credits. Whether there is one after the credits is not sure.');
  });

  it('show a missing score as "not rated" with its source, never "0%" or a bare "%"', () => {
    const rows = render.scoreRows({
      metacritic: { metascore: 67, userScore: 6.9, source: 'metacritic', observedAt: '2024-05-01' },
      rottenTomatoes: { tomatometer: null, audienceScore: null, source: 'rottentomatoes', observedAt: '2024-05-01' },
      tmdb: { voteAverage: 6.3, voteCount: 512, source: 'tmdb', observedAt: '2024-05-01T10:00:00Z' },
    }, site.scores);
    expect(rows.map((r) => [r.name, r.value, r.source])).toEqual([
      ['Metascore', '67/100', 'Metacritic, 2024-05-01'],
      ['Metacritic user score', '6.9/10', 'Metacritic, 2024-05-01'],
      ['Tomatometer', null, 'Rotten Tomatoes, 2024-05-01'],
      ['Audience score', null, 'Rotten Tomatoes, 2024-05-01'],
      ['IMDb rating', null, null],
      ['TMDB user score', '63%', 'TMDB, 2024-05-01'],
    ]);
    const page = textOf(render.filmPage(record({ scores: { rottenTomatoes: { tomatometer: null, audienceScore: 0, source: 'rottentomatoes', observedAt: '2024-05-01' } } }), site));
    // A real 0 (everybody disliked it) is a score; a missing one is not.
    expect(page).toMatch(/Tomatometer\s+not rated/);
    expect(page).toMatch(/Audience score\s+0%/);
    expect(page).not.toMatch(/(^|\s)%/);
  });

  it('escape every piece of text from the data, and name pages so that "tmdb:<n>" is not a URL scheme', () => {
    const page = render.filmPage(record({ title: '<script>alert(1)</script> & "Co"', synopsis: '<img src=x onerror=alert(1)>' }), site);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;Co&#34;');
    expect(render.pageName('tmdb:1236474')).toBe('tmdb-1236474.html');
    expect(render.pageName('tt0133093')).toBe('tt0133093.html');
  });
});

describe('the built site', () => {
  it('is a typed consumer: its JavaScript type-checks against the installed package (tsc --checkJs --strict)', () => {
    const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = ['--noEmit', '--strict', '--allowJs', '--checkJs', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    const types = ['--types', 'node', '--typeRoots', path.join(REPO_ROOT, 'node_modules', '@types')];
    const result = spawnSync(process.execPath, [tsc, ...options, ...types, 'site/build.mjs', 'site/render.mjs'], { cwd: projectDir, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('has one page per film with a title, none for films known only by id, and an index linking them all', () => {
    const titled = snapshot.movies.filter((m) => m.title !== null);
    expect(readdirSync(path.join(publicDir, 'films')).sort()).toEqual(titled.map((m) => render.pageName(m.id)).sort());
    const index = readFileSync(path.join(publicDir, 'index.html'), 'utf8');
    expect(index.match(/<li data-terms=/g)).toHaveLength(titled.length);
    expect(index).toContain(`${titled.length} films`);
    expect(index).toContain('This product uses the TMDB API but is not endorsed or certified by TMDB.');
  });
});

/** A static file server for the built site on an ephemeral localhost port. */
function serve(root: string): Promise<{ server: Server; origin: string }> {
  const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8' };
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = path.join(root, pathname === '/' ? 'index.html' : pathname);
    if (!file.startsWith(root + path.sep) || !existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe.skipIf(!hasChromium)('the site in headless Chromium', () => {
  it('answers a visitor: search, a film with a scene (kind hidden until clicked), a film with no known scenes, a missing score', async () => {
    const { chromium } = await import('playwright-core');
    const yes = snapshot.movies.find((m) => m.title && /^[\p{L}\p{N} ]+$/u.test(m.title) && m.creditScenes.scenes.some((s) => s.kind === 'scene') && render.answerOf(m.creditScenes).answer === 'yes')!;
    const unknown = snapshot.movies.find((m) => m.title && render.answerOf(m.creditScenes).answer === 'unknown' && m.creditScenes.scenes.length === 0)!;
    const no = snapshot.movies.find((m) => m.id === 'tt0087747')!;
    // Best: a group read from a source that has one score and lacks the other (the seed page's "%" and "0%").
    const lacks = (m: Movie) => m.title && Object.values(m.scores).some((g) => g && Object.values(g).some((v) => v === null));
    const alsoRated = (m: Movie) => Object.values(m.scores).some((g) => g && Object.values(g).filter((v) => typeof v === 'number').length > 1);
    const missing = snapshot.movies.find((m) => lacks(m) && alsoRated(m)) ?? snapshot.movies.find(lacks)!;
    expect([yes, unknown, no, missing].every(Boolean)).toBe(true);

    const { server, origin } = await serve(publicDir);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));

      await page.goto(`${origin}/index.html`);
      const total = await page.locator('#films li').count();
      expect(total).toBe(snapshot.movies.filter((m) => m.title).length);
      // Typed as a visitor would: shouted, with a stray accent.
      await page.fill('#search', yes.title!.toUpperCase().replace('E', 'É'));
      const visible = page.locator('#films li:visible');
      expect(await visible.count()).toBeGreaterThanOrEqual(1);
      expect(await visible.count()).toBeLessThan(total);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'index-search.png'), fullPage: true });
      await page.locator(`#films li:visible a[href="films/${render.pageName(yes.id)}"]`).click();
      await page.waitForURL(`**/films/${render.pageName(yes.id)}`);

      expect(await page.locator('h1').textContent()).toBe(`Does ${yes.title} have end credit scenes?`);
      expect(await page.locator('.answer').textContent()).toBe('Yes');
      const kind = page.locator('details.spoiler li').first();
      expect(await kind.isVisible()).toBe(false);
      await page.locator('details.spoiler summary').click();
      expect(await kind.isVisible()).toBe(true);
      expect(await kind.textContent()).toMatch(/(During|After) the credits: a scene/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'film-with-scene.png'), fullPage: true });

      await page.goto(`${origin}/films/${render.pageName(unknown.id)}`);
      expect(await page.locator('.answer').textContent()).toBe('Not known yet');
      expect(await page.locator('.sentence').textContent()).toBe(`We do not know yet whether ${unknown.title} has end credit scenes.`);
      expect(await page.locator('details.spoiler').count()).toBe(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'film-no-known-scenes.png'), fullPage: true });

      await page.goto(`${origin}/films/${render.pageName(no.id)}`);
      expect(await page.locator('.answer').textContent()).toBe('No');
      expect(await page.locator('.slots .why').first().textContent()).toMatch(/^Not listed by AfterCredits/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'film-answered-no.png'), fullPage: true });

      await page.goto(`${origin}/films/${render.pageName(missing.id)}`);
      const cells = await page.locator('.scores td.score').allTextContents();
      expect(cells).toHaveLength(6);
      expect(cells).toContain('not rated');
      for (const cell of cells) expect(cell, 'a score cell is a value or "not rated"').toMatch(/^(not rated|\d+(\.\d)?(\/100|\/10|%))$/);
      const rated = await page.locator('.scores tr.rated td.source').allTextContents();
      for (const source of rated) expect(source).toMatch(/, \d{4}(-\d{2}){0,2}/);
      expect(await page.locator('body').innerText()).not.toMatch(/(^|\s)0%|(^|\s)%/);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'film-missing-score.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
