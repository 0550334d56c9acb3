/**
 * The stingerdb command line: `npm run pipeline` (collect, build, publish), `collect`, `build`, `status`.
 * Exit codes: 0 done (source failures are reported, not fatal), 1 the run failed or publishing was refused,
 * 2 bad usage or another run holds the folders; 128 + the signal's number when a signal stopped the run (130
 * SIGINT, 143 SIGTERM, 129 SIGHUP or the parent process gone).
 *
 * Signals: npm runs a script as `sh -c '…'`, and dash neither passes a signal on to its child nor replaces
 * itself with it — so npm's forwarded SIGTERM killed only the shell and the pipeline went on, orphaned. The
 * scripts therefore `exec` node (with tsx as a loader: no tsx CLI process in between), so npm's signal reaches
 * this process and npm waits for it; and a run whose parent process goes away (npm killed, a shell that did
 * not exec) stops as on SIGHUP. A stop is handled once; repeats (a terminal's Ctrl-C reaches npm and this
 * process both) are ignored.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LockedError, RunStoppedError, StingerError, UsageError, StopRequest } from './errors.ts';
import { onFile } from './lib/files.ts';
import { createProgress, silentProgress } from './pipeline/progress.ts';
import { runPipeline, safeMessage, type RunOptions, type RunReport } from './pipeline/run.ts';
import { formatMarkdownSummary, formatSummary } from './pipeline/summary.ts';
import { checkDrift } from './pipeline/drift.ts';
import { chooseState, formatStatus, readStatus, type StateChoice } from './pipeline/status.ts';
import { inspectSnapshot } from './publish/target.ts';
import { SOURCES } from './scrapers/index.ts';

const COMMANDS = {
  run: 'collect, build and publish (the whole job)',
  collect: 'only collect: run the sources and store what they say in observations/',
  build: 'only build: turn the stored observations into dataset/ (offline, no source is asked)',
  status: 'what is stored: films and, per source, coverage and freshness',
} as const;
type Command = keyof typeof COMMANDS;

const HELP = `stingerdb — collect film details, review scores and end-credit scene reports, and publish the dataset

Usage:
  npm run pipeline -- [options]      ${COMMANDS.run}
  npm run collect -- [options]       ${COMMANDS.collect}
  npm run build -- [options]         ${COMMANDS.build}
  npm run status -- [options]        ${COMMANDS.status}

Options:
  --replay <dir>          answer every request from a recorded corpus (index.json + files), never the
                          network; sources that need an API key run as if it were set
  --as-of <date>          with --replay: answer from the newest capture not after this moment (ISO date
                          = the end of that day UTC, or date-time) and pin the clock to it — replays a
                          feed's recorded history night by night
  --watchlist <file>      films to cover: a JSON array of {"imdb":"tt…", "tmdb"?, "wikidata"?,
                          "rottenTomatoes"?: "m/…", "metacritic"?: "movie/…", "title"?, "year"?}
                          (default: watchlist.json); each entry is filed as the watchlist's own
                          observation, so a film no source answers still gets a record and an answer
  --movie <imdb id>       only this film (repeatable); feeds are not read
  --only <source,…>       only these sources
  --enable <source,…>     turn on opt-in sources (off by default: imdb, whose terms forbid scraping)
  --observations <dir>    the observation store: a folder of <source>.jsonl files, or a new or empty
                          one (default: observations/)
  --out <dir>             the dataset package folder to publish into: a stingerdb snapshot, or a new
                          or empty folder; any other folder or file is refused (default: dataset/)
  --state <dir>           run state: what was checked when, validators, the journal of an unfinished
                          run; a folder holding state.sqlite, or a new or empty one (default:
                          .stingerdb/live, or .stingerdb/replay with --replay; status reads the more
                          recently written of the two)
  --force                 ask every source about every film, fresh or not
  --force-publish         publish even though a quality gate failed or the previous snapshot cannot be
                          read (read the report first)
  --fail-on-degraded      exit 1 when a whole-catalogue feed answered degraded (by default the run
                          keeps the missing films' last observations, reports it and exits 0)
  --check                 with build: only check dataset/ — every file as its manifest lists it, and as
                          the observations give it (CI drift check); nothing is written
  --concurrency <n>       films collected at once (default: 8)
  --json                  print the run report (with status: the status) as JSON instead of text
  -q, --quiet             no progress (on a terminal a live line; in a log a line every 30 s)
  -h, --help              this help
  -v, --version           the pipeline's version and the version of the snapshot in --out

Under npm, options go after \`--\` (npm keeps the others for itself): npm run status -- --json.

Sources (in order): ${SOURCES.map((s) => `${s.id}${s.auth ? ` (${s.auth.env})` : ''}${s.optIn ? ' (opt-in)' : ''}`).join(', ')}

Environment:
  TMDB_API_KEY            TMDB v3 API key or v4 read access token (live runs; without it tmdb is skipped)
  OMDB_API_KEY            OMDb API key (live runs; without it omdb is skipped)
  STINGERDB_CONTACT       contact added to the User-Agent (an e-mail or URL), as Wikimedia asks
  SOURCE_DATE_EPOCH       pins the release date of the version: whole seconds since 1970 (reproducible
                          builds)
  STINGERDB_NOW           pins the clock (ISO date-time) for dates of live answers and scheduling
  GITHUB_STEP_SUMMARY     when set, the run report is appended there as Markdown

Runs:
  One run at a time: run, collect and build lock the folders they write (<folder>.lock beside each); another
  run exits 2 naming the holder, and a lock left by a process that is gone is taken over with a notice.
  SIGTERM, SIGINT (Ctrl-C) and SIGHUP stop a run: nothing is published, the answers received stay in the run
  journal and the same command resumes (exit 143, 130, 129).

Examples:
  npm run pipeline -- --replay ../shared/corpus          the whole job offline, over the recorded corpus
  TMDB_API_KEY=… npm run pipeline                        the whole job, live
  npm run collect -- --only tmdb --movie tt0478970       refresh one film from one source
`;

/** The options the command line knows, as written after `--`. */
const OPTION_NAMES = [
  'replay', 'as-of', 'watchlist', 'movie', 'only', 'enable', 'observations', 'out', 'concurrency', 'state', 'force', 'force-publish', 'fail-on-degraded', 'check',
  'json', 'quiet', 'help', 'version',
] as const;

