/**
 * Baseline (b) of the crawl benchmark: Crawlee's CheerioCrawler over the same loopback pages as the other
 * contenders, at the same fixed concurrency, retries off, nothing persisted. The handler reads what the bare
 * baseline reads (the title of an HTML page; JSON bodies arrive parsed).
 *
 * node bench/crawlee/crawl.mjs <origin> <routes.json> <pages> <concurrency>   → one JSON line
 */
import { readFileSync } from 'node:fs';
import { CheerioCrawler, Configuration, log } from '@crawlee/cheerio';

const [origin, routesFile, pages, concurrency] = process.argv.slice(2);
const routes = JSON.parse(readFileSync(routesFile, 'utf8'));
const count = Number(pages);
const requests = Array.from({ length: count }, (_, j) => ({ url: `${origin}${routes[j % routes.length]}`, uniqueKey: String(j) }));

log.setLevel(log.LEVELS.OFF);
let ok = 0;
const crawler = new CheerioCrawler(
  {
    minConcurrency: Number(concurrency),
    maxConcurrency: Number(concurrency),
    maxRequestRetries: 0,
    additionalMimeTypes: ['application/json'],
    requestHandler: async ({ $, json }) => {
      if (json !== undefined || ($ && $('title').text() !== undefined)) ok++;
    },
  },
  new Configuration({ persistStorage: false, purgeOnStart: true }),
);
const started = performance.now();
await crawler.run(requests);
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ contender: 'crawlee', pages: count, ok, ms, pagesPerSecond: (count / ms) * 1000, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
