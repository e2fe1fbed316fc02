import { HttpError } from './http-error.js';

export interface WorkQueueOptions {
  /** Jobs run at once. */
  concurrency: number;
  /** Jobs that may wait; one more is refused with 503 and Retry-After. */
  maxQueued: number;
  /** Milliseconds from arrival to answer; past it the request gets 504 (a running job keeps its slot until it ends). */
  timeoutMs: number;
}

interface Waiting {
  start: () => void;
  cancel: () => void;
}

/**
 * A bounded admission queue in front of the workers: at most `concurrency` jobs run and at most
 * `maxQueued` wait, so a burst can never build an unbounded backlog (of decoded photos in
 * memory, or of requests whose clients gave up long ago).
 */
export class WorkQueue {
  private active = 0;
  private readonly waiting: Waiting[] = [];

  constructor(readonly options: WorkQueueOptions) {}

  get stats(): { active: number; queued: number; concurrency: number; maxQueued: number } {
    return { active: this.active, queued: this.waiting.length, concurrency: this.options.concurrency, maxQueued: this.options.maxQueued };
  }

  run<T>(job: () => Promise<T>): Promise<T> {
    const { concurrency, maxQueued, timeoutMs } = this.options;
    if (this.active >= concurrency && this.waiting.length >= maxQueued) {
      return Promise.reject(
        new HttpError(503, `the server is busy (${this.active} running, ${this.waiting.length} waiting); try again shortly`, { 'Retry-After': '2' }),
      );
    }
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const timer = setTimeout(() => {
        if (done) return;
        done = true;
        entry.cancel();
        reject(new HttpError(504, `the request took longer than ${timeoutMs} ms and was given up`));
      }, timeoutMs);
      const finish = (err: unknown, value?: T) => {
        clearTimeout(timer);
        if (done) return;
        done = true;
        if (err === undefined) resolve(value as T);
        else reject(err);
      };
      const entry: Waiting = {
        start: () => {
          this.active++;
          job()
            .then(
              (v) => finish(undefined, v),
              (e) => finish(e ?? new Error('job failed')),
            )
            .finally(() => {
              this.active--;
              this.next();
            });
        },
        cancel: () => {
          const at = this.waiting.indexOf(entry);
          if (at >= 0) this.waiting.splice(at, 1);
        },
      };
      if (this.active < concurrency) entry.start();
      else this.waiting.push(entry);
    });
  }

  private next(): void {
    while (this.active < this.options.concurrency && this.waiting.length > 0) (this.waiting.shift() as Waiting).start();
  }
}
