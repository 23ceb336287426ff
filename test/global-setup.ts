import { ensureTestTls } from './sim/tls.js';

/** Runs once before any test file: shared fixtures that must not be raced by parallel workers. */
export default function setup(): void {
  ensureTestTls();
}
