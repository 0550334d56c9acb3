/**
 * Politeness per host: at most `concurrency` requests in flight and at least `minIntervalMs` between the
 * starts of two requests (p-limit for the first, a start-time ledger for the second). A host's interval
 * can be raised later, e.g. by a robots.txt `Crawl-delay`.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export interface HostLimits {
  /** Requests in flight at once. */
  concurrency: number;
  /** Minimum time between two request starts, in ms. */
  minIntervalMs: number;
}

interface HostState {
  limit: LimitFunction;
  minIntervalMs: number;
  nextStartAt: number;
  /** False while the host runs on the defaults (used before any source declared it). */
  declared: boolean;
}

export class HostLimiter {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    private readonly defaults: HostLimits,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Sets the limits of a host (the first source to declare a host wins the concurrency). */
  configure(host: string, limits: HostLimits): void {
    const existing = this.hosts.get(host);
    if (existing) {
      // A host first used on the defaults has not been declared yet: its first declaration still sets the
      // concurrency (in place, so that requests already queued obey it).
      if (!existing.declared) {
        existing.limit.concurrency = Math.max(1, limits.concurrency);
        existing.declared = true;
      }
      existing.minIntervalMs = Math.max(existing.minIntervalMs, limits.minIntervalMs);
      return;
    }
    this.hosts.set(host, {
      limit: pLimit(Math.max(1, limits.concurrency)),
      minIntervalMs: limits.minIntervalMs,
      nextStartAt: 0,
      declared: true,
    });
  }

  /** Raises the interval of a host (never lowers it). */
  slowDown(host: string, minIntervalMs: number): void {
    this.state(host).minIntervalMs = Math.max(this.state(host).minIntervalMs, minIntervalMs);
  }

  intervalOf(host: string): number {
    return this.state(host).minIntervalMs;
  }

  /** Runs `task` when the host has a free slot and its interval has passed. */
  run<T>(host: string, task: () => Promise<T>): Promise<T> {
    const state = this.state(host);
    return state.limit(async () => {
      const now = this.now();
      const startAt = Math.max(now, state.nextStartAt);
      state.nextStartAt = startAt + state.minIntervalMs;
      if (startAt > now) await this.sleep(startAt - now);
      return task();
    });
  }

  private state(host: string): HostState {
    let state = this.hosts.get(host);
    if (!state) {
      state = {
        limit: pLimit(Math.max(1, this.defaults.concurrency)),
        minIntervalMs: this.defaults.minIntervalMs,
        nextStartAt: 0,
        declared: false,
      };
      this.hosts.set(host, state);
    }
    return state;
  }
}
