/**
 * Data lints over the shipped dataset (`dataset/`, committed): what consumers install must pass the schema,
 * carry unique well-formed ids, never put 0 where a value is missing, agree with its manifest, and be exactly
 * what the committed observations give.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IMDB_ID, MOVIE_ID } from '../src/schema/ids.ts';
import { Movie } from '../src/schema/movie.ts';
import { checkDrift } from '../src/pipeline/drift.ts';
import { REPO_ROOT } from './helpers/corpus.ts';
import { SCORE_CATALOGUE } from '../src/schema/scores.ts';

const dir = path.join(REPO_ROOT, 'dataset');
const movies = JSON.parse(readFileSync(path.join(dir, 'records', 'movies.json'), 'utf8')) as Movie[];
const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
  version: string;
  counts: { movies: number; creditScenes: Record<'during' | 'after', { yes: number; no: number; unknown: number }> };
  files: Record<string, { bytes: number; sha256: string }>;
};

describe('the shipped dataset', () => {
  it('every record passes the schema; ids are unique, well-formed and sorted', () => {
    const failures = movies.flatMap((m) => {
      const result = Movie.safeParse(m);
      return result.success ? [] : [`${m.id}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`];
    });
    expect(failures).toEqual([]);
    const ids = movies.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
    for (const m of movies) {
      expect(MOVIE_ID.test(m.id), m.id).toBe(true);
      if (m.id.startsWith('tt')) expect(m.ids.imdb).toBe(m.id);
      if (m.ids.imdb) expect(IMDB_ID.test(m.ids.imdb), m.id).toBe(true);
    }
  });

  it('never lets 0 stand in for a missing score: a 0 always has the votes or reviews behind it', () => {
    const zeros: string[] = [];
    for (const m of movies) {
      for (const score of SCORE_CATALOGUE) {
        const group = m.scores[score.group] as Record<string, unknown> | undefined;
        if (group?.[score.field] === 0 && !group[score.count]) zeros.push(`${m.id} ${score.name}`);
      }
      for (const text of [m.title, m.originalTitle, m.synopsis]) if (text !== null && text !== undefined) expect(text.trim()).not.toBe('');
    }
    expect(zeros).toEqual([]);
  });

  it('a verdict is never "no" without evidence, and "yes" slots list what plays there', () => {
    for (const m of movies) {
      const { during, after, evidence, scenes, confidence } = m.creditScenes;
      if (during === null && after === null) expect(confidence, m.id).toBe(0);
      if (during === false) expect(evidence.some((e) => e.during === false), `${m.id} during false without a "no"`).toBe(true);
      if (after === false) expect(evidence.some((e) => e.after === false), `${m.id} after false without a "no"`).toBe(true);
      if (during === true) expect(scenes.some((s) => s.position === 'during' && (s.kind === 'scene' || s.kind === 'bloopers')), `${m.id}`).toBe(true);
      if (after === true) expect(scenes.some((s) => s.position === 'after' && (s.kind === 'scene' || s.kind === 'bloopers')), `${m.id}`).toBe(true);
    }
  });

  it('agrees with its manifest: counts, sizes and sha256 of every file, the package version', () => {
    expect(manifest.counts.movies).toBe(movies.length);
    for (const slot of ['during', 'after'] as const) {
      expect(manifest.counts.creditScenes[slot]).toEqual({
        yes: movies.filter((m) => m.creditScenes[slot] === true).length,
        no: movies.filter((m) => m.creditScenes[slot] === false).length,
        unknown: movies.filter((m) => m.creditScenes[slot] === null).length,
      });
    }
    for (const [name, { bytes, sha256 }] of Object.entries(manifest.files)) {
      const content = readFileSync(path.join(dir, name));
      expect(content.length, name).toBe(bytes);
      expect(createHash('sha256').update(content).digest('hex'), name).toBe(sha256);
    }
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version).toBe(manifest.version);
  });

  it('is exactly what the committed observations give (else: npm run build, then commit dataset/)', () => {
    const drift = checkDrift({ observationsDir: path.join(REPO_ROOT, 'observations'), outDir: dir });
    expect(drift.ok, drift.message).toBe(true);
  });
});
