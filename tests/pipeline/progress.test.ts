/**
 * Progress: a live line on a terminal, a plain line at a steady interval in a log, how far a run got.
 */
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/pipeline/progress.ts';

function sink(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => (written.push(text), true) } as unknown as NodeJS.WritableStream, written };
}

describe('progress', () => {
  it('in a log: one plain line per interval with done/total, rate, time left and the per-source detail; nothing for a short run', () => {
    let t = 0;
    const { stream, written } = sink(false);
    const progress = createProgress(stream, { intervalMs: 30_000, now: () => t });
    progress.start('collect', 100, () => 'tmdb 40 asked, 2 misses, 1 failures');
    for (let done = 1; done <= 40; done++) {
      t += 1000;
      progress.update(done);
    }
    expect(written).toEqual(['collect: 30/100 films (30%) · 1.0/s · eta 70s · tmdb 40 asked, 2 misses, 1 failures\n']);
    expect(progress.summary()).toBe('collect: 40/100 films (40%) in 40 s');
    progress.done();
    expect(written).toHaveLength(1);

    const short = sink(false);
    const quick = createProgress(short.stream, { now: () => 0 });
    quick.start('collect', 3);
    for (let done = 1; done <= 3; done++) quick.update(done);
    quick.done();
    expect(short.written).toEqual([]);
  });

  it('on a terminal: one line rewritten in place, cleared at the end', () => {
    let t = 0;
    const { stream, written } = sink(true);
    const progress = createProgress(stream, { now: () => t });
    progress.start('collect', 2);
    t = 500;
    progress.update(1, 'tt0133093');
    t = 1000;
    progress.update(2, 'tt0234215');
    progress.done();
    expect(written[0]).toBe('\r\x1b[Kcollect: 1/2 films (50%) · 2.0/s · eta 1s · tt0133093');
    expect(written.at(-1)).toBe('\r\x1b[K');
    expect(createProgress(stream).summary()).toBeNull();
  });
});