/** The npm scripts that run this command line (package.json). */
const SCRIPTS = new Set(['pipeline', 'collect', 'build', 'status', 'check:dataset']);

/** How the user runs the command line: `npm run <script> --` under npm, else the node command. */
function invocation(env: NodeJS.ProcessEnv = process.env): string {
  const script = env.npm_lifecycle_event;
  return script && SCRIPTS.has(script) ? `npm run ${script} --` : 'node --import tsx src/cli.ts';
}

/**
 * The options of ours that npm kept for itself: `npm run status --json` hands `--json` to npm (which sets
 * `npm_config_json`) and runs the script without it. Only under one of the scripts of this command line; an
 * option's value, if it had one, reaches the script as a stray argument.
 */
export function optionsTakenByNpm(env: NodeJS.ProcessEnv): string[] {
  if (!env.npm_lifecycle_event || !SCRIPTS.has(env.npm_lifecycle_event)) return [];
  return OPTION_NAMES.filter((name) => env[`npm_config_${name.replace(/-/g, '_')}`] !== undefined);
}

/** The project's one line for an option the parser refused (Node's own message suggests a positional after `--`). */
function usageMessage(error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  const help = `${invocation()} --help lists the options`;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}: ${help}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(message) ? `${option} needs a value, as in ${invocation()} ${option} <value>` : `${option} takes no value: ${help}`;
  }
  return `${message}: ${help}`;
}

