/**
 * Credit-scene reconciliation: every source's claim about a film's two credit slots → one verdict per slot
 * (`true` / `false` / `null`), a confidence, the scenes with their kinds, and the evidence kept beside it.
 *
 * The contract (ARCHITECTURE "What the verdict means"): a slot is true when a scene — story, gag, bloopers,
 * sequel setup, musical number — plays there; audio, stills, dedication cards, text cards and trailers never
 * make it true; `false` needs positive evidence that nothing plays. Each source maps its own vocabulary onto
 * this contract before it gets here (AfterCredits qualifiers, TMDB keywords, MCU API records, IMDb crazy
 * credits), so a claim of `true` always means "a scene", and non-scenes arrive as `scenes` entries of their kind.
 *
 * Per slot, each source's current claim (its newest observation: a film filed under two ids must not count
 * one source twice) is a witness, and the witnesses of each side are combined as independent (noisy-or):
 *   support = 1 − Π(1 − weight of each "yes"),   against = 1 − Π(1 − weight of each "no"),
 * where a weak "no" (a crowd keyword list without the stinger keyword) counts `WEAK_FACTOR` of its weight.
 * `strength` only qualifies "no": a "yes" always names something a source saw.
 * - only "yes" → true, confidence = support;
 * - only "no" → false when at least one "no" is strong, else null (weak negatives never decide alone);
 * - both → the larger side wins (a "no" side only with a strong "no"; ties → null), confidence = the margin.
 *   A strong "no" against a "yes" is a conflict (listed in the build report); a weak "no" only lowers the
 *   confidence — a crowd list that lacks a tag does not contradict a report of a scene;
 * - no claim → null, confidence 0.
 * The film's confidence is the lower of its known slots' confidences (0 when both are unknown).
 *
 * Scenes: per position and kind, the described entries of the one source that describes most of them (then
 * the heavier source) — two sources describing the same scene in their own words would list it twice;
 * undescribed entries only where nobody describes that kind. Scene kinds (`scene`, `bloopers`) are listed
 * only in slots whose verdict is true, so `scenes` never contradicts the verdict; non-scenes are always listed.
 */
import type { SourceId } from '../schema/sources.ts';
import { ScenePosition, type CreditScene, type CreditSceneEvidence, type CreditScenes, type SceneKind } from '../schema/movie.ts';
import type { CreditScenesObservation, Observation } from '../schema/observation.ts';
import { compareObservedAt } from '../lib/dates.ts';
import { compareStrings } from '../lib/text.ts';

/**
 * How much one source's claim weighs (0-1): how often its claims held when checked with `eval:credits`
 * (`src/eval/`) against a truth built from the third-party lists in ../shared/datasets by
 * `scripts/build-credit-truth.ts` (TMDB keyword snapshots 2017-2023; replay of the recorded corpus, 2026-11):
 * - mcuapi 0.97: its slot claims agreed with the TMDB keyword lists on 57 of the 60 MCU-film slots both
 *   judge, and the 3 others are TMDB's errors (Homecoming's and Eternals' mid-credits scenes, No Way Home's
 *   trailer); per-scene descriptions by one maintainer, positions read with overrides;
 * - aftercredits 0.95: its "yes" held on 95.9% (during, 419/437) and 95.5% (after, 254/266) of the slots the
 *   truth judges — read through its slot readings (`src/scrapers/aftercredits.ts`: a sound, stills or an
 *   informative card alone is no claim), re-measured 2026-12 after those rules; on the hand-checked truth
 *   (`../shared/truth`, 83 films picked for their traps) it held for 18/21 and 16/21 — its listings of films from
 *   before 2000 and the "during" half of "Both" are where it fails, which the answers (`answers.ts`) weigh by class;
 * - imdb 0.85: not measured (the corpus holds one crazy-credits page); crazy-credits items are edited
 *   submissions that describe the scene itself;
 * - tmdb 0.75: not measurable against a truth made of its own keywords; crowd tags, often missing, rarely
 *   wrong when present (the evaluation's wrong answers show taggers filing mid-credits scenes as after).
 * mcuapi outweighs aftercredits where they conflict (The Marvels' after-credits sound, No Way Home's trailer).
 */
export const SOURCE_WEIGHT: Readonly<Partial<Record<SourceId, number>>> = {
  mcuapi: 0.97,
  aftercredits: 0.95,
  imdb: 0.85,
  tmdb: 0.75,
};
/** Weight of a source without a measured one (a new source's claims count, but less than a known one's). */
export const DEFAULT_WEIGHT = 0.5;
/** A weak "no" (absence from a crowd list) counts this fraction of its source's weight. */
export const WEAK_FACTOR = 0.25;

/** One source's claim about one slot. */
export interface SlotClaim {
  /** true: a scene plays there; false: nothing does; null: no claim. */
  value: boolean | null;
  /** The source's weight (`SOURCE_WEIGHT`). */
  weight: number;
  /** Whether a "no" is positive evidence of absence (a "yes" counts in full either way). */
  strong: boolean;
}

/** The verdict on one slot. */
export interface SlotVerdict {
  value: boolean | null;
  /** 0-1, rounded to 3 decimals. */
  confidence: number;
  /** A "yes" and a strong "no" met on this slot. */
  conflict: boolean;
}

