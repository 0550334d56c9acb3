/**
 * Progress on long runs, on stderr: on a terminal one self-rewriting line (at most ten times a second); in a log
 * (CI, a pipe, a file) one plain line every `intervalMs` (30 s by default) — so a long run outside a terminal
 * says where it is without a thousand carriage returns, and a short one prints nothing before its summary. Each
 * line: films done / total, percent, rate, time left, and the caller's detail (per source: requests, misses,
 * failures). `summary()` says how far the run got (for the line printed when a signal stops it). The line has no
 * colour, so `NO_COLOR` has nothing to turn off; `--quiet` and `--json` use `silentProgress`.
 */
export interface Progress {
  start(phase: string, total: number, detail?: () => string): void;
  update(done: number, current?: string): void;
  done(): void;
  /** "collect: 812/2050 films (39%) in 42 s", or null before anything started. */
  summary(): string | null;
}

export interface ProgressOptions {
  /** A terminal: rewrite one line. Default: the stream's own `isTTY`. */
  tty?: boolean;
  /** Outside a terminal, a line at most this often (ms). */
  intervalMs?: number;
  now?: () => number;
}

/** How often a log gets a progress line. */
export const LOG_INTERVAL_MS = 30_000;

export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, options: ProgressOptions = {}): Progress {
  const tty = options.tty ?? Boolean(stream.isTTY);
  const interval = tty ? 100 : (options.intervalMs ?? LOG_INTERVAL_MS);
  const now = options.now ?? Date.now;
  let phase = '';
  let total = 0;
  let done = 0;
  let last = 0;
  let started = 0;
  let detail: (() => string) | undefined;
  const line = (current?: string) => {
    const seconds = Math.max(0.001, (now() - started) / 1000);
    const pct = total ? Math.floor((done / total) * 100) : 100;
    const rate = done / seconds;
    const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
    const extra = detail?.();
    return `${phase}: ${done}/${total} films (${pct}%) · ${rate.toFixed(1)}/s · eta ${eta}s${extra ? ` · ${extra}` : ''}${tty && current ? ` · ${current}` : ''}`;
  };
  return {
    start(name, count, describe) {
      phase = name;
      total = count;
      done = 0;
      started = now();
      last = started;
      detail = describe;
    },
    update(count, current) {
      done = count;
      const t = now();
      if (t - last < interval && (!tty || count < total)) return;
      last = t;
      stream.write(tty ? `\r\x1b[K${line(current)}` : `${line()}\n`);
    },
    done() {
      if (tty && phase) stream.write('\r\x1b[K');
    },
    summary() {
      if (!phase) return null;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      return `${phase}: ${done}/${total} films (${pct}%) in ${Math.round((now() - started) / 1000)} s`;
    },
  };
}

/** A progress that shows nothing (tests, --quiet). */
export const silentProgress: Progress = { start() {}, update() {}, done() {}, summary: () => null };
