/**
 * `status`: what the observation store holds and what is published — films, and per source how many films
 * it covers, how many observations, and how old the newest and oldest are.
 */
import { newestObservedAt, oldestObservedAt } from '../normalize/dates.ts';
import { groupObservations } from '../normalize/identity.ts';
import { ObservationStore } from '../observations/store.ts';
import { readManifest } from '../publish/snapshot.ts';
import { SOURCES } from '../scrapers/index.ts';

export function printStatus(options: { observationsDir: string; outDir: string }): string {
  const store = ObservationStore.load(options.observationsDir);
  const observations = store.all();
  const { groups } = groupObservations(observations);
  const manifest = readManifest(options.outDir);
  const lines = [
    `observations: ${observations.length} in ${options.observationsDir} (${groups.length} films)`,
    `dataset: ${manifest ? `${manifest.version}, ${manifest.counts.movies} films` : 'not published yet'} in ${options.outDir}`,
    '',
  ];
  const rows = [['source', 'films', 'observations', 'newest', 'oldest']];
  for (const source of SOURCES) {
    const mine = observations.filter((o) => o.source === source.id);
    const films = new Set(mine.map((o) => o.movie)).size;
    const dates = mine.map((o) => o.observedAt);
    rows.push([source.id, String(films), String(mine.length), newestObservedAt(dates) ?? '-', oldestObservedAt(dates) ?? '-']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) lines.push(row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  for (const p of store.problems) lines.push(`problem: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  return `${lines.join('\n')}\n`;
}