/** Combines the claims of several sources about one slot (see the module notes for the rules). */
export function reconcileSlot(claims: readonly SlotClaim[]): SlotVerdict {
  const yes = claims.filter((c) => c.value === true);
  const no = claims.filter((c) => c.value === false);
  if (yes.length === 0 && no.length === 0) return { value: null, confidence: 0, conflict: false };
  const support = 1 - yes.reduce((p, c) => p * (1 - c.weight), 1);
  const against = 1 - no.reduce((p, c) => p * (1 - (c.strong ? c.weight : c.weight * WEAK_FACTOR)), 1);
  const strongNo = no.some((c) => c.strong);
  if (no.length === 0) return { value: true, confidence: round(support), conflict: false };
  if (yes.length === 0) return strongNo ? { value: false, confidence: round(against), conflict: false } : { value: null, confidence: 0, conflict: false };
  const margin = round(Math.abs(support - against));
  if (support > against) return { value: true, confidence: margin, conflict: strongNo };
  if (against > support && strongNo) return { value: false, confidence: margin, conflict: true };
  return { value: null, confidence: 0, conflict: strongNo };
}

/** A film's reconciled credit scenes and the slots its sources disagree on. */
export interface ReconciledCredits {
  /** The reported verdicts; the build adds the answers (`slots`, `answers.ts`), which need the film's details. */
  creditScenes: Omit<CreditScenes, 'slots'>;
  /** Slots on which a "yes" met a strong "no" (for the build report and the manifest). */
  conflicts: ScenePosition[];
}

/** The weight of a source's claims. */
export function sourceWeight(source: SourceId): number {
  return SOURCE_WEIGHT[source] ?? DEFAULT_WEIGHT;
}

/** Reconciles the `creditScenes` observations among a film's observations (other kinds are ignored). */
export function reconcileCredits(observations: readonly Observation[]): ReconciledCredits {
  const evidence = currentClaims(observations);
  const slot = (position: ScenePosition) =>
    reconcileSlot(evidence.map((o) => ({ value: o[position], weight: sourceWeight(o.source), strong: o.strength === 'strong' })));
  const verdicts: Record<ScenePosition, SlotVerdict> = { during: slot('during'), after: slot('after') };
  const known = Object.values(verdicts).filter((s) => s.value !== null).map((s) => s.confidence);
  return {
    creditScenes: {
      during: verdicts.during.value,
      after: verdicts.after.value,
      confidence: known.length ? Math.min(...known) : 0,
      scenes: pickScenes(evidence, verdicts),
      evidence: evidence.map(toEvidence),
    },
    conflicts: POSITIONS.filter((p) => verdicts[p].conflict),
  };
}

/** The two credit slots, in order. */
export const POSITIONS: readonly ScenePosition[] = ScenePosition.options;

/**
 * Each source's newest `creditScenes` observation, sorted by source: the claims the verdict reads, and the ones
 * the answers (`answers.ts`) read — the same choice, so the two never read different observations of a source.
 */
export function currentClaims(observations: readonly Observation[]): CreditScenesObservation[] {
  const newest = new Map<SourceId, CreditScenesObservation>();
  for (const o of observations) {
    if (o.kind !== 'creditScenes') continue;
    const held = newest.get(o.source);
    if (!held || compareObservedAt(o.observedAt, held.observedAt) > 0 || (compareObservedAt(o.observedAt, held.observedAt) === 0 && compareStrings(o.url, held.url) > 0)) {
      newest.set(o.source, o);
    }
  }
  return [...newest.values()].sort((a, b) => compareStrings(a.source, b.source));
}

function toEvidence(o: CreditScenesObservation): CreditSceneEvidence {
  return {
    source: o.source,
    ...(o.during !== null && { during: o.during }),
    ...(o.after !== null && { after: o.after }),
    ...(o.detail && { detail: o.detail }),
    ...(o.reading && { reading: o.reading }),
    observedAt: o.observedAt,
    ...(o.noLongerListedSince && { noLongerListedSince: o.noLongerListedSince }),
  };
}

const SCENE_KINDS: ReadonlySet<SceneKind> = new Set(['scene', 'bloopers']);
const POSITION_ORDER: Record<ScenePosition, number> = { during: 0, after: 1 };

/** The scenes to list (see the module notes), in a fixed order. */
function pickScenes(evidence: readonly CreditScenesObservation[], verdicts: Record<ScenePosition, SlotVerdict>): CreditScene[] {
  const groups = new Map<string, { position: ScenePosition; kind: SceneKind; bySource: Map<SourceId, CreditScene[]> }>();
  for (const o of evidence) {
    for (const scene of o.scenes) {
      if (SCENE_KINDS.has(scene.kind) && verdicts[scene.position].value !== true) continue;
      const key = `${scene.position}|${scene.kind}`;
      if (!groups.has(key)) groups.set(key, { position: scene.position, kind: scene.kind, bySource: new Map() });
      const bySource = groups.get(key)!.bySource;
      bySource.set(o.source, [...(bySource.get(o.source) ?? []), scene]);
    }
  }
  const picked: CreditScene[] = [];
  for (const { position, kind, bySource } of groups.values()) {
    const described = [...bySource]
      .map(([source, scenes]) => ({ source, scenes: dedupe(scenes.filter((s) => s.description !== undefined)) }))
      .filter((d) => d.scenes.length > 0)
      .sort((a, b) => b.scenes.length - a.scenes.length || sourceWeight(b.source) - sourceWeight(a.source) || compareStrings(a.source, b.source));
    picked.push(...(described[0]?.scenes ?? [{ position, kind }]));
  }
  return picked.sort(
    (a, b) => POSITION_ORDER[a.position] - POSITION_ORDER[b.position] || compareStrings(a.kind, b.kind) || compareStrings(a.description ?? '', b.description ?? ''),
  );
}

function dedupe(scenes: readonly CreditScene[]): CreditScene[] {
  return [...new Map(scenes.map((s) => [s.description, s])).values()];
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
