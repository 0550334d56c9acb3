/**
 * Identity: which observations are about the same film.
 *
 * Observations are filed under a film id (the IMDb id, or `tmdb:<n>` for a film found before its IMDb id
 * was known). Two ids are the same film when an observation links them (a TMDB details body gives both its
 * TMDB and IMDb ids). Links never merge two different IMDb ids: such a link is a conflict, reported and not
 * followed — an ambiguous identity is reported, not guessed.
 */
import type { Observation } from '../observations/schema.ts';

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

export function groupObservations(observations: readonly Observation[]): { groups: FilmGroup[]; conflicts: IdentityConflict[] } {
  const parent = new Map<string, string>();
  const imdbOf = new Map<string, string | undefined>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root)!;
    let node = key;
    while (node !== root) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const add = (key: string) => {
    if (!parent.has(key)) {
      parent.set(key, key);
      imdbOf.set(key, key.startsWith('tt') ? key : undefined);
    }
  };
  const conflicts: IdentityConflict[] = [];
  const union = (a: string, b: string, via: Observation) => {
    add(a);
    add(b);
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    const ia = imdbOf.get(ra);
    const ib = imdbOf.get(rb);
    if (ia && ib && ia !== ib) {
      conflicts.push({ ids: [ia, ib].sort() as [string, string], via: { source: via.source, url: via.url } });
      return;
    }
    // Keep the root that carries the IMDb id.
    const [root, child] = ia ? [ra, rb] : [rb, ra];
    parent.set(child, root);
    imdbOf.set(root, ia ?? ib);
  };

  for (const o of observations) add(o.movie);
  for (const o of observations) {
    if (o.ids.tmdb !== undefined) union(o.movie, `tmdb:${o.ids.tmdb}`, o);
    if (o.ids.imdb !== undefined) union(o.movie, o.ids.imdb, o);
  }

  const byRoot = new Map<string, { keys: Set<string>; observations: Observation[] }>();
  for (const o of observations) {
    const root = find(o.movie);
    let group = byRoot.get(root);
    if (!group) byRoot.set(root, (group = { keys: new Set(), observations: [] }));
    group.keys.add(o.movie);
    group.observations.push(o);
  }
  const groups: FilmGroup[] = [];
  for (const [root, group] of byRoot) {
    const keys = [...group.keys].sort();
    const id = imdbOf.get(root) ?? keys.filter((k) => k.startsWith('tmdb:')).sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))[0] ?? keys[0]!;
    groups.push({ id, keys, observations: group.observations });
  }
  groups.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seen = new Set<string>();
  const unique = conflicts.filter((c) => {
    const key = c.ids.join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { groups, conflicts: unique };
}
