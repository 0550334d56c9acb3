/**
 * Credit-scene reconciliation: every source's claim about a film's two credit slots → one verdict per slot
 * (`true` / `false` / `null`), a confidence, the scenes with their kinds, and the evidence kept beside it.
 *
 * Per slot, the claims of each side are combined as independent witnesses (noisy-or of their weights):
 *   support = 1 − Π(1 − weight of each "yes"),   against = 1 − Π(1 − weight of each "no").
 * - only "yes" → true, confidence = support;
 * - only "no" → false when at least one "no" is strong (the source positively says nothing plays), else null:
 *   a crowd keyword list that merely lacks the stinger keyword is weak and never decides alone;
 * - both → the larger side wins (ties → null), confidence = |support − against|, and the film is listed as
 *   a conflict;
 * - no claim → null, confidence 0.
 * A source's claims already follow the dataset's contract (a slot is claimed only for a scene); audio,
 * stills, dedications and text cards arrive as `scenes` entries of their own kind and never make a slot true.
 * The film's confidence is the lower of its known slots' confidences (0 when both are unknown).
 */
import type { CreditScene, CreditSceneEvidence, CreditScenes, ScenePosition, SourceId } from './schema.ts';
import type { CreditScenesObservation, Observation } from '../observations/schema.ts';
import { compareObservedAt } from './dates.ts';
import { compareStrings } from './text.ts';

/**
 * How much one source's claim weighs (0-1). Set from how each source is made and checked against the
 * third-party lists in ../shared/datasets (see the README's evaluation section):
 * - mcuapi: per-scene descriptions written by one maintainer for Marvel Studios films only;
 * - imdb: crazy-credits items are edited submissions that describe the scene itself;
 * - aftercredits: aftercredits.com visitors' reports, curated, but "During Credits" is broad;
 * - tmdb: crowd-added keywords, often missing, rarely wrong when present.
 */
export const SOURCE_WEIGHT: Readonly<Partial<Record<SourceId, number>>> = {
  mcuapi: 0.9,
  imdb: 0.85,
  aftercredits: 0.85,
  tmdb: 0.75,
};
const DEFAULT_WEIGHT = 0.5;
/** A weak "no" (absence from a crowd list) counts this fraction of its source's weight. */
export const WEAK_FACTOR = 0.25;

export interface SlotVerdict {
  value: boolean | null;
  confidence: number;
  conflict: boolean;
}

export function reconcileSlot(claims: readonly { value: boolean | null; weight: number; strong: boolean }[]): SlotVerdict {
  const yes = claims.filter((c) => c.value === true);
  const no = claims.filter((c) => c.value === false);
  const support = 1 - yes.reduce((p, c) => p * (1 - c.weight), 1);
  const against = 1 - no.reduce((p, c) => p * (1 - (c.strong ? c.weight : c.weight * WEAK_FACTOR)), 1);
  const strongNo = no.some((c) => c.strong);
  if (yes.length === 0 && no.length === 0) return { value: null, confidence: 0, conflict: false };
  if (no.length === 0) return { value: true, confidence: round(support), conflict: false };
  if (yes.length === 0) return strongNo ? { value: false, confidence: round(against), conflict: false } : { value: null, confidence: 0, conflict: false };
  const margin = round(Math.abs(support - against));
  if (support > against) return { value: true, confidence: margin, conflict: true };
  if (against > support && strongNo) return { value: false, confidence: margin, conflict: true };
  return { value: null, confidence: 0, conflict: true };
}

export interface ReconciledCredits {
  creditScenes: CreditScenes;
  /** Slots on which sources disagree. */
  conflicts: ScenePosition[];
}

export function reconcileCredits(observations: readonly Observation[]): ReconciledCredits {
  const evidence = observations
    .filter((o): o is CreditScenesObservation => o.kind === 'creditScenes')
    .sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : compareObservedAt(a.observedAt, b.observedAt)));
  const slot = (position: ScenePosition) =>
    reconcileSlot(
      evidence.map((o) => ({
        value: o[position],
        weight: SOURCE_WEIGHT[o.source] ?? DEFAULT_WEIGHT,
        strong: o.strength === 'strong',
      })),
    );
  const during = slot('during');
  const after = slot('after');
  const known = [during, after].filter((s) => s.value !== null).map((s) => s.confidence);
  const scenes = dedupeScenes(evidence.flatMap((o) => o.scenes));
  return {
    creditScenes: {
      during: during.value,
      after: after.value,
      confidence: known.length ? Math.min(...known) : 0,
      scenes,
      evidence: evidence.map(toEvidence),
    },
    conflicts: [during.conflict && ('during' as const), after.conflict && ('after' as const)].filter((x): x is ScenePosition => Boolean(x)),
  };
}

function toEvidence(o: CreditScenesObservation): CreditSceneEvidence {
  return {
    source: o.source,
    ...(o.during !== null && { during: o.during }),
    ...(o.after !== null && { after: o.after }),
    ...(o.detail && { detail: o.detail }),
    observedAt: o.observedAt,
  };
}

const POSITION_ORDER: Record<ScenePosition, number> = { during: 0, after: 1 };

function dedupeScenes(scenes: readonly CreditScene[]): CreditScene[] {
  const seen = new Map<string, CreditScene>();
  for (const scene of scenes) {
    const key = `${scene.position}|${scene.kind}|${scene.description ?? ''}`;
    if (!seen.has(key)) seen.set(key, scene);
  }
  // A described scene makes an undescribed one of the same position and kind redundant.
  const list = [...seen.values()].filter(
    (s) => s.description !== undefined || ![...seen.values()].some((o) => o !== s && o.position === s.position && o.kind === s.kind && o.description !== undefined),
  );
  return list.sort((a, b) => POSITION_ORDER[a.position] - POSITION_ORDER[b.position] || compareStrings(a.kind, b.kind) || compareStrings(a.description ?? '', b.description ?? ''));
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
