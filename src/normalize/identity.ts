/**
 * Identity: which observations are about the same film.
 *
 * Observations are filed under a film id (the IMDb id, or `tmdb:<n>` for a film found before its IMDb id
 * was known). Two ids are the same film when an observation links them (a TMDB details body gives both its
 * TMDB and IMDb ids). Links never merge two different IMDb ids: such a link is a conflict, reported and not
 * followed — an ambiguous identity is reported, not guessed.
 *
 * `IdentityIndex` is fed the observations one at a time, in store order, and keeps only what links need: a
 * union-find over numeric codes of the ids that appear in a link (a typed-array hash table, not a map of
 * strings), and the `tmdb:` ids observations are filed under. At a million films that is tens of megabytes,
 * so the streaming build can settle every film's identity in a first pass and then read the films one at a
 * time. A group that has an IMDb id always has it as its root (an IMDb id only ever absorbs groups without
 * one), which is what makes the canonical id cheap to read back.
 */
import type { Observation } from '../schema/observation.ts';
import { filmIdCode, filmIdOfCode, isImdbCode } from '../schema/ids.ts';

export interface FilmGroup {
  /** The canonical id: the group's IMDb id, else its smallest `tmdb:<n>` id. */
  id: string;
  /** Every film id the group's observations were filed under. */
  keys: string[];
  observations: Observation[];
}

export interface IdentityConflict {
  ids: [string, string];
  /** The observation that would have linked them. */
  via: { source: string; url: string };
}

/** What identity needs of an observation: where it is filed, the ids it gives, and where it came from (read only for a conflict). */
export interface IdentityFacts {
  movie: string;
  ids: { imdb?: string; tmdb?: number };
  via(): { source: string; url: string };
}

/** The settled identities: the canonical id of every filing key, and the conflicts met on the way. */
export interface Identities {
  /** The canonical id of the film a filing key belongs to (the key itself when it is canonical). */
  canonicalOf(key: string): string;
  /** Filing keys that are not their film's canonical id → that id (few: films linked after being filed). */
  remapped: ReadonlyMap<string, string>;
  /** Canonical id → the filing keys remapped to it, sorted. */
  absorbed: ReadonlyMap<string, readonly string[]>;
  conflicts: IdentityConflict[];
}

const isImdb = isImdbCode;

/** Open-addressing hash table: id code → dense node index. */
class NodeTable {
  private keys = new Float64Array(1 << 12);
  private slots = new Int32Array(1 << 12).fill(-1);
  codes = new Float64Array(1 << 10);
  parent = new Int32Array(1 << 10);
  size = 0;

  private static hash(code: number): number {
    const lo = code >>> 0;
    const hi = Math.floor(code / 4294967296);
    return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 15);
  }

  /** The node of `code`, or -1. */
  find(code: number): number {
    const mask = this.slots.length - 1;
    for (let i = NodeTable.hash(code) & mask; ; i = (i + 1) & mask) {
      const slot = this.slots[i]!;
      if (slot === -1) return -1;
      if (this.keys[i] === code) return slot;
    }
  }

  /** The node of `code`, created (as its own root) when new. */
  add(code: number): number {
    const found = this.find(code);
    if (found !== -1) return found;
    if (this.size === this.codes.length) {
      this.codes = grow(this.codes, this.size * 2);
      this.parent = grow(this.parent, this.size * 2);
    }
    const node = this.size++;
    this.codes[node] = code;
    this.parent[node] = node;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(code, node);
    return node;
  }

  private place(code: number, node: number): void {
    const mask = this.slots.length - 1;
    let i = NodeTable.hash(code) & mask;
    while (this.slots[i] !== -1) i = (i + 1) & mask;
    this.slots[i] = node;
    this.keys[i] = code;
  }

  private rehash(capacity: number): void {
    this.keys = new Float64Array(capacity);
    this.slots = new Int32Array(capacity).fill(-1);
    for (let node = 0; node < this.size; node++) this.place(this.codes[node]!, node);
  }

  root(node: number): number {
    let root = node;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (node !== root) {
      const next = this.parent[node]!;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }
}

function grow<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(length);
  bigger.set(array);
  return bigger;
}

/** Numbers appended one at a time, sorted and deduplicated on demand. */
class CodeList {
  private values = new Float64Array(1 << 10);
  private length = 0;
  push(code: number): void {
    if (this.length > 0 && this.values[this.length - 1] === code) return;
    if (this.length === this.values.length) this.values = grow(this.values, this.length * 2);
    this.values[this.length++] = code;
  }
  sorted(): Float64Array {
    const sorted = this.values.slice(0, this.length).sort();
    let unique = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i]!;
    return sorted.subarray(0, unique);
  }
}

