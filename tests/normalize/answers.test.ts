/**
 * The answers (`creditScenes.slots`): the shipped model is what a fit of the committed data gives, each rule of
 * `answers.ts` on a film of the recorded data, and the cross-validated evaluation on the hand-checked truth.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_MODEL, THRESHOLDS } from '../../src/normalize/answer-model.ts';
import { answerFacts, answerSlots, slotClass, yearBand, type AnswerFacts } from '../../src/normalize/answers.ts';
import { evaluateAnswers, observationsByImdb, type AnswerEvaluation } from '../../src/eval/answers.ts';
import { readFitInputs } from '../../src/eval/fit-data.ts';
import { parseTruthCsv } from '../../src/eval/credits.ts';
import { ObservationStore } from '../../src/observations/store.ts';
import type { Movie } from '../../src/schema/movie.ts';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { modelDrift } from '../../scripts/fit-credit-model.ts';

const TRUTH = path.join(REPO_ROOT, '../shared/truth/credit-truth-dev.csv');
const OBSERVATIONS = path.join(REPO_ROOT, 'observations');
const movies = JSON.parse(readFileSync(path.join(REPO_ROOT, 'dataset/records/movies.json'), 'utf8')) as Movie[];
const byId = new Map(movies.map((m) => [m.id, m]));
const slotsOf = (id: string) => byId.get(id)!.creditScenes.slots;

const unlisted = (extra: Partial<AnswerFacts> = {}): AnswerFacts => ({
  year: 2012,
  releaseDate: '2012-05-04',
  listing: null,
  mcu: null,
  tmdb: null,
  imdb: null,
  wellKnown: true,
  asOf: '2026-11-01',
  ...extra,
});

describe('the shipped model', () => {
  it('is what a fit of the committed observations, the truth and the datasets gives (npm run fit:credits -- --check)', () => {
    const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/fit-credit-model.ts', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(out).toContain('the shipped model is what a fit gives now');
  });

  it('the check allows the small drift a nightly refresh brings, not more', () => {
    expect(modelDrift(ANSWER_MODEL, ANSWER_MODEL)).toEqual([]);
    const moved = structuredClone(ANSWER_MODEL);
    moved.classes.during.both.p += 0.01;
    expect(modelDrift(ANSWER_MODEL, moved)).toEqual([]);
    moved.classes.during.both.p += 0.05;
    expect(modelDrift(ANSWER_MODEL, moved)).toEqual([expect.stringMatching(/^during both: shipped 0\.\d{4}, a fit now gives 0\.\d{4}$/)]);
  });

  it('measures each class from hand-checked films, with the counts kept beside each probability', () => {
    expect(ANSWER_MODEL.thresholds).toEqual(THRESHOLDS);
    const during = ANSWER_MODEL.classes.during;
    // A single "During Credits" tag holds far more often than the during half of "Both During & After Credits".
    expect(during.single.p).toBeGreaterThan(0.99);
    expect(during.both.p).toBeLessThan(THRESHOLDS.yes);
    expect(during.both.hand.n).toBeGreaterThan(20);
    // The list is silent on the other slot: after-credits silence means none far more surely than during.
    expect(ANSWER_MODEL.classes.after.silent.p).toBeLessThan(THRESHOLDS.no);
    expect(during.silent.p).toBeGreaterThan(THRESHOLDS.no);
    for (const s of ['during', 'after'] as const) {
      expect(ANSWER_MODEL.recall[s].k / ANSWER_MODEL.recall[s].n).toBeGreaterThan(0.85);
      for (const band of ['before 2000', '2000-2009', '2010-2014', '2015-2019', '2020 on'] as const) expect(ANSWER_MODEL.unlisted[s][band].p).toBeLessThan(0.05);
    }
  });
});

describe('the rules', () => {
  it('a slot class is read from the list and the year', () => {
    expect(slotClass(null, 2015)).toBe('unlisted');
    expect(slotClass('scene', 1999)).toBe('old');
    expect(slotClass('scene', 2000)).toBe('single');
    expect(slotClass('scene-of-both', 2014)).toBe('both');
    expect(slotClass('not-mentioned', 1980)).toBe('silent');
    expect(yearBand(null)).toBe('year unknown');
  });

  it('an unlisted well-known film is "no" from the list\'s recall; an obscure, recent or unreleased one gets basis none', () => {
    const known = answerSlots(unlisted(), ANSWER_MODEL);
    expect(known.after).toMatchObject({ answer: 'no', basis: 'inferred' });
    expect(known.after.why).toMatch(/^Not listed by AfterCredits, which lists \d+ in 100 films with a scene after the credits/);
    expect(answerSlots(unlisted({ wellKnown: false }), ANSWER_MODEL).after).toMatchObject({ answer: 'unknown', probability: null, basis: 'none' });
    const recent = answerSlots(unlisted({ releaseDate: '2026-10-25' }), ANSWER_MODEL).during;
    expect(recent).toMatchObject({ answer: 'unknown', basis: 'none' });
    expect(recent.why).toContain('too recent');
    expect(answerSlots(unlisted({ year: 2027, releaseDate: '2027-03-01' }), ANSWER_MODEL).during.why).toMatch(/^Not released yet/);
  });

  it('an absence from TMDB\'s keywords never overturns a reported "yes"', () => {
    const facts = unlisted({ listing: { reading: { during: 'scene-of-both', after: 'scene-of-both' }, tags: ['Both During & After Credits'] }, tmdb: { during: false, after: false } });
    for (const a of Object.values(answerSlots(facts, ANSWER_MODEL))) {
      expect(a.basis).toBe('reported');
      expect(a.probability).toBeGreaterThanOrEqual(0.5);
    }
  });

  it("TMDB's keyword weighs what it was measured to weigh among films the list placed alike", () => {
    // The shipped ratios: a keyword adds little where the list already reports the slot (its tags are copied in
    // part from the list), much where the list says nothing — measured on the hand-checked films of each group.
    const { listed, other } = ANSWER_MODEL.tmdb.during;
    expect(listed.tp + listed.fn + listed.fp + listed.tn).toBeGreaterThan(20);
    expect(other.lrPresent).toBeGreaterThan(5 * listed.lrPresent);
    const both = { listing: { reading: { during: 'scene-of-both', after: 'scene-of-both' }, tags: ['Both During & After Credits'] }, tmdb: { during: true, after: null } } satisfies Partial<AnswerFacts>;
    const p = ANSWER_MODEL.classes.during.both.p;
    const odds = (p / (1 - p)) * listed.lrPresent;
    expect(answerSlots(unlisted(both), ANSWER_MODEL).during.probability).toBeCloseTo(odds / (1 + odds), 3);
    const prior = ANSWER_MODEL.unlisted.during['2010-2014'].p;
    const oddsUnlisted = (prior / (1 - prior)) * other.lrPresent;
    const tagged = answerSlots(unlisted({ tmdb: { during: true, after: null } }), ANSWER_MODEL).during;
    expect(tagged.probability).toBeCloseTo(oddsUnlisted / (1 + oddsUnlisted), 3);
    expect(tagged).toMatchObject({ basis: 'reported' });
  });

  it('facts come from the newest observation of each source', () => {
    const facts = answerFacts(
      [
        { source: 'aftercredits', kind: 'creditScenes', url: 'https://example.org/a', observedAt: '2025-01-01', movie: 'tt0000001', ids: { imdb: 'tt0000001' }, during: true, after: null, strength: 'strong', scenes: [], reading: { during: 'scene', after: 'not-mentioned' }, detail: 'AfterCredits tags: During Credits' },
        { source: 'aftercredits', kind: 'creditScenes', url: 'https://example.org/a', observedAt: '2026-01-01', movie: 'tt0000001', ids: { imdb: 'tt0000001' }, during: null, after: true, strength: 'strong', scenes: [], reading: { during: 'not-mentioned', after: 'scene' }, detail: 'AfterCredits tags: After Credits' },
      ],
      { year: 2020, releaseDate: null, onWatchlist: false, tmdbVotes: 5000 },
      '2026-01-01',
    );
    expect(facts.listing).toEqual({ reading: { during: 'not-mentioned', after: 'scene' }, tags: ['After Credits'] });
    expect(facts.wellKnown).toBe(true);
  });
});

describe('the published answers (replayed corpus)', () => {
  it('every film has an answer per slot, and a reported verdict is never contradicted', () => {
    for (const m of movies) {
      for (const s of ['during', 'after'] as const) {
        const a = m.creditScenes.slots[s];
        expect(a.why.length, m.id).toBeGreaterThan(10);
        if (a.probability === null) expect(a.answer).toBe('unknown');
        if (m.creditScenes[s] !== null) expect(a.basis, `${m.id} ${s}`).toBe('reported');
        if (m.creditScenes[s] === true) expect(a.answer, `${m.id} ${s}`).not.toBe('no');
        if (m.creditScenes[s] === false) expect(a.answer, `${m.id} ${s}`).not.toBe('yes');
      }
    }
  });

  it('Moscow on the Hudson (on the watchlist, listed by no source) is answered "no" for both slots', () => {
    const moscow = byId.get('tt0087747')!;
    expect(moscow.title).toBe('Moscow on the Hudson');
    expect(moscow.sources.map((s) => s.source)).toEqual(['watchlist']);
    for (const a of Object.values(moscow.creditScenes.slots)) expect(a).toMatchObject({ answer: 'no', basis: 'inferred' });
  });

  it('The Matrix: "After Credits, Informative" is no claim, and its listing as a film of 1999 answers neither way', () => {
    const matrix = byId.get('tt0133093')!;
    expect(matrix.creditScenes.after).toBeNull();
    expect(matrix.creditScenes.slots.after.answer).toBe('unknown');
  });

  it('X-Men: Days of Future Past: the during half of "Both During & After Credits" is not a "yes"', () => {
    expect(slotsOf('tt1877832').during.answer).toBe('unknown');
    expect(slotsOf('tt1877832').after.answer).toBe('yes');
  });
});

describe('eval:credits (leave-one-out on the hand-checked truth)', () => {
  let e: AnswerEvaluation;
  let live: AnswerEvaluation;
  beforeAll(() => {
    const truth = parseTruthCsv(readFileSync(TRUTH, 'utf8'), TRUTH);
    const store = ObservationStore.load(OBSERVATIONS);
    const inputs = readFitInputs({ truth: TRUTH, observations: OBSERVATIONS, datasets: path.join(REPO_ROOT, '../shared/datasets') }, store);
    const byImdb = observationsByImdb(store.all());
    e = evaluateAnswers(truth, inputs, byImdb, THRESHOLDS);
    live = evaluateAnswers(truth, inputs, byImdb, THRESHOLDS, { file: 'derived/credit_scenes_all_sources.csv', keywords: inputs.keywords });
  });

  it('answers most slots, rightly, and calibrated', () => {
    expect(e.films).toBe(83);
    expect(e.slots.all.judged).toBe(166);
    expect(e.slots.all.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(e.slots.all.ece).toBeLessThanOrEqual(0.05);
    expect(e.slots.all.coverage).toBeGreaterThan(0.75);
    expect(e.slots.all.reliability.reduce((n, b) => n + b.slots, 0)).toBe(e.slots.all.scored);
  });

  it('lists every wrong answer with its why', () => {
    expect(e.wrong.length).toBe(e.slots.all.answered - e.slots.all.right);
    for (const w of e.wrong) expect(w.answer.why).not.toBe('');
  });

  it('lists every slot left unknown, by probability, with its why', () => {
    expect(e.unanswered.length).toBe(e.slots.all.judged - e.slots.all.answered);
    expect(e.unanswered.every((u) => u.answer.answer === 'unknown' && u.answer.why !== '')).toBe(true);
    const ps = e.unanswered.map((u) => u.answer.probability ?? -1);
    expect(ps).toEqual([...ps].sort((a, b) => a - b));
    // Toy Story 4: "Both During & After Credits" and no keyword list — the during half holds for 89 in 100, under "yes".
    expect(e.unanswered.map((u) => `${u.imdb} ${u.slot}`)).toContain('tt1979376 during');
  });

  it("with TMDB's keyword lists as a live run has them (--keywords), the answers stay right and calibrated", () => {
    expect(e.keywordStandIns).toBe(0);
    expect(live.keywordStandIns).toBeGreaterThan(60);
    expect(live.slots.all.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(live.slots.all.ece).toBeLessThanOrEqual(0.05);
    expect(live.slots.all.answered).toBeGreaterThan(e.slots.all.answered);
    // Kong: Skull Island — "Both During & After Credits", TMDB tags after only: no longer a wrong "yes" during.
    expect(live.wrong.map((w) => `${w.imdb} ${w.slot}`)).not.toContain('tt3731562 during');
    expect(e.wrong.map((w) => `${w.imdb} ${w.slot}`)).toContain('tt3731562 during');
  });
});