/** The pipeline's version (package.json) and the version of the snapshot in `outDir`, if one is there. */
function versionText(outDir: string): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string };
  const snapshot = inspectSnapshot(outDir);
  const dataset =
    snapshot.kind === 'snapshot'
      ? `${snapshot.manifest.version} (${snapshot.manifest.counts.movies} films, ${path.relative(process.cwd(), outDir) || '.'})`
      : snapshot.kind === 'broken'
        ? `unreadable (${snapshot.file}: ${snapshot.reason})`
        : `none published in ${path.relative(process.cwd(), outDir) || '.'}`;
  return `stingerdb pipeline ${pkg.version}\ndataset ${dataset}\n`;
}

/** `--as-of`: a date-time, or a date meaning the end of that day (UTC); null when unreadable. */
export function parseAsOf(text: string): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(start) ? null : new Date(start + 86_400_000 - 1);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : new Date(at);
}

/** The clock: real time, or pinned by STINGERDB_NOW; null when the pin is unreadable. */
function clock(pinned: string | undefined): (() => number) | null {
  if (!pinned) return Date.now;
  const at = Date.parse(pinned);
  return Number.isNaN(at) ? null : () => at;
}

/**
 * Runs one command. `watchStop` is called when a run starts (not for `status`, `--check` or `--help`, which
 * keep the default signal behaviour) and gives the signal that stops it.
 */
export async function main(argv: string[], watchStop?: () => AbortSignal): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        replay: { type: 'string' },
        'as-of': { type: 'string' },
        watchlist: { type: 'string' },
        movie: { type: 'string', multiple: true },
        only: { type: 'string' },
        enable: { type: 'string' },
        observations: { type: 'string', default: 'observations' },
        out: { type: 'string', default: 'dataset' },
        concurrency: { type: 'string' },
        state: { type: 'string' },
        force: { type: 'boolean', default: false },
        'force-publish': { type: 'boolean', default: false },
        'fail-on-degraded': { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${usageMessage(error)}\n`);
    return 2;
  }
  const { values, positionals } = args;
  const command = (positionals[0] ?? 'run') as Command;
  const eaten = optionsTakenByNpm(process.env);
  if (eaten.length) {
    const script = process.env.npm_lifecycle_event!;
    const flags = eaten.map((name) => `--${name}`);
    process.stderr.write(
      `npm took ${flags.join(', ')} for itself: put the options after --, as in npm run ${script} -- ${flags.join(' ')}${positionals.length > 1 ? ` ${positionals.slice(1).join(' ')}` : ''}\n`,
    );
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(versionText(path.resolve(values.out!)));
    return 0;
  }
  if (!(command in COMMANDS) || positionals.length > 1) {
    process.stderr.write(`unknown command "${positionals.join(' ')}" (commands: ${Object.keys(COMMANDS).join(', ')}): ${invocation()} --help lists the options\n`);
    return 2;
  }
  const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    process.stderr.write('--concurrency: a whole number from 1 to 64\n');
    return 2;
  }
  for (const id of values.movie ?? []) {
    if (!/^tt\d{7,10}$/.test(id)) {
      process.stderr.write(`--movie ${id}: expected an IMDb id such as tt0478970\n`);
      return 2;
    }
  }

  let now = clock(process.env.STINGERDB_NOW);
  if (now === null) {
    process.stderr.write('STINGERDB_NOW: expected an ISO date-time such as 2026-11-27T03:17:00Z\n');
    return 2;
  }
  let asOf: Date | undefined;
  if (values['as-of'] !== undefined) {
    asOf = parseAsOf(values['as-of']) ?? undefined;
    if (!asOf) {
      process.stderr.write(`--as-of ${values['as-of']}: expected an ISO date (2025-08-01) or date-time (2025-08-01T02:00:00Z)\n`);
      return 2;
    }
    if (!values.replay) {
      process.stderr.write('--as-of goes with --replay <corpus>: only a recorded corpus can answer as of a past moment\n');
      return 2;
    }
    if (process.env.STINGERDB_NOW) {
      process.stderr.write('--as-of pins the clock itself: unset STINGERDB_NOW\n');
      return 2;
    }
    const at = asOf.getTime();
    now = () => at;
  }
  if (values.check && command !== 'build') {
    process.stderr.write('--check goes with build: npm run build -- --check\n');
    return 2;
  }
  const stateDir = path.resolve(values.state ?? path.join('.stingerdb', values.replay ? 'replay' : 'live'));
  try {
    if (command === 'status') {
      const given = values.state !== undefined || values.replay !== undefined;
      const state: StateChoice = given ? { dir: stateDir, chosen: 'given' } : chooseState([path.resolve('.stingerdb', 'live'), path.resolve('.stingerdb', 'replay')]);
      const status = readStatus({ observationsDir: path.resolve(values.observations!), outDir: path.resolve(values.out!), state, watchlist: values.watchlist ?? 'watchlist.json', now });
      process.stdout.write(values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, (dir) => path.relative(process.cwd(), dir) || '.'));
      return 0;
    }
    if (values.check) {
      const drift = checkDrift({ observationsDir: path.resolve(values.observations!), outDir: path.resolve(values.out!) });
      process.stdout.write(`${drift.message}\n`);
      return drift.ok ? 0 : 1;
    }
    const progress = values.quiet || values.json ? silentProgress : createProgress();
    const options: RunOptions = {
      steps: { collect: command !== 'build', build: command !== 'collect' },
      replay: values.replay,
      ...(asOf && { asOf, date: asOf }),
      watchlist: values.watchlist ?? 'watchlist.json',
      movies: values.movie,
      only: list(values.only),
      enable: list(values.enable),
      observationsDir: path.resolve(values.observations!),
      outDir: path.resolve(values.out!),
      concurrency,
      stateDir,
      force: values.force,
      forcePublish: values['force-publish'],
      now,
      progress,
      log: (line) => process.stderr.write(`${line}\n`),
      signal: watchStop?.(),
      command: ['stingerdb', ...(positionals.length ? [] : [command]), ...argv].join(' '),
    };
    let report: RunReport;
    try {
      report = await runPipeline(options);
    } catch (error) {
      // Stopped by a signal: say how far it got before the line of what was kept.
      const reached = error instanceof RunStoppedError ? progress.summary() : null;
      if (reached) process.stderr.write(`stopped during ${reached}\n`);
      throw error;
    }
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatSummary(report)}\n`);
    const stepSummary = process.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) onFile(stepSummary, 'appending the run report', () => appendFileSync(stepSummary, formatMarkdownSummary(report)));
    if (report.refused) return 1;
    return values['fail-on-degraded'] && report.collect?.feeds.some((f) => f.degraded) ? 1 : 0;
  } catch (error) {
    return failure(error);
  }
}

