/**
 * The layers of `src/`, checked on every import (static, re-export and dynamic) of every module:
 *
 *   ground floor   errors.ts, schema/ (the record, the observation, film ids, sources, the score catalogue),
 *                  lib/ (text, JSON, dates, the title fold, files) — imports nothing above it
 *   below stages   http/; scrapers/ (may use http/); observations/ — never import a stage
 *   stages         normalize/ (may read observations/) → publish/ → pipeline/ (wires everything)
 *   on top         cli.ts, eval/ (may read observations/ and the stage that answers, normalize/)
 *
 * plus: no import cycle among the modules. A rule broken here is a module in the wrong place, or an arrow
 * against the flow of the data.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/corpus.ts';

const SRC = path.join(REPO_ROOT, 'src');

type Layer = 'ground' | 'http' | 'scrapers' | 'observations' | 'normalize' | 'publish' | 'pipeline' | 'eval' | 'cli';

/** Which layers each layer may import (its own included). */
const MAY_IMPORT: Record<Layer, readonly Layer[]> = {
  ground: ['ground'],
  http: ['ground', 'http'],
  scrapers: ['ground', 'http', 'scrapers'],
  observations: ['ground', 'observations'],
  normalize: ['ground', 'observations', 'normalize'],
  publish: ['ground', 'publish'],
  pipeline: ['ground', 'http', 'scrapers', 'observations', 'normalize', 'publish', 'pipeline'],
  eval: ['ground', 'observations', 'normalize', 'eval'],
  cli: ['ground', 'http', 'scrapers', 'observations', 'normalize', 'publish', 'pipeline', 'eval', 'cli'],
};

function layerOf(file: string): Layer {
  const [top] = path.relative(SRC, file).split(path.sep);
  if (top === 'errors.ts' || top === 'schema' || top === 'lib') return 'ground';
  if (top === 'cli.ts') return 'cli';
  if (top && top in MAY_IMPORT) return top as Layer;
  throw new Error(`${path.relative(REPO_ROOT, file)}: a module outside every layer (give it one in tests/layering.test.ts)`);
}

/** Every TypeScript module under src/ (the package templates in publish/package are plain JavaScript files). */
function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return modules(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The modules of src/ a module imports (packages and node: builtins left out). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) found.push(path.resolve(path.dirname(file), spec));
  }
  return found;
}

const graph = new Map(modules(SRC).map((file) => [file, importsOf(file)]));
const shown = (file: string) => path.relative(REPO_ROOT, file);

describe('the layers of src/', () => {
  it('finds the modules and their imports (the check reads what it should)', () => {
    expect(graph.size).toBeGreaterThan(60);
    expect(graph.get(path.join(SRC, 'pipeline', 'run.ts'))).toContain(path.join(SRC, 'publish', 'snapshot.ts'));
  });

  it('every import goes to the same layer or one the layer may use', () => {
    const wrong: string[] = [];
    for (const [file, imports] of graph) {
      const from = layerOf(file);
      for (const target of imports) {
        const to = layerOf(target);
        if (!MAY_IMPORT[from].includes(to)) wrong.push(`${shown(file)} (${from}) imports ${shown(target)} (${to})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no import cycle', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].map(shown).join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('would catch an arrow against the flow (the rule can fail)', () => {
    expect(MAY_IMPORT[layerOf(path.join(SRC, 'scrapers', 'tmdb', 'parse.ts'))]).not.toContain('normalize');
    expect(MAY_IMPORT[layerOf(path.join(SRC, 'lib', 'text.ts'))]).toEqual(['ground']);
  });
});
