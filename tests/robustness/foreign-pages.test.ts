/**
 * Answers that are not what was asked for: every parser, given an empty 200 body, another site's page (a real
 * recording of another source), a login, consent or bot-challenge page, or an error page served with HTTP 200,
 * says so with an `UnexpectedContentError` naming the source and the URL — never observations, never a layout
 * change (which would send someone to fix a parser that is not broken). A live run whose sources all answer
 * such pages counts them, per source, as `unexpected-content` in its summary.
 *
 * The interstitial pages below are written for this test in each site's guise (its name in the title, its
 * canonical link), as such pages are built; they are not recordings.
 */
import { rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnexpectedContentError } from '../../src/errors.ts';
import { formatSummary } from '../../src/pipeline/summary.ts';
import { outputOf, parserCases, servedText, type ParserCase } from '../helpers/parsers.ts';
import { runDirs, startLiveSites, type LiveSites } from '../helpers/live-run.ts';

/** One parser of each kind (a source's film page, search, feed…): the cases the corpus has, deduplicated. */
const PARSERS: ParserCase[] = [...new Map(parserCases().map((c) => [`${c.source} ${c.entry.kind}`, c])).values()];

const SITES = {
  rottentomatoes: { name: 'Rotten Tomatoes', origin: 'https://www.rottentomatoes.com' },
  metacritic: { name: 'Metacritic', origin: 'https://www.metacritic.com' },
  imdb: { name: 'IMDb', origin: 'https://www.imdb.com' },
} as const;

/** A page in a site's guise: its name in the title, its canonical link and og:site_name. */
function sitePage(site: { name: string; origin: string }, title: string, body: string, head = ''): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="canonical" href="${site.origin}/"><meta property="og:site_name" content="${site.name}">${head}
</head><body>${body}</body></html>
`;
}

/** What a site may send instead of the page asked for, with HTTP 200. */
function interstitials(site: { name: string; origin: string }): Record<string, string> {
  return {
    'login page': sitePage(site, `Sign In | ${site.name}`, '<h1>Sign in to continue</h1><form method="post"><input type="email" name="email"><input type="password" name="password"><button>Sign in</button></form>'),
    'consent page': sitePage(site, site.name, `<div id="consent"><h1>We value your privacy</h1><p>${site.name} and our partners use cookies.</p><button>Accept all</button><button>Reject all</button></div>`),
    'consent wall': sitePage(site, `Before you continue to ${site.name}`, '<h1>Before you continue</h1><p>We use cookies and data to deliver our services.</p>'),
    'Cloudflare challenge': `<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title><meta http-equiv="refresh" content="390"></head><body><div class="main-wrapper"><h1>${new URL(site.origin).host}</h1><p>Verifying you are human. This may take a few seconds.</p></div><script>(function(){window._cf_chl_opt={cvId:'3',cType:'managed'};var a=document.createElement('script');a.src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1?ray=8';document.getElementsByTagName('head')[0].appendChild(a);}());</script></body></html>\n`,
    'AWS WAF challenge': `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title></title><script>window.awsWafCookieDomainList = [];window.gokuProps = {"key":"AQIDAHjcYu","iv":"CgAHazE","context":"x"};</script><script src="https://de5282c3ca0c.2f8e3d4d.eu-west-1.token.awswaf.com/de5282c3ca0c/challenge.js"></script></head><body><div id="challenge-container"></div><noscript><h1>JavaScript is disabled</h1></noscript></body></html>\n`,
    'error page (404 with 200)': sitePage(site, `Page Not Found | ${site.name}`, '<h1>404 - Page Not Found</h1><p>The page you requested could not be found.</p>'),
    'error page (500 with 200)': sitePage(site, `500 Internal Server Error | ${site.name}`, '<h1>Something went wrong</h1><p>Please try again later.</p>'),
    'maintenance page': sitePage(site, site.name, '<h1>Site under maintenance</h1><p>We will be back shortly.</p>'),
  };
}

/** Bodies an API may send instead of its answer, with HTTP 200. */
const API_INTERSTITIALS: Record<string, string> = {
  'HTML error page': '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n',
  'HTML login page': '<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Sign in</h1><form><input type="password"></form></body></html>\n',
  'another API\'s error JSON': '{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}',
  'a JSON null': 'null',
  'a JSON string': '"OK"',
};

function outcome(c: ParserCase, body: string): unknown {
  try {
    return outputOf(c.parse(body, c.url));
  } catch (error) {
    return error;
  }
}

