/**
 * IMDb source: every IMDb file of the recorded corpus (five title-page generations, the Reference View, a
 * crazy-credits page), each `expected` value asserted (a key without an assertion fails the test); the
 * geo-localisation traps (localised titles, numbers, release dates and certificates); the crazy-credit
 * classifier on the real items and on phrasings IMDb's submitters use; typed errors on bad bodies; and the
 * request chain replayed from the corpus.
 */
import { creditScenesTtl } from '../../src/scrapers/source.ts';
import { describe, expect, it } from 'vitest';
import { LayoutChangedError, OutOfRangeError, UnexpectedContentError } from '../../src/errors.ts';
import { ReplayCorpus, type CorpusEntry } from '../../src/http/replay.ts';
import type { ParsedObservation } from '../../src/schema/observation.ts';
import { IMDB_HEADERS, crazyCreditsRequest, imdb, titleRequest } from '../../src/scrapers/imdb/index.ts';
import {
  CRAZY_CREDITS_GENERATIONS,
  TITLE_GENERATIONS,
  classifyCrazyCredit,
  imdbIdIn,
  parseCrazyCredits,
  parseCrazyCreditsPage,
  parseTitle,
  parseTitlePage,
  titlePageObservations,
  type ImdbTitlePage,
} from '../../src/scrapers/imdb/parse.ts';
import type { MovieContext, ParseOutput } from '../../src/scrapers/source.ts';
import { CORPUS_DIR, corpusEntries, corpusEntry, corpusText, expectedOf } from '../helpers/corpus.ts';
import { assertEvery, crawl, editedFile, expectValid, find, observationsOf, one, sameValue, scoreOf, thrown, type Asserters } from '../helpers/observations.ts';

const FERRIS = 'imdb/imdb_tt0091042_ferris-buellers-day-off_1986_2026-08_jsonld_TRIMMED-REFORMATTED.html';
const SHAWSHANK_2020 = 'imdb/imdb_tt0111161_shawshank_1994_title_2020-01_old-hu.html';
const SHAWSHANK_2023 = 'imdb/imdb_tt0111161_shawshank_1994_title_2023-02_new-nextjs-hu.html';
const MATRIX_REFERENCE = 'imdb/imdb_tt0133093_the-matrix_1999_reference-view_2023-09-18.html';
const ANT_MAN_CRAZY = 'imdb/imdb_tt0478970_ant-man_2015_crazycredits_2017-03_old.html';
const ANT_MAN_2017 = 'imdb/imdb_tt0478970_ant-man_2015_title_2017-01_old.html';

function titleAsserters(page: ImdbTitlePage, observations: readonly ParsedObservation[]): Asserters {
  const details = one(observations, 'details');
  const rating = scoreOf(observations, 'imdb')!;
  return {
    title: sameValue('title', page, details),
    localizedTitle: sameValue('localizedTitle', page, details),
    originalTitle: sameValue('originalTitle', page, details),
    year: sameValue('year', page, details),
    releaseDate: sameValue('releaseDate', page, details),
    runtimeMinutes: sameValue('runtimeMinutes', page, details),
    contentRating: sameValue('contentRating', page, details),
    imdbRating: sameValue('rating', page, rating),
    imdbVotes: (v) => {
      if (v === null) {
        // The only corpus case: a page without ratingCount. Absent (no count given), not null (0 votes).
        expect('votes' in page).toBe(false);
        expect('votes' in rating).toBe(false);
      } else {
        expect(page.votes).toBe(v);
        expect(rating.votes).toBe(v);
      }
    },
    metascore: (v) => {
      expect(page.metascore).toBe(v);
      expect(scoreOf(observations, 'metacritic')).toMatchObject({ metascore: v });
      expect('criticCount' in scoreOf(observations, 'metacritic')!).toBe(false);
    },
    userReviewCount: (v) => expect(page.userReviewCount).toBe(v),
    criticReviewCount: (v) => expect(page.criticReviewCount).toBe(v),
    creditItems: (v) => {
      expect(page.crazyCredits?.map(({ position, isScene }) => ({ position, isScene }))).toEqual(v);
      // Read and classified, but a title page files no credit-scene evidence (the crazy-credits page does).
      expect(find(observations, 'creditScenes')).toBeUndefined();
    },
  };
}

