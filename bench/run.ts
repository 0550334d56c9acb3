/**
 * `npm run bench`: the four measurements of issue 7, each beside its baseline in the same run, every one in
 * a child process of its own. Prints a table and writes `bench/results.json` (`--quick`: a smaller run for
 * development, under a minute, written to `bench/work/results.quick.json` instead).
 *
 * 1. Parse throughput per source on the corpus pages, beside `cheerio.load`, `cheerio/slim` and htmlparser2.
 * 2. Normalize + publish (`build`) over synthetic stores of 10k, 100k and 1M films: wall time, records/s, peak RSS.
 * 3. Lookups in the 100k package: cold start and p50/p99 of `getMovie` per access path.
 * 4. Crawl throughput over a loopback server: the pipeline, bare undici + cheerio/slim, Crawlee.
 * 5. The package of the lookups' snapshot as npm would ship it: packed and unpacked bytes, bytes per film of each file.
 *
 * Work files go to `bench/work/` (ignored by git), removed as each measurement ends.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { runPipeline } from '../src/pipeline/run.ts';
import { COMPANIONS } from '../src/publish/manifest.ts';
import { runChild } from './child.ts';
import { CORPUS_DIR, REPO_ROOT, pageRequests } from './corpus.ts';
import type { CrawlRun } from './crawl.ts';
import { crawlPageFiles } from './crawl.ts';
import { routeOf } from './crawl-server.ts';
import type { ParseResult } from './parse.ts';
import type { ScaleBuild } from './scale.ts';
import { MIX, type SyntheticStore } from './synthetic.ts';

const BENCH = path.join(REPO_ROOT, 'bench');
const WORK = path.join(BENCH, 'work');

/** The issue's targets. */
const TARGETS = {
  parseVsCheerio: 5,
  linearity: 0.3,
  millionMs: 5 * 60_000,
  millionRssMb: 2048,
  coldStartMs: 150,
  p99Us: 1000,
  crawlVsCrawlee: 2,
  /** The default install at 100k films (issue 14). */
  packageUnpackedMb: 40,
  packagePackedMb: 8,
};

/** The package as npm would ship it: `npm pack --dry-run` of a snapshot. */
/** One npm package's size, as `npm pack --dry-run` gives it. */
interface PackedSize {
  name: string;
  packedBytes: number;
  unpackedBytes: number;
  files: { name: string; bytes: number; bytesPerFilm: number }[];
}

/** The default install (`stingerdb`), and the companion packages released beside it (`stingerdb-sqlite`). */
interface PackageSize extends PackedSize {
  films: number;
  companions: PackedSize[];
}

interface ScalePoint extends ScaleBuild {
  films: number;
  recordsPerSecond: number;
  generated: SyntheticStore;
  generateMs: number;
}

interface LookupResult {
  access: string;
  coldStartMs: number[];
  coldStartMedianMs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  lookups: number;
  found: number;
  peakRssMb: number;
}

interface CrawlResult {
  pages: number;
  concurrency: number;
  runs: CrawlRun[];
  missing: { contender: string; why: string }[];
}

