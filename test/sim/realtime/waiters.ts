/**
 * Promise-based waiting on sim state without polling: the owner calls notify()
 * whenever its state changes, and each pending probe is re-run.
 */
export class Waiters {
  private readonly checks = new Set<() => void>();

  until<T>(probe: () => T | undefined | false, timeoutMs: number, describeTimeout: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let value: T | undefined | false;
        try {
          value = probe();
        } catch (err) {
          cleanup();
          reject(err);
          return;
        }
        if (value) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.checks.delete(check);
      };
      this.checks.add(check);
      check();
    });
  }

  notify(): void {
    for (const check of this.checks) check();
  }
}
