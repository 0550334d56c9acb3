/**
 * Rotten Tomatoes source: every Rotten Tomatoes file of the recorded corpus (film pages of six markup
 * generations, the search page, the JSON-LD extract), each `expected` value asserted field by field (a key
 * without an assertion fails the test); the traps (trailer runtime, banded counts, no audience score in
 * 2008, the year in a JSON-LD name, "0 Verified Ratings"); broken and foreign bodies built from real ones;
 * and the request chain replayed from the corpus.
 */
import { describe, expect, it } from 'vitest';
import { LayoutChangedError, NoMatchError, OutOfRangeError, UnexpectedContentError } from '../../src/errors.ts';
import { ReplayCorpus, type CorpusEntry } from '../../src/http/replay.ts';
import { filmRequests, rottentomatoes } from '../../src/scrapers/rottentomatoes/index.ts';
import {
  RT_MARKUPS,
  detectMarkup,
  parseRtJsonLdExtract,
  parseRtPage,
  parseRtSearch,
  parseRtSearchPage,
  pickRtSearchMatch,
  rtJsonLdValues,
  rtSlugFromUrl,
  splitTitleYear,
  type RtPage,
  type RtSearchPage,
} from '../../src/scrapers/rottentomatoes/parse.ts';
import type { MovieContext } from '../../src/scrapers/source.ts';
import { CORPUS_DIR, corpusEntries, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { assertEvery, crawl, edited, expectValid, find, one, onlyScore, sameValue, thrown } from '../helpers/observations.ts';

const FILES = {
  dune: 'rottentomatoes/rt_m_dune_2021_2026-10_jsonld_details-list_TRIMMED.html',
  hpScorecard: 'rottentomatoes/rt_m_harry_potter_and_the_deathly_hallows_part_2_2011_2024-04_media-scorecard-json_TRIMMED.html',
  hpScoreboard: 'rottentomatoes/rt_m_harry_potter_and_the_deathly_hallows_part_2_2011_2024-04_score-board-deprecated.html',
  pulpFiction: 'rottentomatoes/rt_m_pulp_fiction_1994_2008_very-old-markup.html',
  shawshank: 'rottentomatoes/rt_m_shawshank_redemption_1994_2019-07_old-mop.html',
  darkKnightJsonLd: 'rottentomatoes/rt_m_the_dark_knight_2008_2026-05_jsonld_TRIMMED.html',
  darkKnightScorecard: 'rottentomatoes/rt_m_the_dark_knight_2008_2026_media-scorecard-json_TRIMMED.html',
  search: 'rottentomatoes/rt_search_the-matrix_2021-12-29_search-page-media-row_SEARCHPAGE.html',
  extract: 'jsonld/rt_m_wonder_woman_1984_2021-05_jsonld-extract.json',
} as const;

function page(file: string): { entry: CorpusEntry; body: string; parsed: RtPage } {
  const entry = corpusEntry(file);
  const body = corpusText(entry.file);
  return { entry, body, parsed: parseRtPage(body, entry.url) };
}

// ---------------------------------------------------------------------------------------------------------

const rtEntries = corpusEntries((e) => e.source === 'rottentomatoes');

function assertFilmPage(entry: CorpusEntry): void {
  const body = corpusText(entry.file);
  const parsed = parseRtPage(body, entry.url);
  const { observations } = parsed;
  expectValid(observations, { source: 'rottentomatoes', url: entry.url, movie: (entry.movie?.imdb as string | undefined) ?? 'tt0000001' });
  expect(parsed.markup).toBe(entry.markup);
  expect(detectMarkup(body)).toBe(entry.markup);
  // The slug comes from the page (canonical link, JSON-LD url) or its URL, and every observation carries it.
  expect(parsed.slug).toBe(entry.movie?.rottenTomatoes);
  expect(one(observations, 'ids').ids).toEqual({ rottenTomatoes: entry.movie?.rottenTomatoes });
  for (const o of observations) expect(o.ids).toEqual({ rottenTomatoes: entry.movie?.rottenTomatoes });
  const score = onlyScore(observations, 'rottenTomatoes');
  const details = () => one(observations, 'details');

  assertEvery(expectedOf(entry), {
    title: sameValue('title', parsed, details),
    year: sameValue('year', parsed, details),
    releaseDate: sameValue('releaseDate', parsed, details),
    runtimeMinutes: sameValue('runtimeMinutes', parsed, details),
    contentRating: sameValue('contentRating', parsed, details),
    directors: (v) => {
      expect(parsed.directors).toEqual(v);
      expect(one(observations, 'credits').directors).toEqual(v);
    },
    tomatometer: sameValue('tomatometer', parsed, score),
    tomatometerCount: (v) => {
      expect(parsed.tomatometerCount).toBe(v);
      expect(score.criticCount).toBe(v);
    },
    tomatometerFresh: (v) => expect(parsed.tomatometerFresh).toBe(v),
    tomatometerRotten: (v) => expect(parsed.tomatometerRotten).toBe(v),
    tomatometerState: (v) => expect(parsed.tomatometerState).toBe(v),
    certifiedFresh: (v) => expect(parsed.certifiedFresh).toBe(v),
    criticsAverage: (v) => expect(parsed.criticsAverage).toBe(v),
    topCriticsScore: (v) => expect(parsed.topCriticsScore).toBe(v),
    topCriticsCount: (v) => expect(parsed.topCriticsCount).toBe(v),
    audienceScore: sameValue('audienceScore', parsed, score),
    audienceCount: (v) => {
      expect(parsed.audienceCount).toBe(v);
      // No exact count (banded only, or no audience score at all): the observation leaves the key out.
      if (v === null) expect('audienceCount' in score).toBe(false);
      else expect(score.audienceCount).toBe(v);
    },
    audienceCountBanded: (v) => expect(parsed.audienceCountBanded).toBe(v),
    audienceReviewCount: (v) => expect(parsed.audienceReviewCount).toBe(v),
    audienceState: (v) => expect(parsed.audienceState).toBe(v),
    verifiedAudienceScore: (v) => expect(parsed.verifiedAudienceScore).toBe(v),
  });
}

function assertSearchPage(entry: CorpusEntry): void {
  const body = corpusText(entry.file);
  const parsed = parseRtSearchPage(body, entry.url);
  expect(parsed.markup).toBe(entry.markup);
  expect(detectMarkup(body)).toBe(entry.markup);
  assertEvery(expectedOf(entry), {
    movieRowCount: (v) => expect(parsed.movies).toHaveLength(v as number),
    tvRowCount: (v) => {
      expect(parsed.tv).toHaveLength(v as number);
      expect(parsed.tv.every((row) => row.kind === 'tv' && (row.id === null || row.id.startsWith('tv/')))).toBe(true);
    },
    results: (v) => {
      const wanted = v as unknown[];
      const view = parsed.movies.map(({ title, year, id, score, state }) => ({ title, year, id, score, state }));
      expect(view.slice(0, wanted.length)).toEqual(wanted);
    },
  });
}

function assertJsonLdExtract(entry: CorpusEntry): void {
  const values = parseRtJsonLdExtract(corpusText(entry.file), entry.url);
  expect(values.slug).toBe(entry.movie?.rottenTomatoes);
  assertEvery(expectedOf(entry), {
    title: (v) => expect(values.title).toBe(v),
    tomatometer: (v) => expect(values.tomatometer).toBe(v),
    tomatometerCount: (v) => expect(values.tomatometerCount).toBe(v),
    contentRating: (v) => expect(values.contentRating).toBe(v),
    releaseDate: (v) => expect(values.releaseDate).toBe(v),
  });
}

describe('Rotten Tomatoes corpus: every file, every expected value', () => {
  it('covers every Rotten Tomatoes file of the index', () => {
    expect(rtEntries.map((e) => e.file).sort()).toEqual(Object.values(FILES).sort());
    expect(rtEntries.every((e) => RT_MARKUPS.includes(e.markup as never) || e.kind === 'jsonld-extract')).toBe(true);
  });

  for (const entry of rtEntries) {
    it(entry.file, () => {
      switch (entry.kind) {
        case 'title-page':
          return assertFilmPage(entry);
        case 'search-page':
          return assertSearchPage(entry);
        case 'jsonld-extract':
          return assertJsonLdExtract(entry);
        default:
          throw new Error(`no assertions for kind ${entry.kind}`);
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------

describe('traps', () => {
  it('reads the film runtime from the details list, never the trailer beside it (Dune: 155, not 2:29)', () => {
    const { body, entry, parsed } = page(FILES.dune);
    expect(body).toContain('iconic-video-runtime');
    expect(body).toContain('"durationInSeconds":"149.858"');
    expect(parsed.runtimeMinutes).toBe(155);
    // Without the details list, the page has only the trailer's runtime: none for the film.
    const withoutList = parseRtPage(edited(body, /<dl>[\s\S]*<\/dl>/, ''), entry.url);
    expect(withoutList.runtimeMinutes).toBeUndefined();
    expect('runtimeMinutes' in one(withoutList.observations, 'details')).toBe(false);
  });

  it('takes the year out of a JSON-LD name ("Dune (2021)") but keeps a number that is part of a title', () => {
    const { body, entry } = page(FILES.dune);
    // Without script#hydration, the JSON-LD name is the only source of title and year.
    const jsonLdOnly = parseRtPage(edited(body, /<script id="hydration"[\s\S]*?<\/script>/, ''), entry.url);
    expect(jsonLdOnly.title).toBe('Dune');
    expect(jsonLdOnly.year).toBe(2021);
    expect(splitTitleYear('Wonder Woman 1984')).toEqual({ title: 'Wonder Woman 1984', year: null });
    expect(splitTitleYear('Pulp Fiction (1994)')).toEqual({ title: 'Pulp Fiction', year: 1994 });
  });

  it('keeps a banded audience count out of the counts (scorecard 2024: "250,000+ Ratings")', () => {
    const { parsed } = page(FILES.hpScorecard);
    expect(parsed.audienceCountBanded).toBe('250,000+');
    expect(parsed.audienceCount).toBeNull();
    const score = onlyScore(parsed.observations, 'rottenTomatoes');
    expect(score.audienceScore).toBe(89);
    expect('audienceCount' in score).toBe(false);
    // 19743 counts written reviews, not ratings.
    expect(parsed.audienceReviewCount).toBe(19743);
  });

  it('takes the exact audience count of script#scoreDetails over the banded one shown (2023: 393712)', () => {
    const { body, parsed } = page(FILES.hpScoreboard);
    expect(body).toContain('250,000+ Ratings');
    expect(onlyScore(parsed.observations, 'rottenTomatoes').audienceCount).toBe(393712);
    expect(parsed.audienceReviewCount).toBe(19743);
  });

  it('falls back to the 2023 scoreboard attributes without script#scoreDetails (banded count only)', () => {
    const { body, entry } = page(FILES.hpScoreboard);
    const noDetails = edited(body, /<script id="scoreDetails"[\s\S]*?<\/script>/, '');
    // The JSON-LD rating is removed too, so the Tomatometer can only come from the scoreboard element.
    const parsed = parseRtPage(edited(noDetails, /"aggregateRating":\{[^}]*\},/, ''), entry.url);
    expect(parsed).toMatchObject({ tomatometer: 96, tomatometerCount: 333, tomatometerState: 'certified-fresh', audienceScore: 89, audienceState: 'upright' });
    expect(parsed.audienceCountBanded).toBe('250,000+');
    expect(parsed.audienceCount).toBeNull();
    expect('audienceCount' in onlyScore(parsed.observations, 'rottenTomatoes')).toBe(false);
  });

  it('gives no audience score on a 2008 page: null, never 0', () => {
    const { parsed } = page(FILES.pulpFiction);
    expect(parsed.audienceScore).toBeNull();
    const score = onlyScore(parsed.observations, 'rottenTomatoes');
    expect(score.audienceScore).toBeNull();
    expect('audienceCount' in score).toBe(false);
  });

  it('reads "0 Verified Ratings" as no verified score, and the Popcornmeter as the audience score (2025)', () => {
    const { body, parsed } = page(FILES.darkKnightScorecard);
    expect(body).toContain('"title":"Popcornmeter"');
    expect(body).toContain('"bandedRatingCount":"0 Verified Ratings"');
    expect(parsed.verifiedAudienceScore).toBeNull();
    expect(parsed.audienceScore).toBe(94);
  });

  it('reads directors (and top-billed cast) where the page lists them: 2008 crew lines, 2019 and 2023 pages', () => {
    const credits = (file: string) => one(page(file).parsed.observations, 'credits');
    expect(credits(FILES.pulpFiction).directors).toEqual(['Quentin Tarantino']);
    expect(credits(FILES.pulpFiction).cast.slice(0, 2)).toEqual([{ name: 'John Travolta' }, { name: 'Samuel L. Jackson' }]);
    expect(credits(FILES.pulpFiction).cast).toHaveLength(10);
    expect(credits(FILES.shawshank).directors).toEqual(['Frank Darabont']);
    expect(credits(FILES.hpScoreboard).directors).toEqual(['David Yates']);
    // A page that lists no director gives no credits observation (not an empty one).
    expect(find(page(FILES.darkKnightScorecard).parsed.observations, 'credits')).toBeUndefined();
  });

  it('reads the 2019 release date from its text, not from the datetime shifted to US Pacific time', () => {
    const { body, parsed } = page(FILES.shawshank);
    expect(body).toContain('<time datetime="1994-09-09T17:00:00-07:00">Sep 10, 1994</time>');
    expect(parsed.releaseDate).toBe('1994-09-10');
  });

  it('turns a zero count into a missing score, for critics and for the audience', () => {
    const { body, entry } = page(FILES.hpScoreboard);
    const zeroCritics = edited(body, '"tomatometerScore":{"averageRating":"8.30","bandedRatingCount":"","likedCount":320,"notLikedCount":13,"ratingCount":333,"reviewCount":333', '"tomatometerScore":{"averageRating":"8.30","bandedRatingCount":"","likedCount":0,"notLikedCount":0,"ratingCount":0,"reviewCount":0');
    const zeroAudience = edited(zeroCritics, /("scoreboard":\{[\s\S]*?"audienceScore":\{[^}]*?"ratingCount":)393712/, '$10');
    const noJsonLdRating = edited(zeroAudience, /"aggregateRating":\{[^}]*\},/, '');
    const parsed = parseRtPage(noJsonLdRating, entry.url);
    const score = onlyScore(parsed.observations, 'rottenTomatoes');
    expect(score).toMatchObject({ tomatometer: null, criticCount: null, audienceScore: null, audienceCount: null });
    expect(parsed.tomatometerState).toBeNull();
  });

  it('rejects a Tomatometer of 140 instead of clamping it', () => {
    const jsonLd = page(FILES.darkKnightJsonLd);
    const error = thrown(() => parseRtPage(edited(jsonLd.body, '"ratingValue": "94"', '"ratingValue": "140"'), jsonLd.entry.url));
    expect(error).toBeInstanceOf(OutOfRangeError);
    expect(error).toMatchObject({ field: 'aggregateRating.ratingValue', value: '140' });
    const scorecard = page(FILES.darkKnightScorecard);
    expect(() => parseRtPage(edited(scorecard.body, '"score":"94","sentiment":"POSITIVE","reviewsPageUrl":"/m/the_dark_knight/reviews","scorePercent":"94%","title":"Tomatometer"}', '"score":"140","sentiment":"POSITIVE","title":"Tomatometer"}'), scorecard.entry.url)).toThrow(OutOfRangeError);
  });

  it('finds the slug in the canonical link first, and validates it by pattern', () => {
    expect(rtSlugFromUrl('https://www.rottentomatoes.com/m/pulp_fiction/')).toBe('m/pulp_fiction');
    expect(rtSlugFromUrl('/m/the-living-matrix')).toBe('m/the-living-matrix');
    expect(rtSlugFromUrl('https://www.rottentomatoes.com/tv/the_80s_top_ten')).toBeNull();
    expect(rtSlugFromUrl('https://www.rottentomatoes.com/m/Bad Slug')).toBeNull();
    expect(rtSlugFromUrl('https://www.metacritic.com/m/matrix')).toBeNull();
    const { body } = page(FILES.shawshank);
    // Asked under an old URL, the page still names itself by its canonical link, even over its JSON-LD url.
    const otherJsonLdUrl = edited(body, '"url":"https://www.rottentomatoes.com/m/shawshank_redemption"', '"url":"https://www.rottentomatoes.com/m/shawshank"');
    expect(parseRtPage(otherJsonLdUrl, 'https://www.rottentomatoes.com/m/the_shawshank_redemption_old').slug).toBe('m/shawshank_redemption');
    const noCanonical = edited(
      edited(otherJsonLdUrl, '<link rel="canonical" href="https://www.rottentomatoes.com/m/shawshank_redemption">', ''),
      '<meta property="og:url" content="https://www.rottentomatoes.com/m/shawshank_redemption">',
      '',
    );
    // Without canonical link and og:url, the JSON-LD url names the page.
    expect(parseRtPage(noCanonical, 'https://www.rottentomatoes.com/m/the_shawshank_redemption_old').slug).toBe('m/shawshank');
  });

  it('maps a JSON-LD Movie object on its own: string values, null datePublished, the Tomatometer only', () => {
    const values = rtJsonLdValues(
      { '@type': 'Movie', name: 'X (2020)', datePublished: null, contentRating: '', aggregateRating: { name: 'Tomatometer', ratingValue: 61, reviewCount: '0' } },
      'https://www.rottentomatoes.com/m/x',
    );
    expect(values).toMatchObject({ title: 'X', year: 2020, releaseDate: null, contentRating: null, tomatometer: null, tomatometerCount: null });
    expect(() => rtJsonLdValues({ '@type': 'Movie' }, 'https://www.rottentomatoes.com/m/x')).toThrow(UnexpectedContentError);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('layout changes and bad bodies', () => {
  it('throws LayoutChangedError naming the generations tried when the score block is gone', () => {
    const { body, entry } = page(FILES.darkKnightJsonLd);
    const error = thrown(() => parseRtPage(edited(body, /, "aggregateRating": \{[^}]*\}/, ''), entry.url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual(expect.arrayContaining(['rt-scorecard-json-2024', 'rt-scoreboard-2023', 'rt-jsonld-2026', 'rt-mop-2019', 'rt-2008']));
    expect((error as LayoutChangedError).missing).toBe('tomatometer');
  });

  it('throws LayoutChangedError when a 2019 score panel is there but its percentage is not', () => {
    const { body, entry } = page(FILES.shawshank);
    const error = thrown(() => parseRtPage(edited(body, /<span class="mop-ratings-wrap__percentage">\s*91%\s*<\/span>/, ''), entry.url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual(['rt-mop-2019']);
  });

  it('throws LayoutChangedError when the 2008 score is gone', () => {
    const { body, entry } = page(FILES.pulpFiction);
    const error = thrown(() => parseRtPage(edited(body, '<span class="percent">96</span>', ''), entry.url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual(['rt-2008']);
  });

  it('throws LayoutChangedError for a scorecard blob that is no longer JSON', () => {
    const { body, entry } = page(FILES.hpScorecard);
    const error = thrown(() => parseRtPage(edited(body, '{"audienceScore":', '{audienceScore:'), entry.url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual(['rt-scorecard-json-2024']);
  });

  it('throws UnexpectedContentError for an empty body, JSON, a truncated page, another site and a challenge', () => {
    const { body, entry } = page(FILES.hpScoreboard);
    const url = entry.url;
    const reasons: string[] = [];
    const expectUnexpected = (text: string) => {
      const error = thrown(() => parseRtPage(text, url));
      expect(error).toBeInstanceOf(UnexpectedContentError);
      reasons.push((error as UnexpectedContentError).reason);
    };
    expectUnexpected('');
    expectUnexpected('  \n');
    expectUnexpected(corpusText(FILES.extract));
    expectUnexpected(body.slice(0, Math.floor(body.length / 2)));
    const metacritic = corpusEntry('metacritic/metacritic_movie_the-dark-knight_2008_2026_jsonld_TRIMMED.html');
    expectUnexpected(corpusText(metacritic.file));
    const imdb = corpusEntry('imdb/imdb_tt0111161_shawshank_1994_title_2023-02_new-nextjs-hu.html');
    expectUnexpected(corpusText(imdb.file));
    // Constructed, not recorded: the shape of a Cloudflare interstitial served with HTTP 200.
    expectUnexpected('<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script>window._cf_chl_opt={}</script></body></html>');
    expectUnexpected(corpusText(FILES.search));
    expect(reasons).toEqual([
      'empty body where an HTML page was expected',
      'empty body where an HTML page was expected',
      'JSON where an HTML page was expected',
      // The guard every HTML source goes through (src/scrapers/page.ts) words them alike.
      'truncated page (no closing </html>)',
      'not a Rotten Tomatoes page (title "")',
      'a page of www.imdb.com, not of Rotten Tomatoes',
      'a bot challenge or block page ("Just a moment..."), not the page asked for',
      'a search page where a film page was expected',
    ]);
  });

  it('rejects a film page where a search page was expected, and a JSON-LD extract that is not JSON', () => {
    const { body, entry } = page(FILES.shawshank);
    const error = thrown(() => parseRtSearchPage(body, entry.url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual(['rt-search-2021']);
    expect(() => parseRtJsonLdExtract('<html>', entry.url)).toThrow(UnexpectedContentError);
    expect(() => parseRtJsonLdExtract('[{"@type":"Person","name":"X"}]', entry.url)).toThrow(UnexpectedContentError);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('search', () => {
  const entry = corpusEntry(FILES.search);
  const results = parseRtSearchPage(corpusText(entry.file), entry.url);

  it('picks the one film row of that title and year, keeping remakes apart', () => {
    expect(pickRtSearchMatch(results, { title: 'The Matrix', year: 1999 }, entry.url).id).toBe('m/matrix');
    expect(pickRtSearchMatch(results, { title: 'the matrix resurrections', year: 2021 }, entry.url).id).toBe('m/the_matrix_resurrections');
    const observations = parseRtSearch(corpusText(entry.file), entry.url, { title: 'The Matrix', year: 1999 });
    expectValid(observations, { source: 'rottentomatoes', url: entry.url, movie: 'tt0133093' });
    expect(observations).toEqual([{ source: 'rottentomatoes', url: entry.url, ids: { rottenTomatoes: 'm/matrix' }, kind: 'ids' }]);
  });

  it('throws NoMatchError for another year, a near title, a series, or two rows alike', () => {
    expect(() => pickRtSearchMatch(results, { title: 'The Matrix', year: 2003 }, entry.url)).toThrow(NoMatchError);
    expect(() => pickRtSearchMatch(results, { title: 'Matrix Reloaded', year: 2003 }, entry.url)).toThrow(NoMatchError);
    expect(() => pickRtSearchMatch(results, { title: 'The Legend of Vox Machina', year: 2022 }, entry.url)).toThrow(NoMatchError);
    const twice: RtSearchPage = { ...results, movies: [...results.movies, { ...results.movies[4]!, id: 'm/matrix_2' }] };
    expect(thrown(() => pickRtSearchMatch(twice, { title: 'The Matrix', year: 1999 }, entry.url))).toMatchObject({
      reason: '2 film rows titled "The Matrix" (1999): ambiguous',
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('replayed from the corpus', () => {
  const corpus = ReplayCorpus.load(CORPUS_DIR, new Map([['www.rottentomatoes.com', rottentomatoes.replay]]));

  const crawlFilm = (movie: MovieContext) => crawl(corpus, filmRequests(movie), movie, { source: 'rottentomatoes', movie: movie.id });

  it('a film without a slug: the search (title matched case-insensitively) finds it, then its page is asked for', () => {
    const { files, observations, unanswered } = crawlFilm({ id: 'tt0133093', ids: { imdb: 'tt0133093' }, title: 'the matrix', year: 1999 });
    expect(files).toEqual([FILES.search]);
    expect(observations).toEqual([expect.objectContaining({ kind: 'ids', ids: { rottenTomatoes: 'm/matrix' } })]);
    // The Matrix's own page is not recorded.
    expect(unanswered).toEqual(['https://www.rottentomatoes.com/m/matrix']);
  });

  it('a film with a slug: its page, answered by a recording with a trailing slash (Pulp Fiction 2008)', () => {
    const { files, observations } = crawlFilm({ id: 'tt0110912', ids: { imdb: 'tt0110912', rottenTomatoes: 'm/pulp_fiction' }, title: 'Pulp Fiction', year: 1994 });
    expect(files).toEqual([FILES.pulpFiction]);
    expect(onlyScore(observations, 'rottenTomatoes')).toMatchObject({ tomatometer: 96, criticCount: 48, audienceScore: null });
  });

  it('of two recordings of one page, the newest capture answers (Harry Potter: the April 28 scorecard)', () => {
    const { files } = crawlFilm({ id: 'tt1201607', ids: { rottenTomatoes: 'm/harry_potter_and_the_deathly_hallows_part_2' } });
    expect(files).toEqual([FILES.hpScorecard]);
  });

  it('never serves the JSON-LD extract as a page', () => {
    expect(corpus.unserved.map((u) => u.file)).toContain(FILES.extract);
  });
});

describe('source definition', () => {
  it('declares its host, politeness, robots, refresh and terms', () => {
    expect(rottentomatoes).toMatchObject({
      id: 'rottentomatoes',
      hosts: ['www.rottentomatoes.com'],
      limits: { concurrency: 1, minIntervalMs: 2000 },
      robots: true,
      refresh: { score: 1, default: 7 },
      replay: { caseInsensitiveParams: ['search'] },
    });
    expect(rottentomatoes.terms.licence).toMatch(/no data licence/);
    expect(rottentomatoes.gives.includes('\n')).toBe(false);
  });

  it('asks for the page of a known slug, with the title search as its fallback', () => {
    const [request] = filmRequests({ id: 'tt0133093', ids: { rottenTomatoes: 'm/matrix' }, title: 'The Matrix', year: 1999 });
    expect(request?.url).toBe('https://www.rottentomatoes.com/m/matrix');
    expect(request?.fallback?.map((r) => r.url)).toEqual(['https://www.rottentomatoes.com/search?search=The+Matrix']);
    expect(filmRequests({ id: 'tt0133093', ids: { rottenTomatoes: 'm/matrix' } }).map((r) => r.fallback)).toEqual([undefined]);
  });

  it('searches by title only when the year is known, and never with a slug that fails its pattern', () => {
    expect(filmRequests({ id: 'tt0133093', ids: {}, title: 'The Matrix', year: 1999 }).map((r) => r.url)).toEqual([
      'https://www.rottentomatoes.com/search?search=The+Matrix',
    ]);
    expect(filmRequests({ id: 'tt0133093', ids: {}, title: 'The Matrix' })).toEqual([]);
    expect(filmRequests({ id: 'tt0133093', ids: { rottenTomatoes: 'm/../../admin' } as never })).toEqual([]);
  });
});