interface TargetCheck {
  measure: string;
  target: string;
  value: string;
  met: boolean;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.versions.node,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** The replay of the corpus: real observations, the synthetic generator's templates. */
async function templates(): Promise<string> {
  const dir = path.join(WORK, 'replay');
  rmSync(dir, { recursive: true, force: true });
  await runPipeline({
    steps: { collect: true, build: false },
    replay: CORPUS_DIR,
    watchlist: path.join(REPO_ROOT, 'watchlist.json'),
    observationsDir: path.join(dir, 'observations'),
    outDir: path.join(dir, 'dataset'),
    stateDir: path.join(dir, 'state'),
    date: new Date('2026-11-27T00:00:00Z'),
  });
  return path.join(dir, 'observations');
}

async function scalePoint(films: number, templatesDir: string, keep: boolean): Promise<{ point: ScalePoint; dataset: string }> {
  const observations = path.join(WORK, `observations-${films}`);
  const dataset = path.join(WORK, `dataset-${films}`);
  for (const dir of [observations, dataset]) rmSync(dir, { recursive: true, force: true });
  log(`scale: generating ${films} films…`);
  const generated = await runChild<SyntheticStore>(path.join(BENCH, 'synthetic.ts'), ['--films', String(films), '--templates', templatesDir, '--out', observations]);
  log(`scale: building ${films} films (${(generated.result.bytes / 1e6).toFixed(0)} MB of observations)…`);
  const built = await runChild<ScaleBuild>(path.join(BENCH, 'scale.ts'), ['--observations', observations, '--out', dataset]);
  rmSync(observations, { recursive: true, force: true });
  if (!keep) rmSync(dataset, { recursive: true, force: true });
  const point: ScalePoint = {
    films,
    ...built.result,
    recordsPerSecond: built.result.records / (built.result.buildMs / 1000),
    generated: generated.result,
    generateMs: generated.wallMs,
  };
  return { point, dataset };
}

/** Starts a child and resolves with the time from spawn to its first stdout line, and the child's last line. */
function timedProbe(args: string[]): Promise<{ firstLineMs: number; last: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let firstLineMs = -1;
    let last = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (firstLineMs < 0) firstLineMs = performance.now() - started;
      last = line;
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ firstLineMs, last }) : reject(new Error(`lookup probe exited ${code}: ${stderr.slice(-1000)}`))));
  });
}

/** Cold start (5 processes) and 10k timed lookups per access path, on the package in `dataset`. */
async function lookups(dataset: string, quick: boolean): Promise<LookupResult[]> {
  // The answers' index: its ids are the lines of one string.
  const index = (await import(path.join(dataset, 'movies.index.json'), { with: { type: 'json' } })).default as { ids: string };
  const all = index.ids.split('\n');
  // 10,000 ids drawn with a fixed seed, 1 in 100 not in the dataset (a lookup that misses costs too).
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const ids = Array.from({ length: 10_001 }, (_, i) => (i % 100 === 99 ? `tt${9_900_000 + i}` : all[Math.floor(random() * all.length)]!));
  const idsFile = path.join(WORK, 'lookup-ids.txt');
  writeFileSync(idsFile, `${ids.join('\n')}\n`);
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const results: LookupResult[] = [];
  for (const access of ['answers', 'records', 'sqlite', 'json']) {
    log(`lookups: ${access}…`);
    const cold: number[] = [];
    let stats: Omit<LookupResult, 'coldStartMs' | 'coldStartMedianMs'> | undefined;
    for (let i = 0; i < (quick ? 3 : 5); i++) {
      const { firstLineMs, last } = await timedProbe([path.join(BENCH, 'lookup-probe.cjs'), access, dataset, idsFile, sqlite]);
      cold.push(firstLineMs);
      stats = JSON.parse(last);
    }
    const sorted = [...cold].sort((a, b) => a - b);
    results.push({ ...stats!, coldStartMs: cold, coldStartMedianMs: sorted[Math.floor(sorted.length / 2)]! });
  }
  rmSync(idsFile, { force: true });
  return results;
}

/** Installs Crawlee into bench/crawlee when it is not there; the reason it cannot be had, else null. */
function installCrawlee(): string | null {
  const dir = path.join(BENCH, 'crawlee');
  if (existsSync(path.join(dir, 'node_modules', '@crawlee', 'cheerio'))) return null;
  log('crawl: installing Crawlee into bench/crawlee (first run only)…');
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, encoding: 'utf8', timeout: 10 * 60_000 });
  if (npm.status === 0 && existsSync(path.join(dir, 'node_modules', '@crawlee', 'cheerio'))) return null;
  return `npm install failed: ${(npm.stderr || npm.error?.message || `exit ${npm.status}`).trim().split('\n').slice(-3).join(' ')}`;
}

