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

describe('AfterCredits tags → credit-scene evidence (real feed lines)', () => {
  /** The reading of a film's line as the recorded feed has it. */
  const reading = (imdb: string) => {
    const text = body.split('\n').find((l) => l.startsWith(`${imdb}:`));
    if (!text) throw new Error(`${imdb} is not in the recorded feed`);
    const parsed = parseAfterCreditsLine(text, 1);
    if (typeof parsed === 'string') throw new Error(parsed);
    return creditScenesFromEntry(parsed);
  };
  const kinds = (e: ReturnType<typeof reading>) => e.scenes.map((s) => `${s.position}:${s.kind}`).sort();

  it('Ant-Man (Both + Sequel Setup): a scene in each slot', () => {
    const e = reading('tt0478970');
    expect([e.during, e.after]).toEqual([true, true]);
    expect(e.scenes).toEqual([
      { position: 'during', kind: 'scene' },
      { position: 'after', kind: 'scene' },
    ]);
    expect(e.strength).toBe('strong');
  });

  it('Endgame (After Credits + Audio): a sound after the credits, not a scene', () => {
    const e = reading('tt4154796');
    expect([e.during, e.after]).toEqual([null, null]);
    expect(e.scenes).toEqual([{ position: 'after', kind: 'audio' }]);
  });

  it('Cloverfield (After Credits + Audio): the radio message after the credits is audio only', () => {
    const e = reading('tt1060277');
    expect([e.during, e.after]).toEqual([null, null]);
    expect(kinds(e)).toEqual(['after:audio']);
  });

  it('a dedication and audio during the credits are listed as what they are, not as a scene', () => {
    const e = reading('tt30441926');
    expect(e.during).toBeNull();
    expect(kinds(e)).toEqual(['during:audio', 'during:dedication']);
  });

  it('American Sniper (During Credits + Still Images): stills only, no claim', () => {
    const e = reading('tt2179136');
    expect(e.during).toBeNull();
    expect(kinds(e)).toEqual(['during:stills']);
  });

  it('Iron Man 2 (After Credits + Dedications): a dedication does not explain an after-credits tag — a scene after', () => {
    const e = reading('tt1228705');
    expect([e.during, e.after]).toEqual([null, true]);
    expect(kinds(e)).toEqual(['after:dedication', 'after:scene']);
  });

  it('Frozen (After Credits + Dedications + Humorous Credit): a scene after, the card and joke credit listed', () => {
    const e = reading('tt2294629');
    expect(e.after).toBe(true);
    expect(kinds(e)).toEqual(['after:dedication', 'after:scene', 'after:text']);
  });

  it('RoboCop (During Credits + Humorous Credit): a joke credit may be all there is — no claim', () => {
    const e = reading('tt0093870');
    expect(e.during).toBeNull();
    expect(kinds(e)).toEqual(['during:text']);
  });

  it('bloopers and outtakes during the credits make the slot true, with kind bloopers', () => {
    const e = reading('tt32332915');
    expect(e.during).toBe(true);
    expect(e.scenes).toEqual([{ position: 'during', kind: 'bloopers' }]);
  });

  it('a musical number during the credits is a scene, even beside stills', () => {
    const e = reading('tt34895535');
    expect(e.during).toBe(true);
    expect(kinds(e)).toEqual(['during:scene', 'during:stills']);
  });

  it('a fourth-wall gag after the credits is a scene', () => {
    const e = reading('tt2112096');
    expect([e.during, e.after]).toEqual([null, true]);
    expect(kinds(e)).toEqual(['after:scene']);
  });

  it('Peter Rabbit (Both + Audio): a sound accounts for one slot, and the other of such entries rarely holds a scene — no claim', () => {
    const e = reading('tt5117670');
    expect([e.during, e.after]).toEqual([null, null]);
    expect(e.reading).toEqual({ during: 'non-scene', after: 'non-scene' });
    expect(kinds(e)).toEqual(['after:audio']);
  });

  it('After Credits + Audio + Sequel Setup (tt2103281): a sequel set up by a sound is not a scene', () => {
    const e = reading('tt2103281');
    expect([e.during, e.after]).toEqual([null, null]);
    expect(e.reading).toEqual({ during: 'not-mentioned', after: 'non-scene' });
    expect(kinds(e)).toEqual(['after:audio']);
  });

  it('After Credits + Informative (tt0133093, The Matrix): an informative post with no scene named is no claim', () => {
    const e = reading('tt0133093');
    expect([e.during, e.after]).toEqual([null, null]);
    expect(e.reading).toEqual({ during: 'not-mentioned', after: 'non-scene' });
  });

  it('After Credits + Bonus Scene + Informative (tt1534085): the bonus scene is claimed', () => {
    const e = reading('tt1534085');
    expect([e.during, e.after]).toEqual([null, true]);
    expect(e.reading).toEqual({ during: 'not-mentioned', after: 'scene' });
  });

  it('Both + Audio + Sequel Setup (tt4589218): no claim either, the sound listed after the credits', () => {
    const e = reading('tt4589218');
    expect([e.during, e.after]).toEqual([null, null]);
    expect(kinds(e)).toEqual(['after:audio']);
  });

  it('During Credits + Sunset Credit (tt1896747): a closing credit may be all there is — no claim', () => {
    const e = reading('tt1896747');
    expect(e.during).toBeNull();
    expect(e.reading).toEqual({ during: 'non-scene', after: 'not-mentioned' });
    expect(kinds(e)).toEqual(['during:text']);
  });

  it('says how each slot was tagged: alone, by the "Both" tag, not at all, or nowhere', () => {
    expect(reading('tt0371746').reading).toEqual({ during: 'not-mentioned', after: 'scene' });
    expect(reading('tt0478970').reading).toEqual({ during: 'scene-of-both', after: 'scene-of-both' });
    expect(reading('tt19035928').reading).toEqual({ during: 'unplaced', after: 'unplaced' });
    expect(reading('tt32395062').reading).toEqual({ during: 'unplaced', after: 'unplaced' });
  });

  it('Moana (Both + Audio + Still Images): each slot is accounted for by a non-scene item — no claim', () => {
    const e = reading('tt3521164');
    expect([e.during, e.after]).toEqual([null, null]);
    expect(kinds(e)).toEqual(['after:audio', 'during:stills']);
  });

  it('Finding Nemo (Both + Dedications): the dedication is an extra, both slots hold a scene', () => {
    const e = reading('tt0266543');
    expect([e.during, e.after]).toEqual([true, true]);
    expect(kinds(e)).toEqual(['after:scene', 'during:dedication', 'during:scene']);
  });

  it('Both with a blooper qualifier and audio: a scene-kind qualifier claims both slots', () => {
    const e = reading('tt33305867');
    expect([e.during, e.after]).toEqual([true, true]);
    expect(kinds(e)).toEqual(['after:audio', 'after:bloopers', 'during:bloopers']);
  });

  it('Pirates of the Caribbean 5: "Mega Post" media tags (Stills, Posters, Trailers) describe the post, not the credits', () => {
    const e = reading('tt1790809');
    expect([e.during, e.after]).toEqual([null, true]);
    expect(kinds(e)).toEqual(['after:scene']);
  });

  it('Deadpool & Wolverine: "Behind the Scenes" in a Mega Post is the post\'s featurette, not a slot item', () => {
    const e = reading('tt6263850');
    expect([e.during, e.after]).toEqual([true, true]);
    expect(kinds(e)).toEqual(['after:scene', 'during:dedication', 'during:scene']);
  });

  it('stills without a slot tag make no claim', () => {
    const e = reading('tt19035928');
    expect([e.during, e.after]).toEqual([null, null]);
  });

  it('a plain "After Credits" (Iron Man) is a scene after the credits and says nothing about during', () => {
    const e = reading('tt0371746');
    expect([e.during, e.after]).toEqual([null, true]);
  });

  it('the feed never claims false', () => {
    const { entries } = parseAfterCreditsFeed(body, entry.url);
    const claims = entries.map(creditScenesFromEntry);
    expect(claims.some((e) => e.during === false || e.after === false)).toBe(false);
    expect(claims.length).toBeGreaterThan(1900);
  });

  it('an empty tag list makes no claim, and says so (it replaces what an earlier listing said)', () => {
    const parsed = parseAfterCreditsLine('tt2072971: {rating: 0, votes: 0, tags: []}', 1) as AfterCreditsEntry;
    expect(creditScenesFromEntry(parsed)).toEqual({
      source: 'aftercredits',
      kind: 'creditScenes',
      ids: { imdb: 'tt2072971' },
      during: null,
      after: null,
      strength: 'strong',
      reading: { during: 'unplaced', after: 'unplaced' },
      scenes: [],
      detail: 'AfterCredits lists it with no tags',
    });
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

  it('the source request files one observation per listed film, named by its IMDb id, and says what it listed', () => {
    const [request] = aftercredits.discover();
    const output = request!.parse(body, entry.url);
    const observations = Array.isArray(output) ? output : output.observations;
    expect(observations.length).toBe(expected.entries);
    // The three entries with an empty tag list make no claim.
    expect(observations.filter((o) => o.kind === 'creditScenes' && o.during === null && o.after === null && o.scenes.length === 0).map((o) => o.ids.imdb).sort()).toEqual(expect.arrayContaining(['tt0427309', 'tt0814255', 'tt2072971']));
    expect(Array.isArray(output) ? undefined : output.listing).toMatchObject({ entries: expected.entries });
    expect(Array.isArray(output) ? 0 : output.listing!.films.length).toBe(expected.entries);
    expect(observations.every((o) => o.kind === 'creditScenes' && o.ids.imdb && o.url === entry.url)).toBe(true);
  });
});
