/**
 * The end-of-run summary: per source what was asked and what came back, then what was built and published.
 * Plain text for terminals; the same facts as Markdown for CI run reports.
 */
import type { SourceStats } from './collect.ts';
import { DELIST_AFTER } from './listings.ts';
import type { RunReport } from './run.ts';

const COLUMNS: [keyof SourceStats | 'time', string][] = [
  ['source', 'source'],
  ['requests', 'requests'],
  ['replay', 'replay'],
  ['network', 'network'],
  ['notModified', '304'],
  ['misses', 'misses'],
  ['failures', 'failures'],
  ['fresh', 'fresh'],
  ['films', 'films'],
  ['filmsChanged', 'changed'],
  ['time', 'busy'],
];

function cells(s: SourceStats): string[] {
  return COLUMNS.map(([key]) => (key === 'time' ? `${(s.durationMs / 1000).toFixed(1)}s` : String(s[key as keyof SourceStats])));
}

/** "collect (replay): 12 films asked about (2183 of the 2195 considered were fresh), 3 observations changed in 2 films". */
function collectHeadline(report: RunReport): string {
  const c = report.collect!;
  const fresh = c.considered - c.films;
  const changedFilms = c.stats.reduce((n, s) => n + s.filmsChanged, 0);
  return (
    `collect (${report.mode}): ${c.films} films asked about${fresh > 0 ? ` (${fresh} of the ${c.considered} considered were fresh)` : ''}, ` +
    `${c.changed} observations changed${c.changed ? ` (${changedFilms} film–source pairs)` : ''}`
  );
}

function errorsOf(s: SourceStats): string {
  return Object.entries(s.errors)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
}

export function formatSummary(report: RunReport, { problemsPerSource = 5 } = {}): string {
  const lines: string[] = [];
  if (report.collect) {
    const rows = [COLUMNS.map(([, title]) => title), ...report.collect.stats.map(cells)];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    lines.push(collectHeadline(report));
    for (const row of rows) lines.push(`  ${row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`);
    const misses = report.collect.stats.reduce((n, s) => n + s.misses, 0);
    if (report.mode === 'replay' && misses > 0) {
      lines.push(`  misses in replay: ${misses} requests the corpus holds no recording of (it records a few dozen films per source); live, they are asked`);
    }
    for (const s of report.collect.stats) {
      const notes = [s.skipped, errorsOf(s) && `errors: ${errorsOf(s)}`].filter(Boolean);
      if (notes.length) lines.push(`  ${s.source}: ${notes.join(' · ')}`);
      for (const p of s.problems.slice(0, problemsPerSource)) lines.push(`    - ${p}`);
      if (s.problems.length > problemsPerSource) lines.push(`    - … ${s.problems.length - problemsPerSource} more`);
    }
  }
  for (const line of feedLines(report)) lines.push(`  ${line}`);
  if (report.resumed) lines.push(`resumed an interrupted run: ${report.resumed} answers came from its journal, not the network`);
  const future = futureDatedLine(report);
  if (future) lines.push(future);
  for (const notice of report.ignoredFiles) lines.push(`observations: ${notice}`);
  if (report.build) {
    const r = report.build.report;
    lines.push(`build: ${report.build.movies} films from ${report.observations} observations`);
    if (r.creditConflicts.length) lines.push(`  credit-scene conflicts: ${r.creditConflicts.length} (${r.creditConflicts.slice(0, 5).map((c) => `${c.id} ${c.slots.join('+')}`).join(', ')}${r.creditConflicts.length > 5 ? ', …' : ''})`);
    if (r.scoreDisagreements.length) {
      lines.push(`  score disagreements: ${r.scoreDisagreements.length}`);
      for (const d of r.scoreDisagreements.slice(0, 5)) {
        lines.push(`    - ${d.id} ${d.group}: ${d.winner.value} (${d.winner.source}, ${d.winner.observedAt}) used; ${d.other.value} (${d.other.source}, ${d.other.observedAt})`);
      }
    }
    if (r.unlinkedCount) {
      const twins = r.unlinked.filter((u) => u.sameTitleAs).slice(0, 10);
      lines.push(
        `  films known only by a TMDB id (no source links them to an IMDb id yet): ${r.unlinkedCount}` +
          (twins.length ? `; with the title and year of an IMDb-id film, likely the same film: ${twins.map((u) => `${u.id} ~ ${u.sameTitleAs} (${u.title}${u.year ? `, ${u.year}` : ''})`).join(', ')}` : ''),
      );
    }
    if (r.identityConflicts.length) lines.push(`  identity conflicts (not merged): ${r.identityConflicts.map((c) => `${c.ids.join(' / ')} via ${c.via.source}`).join('; ')}`);
    if (r.idConflicts.length) lines.push(`  id disagreements: ${r.idConflicts.slice(0, 5).map((c) => `${c.id} ${c.conflicts.join('; ')}`).join(' | ')}`);
  }
  if (report.refused) {
    lines.push('publish refused — nothing written, the previous snapshot stays:', ...report.refused.map((l) => `  ${l}`));
    lines.push('  Read the report; if the data is right, publish anyway with --force-publish (records that fail the schema never are).');
  }
  if (report.overridden) lines.push('quality gates overridden with --force-publish:', ...report.overridden.map((l) => `  ${l}`));
  if (report.publish) {
    const p = report.publish;
    lines.push(
      p.changed
        ? `publish: ${p.outDir} is now ${p.version}${p.previousVersion ? ` (was ${p.previousVersion})` : ''}`
        : `publish: nothing changed, ${p.outDir} stays ${p.version}`,
    );
  }
  lines.push(`done in ${(report.durationMs / 1000).toFixed(1)}s`);
  return lines.join('\n');
}