function assertEntry(entry: CorpusEntry): void {
  const body = corpusText(entry.file);
  const expected = expectedOf(entry);
  const movie = entry.movie as { imdb: string };
  if (entry.kind === 'crazycredits') {
    const page = parseCrazyCreditsPage(body, entry.url);
    expect(page.generation).toBe(entry.markup);
    expect(page.imdbId).toBe(movie.imdb);
    const observations = observationsOf(parseCrazyCredits(body, entry.url));
    expectValid(observations, { source: 'imdb', url: entry.url });
    const scenes = one(observations, 'creditScenes');
    return assertEvery(expected, {
      itemCount: (v) => {
        expect(page.items).toHaveLength(v as number);
        expect(page.statedCount).toBe(v);
      },
      duringCredits: (v) => expect(scenes.during).toBe(v),
      afterCredits: (v) => expect(scenes.after).toBe(v),
      creditItems: (v) => expect(page.items.map(({ id, position, isScene }) => ({ id, position, isScene }))).toEqual(v),
    });
  }
  const page = parseTitlePage(body, entry.url);
  expect(page.generation).toBe(entry.markup);
  expect(page.imdbId).toBe(movie.imdb);
  const observations = titlePageObservations(page, entry.url);
  expectValid(observations, { source: 'imdb', url: entry.url });
  for (const o of observations) expect(o.ids).toEqual({ imdb: movie.imdb });
  // A Metascore is given only where the page shows one.
  expect(scoreOf(observations, 'metacritic') !== undefined).toBe('metascore' in expected);
  assertEvery(expected, titleAsserters(page, observations));
}

describe('every IMDb file of the corpus', () => {
  const entries = corpusEntries((e) => e.source === 'imdb');

  it('covers every title-page generation, the Reference View and the crazy credits', () => {
    expect(entries).toHaveLength(6);
    expect(new Set(entries.map((e) => e.markup))).toEqual(new Set(['imdb-jsonld-2026', 'imdb-jsonld-2020', 'imdb-nextjs-2023', 'imdb-reference-2023', 'imdb-2017']));
  });

  it.each(entries.map((e) => [e.file, e] as const))('%s', (_file, entry) => assertEntry(entry));
});

// ---------------------------------------------------------------------------------------------------------

describe('geo-localised pages', () => {
  it('reads rating and votes from structured data, never from the localised visible text', () => {
    const url = corpusEntry(SHAWSHANK_2020).url;
    expect(corpusText(SHAWSHANK_2020)).toContain('<span itemprop="ratingValue">9,3</span>');
    const visible = editedFile(SHAWSHANK_2020, '<span itemprop="ratingValue">9,3</span>', '<span itemprop="ratingValue">1,0</span>');
    expect(parseTitlePage(visible, url)).toMatchObject({ rating: 9.3, votes: 2181187 });
    // The Next.js page: __NEXT_DATA__ first, the JSON-LD beside it does not decide.
    const nextUrl = corpusEntry(SHAWSHANK_2023).url;
    const jsonLd = editedFile(SHAWSHANK_2023, '"ratingCount":2697712,"bestRating":10,"worstRating":1,"ratingValue":9.3', '"ratingCount":5,"bestRating":10,"worstRating":1,"ratingValue":1.1');
    expect(parseTitlePage(jsonLd, nextUrl)).toMatchObject({ rating: 9.3, votes: 2697712 });
  });

  it('keeps the local release date and certificate of a 2023 HU page out, and takes them for a US visitor', () => {
    const url = corpusEntry(SHAWSHANK_2023).url;
    const hu = parseTitlePage(corpusText(SHAWSHANK_2023), url);
    expect(corpusText(SHAWSHANK_2023)).toContain('"datePublished":"1995-05-25"');
    expect(hu).toMatchObject({ releaseDate: null, contentRating: null, title: 'The Shawshank Redemption', localizedTitle: 'A remény rabjai' });
    const us = parseTitlePage(editedFile(SHAWSHANK_2023, '"country":{"id":"HU"', '"country":{"id":"US"'), url);
    // Served to a US visitor, the release shown is the US one and the shown title is not a localisation.
    expect(us).toMatchObject({ releaseDate: '1995-05-25', contentRating: '16', title: 'A remény rabjai' });
    expect('localizedTitle' in us).toBe(false);
  });

  it('keeps the 2017 local (Czech) release date out, and takes a US one', () => {
    const url = corpusEntry(ANT_MAN_2017).url;
    expect(parseTitlePage(corpusText(ANT_MAN_2017), url).releaseDate).toBeNull();
    const us = editedFile(ANT_MAN_2017, '>16 July 2015 (Czech Republic)', '>17 July 2015 (USA)');
    expect(parseTitlePage(us, url).releaseDate).toBe('2015-07-16');
  });

  it('the Reference View: PT title and release are local, the original title is the title', () => {
    const page = parseTitlePage(corpusText(MATRIX_REFERENCE), corpusEntry(MATRIX_REFERENCE).url);
    expect(page).toMatchObject({ title: 'The Matrix', localizedTitle: 'Matrix', releaseDate: null });
    expect('contentRating' in page).toBe(false);
    expect('metascore' in page).toBe(false);
  });

  it('a 2026 JSON-LD page with a localised alternateName keeps its date and certificate out', () => {
    const url = corpusEntry(FERRIS).url;
    const localized = editedFile(FERRIS, '"name": "Ferris Bueller&apos;s Day Off",', '"name": "Ferris Bueller&apos;s Day Off", "alternateName": "La folle journée de Ferris Bueller",');
    expect(parseTitlePage(localized, url)).toMatchObject({
      title: "Ferris Bueller's Day Off",
      localizedTitle: 'La folle journée de Ferris Bueller',
      releaseDate: null,
      contentRating: null,
    });
  });
});

