/**
 * Normalize: observations in, canonical records out. Pure and offline — the same observations always give
 * the same records, byte for byte once serialized (records sorted by id, arrays in a fixed order, no clock).
 *
 * Steps: group observations by film (`identity.ts`), merge details and ids (`merge.ts`), pick score groups
 * (`scores.ts`), reconcile credit scenes (`credits.ts`), list sources, validate against the schema. Records
 * that fail validation are returned apart with their issues (publish refuses to write them).
 */
import { formatIssues } from '../errors.ts';
import type { Observation } from '../observations/schema.ts';
import { reconcileCredits } from './credits.ts';
import { groupObservations, type IdentityConflict } from './identity.ts';
import { mergeDetails } from './merge.ts';
import { Movie, type SourceRef } from './schema.ts';
import { pickScores, type ScoreDisagreement } from './scores.ts';
import { compareStrings } from './text.ts';

export interface InvalidRecord {
  id: string;
  issues: string[];
}

export interface BuildReport {
  /** Films whose sources disagree on a credit slot. */
  creditConflicts: { id: string; title: string | null; slots: string[]; evidence: Movie['creditScenes']['evidence'] }[];
  scoreDisagreements: (ScoreDisagreement & { id: string })[];
  identityConflicts: IdentityConflict[];
  /** Ids on which sources disagree within one film. */
  idConflicts: { id: string; conflicts: string[] }[];
  invalid: InvalidRecord[];
}

export interface BuildResult {
  movies: Movie[];
  report: BuildReport;
}

export function buildMovies(observations: readonly Observation[]): BuildResult {
  const { groups, conflicts: identityConflicts } = groupObservations(observations);
  const movies: Movie[] = [];
  const report: BuildReport = { creditConflicts: [], scoreDisagreements: [], identityConflicts, idConflicts: [], invalid: [] };
  for (const group of groups) {
    const details = mergeDetails(group.id, group.observations);
    const { scores, disagreements } = pickScores(group.observations);
    const { creditScenes, conflicts } = reconcileCredits(group.observations);
    const { idConflicts, ...fields } = details;
    const candidate = {
      id: group.id,
      ...fields,
      creditScenes,
      scores,
      sources: sourcesOf(group.observations),
    };
    const parsed = Movie.safeParse(candidate);
    if (!parsed.success) {
      report.invalid.push({ id: group.id, issues: formatIssues(parsed.error.issues) });
      continue;
    }
    movies.push(parsed.data);
    if (conflicts.length) report.creditConflicts.push({ id: group.id, title: details.title, slots: conflicts, evidence: creditScenes.evidence });
    for (const d of disagreements) report.scoreDisagreements.push({ id: group.id, ...d });
    if (idConflicts.length) report.idConflicts.push({ id: group.id, conflicts: idConflicts });
  }
  return { movies, report };
}

function sourcesOf(observations: readonly Observation[]): SourceRef[] {
  const refs = new Map<string, SourceRef>();
  for (const o of observations) {
    const key = `${o.source}\u0000${o.url}\u0000${o.observedAt}`;
    if (!refs.has(key)) refs.set(key, { source: o.source, url: o.url, observedAt: o.observedAt });
  }
  return [...refs.values()].sort((a, b) => compareStrings(a.source, b.source) || compareStrings(a.url, b.url) || compareStrings(a.observedAt, b.observedAt));
}
