/**
 * The engine's stdout/stderr as whole lines, for the shell's log file. Crashes that the
 * engine's own logger never saw (a native abort, an uncaught throw before logging is set
 * up) only ever appear here, so these lines matter most when something is already wrong.
 */

const MAX_LINE = 16 * 1024; // a runaway line without newlines must not grow memory forever

export class LineSplitter {
  private rest = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string | Uint8Array): void {
    const text = this.rest + (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const lines = text.split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    for (const line of lines) if (line.length > 0) this.emit(line);
    if (this.rest.length > MAX_LINE) {
      this.emit(this.rest);
      this.rest = '';
    }
  }

  /** The stream ended: whatever is left is a last line without a newline. */
  flush(): void {
    if (this.rest.length > 0) this.emit(this.rest);
    this.rest = '';
  }
}

/**
 * Replaces every known secret value with [secret]. The engine scrubs its own log lines,
 * but a stack trace printed by the runtime on the way down does not pass through it.
 */
export function scrubSecrets(line: string, secrets: Iterable<string>): string {
  let out = line;
  for (const secret of secrets) if (secret.length >= 6) out = out.split(secret).join('[secret]');
  return out;
}
