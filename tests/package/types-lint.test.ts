/**
 * The packed tarball as type checkers and linters of npm packages read it: `@arethetypeswrong/cli` (every entry
 * point under node10, node16 from CommonJS and from ESM, and bundlers) and `publint` (package.json against the
 * files). Both run from the dev dependencies, offline, on the tarball `npm pack` makes of a fresh snapshot.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { buildSnapshot, packAndInstall, removeSnapshot, type Snapshot } from '../helpers/snapshot.ts';

const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');
let snapshot: Snapshot;
let tarball: string;

beforeAll(async () => {
  snapshot = await buildSnapshot();
  ({ tarball } = packAndInstall(snapshot));
}, 120_000);
afterAll(() => removeSnapshot(snapshot));

describe('the packed package', () => {
  it('has types right for every entry point and resolver (arethetypeswrong); movies.sqlite is a data file, not a module', () => {
    const out = execFileSync(path.join(BIN, 'attw'), [tarball, '--format', 'json', '--exclude-entrypoints', './movies.sqlite'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const result = JSON.parse(out) as { analysis: { problems: { kind: string; entrypoint?: string; resolutionKind?: string }[]; entrypoints: Record<string, unknown> } };
    expect(Object.keys(result.analysis.entrypoints)).toEqual(expect.arrayContaining(['.', './movies.json', './movies.compact.json']));
    expect(result.analysis.problems.map((p) => `${p.entrypoint ?? ''} ${p.resolutionKind ?? ''} ${p.kind}`)).toEqual([]);
  });

  it('passes publint (package.json, exports and files agree)', () => {
    const out = execFileSync(path.join(BIN, 'publint'), [snapshot.datasetDir, '--strict'], { encoding: 'utf8' });
    expect(out).toContain('All good!');
  });
});