describe('title page details', () => {
  it('decodes entities in JSON-LD names and reads the 2026 runtime from og:description', () => {
    const page = parseTitlePage(corpusText(FERRIS), corpusEntry(FERRIS).url);
    expect(corpusText(FERRIS)).toContain('Ferris Bueller&apos;s Day Off');
    expect(page.title).toBe("Ferris Bueller's Day Off");
    expect(page.runtimeMinutes).toBe(103);
  });

  it('0 votes is an unrated title: rating and votes null', () => {
    const url = corpusEntry(SHAWSHANK_2023).url;
    const unrated = editedFile(SHAWSHANK_2023, '"ratingsSummary":{"aggregateRating":9.3,"voteCount":2697712', '"ratingsSummary":{"aggregateRating":null,"voteCount":0');
    const page = parseTitlePage(unrated, url);
    expect(page).toMatchObject({ rating: null, votes: null });
    expect(scoreOf(titlePageObservations(page, url), 'imdb')).toMatchObject({ rating: null, votes: null });
  });

  it('a title without a Metascore gives no metacritic score', () => {
    const url = corpusEntry(SHAWSHANK_2023).url;
    const none = editedFile(SHAWSHANK_2023, '"metacritic":{"metascore":{"score":81,"__typename":"Metascore"},"__typename":"Metacritic"}', '"metacritic":null');
    const observations = parseTitle(none, url);
    expect(scoreOf(observations, 'metacritic')).toBeUndefined();
  });

  it('reads the first rating star of the Reference View, not the rating widgets after it', () => {
    const url = corpusEntry(MATRIX_REFERENCE).url;
    const page = parseTitlePage(corpusText(MATRIX_REFERENCE), url);
    expect(page).toMatchObject({ rating: 8.7, votes: 1989998 });
    const error = thrown(() => parseTitlePage(editedFile(MATRIX_REFERENCE, '<span class="ipl-rating-star__rating">8.7</span>', ''), url));
    expect(error).toBeInstanceOf(LayoutChangedError);
  });

  it('finds the IMDb id in canonical links, JSON-LD paths and bare ids', () => {
    expect(imdbIdIn('http://www.imdb.com/title/tt0478970/')).toBe('tt0478970');
    expect(imdbIdIn('https://www.imdb.com/title/tt0133093/reference')).toBe('tt0133093');
    expect(imdbIdIn('/title/tt0111161/')).toBe('tt0111161');
    expect(imdbIdIn('tt0111161')).toBe('tt0111161');
    expect(imdbIdIn('https://www.imdb.com/name/nm0000209/')).toBeNull();
    expect(imdbIdIn('tt12')).toBeNull();
  });
});

