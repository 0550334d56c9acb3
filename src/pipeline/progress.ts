/**
 * Progress on long runs: one self-rewriting line on stderr when it is a terminal, nothing otherwise (CI logs
 * get the summary at the end instead of a thousand carriage returns).
 */
export interface Progress {
  start(phase: string, total: number): void;
  update(done: number, current?: string): void;
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, enabled = Boolean(stream.isTTY)): Progress {
  let phase = '';
  let total = 0;
  let last = 0;
  let started = 0;
  return {
    start(name, count) {
      phase = name;
      total = count;
      started = Date.now();
      last = 0;
    },
    update(done, current) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const pct = total ? Math.floor((done / total) * 100) : 100;
      const rate = done / Math.max(0.001, (now - started) / 1000);
      const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
      stream.write(`\r\x1b[K${phase}: ${done}/${total} films (${pct}%) · ${rate.toFixed(1)}/s · eta ${eta}s${current ? ` · ${current}` : ''}`);
    },
    done() {
      if (enabled) stream.write('\r\x1b[K');
    },
  };
}

/** A progress that shows nothing (tests, --quiet). */
export const silentProgress: Progress = { start() {}, update() {}, done() {} };
