import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stableStringify } from '../../src/lib/json.ts';
import { Observation } from '../../src/schema/observation.ts';
import { DamagedObservationsError } from '../../src/errors.ts';
import { ObservationStore, validateObservation } from '../../src/observations/store.ts';
import { IdentityIndex } from '../../src/normalize/identity.ts';

function obs(partial: Record<string, unknown>): Observation {
  return Observation.parse({ url: 'https://api.themoviedb.org/3/movie/1', observedAt: '2024-01-01', ids: {}, ...partial });
}

const details = (movie: string, title: string, extra: Record<string, unknown> = {}) => obs({ source: 'tmdb', movie, kind: 'details', title, ...extra });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stingerdb-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function storeDir(name: string, files: Record<string, string[]>): string {
  const d = path.join(dir, name);
  rmSync(d, { recursive: true, force: true });
  mkdirSync(d, { recursive: true });
  for (const [file, lines] of Object.entries(files)) writeFileSync(path.join(d, file), lines.length ? `${lines.join('\n')}\n` : '');
  return d;
}

const line = (o: Observation) => stableStringify(o);
const streamed = (store: ObservationStore) => store.sources().map((s) => ({ source: s.source, observations: [...s.observations()].map(line) }));
/** The identities the links of a store's sources settle. */
function identities(store: ObservationStore) {
  const index = new IdentityIndex();
  for (const source of store.sources()) for (const links of source.links()) index.add(links);
  const { remapped, absorbed, conflicts } = index.settle();
  return { remapped: [...remapped], absorbed: [...absorbed], conflicts };
}

describe('ObservationStore (lazy)', () => {
  it('refuses a file with unreadable lines, naming each damaged file and its first bad line, and notes unknown files', () => {
    const d = storeDir('problems', {
      'tmdb.jsonl': [line(details('tt0000001', 'A')), '{not json', '', line(details('tt0000002', 'B')), JSON.stringify({ ...details('tt0000003', 'C'), title: '' })],
      'omdb.jsonl': [JSON.stringify({ ...details('tt0000001', 'A'), source: 'omdb', title: '' })],
      'nosuch.jsonl': [],
    });
    const store = ObservationStore.load(d);
    let error: unknown;
    try {
      store.verify();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DamagedObservationsError);
    const damaged = (error as DamagedObservationsError).damaged.map((p) => [path.basename(p.file), p.line, p.reason, p.others]);
    expect(damaged).toEqual([
      ['omdb.jsonl', 1, expect.stringMatching(/^fails the schema: title: Too small/), 0],
      ['tmdb.jsonl', 2, expect.stringMatching(/^not JSON \(/), 1],
    ]);
    // Every way in refuses alike: nothing is ever read as fewer observations.
    expect(() => store.size).toThrow(DamagedObservationsError);
    expect(() => store.sources()).toThrow(DamagedObservationsError);
    expect(() => store.all()).toThrow(DamagedObservationsError);
    expect(() => store.put([details('tt0000009', 'Z')])).toThrow(DamagedObservationsError);

    rmSync(path.join(d, 'tmdb.jsonl'));
    rmSync(path.join(d, 'omdb.jsonl'));
    const fresh = ObservationStore.load(d);
    expect(fresh.ignoredFiles).toEqual([`${path.join(d, 'nosuch.jsonl')}: unknown source "nosuch": file ignored`]);
    expect(fresh.size).toBe(0);
  });

  it('streams each source in store order from its file, the same as from memory', () => {
    const observations = [
      details('tt0000002', 'B'),
      obs({ source: 'tmdb', movie: 'tmdb:9', kind: 'ids', ids: { tmdb: 9, imdb: 'tt0000002' } }),
      details('tt0000001', 'A'),
      obs({ source: 'aftercredits', movie: 'tt0000001', kind: 'creditScenes', url: 'https://example.org/feed', ids: { imdb: 'tt0000001' }, during: true, after: null, strength: 'strong', scenes: [] }),
    ];
    const written = ObservationStore.load(path.join(dir, 'order'));
    written.put(observations);
    written.save();
    const fromFiles = ObservationStore.load(path.join(dir, 'order'));
    expect(streamed(fromFiles)).toEqual(streamed(written));
    expect(streamed(fromFiles).map((s) => s.source)).toEqual(['aftercredits', 'tmdb']);
    // The scan's log of links (not the lines) settles the same identities as the observations in memory.
    expect(identities(fromFiles)).toEqual(identities(written));
    expect(identities(fromFiles).remapped).toEqual([['tmdb:9', 'tt0000002']]);
    fromFiles.all();
    expect(streamed(fromFiles)).toEqual(streamed(written));
  });

  it('sorts a file edited out of order, and keeps the last line of a key given twice (as loading does)', () => {
    const d = storeDir('edited', {
      'tmdb.jsonl': [line(details('tt0000002', 'B')), line(details('tt0000001', 'old')), line(details('tt0000001', 'new'))],
      'omdb.jsonl': [line(obs({ source: 'omdb', movie: 'tt0000001', kind: 'details', title: 'first' })), line(obs({ source: 'omdb', movie: 'tt0000001', kind: 'details', title: 'second' }))],
    });
    const store = ObservationStore.load(d);
    expect(store.size).toBe(3);
    const titles = (s: ReturnType<typeof streamed>[number]) => s.observations.map((o) => (JSON.parse(o) as { title: string }).title);
    const [omdb, tmdb] = streamed(store);
    expect(titles(tmdb!)).toEqual(['new', 'B']);
    expect(titles(omdb!)).toEqual(['second']);
    expect(store.all().map((o) => (o as { title?: string }).title).sort()).toEqual(['B', 'new', 'second']);
  });

  it('reads a risky key the way safeJsonParse does (dropped), on the fast path too', () => {
    const text = line(details('tt0000001', 'A')).replace('"kind"', '"__proto__":{"x":1},"kind"');
    const d = storeDir('risky', { 'tmdb.jsonl': [text] });
    const store = ObservationStore.load(d);
    expect(() => store.verify()).not.toThrow();
    expect(Object.keys([...store.sources()[0]!.observations()][0]!)).not.toContain('__proto__');
  });

  it('writes what it was given back in store order', () => {
    const store = ObservationStore.load(path.join(dir, 'save'));
    store.put([details('tt0000002', 'B'), details('tt0000001', 'A')]);
    store.save();
    const lines = readFileSync(path.join(dir, 'save', 'tmdb.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as Observation).movie)).toEqual(['tt0000001', 'tt0000002']);
  });
});

describe('validateObservation', () => {
  it('gives the union\'s verdict, faster', () => {
    const cases: unknown[] = [
      details('tt0000001', 'A'),
      obs({ source: 'tmdb', movie: 'tt0000001', kind: 'score', group: 'tmdb', voteAverage: 7, voteCount: 10 }),
      { ...details('tt0000001', 'A'), title: '' },
      { ...details('tt0000001', 'A'), kind: 'nonsense' },
      { kind: 'constructor' },
      null,
      'text',
      { ...obs({ source: 'tmdb', movie: 'tt0000001', kind: 'score', group: 'tmdb', voteAverage: 7 }), voteAverage: 11 },
    ];
    for (const value of cases) {
      const fast = validateObservation(value);
      const union = Observation.safeParse(value);
      expect(fast.success, JSON.stringify(value)).toBe(union.success);
      if (fast.success && union.success) expect(fast.data).toEqual(union.data);
      else expect(fast.error!.issues).toEqual(union.error!.issues);
    }
  });
});