async function crawl(pages: number, concurrency: number): Promise<CrawlResult> {
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(BENCH, 'crawl-server.ts'), '--max-seconds', '900'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const origin = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', (line) => resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`));
    server.once('exit', (code) => reject(new Error(`crawl server exited ${code}`)));
  });
  const result: CrawlResult = { pages, concurrency, runs: [], missing: [] };
  const files = crawlPageFiles();
  const pageFiles = path.join(WORK, 'crawl-pages.json');
  writeFileSync(pageFiles, JSON.stringify(files));
  try {
    for (const contender of ['stingerdb', 'undici']) {
      log(`crawl: ${contender}…`);
      const args = ['--contender', contender, '--origin', origin, '--page-files', pageFiles, '--pages', String(pages), '--concurrency', String(concurrency)];
      result.runs.push((await runChild<CrawlRun>(path.join(BENCH, 'crawl.ts'), args)).result);
    }
    const missing = installCrawlee();
    if (missing) {
      result.missing.push({ contender: 'crawlee', why: missing });
    } else {
      log('crawl: crawlee…');
      const routesFile = path.join(WORK, 'crawl-routes.json');
      writeFileSync(routesFile, JSON.stringify(pageRequests(files).map((page) => routeOf(page.request.url))));
      try {
        const run = await runChild<CrawlRun>(path.join(BENCH, 'crawlee', 'crawl.mjs'), [origin, routesFile, String(pages), String(concurrency)], { typescript: false });
        result.runs.push(run.result);
      } catch (error) {
        result.missing.push({ contender: 'crawlee', why: (error as Error).message.split('\n').slice(0, 3).join(' ') });
      }
    }
  } finally {
    server.kill('SIGTERM');
    rmSync(pageFiles, { force: true });
    rmSync(path.join(WORK, 'crawl-routes.json'), { force: true });
  }
  return result;
}

/** What `npm pack` would ship of the snapshot in `dataset` (sizes only: nothing is written). */
function packedSize(dir: string, films: number): PackedSize {
  const out = execFileSync('npm', ['pack', dir, '--dry-run', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, npm_config_loglevel: 'error' } });
  const [packed] = JSON.parse(out) as { name: string; size: number; unpackedSize: number; files: { path: string; size: number }[] }[];
  return {
    name: packed!.name,
    packedBytes: packed!.size,
    unpackedBytes: packed!.unpackedSize,
    files: packed!.files.map((f) => ({ name: f.path, bytes: f.size, bytesPerFilm: f.size / films })).sort((a, b) => b.bytes - a.bytes),
  };
}

function measurePackage(dataset: string, films: number): PackageSize {
  log('package: npm pack --dry-run…');
  return { films, ...packedSize(dataset, films), companions: COMPANIONS.map((c) => packedSize(path.join(dataset, c.dir), films)) };
}

