import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineProcess, type EngineProcess } from '../harness/engine-process.js';
import { threadPolicy } from '../../voice-engine/src/threads/helper-thread-priority.js';

const NORMAL = 0;
const BATCH = 3;

async function policies(pid: number): Promise<Map<number, number | null>> {
  const out = new Map<number, number | null>();
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) out.set(tid, await threadPolicy('/proc', pid, tid));
  return out;
}

/** The built engine, started as `npm run serve` starts it: its helper threads must never preempt the thread carrying audio. */
describe.runIf(process.platform === 'linux')('the engine process on Linux', () => {
  let engine: EngineProcess;
  beforeAll(async () => {
    engine = await startEngineProcess({});
  });
  afterAll(async () => {
    await engine.stop();
  });

  it('runs its event loop on the normal policy and every helper thread (V8, libuv, storage) as batch', async () => {
    const pid = engine.process.pid!;
    let seen = await policies(pid);
    const deadline = Date.now() + 10_000;
    const helpersDone = () => [...seen].every(([tid, p]) => tid === pid || p === BATCH || p === null);
    while (!helpersDone() && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      seen = await policies(pid);
    }
    expect(seen.get(pid)).toBe(NORMAL);
    const helpers = [...seen].filter(([tid, p]) => tid !== pid && p !== null);
    // 4 V8 platform workers, 4 libuv pool threads, the storage writer, and Node's own.
    expect(helpers.length).toBeGreaterThanOrEqual(9);
    expect(helpers.filter(([, p]) => p !== BATCH)).toEqual([]);
    expect(engine.output()).toMatch(/\d+ helper thread\(s\) set to background \(batch\) priority; the audio thread stays normal/);
  });
});