describe('a page where no generation finds the score → LayoutChangedError naming them all', () => {
  const cases: [string, string, () => string][] = [
    [
      'Next.js page without ratingsSummary and JSON-LD rating',
      SHAWSHANK_2023,
      () =>
        editedFile(SHAWSHANK_2023, '"ratingsSummary":{"aggregateRating":9.3,"voteCount":2697712,"__typename":"RatingsSummary"}', '"ratingsSummary":null').replace(
          '"aggregateRating":{"@type":"AggregateRating","ratingCount":2697712,"bestRating":10,"worstRating":1,"ratingValue":9.3},',
          '',
        ),
    ],
    ['2017 page without its ratings block', ANT_MAN_2017, () => editedFile(ANT_MAN_2017, /<div class="ratings_wrapper">[\s\S]*?(?=<div class="titleBar">)/, '')],
    ['2026 page without aggregateRating', FERRIS, () => editedFile(FERRIS, '"aggregateRating": { "@type": "AggregateRating", "ratingValue": 7.8 },', '')],
  ];

  it.each(cases)('%s', (_what, file, body) => {
    const error = thrown(() => parseTitlePage(body(), corpusEntry(file).url));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual([...TITLE_GENERATIONS]);
    expect((error as Error).message).toMatch(/no IMDb rating found \(tried: imdb-nextjs-2023, imdb-jsonld-2020, imdb-jsonld-2026, imdb-2017, imdb-reference-2023\)/);
  });

  it('the page with its rating intact parses (the edits above are what break it)', () => {
    for (const [, file] of cases) expect(parseTitlePage(corpusText(file), corpusEntry(file).url).rating).not.toBeNull();
  });
});

