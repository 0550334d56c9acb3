/**
 * HTML sources read robots.txt before their first request to a host and obey it: disallowed pages are not
 * fetched (and are counted), and a Crawl-delay spaces the requests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/pipeline/run.ts';
import { corpusText } from '../helpers/corpus.ts';
import { startLoopback, type Loopback } from '../helpers/loopback.ts';
import { mirrorDispatcher } from '../helpers/mirror.ts';

describe('robots.txt', () => {
  let server: Loopback;
  let root: string;
  const starts: { path: string; at: number }[] = [];

  beforeAll(async () => {
    server = await startLoopback();
    root = mkdtempSync(path.join(tmpdir(), 'stingerdb-robots-'));
    server.on('/robots.txt', (req, res) => {
      starts.push({ path: '/robots.txt', at: Date.now() });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /m/pulp_fiction\nCrawl-delay: 3\n');
    });
    const page = (route: string, file: string) =>
      server.on(route, (req, res) => {
        starts.push({ path: route, at: Date.now() });
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(corpusText(file));
      });
    page('/m/shawshank_redemption', 'rottentomatoes/rt_m_shawshank_redemption_1994_2019-07_old-mop.html');
    page('/m/dune_2021', 'rottentomatoes/rt_m_dune_2021_2026-10_jsonld_details-list_TRIMMED.html');
    page('/m/pulp_fiction', 'rottentomatoes/rt_m_pulp_fiction_1994_2008_very-old-markup.html');
    writeFileSync(
      path.join(root, 'watchlist.json'),
      JSON.stringify([
        { imdb: 'tt0110912', rottenTomatoes: 'm/pulp_fiction' },
        { imdb: 'tt0111161', rottenTomatoes: 'm/shawshank_redemption' },
        { imdb: 'tt1160419', rottenTomatoes: 'm/dune_2021' },
      ]),
    );
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('is read first, its Disallow is obeyed and its Crawl-delay spaces the requests', async () => {
    const dispatcher = mirrorDispatcher({ 'https://www.rottentomatoes.com': server.origin });
    try {
      const report = await runPipeline({
        steps: { collect: true, build: false },
        only: ['rottentomatoes'],
        watchlist: path.join(root, 'watchlist.json'),
        observationsDir: path.join(root, 'observations'),
        outDir: path.join(root, 'dataset'),
        env: {},
        dispatcher,
      });
      const rt = report.collect!.stats.find((s) => s.source === 'rottentomatoes')!;
      expect(server.hits('/robots.txt')).toBe(1);
      expect(starts[0]!.path).toBe('/robots.txt');
      expect(server.hits('/m/pulp_fiction')).toBe(0);
      expect(rt.errors['robots-disallowed']).toBe(1);
      expect(server.hits('/m/shawshank_redemption') + server.hits('/m/dune_2021')).toBe(2);
      const pages = starts.filter((s) => s.path.startsWith('/m/'));
      expect(pages[1]!.at - pages[0]!.at).toBeGreaterThanOrEqual(2900);
      expect(rt.films).toBe(2);
    } finally {
      await dispatcher.close();
    }
  }, 30_000);
});
