/**
 * What every source shares, once: the "whole page of this site" guard of the HTML sources (`page.ts`) refuses
 * the same bodies with the same words whichever site is asked, and the one title-and-year matcher of the title
 * lookups (`match.ts`) decides alike for every lookup.
 */
import { describe, expect, it } from 'vitest';
import { NoMatchError, UnexpectedContentError } from '../../src/errors.ts';
import { parseTitle } from '../../src/scrapers/imdb/parse.ts';
import { pickTitleMatch, sameTitle } from '../../src/scrapers/match.ts';
import { parseMovie } from '../../src/scrapers/metacritic/parse.ts';
import { parseRtPage } from '../../src/scrapers/rottentomatoes/parse.ts';
import { corpusText } from '../helpers/corpus.ts';

const SITES = [
  { name: 'IMDb', parse: parseTitle, url: 'https://www.imdb.com/title/tt0111161/', page: 'imdb/imdb_tt0111161_shawshank_1994_title_2023-02_new-nextjs-hu.html' },
  { name: 'Metacritic', parse: parseMovie, url: 'https://www.metacritic.com/movie/the-dark-knight/', page: 'metacritic/metacritic_movie_the-dark-knight_2008_2026_jsonld_TRIMMED.html' },
  {
    name: 'Rotten Tomatoes',
    parse: parseRtPage,
    url: 'https://www.rottentomatoes.com/m/the_dark_knight',
    page: 'rottentomatoes/rt_m_the_dark_knight_2008_2026_media-scorecard-json_TRIMMED.html',
  },
];

/** The reason a parser gives for refusing a body (it must refuse it as unexpected content). */
function refusal(parse: (body: string, url: string) => unknown, body: string, url: string): string {
  try {
    parse(body, url);
  } catch (error) {
    expect(error).toBeInstanceOf(UnexpectedContentError);
    return (error as UnexpectedContentError).reason;
  }
  throw new Error('the body was accepted');
}

describe('the page guard of the HTML sources', () => {
  it.each(SITES)('$name refuses what is not its whole page, in the words every site uses', ({ name, parse, url, page }) => {
    const body = corpusText(page);
    expect(refusal(parse, '', url)).toBe('empty body where an HTML page was expected');
    expect(refusal(parse, '{"title":"x"}', url)).toBe('JSON where an HTML page was expected');
    expect(refusal(parse, 'plain text', url)).toBe('not an HTML page');
    expect(refusal(parse, body.slice(0, Math.floor(body.length / 2)), url)).toBe('truncated page (no closing </html>)');
    // Constructed, not recorded: the shapes of a Cloudflare and an AWS WAF interstitial served with HTTP 200.
    expect(refusal(parse, '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={}</script></body></html>', url)).toBe(
      'a bot challenge or block page ("Just a moment..."), not the page asked for',
    );
    expect(refusal(parse, '<html><head><title>x</title></head><body><script>window.gokuProps={}</script></body></html>', url)).toBe(
      'a bot challenge or block page ("x"), not the page asked for',
    );
    // Another site's real page.
    const other = SITES.find((s) => s.name !== name && s.name !== 'Metacritic') ?? SITES[0]!;
    expect(refusal(parse, corpusText(other.page), url)).toMatch(new RegExp(`^(a page of .+, not of ${name}|not an? ${name} page .*)$`));
  });

  it.each(SITES)('$name reads its own film page even when a script on it names a challenge vendor', ({ parse, url, page }) => {
    const body = corpusText(page);
    const read = parse(body, url);
    // Real pages load reCAPTCHA or Cloudflare scripts for their forms: a page with the site's content blocks is no challenge page.
    const marked = body.replace(/<\/body\s*>/i, '<script src="https://challenges.cloudflare.com/turnstile/v0/api.js"></script></body>');
    expect(marked).not.toBe(body);
    expect(parse(marked, url)).toEqual(read);
  });
});

describe('the title-and-year matcher of the title lookups', () => {
  const results = [
    { title: 'The Matrix', year: 1999, id: 1 },
    { title: 'The Matrix', year: 2021, id: 2 },
    { title: 'Fast & Furious', year: 2009, id: 3 },
    { title: 'Amélie', year: 2001, id: 4 },
  ];
  const options = { source: 'test', url: 'https://example.test/search', noun: 'result', titlesOf: (r: (typeof results)[number]) => [r.title], yearOf: (r: (typeof results)[number]) => r.year };
  const reason = (query: { title: string; year?: number }, complete = true) => {
    try {
      return pickTitleMatch(results, query, { ...options, complete }).id;
    } catch (error) {
      expect(error).toBeInstanceOf(NoMatchError);
      return (error as NoMatchError).reason;
    }
  };

  it('takes the one result with the film’s title (folded, "&" as "and") and year', () => {
    expect(reason({ title: 'the matrix', year: 1999 })).toBe(1);
    expect(reason({ title: 'Fast and Furious', year: 2009 })).toBe(3);
    expect(reason({ title: 'AMELIE', year: 2001 })).toBe(4);
    expect(reason({ title: 'Amélie' })).toBe(4);
    expect(sameTitle('Spider-Man: No Way Home', 'spider man no way home')).toBe(true);
  });

  it('never guesses: none, several, or one without a year among an incomplete list is no match', () => {
    expect(reason({ title: 'The Matrix', year: 2003 })).toBe('no result titled "The Matrix" (2003)');
    expect(reason({ title: 'The Matrix' })).toBe('2 results titled "The Matrix": ambiguous');
    expect(reason({ title: 'Amélie' }, false)).toBe('"Amélie" without a year, and more results than one page: not sure');
    expect(reason({ title: ' ! ' })).toBe('empty title');
  });
});