describe('bodies that are not what the parser expects', () => {
  const url = corpusEntry(SHAWSHANK_2023).url;
  const page = corpusText(SHAWSHANK_2023);

  it.each([
    ['an empty body', ''],
    ['a whitespace-only body', '\n  '],
    ['a truncated page', page.slice(0, Math.floor(page.length * 0.9))],
    ['a page cut inside __NEXT_DATA__', `${page.slice(0, page.indexOf('"ratingsSummary"'))}</script></body></html>`],
    ['JSON instead of HTML', '{"props":{"pageProps":{"tconst":"tt0111161"}}}'],
    [
      'an AWS WAF bot challenge',
      '<!DOCTYPE html><html lang="en"><head><title></title><script>window.gokuProps = {"key":"x"};</script><script src="https://a.b.awswaf.com/challenge.js"></script></head><body><div id="challenge-container"></div></body></html>',
    ],
    ['a "Robot Check" page', '<!DOCTYPE html><html><head><title>Robot Check</title></head><body>Enter the characters you see below</body></html>'],
    ["another site's page", corpusText('metacritic/metacritic_search_movie_the-matrix_2023-01-04_old-markup_SEARCHPAGE.html')],
  ])('%s → UnexpectedContentError', (_what, body) => {
    expect(() => parseTitle(body, url)).toThrow(UnexpectedContentError);
    expect(() => parseCrazyCredits(body, corpusEntry(ANT_MAN_CRAZY).url)).toThrow(UnexpectedContentError);
  });

  it('a rating outside 0-10 or a Metascore outside 0-100 → OutOfRangeError (never clamped)', () => {
    expect(() => parseTitle(editedFile(SHAWSHANK_2020, '"ratingValue": "9.3"', '"ratingValue": "93"'), corpusEntry(SHAWSHANK_2020).url)).toThrow(OutOfRangeError);
    expect(() => parseTitle(editedFile(SHAWSHANK_2023, '"ratingsSummary":{"aggregateRating":9.3', '"ratingsSummary":{"aggregateRating":11'), url)).toThrow(OutOfRangeError);
    expect(() => parseTitle(editedFile(SHAWSHANK_2023, '"metascore":{"score":81', '"metascore":{"score":101'), url)).toThrow(OutOfRangeError);
    expect(() => parseTitle(editedFile(ANT_MAN_2017, '<span>64</span>', '<span>640</span>'), corpusEntry(ANT_MAN_2017).url)).toThrow(OutOfRangeError);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('crazy credits → credit-scene evidence', () => {
  const entry = corpusEntry(ANT_MAN_CRAZY);

  it('classifies the real Ant-Man items', () => {
    const items = parseCrazyCreditsPage(corpusText(ANT_MAN_CRAZY), entry.url).items;
    const byId = Object.fromEntries(items.map((i) => [i.id, i]));
    expect(byId.cz0033005).toMatchObject({ position: 'after', kind: 'scene', isScene: true });
    expect(byId.cz0032986).toMatchObject({ position: 'during', kind: 'scene', isScene: true });
    expect(byId.cz0032987).toMatchObject({ position: 'after', kind: 'text', isScene: false });
    expect(byId.cz0036532).toMatchObject({ position: 'other', kind: 'disclaimer', isScene: false });
    // Plain text, without IMDb's "SPOILER:" label; the linked title stays as the (Czech-localised) page wrote it.
    expect(byId.cz0033005!.text).toBe(
      'There is a scene at the end of the closing credits: Steve Rogers and Sam Wilson have Bucky Barnes in their custody, and debate on what to do. This leads into Captain America: Obcanská válka (2016).',
    );
  });

  it('the observation: both slots true, strong, the text card listed but not a scene', () => {
    const observations = observationsOf(parseCrazyCredits(corpusText(ANT_MAN_CRAZY), entry.url));
    const scenes = one(observations, 'creditScenes');
    expect(scenes).toMatchObject({ during: true, after: true, strength: 'strong' });
    expect(scenes.scenes.map(({ position, kind }) => ({ position, kind }))).toEqual([
      { position: 'after', kind: 'scene' },
      { position: 'during', kind: 'scene' },
      { position: 'after', kind: 'text' },
    ]);
    expect(scenes.scenes[1]!.description).toMatch(/^Mid credits scene: Hank Pym talks to his daughter/);
    expect(scenes.detail).toBe('IMDb crazy credits (4 items): after scene, during scene, after text');
    expect(one(observations, 'ids').ids).toEqual({ imdb: 'tt0478970' });
  });

  it('a slot with only a text card is not claimed (null, never false)', () => {
    const onlyCard = editedFile(ANT_MAN_CRAZY, /<div id="cz0033005"[\s\S]*?(?=<div id="cz0032987")/, '');
    const page = parseCrazyCreditsPage(onlyCard, entry.url);
    expect(page.items.map((i) => i.id)).toEqual(['cz0032987', 'cz0036532']);
    const output = parseCrazyCredits(onlyCard, entry.url) as ParseOutput;
    // The header still says 4: reported, not hidden.
    expect(output.problems).toEqual(['the page says 4 crazy credits, 2 were read']);
    const scenes = one(output.observations, 'creditScenes');
    expect(scenes).toMatchObject({ during: null, after: null, scenes: [{ position: 'after', kind: 'text' }] });
  });

  it('no item, or only a disclaimer, gives no credit-scene observation', () => {
    const none = editedFile(ANT_MAN_CRAZY, /<div id="cz0033005"[\s\S]*?(?=<div class="article" id="see_also">)/, '</div></div></div>').replace('Showing all 4 items', 'Showing all 0 items');
    const empty = parseCrazyCredits(none, entry.url) as ParseOutput;
    expect(empty.problems).toEqual([]);
    expect(empty.observations.map((o) => o.kind)).toEqual(['ids']);
    const disclaimerOnly = editedFile(ANT_MAN_CRAZY, /<div id="cz0033005"[\s\S]*?(?=<div id="cz0036532")/, '').replace('Showing all 4 items', 'Showing all 1 items');
    expect(observationsOf(parseCrazyCredits(disclaimerOnly, entry.url)).map((o) => o.kind)).toEqual(['ids']);
  });

  it('the Next.js title page shows one item (credits trivia): read, but no credit-scene evidence', () => {
    const url = corpusEntry(SHAWSHANK_2023).url;
    const page = parseTitlePage(corpusText(SHAWSHANK_2023), url);
    expect(page.crazyCredits).toEqual([
      {
        id: null,
        text: 'The man who cried and was beaten when Andy first arrived is listed and credited as "Fat Ass" -- the other inmates\' nickname for him.',
        position: 'other',
        kind: 'credits-trivia',
        isScene: false,
      },
    ]);
    // The same GraphQL CrazyCredit nodes are what a 2023+ crazy-credits page is read from.
    const asCrazyPage = parseCrazyCreditsPage(corpusText(SHAWSHANK_2023), url);
    expect(asCrazyPage).toMatchObject({ generation: 'imdb-nextjs-2023', imdbId: 'tt0111161', statedCount: null });
    expect(asCrazyPage.items).toHaveLength(1);
  });

  it('a title page whose shown crazy credit is a scene classifies it, but files no evidence (the full list does)', () => {
    const url = corpusEntry(SHAWSHANK_2023).url;
    const scene = editedFile(
      SHAWSHANK_2023,
      /"plaidHtml":"The man who cried[^"]*(?:\\"[^"]*)*?nickname for him\."/,
      '"plaidHtml":"There is a short scene after the end credits: Red and Andy on the beach."',
    );
    expect(parseTitlePage(scene, url).crazyCredits).toMatchObject([{ position: 'after', kind: 'scene', isScene: true }]);
    expect(find(parseTitle(scene, url), 'creditScenes')).toBeUndefined();
  });

  it('a page with neither crazy-credits shape → LayoutChangedError naming both', () => {
    const error = thrown(() => parseCrazyCreditsPage(corpusText(ANT_MAN_2017), 'https://www.imdb.com/title/tt0478970/crazycredits'));
    expect(error).toBeInstanceOf(LayoutChangedError);
    expect((error as LayoutChangedError).tried).toEqual([...CRAZY_CREDITS_GENERATIONS]);
  });
});

describe('classifyCrazyCredit', () => {
  const cases: [string, string, { position: string; kind: string; isScene: boolean }][] = [
    // IMDb's own editorial phrasings (the Ant-Man items).
    ['editor: mid credits', 'SPOILER: Mid credits scene: Hank Pym talks to his daughter.', { position: 'during', kind: 'scene', isScene: true }],
    ['editor: end of closing credits', 'There is a scene at the end of the closing credits: Steve Rogers and Sam Wilson debate.', { position: 'after', kind: 'scene', isScene: true }],
    // Other submitters' phrasings.
    ['post-credits', 'Post-credits scene: Nick Fury approaches Tony Stark.', { position: 'after', kind: 'scene', isScene: true }],
    ['after the end credits', 'There is an additional scene after the end credits.', { position: 'after', kind: 'scene', isScene: true }],
    ['once the credits end', 'Once the credits have finished, the Avengers are seen eating shawarma.', { position: 'after', kind: 'scene', isScene: true }],
    ['halfway through', 'Halfway through the end credits there is a short scene with the villain.', { position: 'during', kind: 'scene', isScene: true }],
    ['after the first part', 'After the first part of the credits, Thor and Loki are on a spaceship.', { position: 'during', kind: 'scene', isScene: true }],
    ['during, no kind word', 'During the credits, Deadpool talks to the audience.', { position: 'during', kind: 'scene', isScene: true }],
    ['bloopers', 'Bloopers and outtakes are shown during the end credits.', { position: 'during', kind: 'bloopers', isScene: true }],
    ['as the credits roll', 'Outtakes play as the credits roll.', { position: 'during', kind: 'bloopers', isScene: true }],
    ['text card (Bond)', 'At the very end of the closing credits: "James Bond Will Return"', { position: 'after', kind: 'text', isScene: false }],
    ['text card (Ant-Man)', 'There is a statement at the end of the closing credits: "Ant-Man will return."', { position: 'after', kind: 'text', isScene: false }],
    ['audio only', 'After the credits, you can hear Marv laughing.', { position: 'after', kind: 'audio', isScene: false }],
    ['stills', 'During the end credits, still photos of the cast as children are shown.', { position: 'during', kind: 'stills', isScene: false }],
    ['dedication', 'At the end of the credits: "In loving memory of John Candy".', { position: 'after', kind: 'dedication', isScene: false }],
    ['disclaimer', '"Nitrospray is a product of Premier Medical Products and is not intended to be used as shown herein."', { position: 'other', kind: 'disclaimer', isScene: false }],
    ['animals disclaimer after the credits', 'After the credits: No animals were harmed in the making of this film.', { position: 'other', kind: 'disclaimer', isScene: false }],
    ['credits trivia', 'The man who cried is listed and credited as "Fat Ass".', { position: 'other', kind: 'credits-trivia', isScene: false }],
    ['credit gag during the credits', 'During the end credits, the names of the crew are written in Klingon.', { position: 'other', kind: 'credits-trivia', isScene: false }],
    ['opening credits', 'The opening credits are shown over a black screen.', { position: 'other', kind: 'credits-trivia', isScene: false }],
    ['a scene before the credits', 'The final scene before the credits shows the hero walking away.', { position: 'other', kind: 'scene', isScene: false }],
    ['says there is none', 'There is no post-credits scene.', { position: 'other', kind: 'credits-trivia', isScene: false }],
    ['both placements: the first wins', 'A mid-credits scene shows Loki; another plays after the credits.', { position: 'during', kind: 'scene', isScene: true }],
  ];

  it.each(cases)('%s', (_what, text, expected) => {
    expect(classifyCrazyCredit(text)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('requests', () => {
  it('asks for the title page (Reference View as fallback), then the crazy credits, in US English', () => {
    const requests = imdb.requests({ id: 'tt0478970', ids: { imdb: 'tt0478970', tmdb: 102899 } });
    expect(requests.map((r) => r.url)).toEqual(['https://www.imdb.com/title/tt0478970/', 'https://www.imdb.com/title/tt0478970/crazycredits']);
    expect(requests[0]!.fallback?.map((r) => r.url)).toEqual(['https://www.imdb.com/title/tt0478970/reference']);
    for (const request of [...requests, ...requests[0]!.fallback!]) expect(request.headers).toEqual({ 'Accept-Language': 'en-US' });
    expect(IMDB_HEADERS).toEqual({ 'Accept-Language': 'en-US' });
  });

  it('asks for nothing without a valid IMDb id', () => {
    expect(imdb.requests({ id: 'tmdb:550', ids: { tmdb: 550 } })).toEqual([]);
    expect(imdb.requests({ id: 'tmdb:550', ids: { imdb: 'tt12' } })).toEqual([]);
  });
});

describe('replayed from the corpus', () => {
  const corpus = ReplayCorpus.load(CORPUS_DIR, new Map());

  const crawlFilm = (movie: MovieContext) => crawl(corpus, imdb.requests(movie), movie, { source: 'imdb' });

  it('Ant-Man: the 2017 title page and crazy credits', () => {
    const { files, observations } = crawlFilm({ id: 'tt0478970', ids: { imdb: 'tt0478970' } });
    expect(files).toEqual([ANT_MAN_2017, ANT_MAN_CRAZY]);
    expect(one(observations, 'creditScenes')).toMatchObject({ during: true, after: true });
    for (const o of observations) expect(o.ids).toEqual({ imdb: 'tt0478970' });
  });

  it('The Matrix: no title page recorded, the Reference View answers', () => {
    const { files, unanswered } = crawlFilm({ id: 'tt0133093', ids: { imdb: 'tt0133093' } });
    expect(files).toEqual([MATRIX_REFERENCE]);
    expect(unanswered).toEqual(['https://www.imdb.com/title/tt0133093/crazycredits']);
  });

  it('Shawshank: the newest recording of the title page (Next.js 2023) answers', () => {
    const { files, observations } = crawlFilm({ id: 'tt0111161', ids: { imdb: 'tt0111161' } });
    expect(files).toEqual([SHAWSHANK_2023]);
    expect(scoreOf(observations, 'imdb')).toMatchObject({ rating: 9.3, votes: 2697712 });
  });
});

describe('source definition', () => {
  it('is opt-in, polite and reads robots.txt', () => {
    expect(imdb).toMatchObject({
      id: 'imdb',
      hosts: ['www.imdb.com'],
      optIn: true,
      robots: true,
      limits: { concurrency: 1, minIntervalMs: 3000 },
      refresh: { score: 1, creditScenes: creditScenesTtl, default: 7 },
    });
    // Crazy credits of a film in its first 90 days are refreshed daily, monthly after.
    const now = new Date('2026-11-27T00:00:00Z');
    expect(creditScenesTtl({ id: 'tt0000001', ids: {}, releaseDate: '2026-11-01' }, now)).toBe(1);
    expect(creditScenesTtl({ id: 'tt0000001', ids: {}, releaseDate: '2015-07-17' }, now)).toBe(30);
    expect(titleRequest('tt0111161').label).toBe('title page');
    expect(crazyCreditsRequest('tt0111161').label).toBe('crazy credits');
  });
});
