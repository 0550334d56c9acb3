/**
 * Parsers under fuzzing: every recorded response a source parses, mutated thousands of ways (see
 * `tests/helpers/fuzz.ts`), must give either valid, plain-text observations that say nothing the recorded
 * body does not (no value from the wrong place, no false "missing"), or a typed error naming the source and
 * the URL — never an uncaught exception, a NaN, an out-of-range score or a parse longer than 2 s.
 *
 * The captures of one URL beyond four (the AfterCredits feed's nightly history) are fuzzed through a sample
 * that changes with the seed: the newest, the smallest and a seeded choice of the rest (`fuzzedCases`).
 *
 * The run happens in a child process (`tests/helpers/fuzz-runner.ts`) so that a parser that never returns is
 * killed and named, not left to hang the suite. Seeded and reproducible:
 *
 *   STINGERDB_FUZZ_SEED=<seed>         the run's seed (default fixed; `random` picks one, printed)
 *   STINGERDB_FUZZ_ITERATIONS=<n>      variants per recorded response (default 60)
 *   STINGERDB_FUZZ_ONLY=<path part>    only the files whose path contains it (every one, unsampled)
 *   STINGERDB_FUZZ_ITERATION=<i>       only that variant (with ONLY): replays one failure
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/corpus.ts';
import type { FuzzConfig, FuzzResult } from '../helpers/fuzz-runner.ts';
import { parserCases } from '../helpers/parsers.ts';

const DEFAULT_SEED = 20_261_127;
const seed = process.env.STINGERDB_FUZZ_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.STINGERDB_FUZZ_SEED ?? DEFAULT_SEED);
const config: FuzzConfig = {
  seed,
  iterations: Number(process.env.STINGERDB_FUZZ_ITERATIONS ?? 60),
  maxMs: 2_000,
  ...(process.env.STINGERDB_FUZZ_ONLY && { only: process.env.STINGERDB_FUZZ_ONLY }),
  ...(process.env.STINGERDB_FUZZ_ITERATION && { iteration: Number(process.env.STINGERDB_FUZZ_ITERATION) }),
};
/** No line from the runner for this long: the parse it started last never returned. */
const HANG_MS = 20_000;

interface RunnerExit {
  result: FuzzResult | null;
  /** The variant being parsed when the watchdog killed the runner. */
  hung: { file: string; iteration: number } | null;
  stderr: string;
}

function runFuzz(): Promise<RunnerExit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tests/helpers/fuzz-runner.ts'), JSON.stringify(config)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pending = '';
    let last: string | null = null;
    let stderr = '';
    let hung: RunnerExit['hung'] = null;
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        hung = last ? (JSON.parse(last) as { file: string; iteration: number }) : { file: '(before the first variant)', iteration: -1 };
        child.kill('SIGKILL');
      }, HANG_MS);
    };
    arm();
    child.stdout!.on('data', (chunk: Buffer) => {
      arm();
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop()!;
      if (lines.length > 0) last = lines.at(-1)!;
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('exit', () => {
      clearTimeout(watchdog);
      const line = last ? (JSON.parse(last) as Partial<FuzzResult>) : null;
      resolve({ result: line?.done ? (line as FuzzResult) : null, hung, stderr });
    });
  });
}

/** How to run one failing variant again. */
function replay(file: string, iteration: number): string {
  return `STINGERDB_FUZZ_SEED=${seed} STINGERDB_FUZZ_ONLY='${file}' STINGERDB_FUZZ_ITERATION=${iteration} npx vitest run tests/robustness/parser-fuzz.test.ts`;
}

describe(`parsers under fuzzing (seed ${seed})`, () => {
  it('every variant of every recorded response ends in valid observations or a typed error, within 2 s', async () => {
    const { result, hung, stderr } = await runFuzz();
    if (hung) expect.fail(`seed ${seed}: the parser never returned on ${hung.file} variant ${hung.iteration} — replay: ${replay(hung.file, hung.iteration)}`);
    if (!result) expect.fail(`seed ${seed}: the fuzz runner ended without a result:\n${stderr.slice(-3000)}`);
    const report = result.failures
      .slice(0, 25)
      .map((f) => `- ${f.file} #${f.iteration} [${f.steps.join(' + ')}]: ${f.problem}\n    ${replay(f.file, f.iteration)}`)
      .join('\n');
    expect(result.failureCount, `seed ${seed}: ${result.failureCount} variants broke a property:\n${report}`).toBe(0);

    if (config.only) return;
    // A run that never reached the parsers' output, or never made them fail, would prove nothing.
    // Every recorded response is fuzzed but for the sampled nights of a feed's history.
    const cases = result.cases;
    expect(cases + result.sampledOut).toBe(parserCases().length);
    expect(cases).toBeGreaterThan(100);
    expect(result.variants).toBeGreaterThanOrEqual(cases * 5);
    expect(result.outcomes.observations ?? 0).toBeGreaterThan(result.variants / 10);
    for (const code of ['unexpected-content', 'layout-changed', 'out-of-range']) expect(result.outcomes[code] ?? 0, code).toBeGreaterThan(0);
    expect(result.outcomes.uncaught ?? 0).toBe(0);
    console.info(`parser fuzz, seed ${seed}: ${result.variants} variants of ${cases} responses (${result.sampledOut} more nights of the feed history left to other seeds); outcomes ${JSON.stringify(result.outcomes)}; slowest ${result.slowest.ms} ms (${result.slowest.file} #${result.slowest.iteration})`);
  }, 240_000);
});
