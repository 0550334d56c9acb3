/**
 * Scores the answers (`creditScenes.slots`, `normalize/answers.ts`) against a truth file, cross-validated:
 * each truth film is answered by a model fitted without it (`fitModel` with the film left out of every label
 * set), from its observations in the store — as the build answers it, on the watchlist (a film of the truth is a
 * film someone asked about; README "The answer": put a film on the watchlist to have it answered). A truth film
 * no source knows is answered from its truth title and year alone, as a watchlist entry would be.
 *
 * Per slot: coverage (answered "yes"/"no" among the judged slots), accuracy of the answered, the Brier score
 * and the expected calibration error (10 equal-width bins of P, weighted by count) over the slots given a
 * probability, the reliability table, accuracy by basis, every wrong answer with its `why`, and every slot left
 * "unknown" with its probability and `why` (what stands between the answers and the coverage target).
 */
import type { ScenePosition, SlotAnswer } from '../schema/movie.ts';
import type { Observation } from '../schema/observation.ts';
import { mergeDetails } from '../normalize/merge.ts';
import { reconcileCredits } from '../normalize/credits.ts';
import { POSITIONS, filmAnswers, type AnswerModel } from '../normalize/answers.ts';
import { WATCHLIST_URL } from '../schema/sources.ts';
import type { TruthRow } from './credits.ts';
import { fitModel, type FitInputs } from './fit.ts';
import { imdbOf } from './fit-data.ts';

/** One judged slot, answered. */
export interface AnsweredSlot {
  imdb: string;
  title: string | null;
  slot: ScenePosition;
  truth: boolean;
  answer: SlotAnswer;
}

export interface ReliabilityBin {
  /** [from, to) of P (the last bin includes 1). */
  from: number;
  to: number;
  slots: number;
  meanP: number;
  /** Share of these slots with a scene. */
  observed: number;
}

export interface SlotFigures {
  judged: number;
  answered: number;
  right: number;
  coverage: number;
  accuracy: number;
  /** Over the slots given a probability (`scored` of them). */
  scored: number;
  brier: number;
  ece: number;
  reliability: ReliabilityBin[];
  byBasis: Record<SlotAnswer['basis'], { answered: number; right: number }>;
}

export interface AnswerEvaluation {
  films: number;
  /** Truth films no observation names (answered from the truth's title and year). */
  unknownToSources: number;
  /** Truth films given a keyword snapshot's list for TMDB's keywords (`KeywordStandIn`; 0 when none was given). */
  keywordStandIns: number;
  slots: Record<ScenePosition | 'all', SlotFigures>;
  wrong: AnsweredSlot[];
  /** The judged slots left "unknown", by probability (the gap to the coverage target, with each one's why). */
  unanswered: AnsweredSlot[];
  thresholds: AnswerModel['thresholds'];
}

/** The targets of the answers (issue: answered ≥ 97% right, ≥ 85% answered, ECE ≤ 0.05). */
export const TARGETS = { accuracy: 0.97, coverage: 0.85, ece: 0.05 } as const;

/** Observations of each film by IMDb id (the id a film is filed under, or the IMDb id it carries). */
export function observationsByImdb(observations: Iterable<Observation>): Map<string, Observation[]> {
  const byImdb = new Map<string, Observation[]>();
  for (const o of observations) {
    const imdb = imdbOf(o);
    if (!imdb) continue;
    const list = byImdb.get(imdb);
    if (list) list.push(o);
    else byImdb.set(imdb, [o]);
  }
  return byImdb;
}

/** The truth film as the watchlist would file it. */
function watchlistEntry(row: TruthRow, day: string): Observation {
  return {
    source: 'watchlist',
    kind: 'details',
    url: WATCHLIST_URL,
    observedAt: day,
    movie: row.imdb,
    ids: { imdb: row.imdb },
    ...(row.title && { title: row.title }),
    ...(row.year && { year: row.year }),
  };
}

/**
 * TMDB's keywords as a live run has them: a live run asks TMDB for every film's keyword list, a replay has the
 * few the corpus recorded. Given the published keyword snapshots (`readKeywords`, the lists the fit measures
 * TMDB's likelihood ratios on), a truth film with no TMDB keyword list in the store is answered with the
 * snapshots' — in memory, never written to the store. `file`: where they were read, for the report.
 */
export interface KeywordStandIn {
  file: string;
  keywords: ReadonlyMap<string, Record<ScenePosition, boolean>>;
}

