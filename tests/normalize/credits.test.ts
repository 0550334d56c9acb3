/**
 * Credit-scene reconciliation on hand-built evidence sets: agreement, conflict, positives only, weak-only
 * negatives, strong absence, non-scene kinds, one claim per source, which scenes are listed — and the
 * build report's conflicts.
 */
import { describe, expect, it } from 'vitest';
import { buildMovies } from '../../src/normalize/build.ts';
import { DEFAULT_WEIGHT, SOURCE_WEIGHT, WEAK_FACTOR, reconcileCredits, reconcileSlot, sourceWeight } from '../../src/normalize/credits.ts';
import type { CreditScene } from '../../src/schema/movie.ts';
import { Observation } from '../../src/schema/observation.ts';

const FILM = 'tt0478970';
const URLS: Record<string, string> = {
  aftercredits: 'https://raw.githubusercontent.com/Kometa-Team/AfterCredits/master/aftercredits.yml',
  mcuapi: 'https://cdn.jsdelivr.net/gh/AugustoMarcelo/mcuapi@master/data/post-credit-scenes.json',
  tmdb: 'https://api.themoviedb.org/3/movie/102899/keywords',
  imdb: 'https://www.imdb.com/title/tt0478970/crazycredits',
  omdb: 'https://www.omdbapi.com/?i=tt0478970',
};

/** A `creditScenes` observation, validated like a stored one so a typo cannot make a test pass. */
function claim(
  source: keyof typeof URLS,
  during: boolean | null,
  after: boolean | null,
  options: { strength?: 'strong' | 'weak'; scenes?: CreditScene[]; detail?: string; observedAt?: string; movie?: string } = {},
): Observation {
  return Observation.parse({
    source,
    kind: 'creditScenes',
    url: URLS[source],
    observedAt: options.observedAt ?? '2026-08-20',
    movie: options.movie ?? FILM,
    ids: { imdb: FILM },
    during,
    after,
    strength: options.strength ?? 'strong',
    scenes: options.scenes ?? [],
    ...(options.detail && { detail: options.detail }),
  });
}

const w = (source: keyof typeof SOURCE_WEIGHT) => SOURCE_WEIGHT[source]!;
const round = (n: number) => Math.round(n * 1000) / 1000;

describe('reconcileSlot (explicit weights)', () => {
  it('no claim → unknown', () => {
    expect(reconcileSlot([])).toEqual({ value: null, confidence: 0, conflict: false });
    expect(reconcileSlot([{ value: null, weight: 0.9, strong: true }])).toEqual({ value: null, confidence: 0, conflict: false });
  });

  it('agreeing "yes" claims combine as independent witnesses (noisy-or)', () => {
    expect(reconcileSlot([{ value: true, weight: 0.9, strong: true }, { value: true, weight: 0.8, strong: true }])).toEqual({ value: true, confidence: 0.98, conflict: false });
  });

  it('a "yes" counts in full even from a weak observation (strength qualifies only "no")', () => {
    expect(reconcileSlot([{ value: true, weight: 0.75, strong: false }])).toEqual({ value: true, confidence: 0.75, conflict: false });
  });

  it('weak "no" claims alone never decide, however many', () => {
    const weakNo = { value: false, weight: 0.75, strong: false };
    expect(reconcileSlot([weakNo, weakNo, weakNo, weakNo, weakNo])).toEqual({ value: null, confidence: 0, conflict: false });
  });

  it('a strong "no" alone is positive evidence of absence', () => {
    expect(reconcileSlot([{ value: false, weight: 0.9, strong: true }])).toEqual({ value: false, confidence: 0.9, conflict: false });
  });

  it('a weak "no" against a "yes" lowers the confidence but is no conflict', () => {
    const verdict = reconcileSlot([{ value: true, weight: 0.8, strong: true }, { value: false, weight: 0.8, strong: false }]);
    expect(verdict).toEqual({ value: true, confidence: round(0.8 - 0.8 * WEAK_FACTOR), conflict: false });
  });

  it('a strong "no" against a "yes": the heavier side wins by its margin, and it is a conflict', () => {
    expect(reconcileSlot([{ value: true, weight: 0.9, strong: true }, { value: false, weight: 0.6, strong: true }])).toEqual({ value: true, confidence: 0.3, conflict: true });
    expect(reconcileSlot([{ value: true, weight: 0.6, strong: true }, { value: false, weight: 0.9, strong: true }])).toEqual({ value: false, confidence: 0.3, conflict: true });
  });

  it('a tie is unknown, and still a conflict', () => {
    expect(reconcileSlot([{ value: true, weight: 0.8, strong: true }, { value: false, weight: 0.8, strong: true }])).toEqual({ value: null, confidence: 0, conflict: true });
  });
});