function expectUnexpectedContent(c: ParserCase, body: string, what: string, reason?: RegExp): void {
  const result = outcome(c, body);
  const label = `${c.source} ${c.entry.kind} given ${what}`;
  expect(result, `${label}: ${result instanceof Error ? result.message.slice(0, 300) : JSON.stringify(result).slice(0, 300)}`).toBeInstanceOf(UnexpectedContentError);
  const error = result as UnexpectedContentError;
  expect(error.source, label).toBe(c.source);
  expect(error.message, label).toContain(c.url);
  if (reason) expect(error.reason, label).toMatch(reason);
}

describe('a parser given what it was not built for says so with a typed error', () => {
  it('an empty or blank 200 body', () => {
    for (const c of PARSERS) for (const body of ['', '   \r\n\t ', '\uFEFF']) expectUnexpectedContent(c, body, `${JSON.stringify(body)}`, /empty|blank|no feed entries/i);
  });

  it("another site's page (real recordings of the other sources)", () => {
    // One recording per other source: its pages (and bodies) are another site's to everyone else.
    const others = [...new Map(parserCases().filter((c) => (c.entry.status ?? 200) < 300).map((c) => [c.source, c])).values()];
    for (const c of PARSERS) {
      for (const other of others) {
        if (other.source === c.source) continue;
        expectUnexpectedContent(c, servedText(other.entry), `${other.entry.file} (${other.source})`);
      }
    }
  });

  it('a login, consent or bot-challenge page, or an error page served with HTTP 200', () => {
    for (const c of PARSERS) {
      const site = SITES[c.source as keyof typeof SITES];
      const pages = site ? interstitials(site) : API_INTERSTITIALS;
      for (const [what, body] of Object.entries(pages)) {
        const reason = site
          ? /login|consent|challenge|error page/
          : what.startsWith('HTML')
            ? /HTML/
            : undefined;
        expectUnexpectedContent(c, body, what, reason);
      }
    }
  });
});

describe('a live run whose sources all answer what was not asked for', () => {
  const FILM = { imdb: 'tt0137523', tmdb: 550, wikidata: 'Q190050', rottenTomatoes: 'm/fight_club', metacritic: 'movie/fight-club', title: 'Fight Club', year: 1999 };
  let sites: LiveSites;
  const dirs = runDirs('foreign-pages', [FILM]);

  beforeAll(async () => {
    sites = await startLiveSites();
    const html = (body: string) => (_req: unknown, res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    sites.server
      .on('/3/movie/550', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(''))
      .on('/', html(API_INTERSTITIALS['HTML error page']!))
      .on('/w/api.php', html(interstitials({ name: 'Wikidata', origin: 'https://www.wikidata.org' })['consent wall']!))
      .on('/m/fight_club', html(interstitials(SITES.rottentomatoes)['login page']!))
      .on('/movie/fight-club/', html(interstitials(SITES.metacritic)['Cloudflare challenge']!))
      .on('/title/tt0137523/', html(interstitials(SITES.imdb)['error page (404 with 200)']!))
      .on('/title/tt0137523/crazycredits', html(interstitials(SITES.imdb)['consent page']!))
      .on('/Kometa-Team/AfterCredits/master/aftercredits.yml', html(API_INTERSTITIALS['HTML login page']!))
      .on('/gh/AugustoMarcelo/mcuapi@master/data/index.json', html(interstitials({ name: 'jsDelivr', origin: 'https://cdn.jsdelivr.net' })['AWS WAF challenge']!))
      .on('/gh/AugustoMarcelo/mcuapi@master/data/movies.json', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(''));
  });
  afterAll(async () => {
    await sites.close();
    rmSync(dirs.root, { recursive: true, force: true });
  });

  it('counts each as unexpected content, per source, in the run summary; nothing any source answered is filed', async () => {
    const report = await sites.run(dirs, { env: { TMDB_API_KEY: 'k-foreign-1', OMDB_API_KEY: 'k-foreign-2' }, steps: { collect: true, build: false } });
    const summary = formatSummary(report);
    for (const source of ['tmdb', 'omdb', 'wikidata', 'rottentomatoes', 'metacritic', 'imdb', 'aftercredits', 'mcuapi']) {
      const stats = report.collect!.stats.find((s) => s.source === source)!;
      expect(stats.errors['unexpected-content'], `${source}: ${JSON.stringify(stats.errors)} ${stats.problems.join(' | ')}`).toBeGreaterThanOrEqual(1);
      expect(stats.errors['layout-changed'] ?? 0, source).toBe(0);
      expect(stats.observations, source).toBe(0);
      expect(summary).toMatch(new RegExp(`^  ${source}: .*errors: .*unexpected-content ${stats.errors['unexpected-content']}`, 'm'));
    }
    expect(summary).toMatch(/rottentomatoes.*a login page/s);
    expect(summary).toMatch(/metacritic.*bot.challenge/s);
    // Only what the run was given: the watchlist's entry for the film (its ids, title and year).
    expect(report.observations).toBe(1);
  });
});
