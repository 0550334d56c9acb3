import { describe, expect, it } from 'vitest';
import { UnexpectedContentError } from '../../src/errors.ts';
import { aftercredits, creditScenesFromEntry, parseAfterCreditsFeed, parseAfterCreditsLine, type AfterCreditsEntry } from '../../src/scrapers/aftercredits.ts';
import { corpusEntries, corpusText, expectedOf } from '../helpers/corpus.ts';

const entry = corpusEntries((e) => e.source === 'aftercredits')[0]!;
const body = corpusText(entry.file);
const expected = expectedOf(entry) as {
  entries: number;
  withDuringTag: number;
  withAfterTag: number;
  withBothTag: number;
  withNoneOfTheThree: number;
  allVotesZero: boolean;
  samples: { imdb: string; duringCredits: boolean | null; afterCredits: boolean | null; tags: string[]; rating: number | null; votes: number }[];
};

describe('AfterCredits feed (recorded 2026-08-22)', () => {
  const { entries, problems } = parseAfterCreditsFeed(body, entry.url);

  it('reads every entry of the feed, with no malformed line', () => {
    expect(problems).toEqual([]);
    expect(entries).toHaveLength(expected.entries);
  });

  it('counts the tags as the index does', () => {
    const has = (e: AfterCreditsEntry, tag: string) => e.tags.includes(tag);
    expect(entries.filter((e) => has(e, 'During Credits')).length).toBe(expected.withDuringTag);
    expect(entries.filter((e) => has(e, 'After Credits')).length).toBe(expected.withAfterTag);
    expect(entries.filter((e) => has(e, 'Both During & After Credits')).length).toBe(expected.withBothTag);
    expect(entries.filter((e) => e.duringCredits === null && e.afterCredits === null).length).toBe(expected.withNoneOfTheThree);
    expect(entries.every((e) => e.votes === 0)).toBe(expected.allVotesZero);
  });

  it.each(expected.samples)('$imdb: tags, slots, rating and votes as expected', (sample) => {
    const found = entries.find((e) => e.imdb === sample.imdb);
    expect(found).toBeDefined();
    expect(found!.tags).toEqual(sample.tags);
    expect(found!.duringCredits).toBe(sample.duringCredits);
    expect(found!.afterCredits).toBe(sample.afterCredits);
    expect(found!.rating).toBe(sample.rating);
    expect(found!.votes).toBe(sample.votes);
  });

  it('takes "During Credits" and "After Credits" as separate tags as both slots (tt15471560)', () => {
    const found = entries.find((e) => e.imdb === 'tt15471560')!;
    expect([found.duringCredits, found.afterCredits]).toEqual([true, true]);
  });
});

describe('AfterCredits tags → credit-scene evidence', () => {
  const line = (text: string) => {
    const parsed = parseAfterCreditsLine(text, 1);
    if (typeof parsed === 'string') throw new Error(parsed);
    return creditScenesFromEntry(parsed)!;
  };

  it('Ant-Man (Both + Sequel Setup): a scene in each slot', () => {
    const e = line('tt0478970: {rating: 0, votes: 0, tags: [Bonus Scene, Both During & After Credits, Sequel Setup]}');
    expect([e.during, e.after]).toEqual([true, true]);
    expect(e.scenes).toEqual([
      { position: 'during', kind: 'scene' },
      { position: 'after', kind: 'scene' },
    ]);
  });

  it('Endgame (After Credits + Audio): a sound after the credits, not a scene', () => {
    const e = line('tt4154796: {rating: 0, votes: 0, tags: [3D/4D/IMAX Quality Poll, After Credits, Audio, Bonus Scene]}');
    expect(e.after).toBeNull();
    expect(e.during).toBeNull();
    expect(e.scenes).toEqual([{ position: 'after', kind: 'audio' }]);
  });

  it('a dedication card during the credits is listed as a dedication, not a scene', () => {
    const e = line('tt30441926: {rating: 0, votes: 0, tags: [Audio, Dedications/In Memoriam, During Credits]}');
    expect(e.during).toBeNull();
    expect(e.scenes.map((s) => s.kind).sort()).toEqual(['audio', 'dedication']);
  });

  it('bloopers during the credits make the slot true, with kind bloopers', () => {
    const e = line('tt32332915: {rating: 0, votes: 0, tags: [Blooper, During Credits, Outtake]}');
    expect(e.during).toBe(true);
    expect(e.scenes).toEqual([{ position: 'during', kind: 'bloopers' }]);
  });

  it('stills without a slot tag make no claim', () => {
    const e = line('tt19035928: {rating: 0, votes: 0, tags: [Still Images]}');
    expect([e.during, e.after]).toEqual([null, null]);
  });

  it('a plain "After Credits" (Iron Man) is a scene after the credits and says nothing about during', () => {
    const e = line('tt0371746: {rating: 0, votes: 0, tags: [After Credits]}');
    expect([e.during, e.after]).toEqual([null, true]);
  });

  it('an empty tag list gives no evidence at all', () => {
    const parsed = parseAfterCreditsLine('tt2072971: {rating: 0, votes: 0, tags: []}', 1) as AfterCreditsEntry;
    expect(creditScenesFromEntry(parsed)).toBeNull();
  });
});

describe('AfterCredits feed problems', () => {
  it('reports a malformed line with its number and keeps the rest', () => {
    const lines = body.split('\n');
    const broken = [lines[0], 'tt123: {rating: 0, votes: 0, tags: [Audio', 'not-an-id: {rating: 0, votes: 0, tags: [Audio]}', lines[1]].join('\n');
    const { entries, problems } = parseAfterCreditsFeed(broken);
    expect(entries).toHaveLength(2);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^line 2: /);
    expect(problems[1]).toMatch(/^line 3: .*not an IMDb id/);
  });

  it('an empty body or an HTML page is a typed error, not an empty feed', () => {
    expect(() => parseAfterCreditsFeed('')).toThrow(UnexpectedContentError);
    expect(() => parseAfterCreditsFeed('<!DOCTYPE html><html><body>Rate limited</body></html>')).toThrow(UnexpectedContentError);
    expect(() => parseAfterCreditsFeed('garbage\nmore garbage\n')).toThrow(/no feed entries/);
  });

  it('the source request files one observation per tagged film, named by its IMDb id', () => {
    const [request] = aftercredits.discover();
    const output = request!.parse(body, entry.url);
    const observations = Array.isArray(output) ? output : output.observations;
    expect(observations.length).toBe(expected.entries - 3); // three entries have an empty tag list
    expect(observations.every((o) => o.kind === 'creditScenes' && o.ids.imdb && o.url === entry.url)).toBe(true);
  });
});
