import { describe, expect, it } from 'vitest';
import { UnexpectedContentError } from '../../src/errors.ts';
import { parseMediaStingerFeed } from '../../src/scrapers/mediastinger.ts';
import { corpusEntries, corpusText, expectedOf } from '../helpers/corpus.ts';

const entry = corpusEntries((e) => e.source === 'mediastinger')[0]!;
const body = corpusText(entry.file);
const expected = expectedOf(entry) as {
  entries: number;
  negativeRatings: number;
  samples: { tmdb: number; rating: number }[];
  absentExample: { tmdb: number; present: false };
};

describe('MediaStinger feed (recorded 2024-03-24)', () => {
  const { entries, problems } = parseMediaStingerFeed(body, entry.url);

  it('reads every entry, with no malformed line, and the negative ratings as the index counts them', () => {
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(expected.entries);
    expect(entries.filter((e) => e.rating < 0)).toHaveLength(expected.negativeRatings);
  });

  it.each(expected.samples)('TMDB $tmdb: rating $rating', (sample) => {
    expect(entries.find((e) => e.tmdb === sample.tmdb)?.rating).toBe(sample.rating);
  });

  it('does not list what it does not list (Wonder Woman 1984)', () => {
    expect(entries.some((e) => e.tmdb === expected.absentExample.tmdb)).toBe(false);
  });
});

describe('MediaStinger feed, broken', () => {
  it('reports a malformed or repeated line with its number and keeps the rest', () => {
    const { entries, problems } = parseMediaStingerFeed('# stingers\n2357: 7\n1429: -3\nnot: a rating\n2357: 9\n');
    expect(entries).toEqual([
      { tmdb: 2357, rating: 7, line: 2 },
      { tmdb: 1429, rating: -3, line: 3 },
    ]);
    expect(problems).toEqual(['line 4: "not: a rating" is not "tmdb_id: rating"', 'line 5: TMDB id 2357 again (first on line 2); the first is kept']);
  });

  it('an empty body, an HTML page or a feed with no entry is an error naming the source and URL', () => {
    for (const bad of ['', '<!DOCTYPE html><html><body>Not Found</body></html>', 'a: b\nc: d\n']) {
      expect(() => parseMediaStingerFeed(bad, 'https://example.test/stingers.yml')).toThrow(UnexpectedContentError);
      expect(() => parseMediaStingerFeed(bad, 'https://example.test/stingers.yml')).toThrow(/^mediastinger: https:\/\/example\.test\/stingers\.yml: /);
    }
  });
});