function checkTargets(results: { parse: ParseResult; scale: ScalePoint[]; lookups: LookupResult[]; crawl: CrawlResult; packageSize: PackageSize | null }): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const s of results.parse.sources.filter((s) => s.html)) {
    checks.push({
      measure: `parse ${s.source}`,
      target: `≥ ${TARGETS.parseVsCheerio}× cheerio.load, same values`,
      value: `${s.vsCheerio!.toFixed(1)}×, ${s.expected.mismatched.length ? `${s.expected.mismatched.length} values differ` : `${s.expected.matched} expected values found`}${s.stable ? '' : ', unstable output'}`,
      met: s.vsCheerio! >= TARGETS.parseVsCheerio && s.expected.mismatched.length === 0 && s.stable,
    });
  }
  const point = (films: number) => results.scale.find((p) => p.films === films);
  const [hundredK, million] = [point(100_000), point(1_000_000)];
  if (hundredK && million) {
    const ratio = million.recordsPerSecond / hundredK.recordsPerSecond;
    checks.push({ measure: 'build, linear growth', target: `records/s at 1M within ${TARGETS.linearity * 100}% of 100k`, value: `${(ratio * 100).toFixed(0)}% of 100k`, met: ratio >= 1 - TARGETS.linearity });
  }
  if (million) {
    checks.push({ measure: 'build 1M, time', target: '< 5 min', value: `${(million.buildMs / 1000).toFixed(0)} s`, met: million.buildMs < TARGETS.millionMs });
    checks.push({ measure: 'build 1M, peak RSS', target: '< 2 GB', value: `${million.peakRssMb.toFixed(0)} MB`, met: million.peakRssMb < TARGETS.millionRssMb });
  }
  const pkg = results.packageSize;
  if (pkg && pkg.films >= 100_000) {
    const mb = (bytes: number) => bytes / 1e6;
    checks.push({ measure: `package ${pkg.films / 1000}k (${pkg.name}), unpacked`, target: `≤ ${TARGETS.packageUnpackedMb} MB`, value: `${mb(pkg.unpackedBytes).toFixed(1)} MB`, met: mb(pkg.unpackedBytes) <= TARGETS.packageUnpackedMb });
    checks.push({ measure: `package ${pkg.films / 1000}k (${pkg.name}), packed`, target: `≤ ${TARGETS.packagePackedMb} MB`, value: `${mb(pkg.packedBytes).toFixed(1)} MB`, met: mb(pkg.packedBytes) <= TARGETS.packagePackedMb });
  }
  for (const l of results.lookups.filter((l) => l.access !== 'json')) {
    checks.push({ measure: `lookup ${l.access}, cold start`, target: `< ${TARGETS.coldStartMs} ms`, value: `${l.coldStartMedianMs.toFixed(0)} ms`, met: l.coldStartMedianMs < TARGETS.coldStartMs });
    checks.push({ measure: `lookup ${l.access}, p99`, target: '< 1 ms', value: `${(l.p99Us / 1000).toFixed(3)} ms`, met: l.p99Us < TARGETS.p99Us });
  }
  const ours = results.crawl.runs.find((r) => r.contender === 'stingerdb');
  const crawlee = results.crawl.runs.find((r) => r.contender === 'crawlee');
  if (ours && crawlee) {
    checks.push({ measure: 'crawl, pages/s', target: `≥ ${TARGETS.crawlVsCrawlee}× Crawlee`, value: `${(ours.pagesPerSecond / crawlee.pagesPerSecond).toFixed(1)}×`, met: ours.pagesPerSecond >= TARGETS.crawlVsCrawlee * crawlee.pagesPerSecond });
    checks.push({ measure: 'crawl, peak RSS', target: '≤ Crawlee', value: `${ours.peakRssMb.toFixed(0)} vs ${crawlee.peakRssMb.toFixed(0)} MB`, met: ours.peakRssMb <= crawlee.peakRssMb });
  }
  return checks;
}

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r, n) => `  ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}${n === 0 ? `\n  ${widths.map((w) => '-'.repeat(w)).join('  ')}` : ''}`).join('\n');
}

const f1 = (n: number) => n.toFixed(1);
const f0 = (n: number) => n.toFixed(0);