/**
 * Prints why a command failed and gives its exit code: bad usage or another run holding the folders 2; a stop
 * by a signal 128 + its number; a typed error (a damaged observation file, a full disk, a read-only folder…) 1,
 * as its message alone; anything else 1, with its stack (a bug).
 */
function failure(error: unknown): number {
  if (error instanceof UsageError || error instanceof LockedError) {
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (error instanceof RunStoppedError) {
    process.stderr.write(`${error.message}\n`);
    return 128 + constants.signals[error.signal];
  }
  if (error instanceof StingerError) {
    process.stderr.write(`${safeMessage(error)}\n`);
    return 1;
  }
  process.stderr.write(`stingerdb: unexpected error: ${safeMessage(error)}\n${(error as Error)?.stack ? safeMessage((error as Error).stack) : ''}\n`);
  return 1;
}

let stop: AbortController | undefined;

/** SIGTERM, SIGINT, SIGHUP and the parent process going away stop the run (the first of them; repeats are ignored). */
function stopOnSignals(): AbortSignal {
  stop = new AbortController();
  const request = (reason: StopRequest) => {
    if (!stop!.signal.aborted) stop!.abort(reason);
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => request(new StopRequest(signal)));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) request(new StopRequest('SIGHUP', `because its parent process (pid ${parent}) ended`));
  }, 250).unref();
  return stop.signal;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/src/cli.ts')) {
  main(process.argv.slice(2), stopOnSignals).then((code) => {
    // A stopped run may leave timers behind it (a retry's backoff, a host's pause): do not wait for them.
    if (stop?.signal.aborted) process.exit(code);
    process.exitCode = code;
  });
}
