/**
 * The packed tarball as type checkers and linters of npm packages read it: `@arethetypeswrong/cli` (every entry
 * point under node10, node16 from CommonJS and from ESM, and bundlers) and `publint` (package.json against the
 * files). Both run from the dev dependencies, offline, on the tarball `npm pack` makes of a fresh snapshot.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.ts';
import { buildSnapshot, packAndInstall, removeSnapshot, type Snapshot } from '../helpers/snapshot.ts';

const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');
let snapshot: Snapshot;
/** The tarballs of the two packages with code: the dataset package and the records companion. */
let tarballs: { name: string; tarball: string }[];

beforeAll(async () => {
  snapshot = await buildSnapshot();
  const consumer = packAndInstall(snapshot, { companions: ['records'] });
  tarballs = [
    { name: 'stingerdb', tarball: consumer.tarball },
    { name: 'stingerdb-records', tarball: consumer.companions.records!.tarball },
  ];
}, 120_000);
afterAll(() => removeSnapshot(snapshot));

describe('the packed package', () => {
  it.each([0, 1])('has types right for every entry point and resolver (arethetypeswrong); the browser entry is ESM only (package %#)', (n) => {
    const { name, tarball } = tarballs[n]!;
    // attw exits 1 on any problem, the expected one included, before a pipe is drained: its JSON report goes to a
    // file (written synchronously) and is read either way.
    const report = path.join(snapshot.root, `attw-${name}.json`);
    const fd = openSync(report, 'w');
    try {
      spawnSync(path.join(BIN, 'attw'), [tarball, '--format', 'json'], { stdio: ['ignore', fd, 'pipe'] });
    } finally {
      closeSync(fd);
    }
    const out = readFileSync(report, 'utf8');
    const result = JSON.parse(out) as { analysis: { problems: { kind: string; entrypoint?: string; resolutionKind?: string }[]; entrypoints: Record<string, unknown> } };
    expect(Object.keys(result.analysis.entrypoints)).toEqual(expect.arrayContaining(name === 'stingerdb' ? ['.', './browser'] : ['.', './browser', './movies.json', './movies.compact.json']));
    const problems = result.analysis.problems.map((p) => `${p.entrypoint ?? ''} ${p.resolutionKind ?? ''} ${p.kind}`);
    // The one expected: the browser entry is ES modules only, so require() of it from CommonJS is refused.
    expect(problems.filter((p) => p !== './browser node16-cjs CJSResolvesToESM')).toEqual([]);
    expect(Object.keys(result.analysis.entrypoints)).toContain('./browser');
  });

  it('passes publint (package.json, exports and files agree), and so do the companions stingerdb-records and stingerdb-sqlite', () => {
    for (const dir of [snapshot.datasetDir, path.join(snapshot.datasetDir, 'records'), path.join(snapshot.datasetDir, 'sqlite')]) {
      const out = execFileSync(path.join(BIN, 'publint'), [dir, '--strict'], { encoding: 'utf8' });
      expect(out, dir).toContain('All good!');
    }
  });
});