function report(
  results: { parse: ParseResult; scale: ScalePoint[]; lookups: LookupResult[]; crawl: CrawlResult; packageSize: PackageSize | null; targets: TargetCheck[] },
  machineInfo: ReturnType<typeof machine>,
  lookupFilms: number,
): string {
  const out: string[] = [`stingerdb benchmark — ${machineInfo.cpu}, ${machineInfo.cores} cores, ${machineInfo.memoryGb} GB, Node ${machineInfo.node}`, ''];
  out.push('1. Parse throughput (MB/s; pages/s of the parser)');
  const baselineNames = [...new Set(results.parse.sources.flatMap((s) => Object.keys(s.baselines)))];
  out.push(
    table(
      ['source', 'pages', 'parser MB/s', 'pages/s', ...baselineNames, 'vs cheerio.load', 'values'],
      results.parse.sources.map((s) => [
        s.source,
        s.pages,
        f1(s.parser.mbPerSecond),
        f0(s.parser.pagesPerSecond),
        ...baselineNames.map((b) => (s.baselines[b] ? f1(s.baselines[b].mbPerSecond) : '')),
        s.vsCheerio ? `${f1(s.vsCheerio)}×` : '',
        `${s.expected.matched} ok${s.expected.mismatched.length ? `, ${s.expected.mismatched.length} differ` : ''}${s.stable ? '' : ', unstable'}`,
      ]),
    ),
    '',
  );
  out.push('2. Normalize + publish (build) on synthetic stores');
  out.push(
    table(
      ['films', 'observations', 'records', 'wall s', 'records/s', 'peak RSS MB'],
      results.scale.map((p) => [p.films, p.observations, p.records, f1(p.buildMs / 1000), f0(p.recordsPerSecond), f0(p.peakRssMb)]),
    ),
    '',
  );
  out.push(`3. Lookups in the package of ${lookupFilms} films (cold start: process start to first answer, median of several processes)`);
  out.push(
    table(
      ['access path', 'cold start ms (median)', 'p50 µs', 'p99 µs', 'max µs', 'peak RSS MB'],
      results.lookups.map((l) => [l.access, f0(l.coldStartMedianMs), f1(l.p50Us), f1(l.p99Us), f0(l.maxUs), f0(l.peakRssMb)]),
    ),
    '',
  );
  out.push(`4. Crawl: ${results.crawl.pages} pages, concurrency ${results.crawl.concurrency}, loopback server in its own process`);
  out.push(table(['contender', 'pages/s', 'ok', 'seconds', 'peak RSS MB'], results.crawl.runs.map((r) => [r.contender, f0(r.pagesPerSecond), r.ok, f1(r.ms / 1000), f0(r.peakRssMb)])));
  for (const m of results.crawl.missing) out.push(`  ${m.contender}: missing — ${m.why}`);
  const pkg = results.packageSize;
  if (pkg) {
    const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
    out.push('', `5. Packages at ${pkg.films} films (npm pack --dry-run): the default install, ${pkg.name}, ${mb(pkg.packedBytes)} MB packed, ${mb(pkg.unpackedBytes)} MB unpacked`);
    out.push(table(['file', 'MB', 'bytes per film'], pkg.files.filter((f) => f.bytes > 10_000).map((f) => [f.name, mb(f.bytes), f0(f.bytesPerFilm)])));
    for (const c of pkg.companions) {
      out.push(`  companion ${c.name}: ${mb(c.packedBytes)} MB packed, ${mb(c.unpackedBytes)} MB unpacked (${c.files.filter((f) => f.bytes > 10_000).map((f) => `${f.name} ${f0(f.bytesPerFilm)} bytes per film`).join(', ')})`);
    }
  }
  out.push('', 'Targets');
  out.push(table(['measure', 'target', 'value', 'met'], results.targets.map((t) => [t.measure, t.target, t.value, t.met ? 'yes' : 'NO'])));
  return out.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
  const quick = values.quick!;
  mkdirSync(WORK, { recursive: true });
  const machineInfo = machine();
  const started = Date.now();

  log('parse throughput…');
  const parse = (await runChild<ParseResult>(path.join(BENCH, 'parse.ts'), quick ? ['--quick'] : [])).result;

  log('scale: replaying the corpus for templates…');
  const templatesDir = await templates();
  const sizes = quick ? [10_000] : [10_000, 100_000, 1_000_000];
  const lookupSize = quick ? 10_000 : 100_000;
  const scale: ScalePoint[] = [];
  let lookupDataset: string | undefined;
  for (const films of sizes) {
    const { point, dataset } = await scalePoint(films, templatesDir, films === lookupSize);
    scale.push(point);
    if (films === lookupSize) lookupDataset = dataset;
  }
  const lookupResults = lookupDataset ? await lookups(lookupDataset, quick) : [];
  const packageSize = lookupDataset ? measurePackage(lookupDataset, lookupSize) : null;
  if (lookupDataset) rmSync(lookupDataset, { recursive: true, force: true });

  const crawlResult = await crawl(quick ? 300 : 2000, 16);
  const targets = checkTargets({ parse, scale, lookups: lookupResults, crawl: crawlResult, packageSize });
  const results = {
    $comment: 'Written by `npm run bench` (bench/run.ts) — see the README section "Benchmarks".',
    mode: quick ? 'quick' : 'full',
    date: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine: machineInfo,
    mix: MIX,
    parse,
    scale,
    lookups: { films: lookupSize, results: lookupResults },
    crawl: crawlResult,
    package: packageSize,
    targets,
  };
  process.stdout.write(`${report({ parse, scale, lookups: lookupResults, crawl: crawlResult, packageSize, targets }, machineInfo, lookupSize)}\n`);
  const file = quick ? path.join(WORK, 'results.quick.json') : path.join(BENCH, 'results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  rmSync(path.join(WORK, 'replay'), { recursive: true, force: true });
  log(`written ${path.relative(process.cwd(), file)} (${results.durationSeconds} s)`);
}

await main();