/** The stand-in keyword list of a film, as the TMDB parser files one (`creditScenes`, weak). */
function keywordObservation(imdb: string, k: Record<ScenePosition, boolean>, standIn: KeywordStandIn, day: string): Observation {
  const tagged = [k.during && 'duringcreditsstinger', k.after && 'aftercreditsstinger'].filter(Boolean);
  return {
    source: 'tmdb',
    kind: 'creditScenes',
    url: standIn.file,
    observedAt: day,
    movie: imdb,
    ids: { imdb },
    during: k.during,
    after: k.after,
    strength: 'weak',
    scenes: [],
    detail: tagged.length ? `TMDB keywords (snapshot): ${tagged.join(', ')}` : 'TMDB keywords (snapshot) without stinger keywords',
  };
}

const hasKeywordList = (o: Observation) => o.source === 'tmdb' && o.kind === 'creditScenes';

/** Answers every judged slot of the truth, each film by a model fitted without it. */
export function answerTruth(
  truth: readonly TruthRow[],
  inputs: FitInputs,
  observations: ReadonlyMap<string, Observation[]>,
  thresholds: AnswerModel['thresholds'],
  standIn?: KeywordStandIn,
): { answered: AnsweredSlot[]; unknownToSources: number; keywordStandIns: number } {
  const answered: AnsweredSlot[] = [];
  let unknownToSources = 0;
  let keywordStandIns = 0;
  for (const row of truth) {
    const known = observations.get(row.imdb) ?? [];
    if (known.length === 0) unknownToSources++;
    // Dated like the film's own newest observation (the recency test), else a day after every release in the truth.
    const day = known.map((o) => o.observedAt.slice(0, 10)).sort().at(-1) ?? '2026-12-01';
    const film = [...known, watchlistEntry(row, day)];
    const snapshot = standIn?.keywords.get(row.imdb);
    if (standIn && snapshot && !known.some(hasKeywordList)) {
      film.push(keywordObservation(row.imdb, snapshot, standIn, day));
      keywordStandIns++;
    }
    const details = mergeDetails(row.imdb, film);
    const votes = film.flatMap((o) => (o.kind === 'score' && o.group === 'tmdb' && o.voteCount ? [o.voteCount] : [])).at(-1) ?? null;
    const model = fitModel(inputs, { exclude: new Set([row.imdb]), thresholds });
    const verdicts = reconcileCredits(film).creditScenes;
    const answers = filmAnswers(film, { year: details.year ?? row.year ?? null, releaseDate: details.releaseDate ?? null, tmdbVotes: votes }, model, verdicts);
    for (const slot of POSITIONS) {
      const truthValue = row[slot];
      if (truthValue === null) continue;
      answered.push({ imdb: row.imdb, title: row.title ?? details.title ?? null, slot, truth: truthValue, answer: answers[slot] });
    }
  }
  return { answered, unknownToSources, keywordStandIns };
}

function round(n: number, places = 4): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}

/** The figures of a set of answered slots. */
export function slotFigures(slots: readonly AnsweredSlot[]): SlotFigures {
  const answered = slots.filter((s) => s.answer.answer !== 'unknown');
  const isRight = (s: AnsweredSlot) => (s.answer.answer === 'yes') === s.truth;
  const right = answered.filter(isRight).length;
  const scored = slots.filter((s) => s.answer.probability !== null);
  const brier = scored.reduce((sum, s) => sum + (s.answer.probability! - (s.truth ? 1 : 0)) ** 2, 0) / (scored.length || 1);
  const reliability: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < 10; b++) {
    const [from, to] = [b / 10, (b + 1) / 10];
    const inBin = scored.filter((s) => s.answer.probability! >= from && (s.answer.probability! < to || (b === 9 && s.answer.probability! <= 1)));
    if (inBin.length === 0) continue;
    const meanP = inBin.reduce((sum, s) => sum + s.answer.probability!, 0) / inBin.length;
    const observed = inBin.filter((s) => s.truth).length / inBin.length;
    ece += (inBin.length / scored.length) * Math.abs(meanP - observed);
    reliability.push({ from, to, slots: inBin.length, meanP: round(meanP), observed: round(observed) });
  }
  const byBasis = { reported: { answered: 0, right: 0 }, inferred: { answered: 0, right: 0 }, none: { answered: 0, right: 0 } };
  for (const s of answered) {
    byBasis[s.answer.basis].answered++;
    if (isRight(s)) byBasis[s.answer.basis].right++;
  }
  return {
    judged: slots.length,
    answered: answered.length,
    right,
    coverage: round(answered.length / (slots.length || 1)),
    accuracy: round(right / (answered.length || 1)),
    scored: scored.length,
    brier: round(brier),
    ece: round(ece),
    reliability,
    byBasis,
  };
}