function contains(sorted: Float64Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const candidate = sorted[middle]!;
    if (candidate === value) return true;
    if (candidate < value) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** Settles identities from observations given in store order (see the module notes). */
export class IdentityIndex {
  private readonly nodes = new NodeTable();
  private readonly tmdbFilingKeys = new CodeList();
  private readonly conflicts: IdentityConflict[] = [];
  private readonly conflictPairs = new Set<string>();

  /** Takes one observation's links. */
  add(o: IdentityFacts): void {
    if (o.movie.startsWith('tmdb:')) this.tmdbFilingKeys.push(filmIdCode(o.movie));
    if (o.ids.tmdb !== undefined) this.link(o.movie, `tmdb:${o.ids.tmdb}`, o);
    if (o.ids.imdb !== undefined) this.link(o.movie, o.ids.imdb, o);
  }

  private link(a: string, b: string, via: IdentityFacts): void {
    if (a === b) return;
    const nodes = this.nodes;
    const ra = nodes.root(nodes.add(filmIdCode(a)));
    const rb = nodes.root(nodes.add(filmIdCode(b)));
    if (ra === rb) return;
    const imdbA = isImdb(nodes.codes[ra]!);
    const imdbB = isImdb(nodes.codes[rb]!);
    if (imdbA && imdbB) {
      const ids = [filmIdOfCode(nodes.codes[ra]!), filmIdOfCode(nodes.codes[rb]!)].sort() as [string, string];
      const pair = ids.join('|');
      if (!this.conflictPairs.has(pair)) {
        this.conflictPairs.add(pair);
        this.conflicts.push({ ids, via: via.via() });
      }
      return;
    }
    // The root that carries an IMDb id stays the root; without one, b's root does.
    if (imdbA) nodes.parent[rb] = ra;
    else nodes.parent[ra] = rb;
  }

  /** The canonical id of every filing key, once every observation has been added. */
  settle(): Identities {
    const nodes = this.nodes;
    const filing = this.tmdbFilingKeys.sorted();
    // A group without an IMDb id is named by its smallest `tmdb:` filing key.
    const smallest = new Float64Array(nodes.size).fill(Infinity);
    for (let node = 0; node < nodes.size; node++) {
      const code = nodes.codes[node]!;
      if (isImdb(code) || !contains(filing, code)) continue;
      const root = nodes.root(node);
      if (code < smallest[root]!) smallest[root] = code;
    }
    const remapped = new Map<string, string>();
    const absorbed = new Map<string, string[]>();
    for (let node = 0; node < nodes.size; node++) {
      const code = nodes.codes[node]!;
      // IMDb filing keys are always their group's root, hence canonical: only `tmdb:` keys can be remapped.
      if (isImdb(code) || !contains(filing, code)) continue;
      const root = nodes.root(node);
      const canonical = isImdb(nodes.codes[root]!) ? nodes.codes[root]! : smallest[root]!;
      if (canonical === code) continue;
      const key = filmIdOfCode(code);
      const id = filmIdOfCode(canonical);
      remapped.set(key, id);
      absorbed.set(id, [...(absorbed.get(id) ?? []), key]);
    }
    for (const keys of absorbed.values()) keys.sort();
    return {
      canonicalOf: (key) => remapped.get(key) ?? key,
      remapped,
      absorbed,
      conflicts: this.conflicts,
    };
  }
}

export function groupObservations(observations: readonly Observation[]): { groups: FilmGroup[]; conflicts: IdentityConflict[] } {
  const index = new IdentityIndex();
  for (const o of observations) index.add({ movie: o.movie, ids: o.ids, via: () => ({ source: o.source, url: o.url }) });
  const identities = index.settle();
  const byId = new Map<string, { keys: Set<string>; observations: Observation[] }>();
  for (const o of observations) {
    const id = identities.canonicalOf(o.movie);
    let group = byId.get(id);
    if (!group) byId.set(id, (group = { keys: new Set(), observations: [] }));
    group.keys.add(o.movie);
    group.observations.push(o);
  }
  const groups = [...byId].map(([id, group]) => ({ id, keys: [...group.keys].sort(), observations: group.observations }));
  groups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { groups, conflicts: identities.conflicts };
}