describe('reconcileCredits', () => {
  it('agreement: AfterCredits and the MCU API both report both slots', () => {
    const { creditScenes, conflicts } = reconcileCredits([claim('aftercredits', true, true), claim('mcuapi', true, true)]);
    const both = round(1 - (1 - w('aftercredits')) * (1 - w('mcuapi')));
    expect(creditScenes).toMatchObject({ during: true, after: true, confidence: both });
    expect(both).toBeGreaterThan(w('mcuapi'));
    expect(conflicts).toEqual([]);
  });

  it('positives only: a slot nobody claims stays unknown; the film confidence is its known slot\'s', () => {
    const { creditScenes } = reconcileCredits([claim('aftercredits', null, true)]);
    expect(creditScenes).toMatchObject({ during: null, after: true, confidence: w('aftercredits') });
  });

  it('weak-only negatives (a TMDB keyword list without stingers) leave both slots unknown', () => {
    const { creditScenes, conflicts } = reconcileCredits([claim('tmdb', false, false, { strength: 'weak', detail: 'TMDB keywords (12) without stinger keywords' })]);
    expect(creditScenes).toMatchObject({ during: null, after: null, confidence: 0 });
    expect(creditScenes.evidence).toEqual([{ source: 'tmdb', during: false, after: false, detail: 'TMDB keywords (12) without stinger keywords', observedAt: '2026-08-20' }]);
    expect(conflicts).toEqual([]);
  });

  it('strong absence: the MCU API\'s "none" (Endgame) makes both slots false', () => {
    const { creditScenes } = reconcileCredits([claim('mcuapi', false, false, { detail: 'MCU API: post_credit_scenes 0' })]);
    expect(creditScenes).toMatchObject({ during: false, after: false, confidence: w('mcuapi') });
  });

  it('kinds that are not scenes: Endgame\'s after-credits sound is listed, and the slot is false', () => {
    const { creditScenes, conflicts } = reconcileCredits([
      claim('aftercredits', null, null, { scenes: [{ position: 'after', kind: 'audio' }] }),
      claim('mcuapi', false, false),
    ]);
    expect(creditScenes).toMatchObject({ during: false, after: false, scenes: [{ position: 'after', kind: 'audio' }] });
    expect(creditScenes.evidence.map((e) => e.source)).toEqual(['aftercredits', 'mcuapi']);
    expect(creditScenes.evidence[0]).not.toHaveProperty('during');
    expect(conflicts).toEqual([]);
  });

  it('conflict: AfterCredits says a scene plays after the credits, the MCU API says none (The Marvels)', () => {
    const { creditScenes, conflicts } = reconcileCredits([
      claim('aftercredits', true, true, { scenes: [{ position: 'during', kind: 'scene' }, { position: 'after', kind: 'scene' }, { position: 'after', kind: 'audio' }] }),
      claim('mcuapi', true, false, { scenes: [{ position: 'during', kind: 'scene', description: 'Monica wakes in another reality.' }] }),
    ]);
    expect(w('mcuapi')).toBeGreaterThan(w('aftercredits'));
    expect(creditScenes.after).toBe(false);
    expect(creditScenes.confidence).toBe(round(w('mcuapi') - w('aftercredits')));
    expect(conflicts).toEqual(['after']);
    // The losing side's scene is not listed in a false slot; the sound is; the described scene replaces the bare one.
    expect(creditScenes.scenes).toEqual([
      { position: 'during', kind: 'scene', description: 'Monica wakes in another reality.' },
      { position: 'after', kind: 'audio' },
    ]);
  });

  it('one claim per source: a film filed under two ids counts each source once, its newest observation', () => {
    const older = claim('aftercredits', true, null, { observedAt: '2026-01-01', movie: 'tmdb:102899' });
    const newer = claim('aftercredits', null, true, { observedAt: '2026-08-22' });
    const { creditScenes } = reconcileCredits([newer, older, claim('tmdb', true, false, { strength: 'weak' })]);
    expect(creditScenes.evidence.map((e) => [e.source, e.observedAt])).toEqual([
      ['aftercredits', '2026-08-22'],
      ['tmdb', '2026-08-20'],
    ]);
    expect(creditScenes.during).toBe(true); // from TMDB only
    expect(creditScenes.confidence).toBe(w('tmdb'));
  });

  it('described scenes: the source that describes most of a slot\'s scenes is listed, not every wording of them', () => {
    const mcu = [
      { position: 'during', kind: 'scene', description: 'Hope is shown the Wasp suit.' },
      { position: 'after', kind: 'scene', description: 'Sam and Cap with Bucky.' },
    ] as CreditScene[];
    const imdbScenes = [
      { position: 'during', kind: 'scene', description: 'Mid credits scene: Hank Pym shows Hope a new suit.' },
      { position: 'during', kind: 'text', description: 'Ant-Man will return' },
    ] as CreditScene[];
    const { creditScenes } = reconcileCredits([
      claim('aftercredits', true, true, { scenes: [{ position: 'during', kind: 'scene' }, { position: 'after', kind: 'scene' }] }),
      claim('imdb', true, null, { scenes: imdbScenes }),
      claim('mcuapi', true, true, { scenes: mcu }),
    ]);
    expect(sourceWeight('mcuapi')).toBeGreaterThan(sourceWeight('imdb'));
    expect(creditScenes.scenes).toEqual([mcu[0], imdbScenes[1], mcu[1]]);
  });

  it('bloopers count as a scene kind; a source without a weight counts with the default weight', () => {
    const { creditScenes } = reconcileCredits([claim('omdb', true, null, { scenes: [{ position: 'during', kind: 'bloopers' }] })]);
    expect(sourceWeight('omdb')).toBe(DEFAULT_WEIGHT);
    expect(creditScenes).toMatchObject({ during: true, confidence: DEFAULT_WEIGHT, scenes: [{ position: 'during', kind: 'bloopers' }] });
  });

  it('ignores observations of other kinds', () => {
    const details = Observation.parse({ source: 'tmdb', kind: 'details', url: URLS.tmdb, observedAt: '2026-08-20', movie: FILM, ids: { imdb: FILM }, title: 'Ant-Man' });
    expect(reconcileCredits([details]).creditScenes).toEqual({ during: null, after: null, confidence: 0, scenes: [], evidence: [] });
  });
});

describe('the build report lists credit conflicts', () => {
  it('names the film, the disputed slots and the evidence', () => {
    const { movies, report } = buildMovies([claim('aftercredits', true, true), claim('mcuapi', true, false, { detail: 'MCU API: post_credit_scenes 1' })]);
    expect(movies).toHaveLength(1);
    expect(report.creditConflicts).toEqual([
      {
        id: FILM,
        title: null,
        slots: ['after'],
        evidence: [
          { source: 'aftercredits', during: true, after: true, observedAt: '2026-08-20' },
          { source: 'mcuapi', during: true, after: false, detail: 'MCU API: post_credit_scenes 1', observedAt: '2026-08-20' },
        ],
      },
    ]);
  });

  it('a weak TMDB "no" beside a report of a scene is not a conflict', () => {
    const { report } = buildMovies([claim('aftercredits', true, null), claim('tmdb', false, false, { strength: 'weak' })]);
    expect(report.creditConflicts).toEqual([]);
  });
});