/** The whole evaluation of the answers. */
export function evaluateAnswers(
  truth: readonly TruthRow[],
  inputs: FitInputs,
  observations: ReadonlyMap<string, Observation[]>,
  thresholds: AnswerModel['thresholds'],
  standIn?: KeywordStandIn,
): AnswerEvaluation {
  const { answered, unknownToSources, keywordStandIns } = answerTruth(truth, inputs, observations, thresholds, standIn);
  const wrong = answered.filter((s) => s.answer.answer !== 'unknown' && (s.answer.answer === 'yes') !== s.truth);
  const unanswered = answered
    .filter((s) => s.answer.answer === 'unknown')
    .sort((a, b) => (a.answer.probability ?? -1) - (b.answer.probability ?? -1) || a.imdb.localeCompare(b.imdb) || a.slot.localeCompare(b.slot));
  return {
    films: truth.length,
    unknownToSources,
    keywordStandIns,
    slots: {
      during: slotFigures(answered.filter((s) => s.slot === 'during')),
      after: slotFigures(answered.filter((s) => s.slot === 'after')),
      all: slotFigures(answered),
    },
    wrong,
    unanswered,
    thresholds,
  };
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** The evaluation as the text `eval:credits` prints. */
export function formatAnswerEvaluation(e: AnswerEvaluation): string {
  const lines = [
    `Answers (slots): ${e.films} truth films, each answered by a model fitted without it (leave-one-out)` +
      `${e.unknownToSources ? `; ${e.unknownToSources} known to no source, answered from their title and year` : ''}.`,
    ...(e.keywordStandIns
      ? [`TMDB's keywords as a live run has them: ${e.keywordStandIns} films with no keyword list in the store were given the keyword snapshots' (--keywords).`]
      : []),
    `Thresholds: "yes" at P ≥ ${e.thresholds.yes}, "no" at P ≤ ${e.thresholds.no}.`,
    '',
    'slot     judged  answered  coverage  right  accuracy   Brier    ECE   reported right  inferred right',
  ];
  for (const key of ['during', 'after', 'all'] as const) {
    const f = e.slots[key];
    const basis = (b: 'reported' | 'inferred') => `${f.byBasis[b].right}/${f.byBasis[b].answered}`.padStart(14);
    lines.push(
      `${key.padEnd(8)} ${String(f.judged).padStart(6)}  ${String(f.answered).padStart(8)}  ${pct(f.coverage).padStart(8)}  ${String(f.right).padStart(5)}  ${pct(f.accuracy).padStart(8)}  ${f.brier.toFixed(4)}  ${f.ece.toFixed(4)}  ${basis('reported')}  ${basis('inferred')}`,
    );
  }
  const all = e.slots.all;
  lines.push(
    '',
    `Targets: answered ≥ ${pct(TARGETS.accuracy)} right — ${all.accuracy >= TARGETS.accuracy ? 'met' : 'NOT met'} (${pct(all.accuracy)}); ` +
      `≥ ${pct(TARGETS.coverage)} answered — ${all.coverage >= TARGETS.coverage ? 'met' : 'NOT met'} (${pct(all.coverage)}); ` +
      `calibration error ≤ ${TARGETS.ece} — ${all.ece <= TARGETS.ece ? 'met' : 'NOT met'} (${all.ece.toFixed(4)}).`,
    '',
    'Reliability (both slots): P bin, slots, mean P, share with a scene',
  );
  for (const b of all.reliability) lines.push(`  ${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.slots).padStart(4)}  ${b.meanP.toFixed(3)}  ${b.observed.toFixed(3)}`);
  lines.push('', e.wrong.length ? `Wrong answers (${e.wrong.length}):` : 'Wrong answers: none.');
  for (const w of e.wrong) {
    lines.push(`  ${w.imdb} ${w.title ?? '(no title)'} — ${w.slot}: answered ${w.answer.answer} (P ${w.answer.probability}, ${w.answer.basis}), truth ${w.truth ? 'yes' : 'no'}. ${w.answer.why}`);
  }
  lines.push('', e.unanswered.length ? `Unanswered slots (${e.unanswered.length}), by P — what the answers still lack:` : 'Unanswered slots: none.');
  for (const u of e.unanswered) {
    const p = u.answer.probability === null ? 'no P' : `P ${u.answer.probability.toFixed(3)}`;
    lines.push(`  ${p}  ${u.imdb} ${u.title ?? '(no title)'} — ${u.slot}, truth ${u.truth ? 'yes' : 'no'}. ${u.answer.why}`);
  }
  return `${lines.join('\n')}\n`;
}