const DAY_MS = 86_400_000;

/** One line per whole-catalogue feed answer, and the films it stopped (or started again) listing. */
function feedLines(report: RunReport): string[] {
  const lines: string[] = [];
  for (const f of report.collect?.feeds ?? []) {
    const usual = f.usual !== null ? `${f.usual} usual` : 'nothing to compare with yet';
    const declared = f.declared !== null ? `, ${f.declared} declared` : '';
    if (!f.degraded) lines.push(`${f.source} feed: ${f.listed} films listed (${usual}${declared})`);
    else {
      const age = f.missingLastListed ? Math.max(0, Math.floor((Date.parse(report.clock) - Date.parse(f.missingLastListed.oldest)) / DAY_MS)) : null;
      const since = f.missingLastListed ? ` — last listed ${f.missingLastListed.oldest}${f.missingLastListed.newest !== f.missingLastListed.oldest ? ` to ${f.missingLastListed.newest}` : ''}${age !== null ? `, up to ${age === 1 ? '1 day' : `${age} days`} ago` : ''}` : '';
      lines.push(`${f.source} feed: DEGRADED — ${f.listed} films listed (${usual}${declared}); the ${f.missing} it leaves out keep their last observation${since}`);
    }
    const some = (ids: readonly string[]) => `${ids.slice(0, 10).join(', ')}${ids.length > 10 ? `, … ${ids.length - 10} more` : ''}`;
    if (f.noLongerListed.length) lines.push(`${f.source}: no longer listed (left out of ${DELIST_AFTER} healthy listings in a row): ${f.noLongerListed.length} films — ${some(f.noLongerListed)}; their claims still count, marked in the evidence`);
    if (f.listedAgain.length) lines.push(`${f.source}: listed again: ${f.listedAgain.length} films — ${some(f.listedAgain)}`);
  }
  return lines;
}

/** Checks and observations from the future of this run's clock, when there were any. */
function futureDatedLine(report: RunReport): string | null {
  const f = report.collect?.futureDated;
  if (!f || (f.checks === 0 && f.observations === 0)) return null;
  return `clock: ${f.checks} checks and ${f.observations} observations were dated after this run's clock (${report.clock}): treated as never made, so they were asked again (an earlier run with its clock set ahead, e.g. STINGERDB_NOW?)`;
}

/** The same facts as a Markdown report (GitHub step summaries). */
export function formatMarkdownSummary(report: RunReport): string {
  const lines: string[] = ['## stingerdb run', ''];
  if (report.collect) {
    lines.push(`Mode: ${report.mode}; films: ${report.collect.films}; observations changed: ${report.collect.changed}.`, '');
    lines.push(`| ${COLUMNS.map(([, t]) => t).join(' | ')} | notes |`, `|${COLUMNS.map(() => '---').join('|')}|---|`);
    for (const s of report.collect.stats) {
      const notes = [s.skipped, errorsOf(s)].filter(Boolean).join('; ').replace(/\|/g, '\\|');
      lines.push(`| ${cells(s).join(' | ')} | ${notes} |`);
    }
    lines.push('');
  }
  const feeds = feedLines(report);
  if (feeds.length) lines.push(...feeds.map((line) => `- ${line.replace(/DEGRADED/, '**degraded**').replace(/\|/g, '\\|')}`), '');
  const future = futureDatedLine(report);
  if (future) lines.push(`**${future}**`, '');
  if (report.build) lines.push(`Built ${report.build.movies} films; ${report.build.report.creditConflicts.length} credit-scene conflicts; ${report.build.report.scoreDisagreements.length} score disagreements.`, '');
  if (report.refused) lines.push('**Publish refused** (the previous snapshot stays):', '', ...report.refused, '');
  if (report.overridden) lines.push('Quality gates overridden with `--force-publish`:', '', ...report.overridden, '');
  if (report.publish) lines.push(report.publish.changed ? `Published **${report.publish.version}**.` : `Nothing changed: still ${report.publish.version}.`, '');
  return `${lines.join('\n')}\n`;
}
