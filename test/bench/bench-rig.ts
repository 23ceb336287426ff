import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { ACCOUNT_SID, AUTH_TOKEN, OPENAI_KEY, PUBLIC_BASE_URL, TRANSFER_NUMBER } from '../harness/call-rig.js';
import { NORMAL_POLICY_LAUNCHER, pinProcess } from './core-split.js';
import { startEngineProcess, type EngineProcess } from '../harness/engine-process.js';
import { RealtimeSim, type RealtimeSimOptions } from '../sim/realtime/index.js';
import { TwilioSim } from '../sim/twilio/index.js';

/**
 * The call rig of test/harness/call-rig.ts, wired the same way (engine as its own process
 * between a Twilio sim and a Realtime sim, same credentials and URLs), minus the staff
 * event socket, plus the Twilio clock's phase spread, which startRig does not expose.
 */

export interface BenchRig {
  engine: EngineProcess;
  twilio: TwilioSim;
  realtime: RealtimeSim;
  close(): Promise<void>;
}

/**
 * What carries the calls: the built engine as `npm run serve` runs it; the floor, a
 * minimal passthrough bridge (the harness's own cost); or the engine with a 50 ms disk.
 */
export type BenchSubject = 'deskline' | 'floor' | 'slow-disk';

const SUBJECT_ARGS: Record<Exclude<BenchSubject, 'deskline'>, string[]> = {
  floor: ['--import', 'tsx', resolve(import.meta.dirname, 'floor-bridge.ts')],
  'slow-disk': [resolve(import.meta.dirname, 'slow-disk-engine.mjs')],
};

export async function startBenchRig(options: {
  realtime: Omit<RealtimeSimOptions, 'apiKey'>;
  clockPhases: number;
  engineEnv: Record<string, string>;
  subject?: BenchSubject;
  /** Cores to pin the subject's process to, every thread of it (see core-split.ts). */
  subjectCores?: string;
  /** The bench runs as SCHED_BATCH: start the subject on the normal policy instead of inheriting it. */
  subjectNormalPolicy?: boolean;
}): Promise<BenchRig> {
  const realtime = await RealtimeSim.start({ apiKey: OPENAI_KEY, ...options.realtime });
  let twilio: TwilioSim | undefined;
  try {
    twilio = await TwilioSim.start({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, publicBaseUrl: PUBLIC_BASE_URL, clockPhases: options.clockPhases });
    const engine = await startEngineProcess({
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: realtime.baseUrl,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: twilio.restBaseUrl,
      PUBLIC_BASE_URL,
      DESKLINE_TRANSFER_NUMBER: TRANSFER_NUMBER,
      ...options.engineEnv,
    }, {
      ...(options.subject && options.subject !== 'deskline' ? { args: SUBJECT_ARGS[options.subject] } : {}),
      // Set at exec, not after start: the engine sets its own helper threads' policy as it starts.
      ...(options.subjectNormalPolicy ? { launcher: NORMAL_POLICY_LAUNCHER } : {}),
    });
    if (options.subjectCores && !pinProcess(engine.process.pid!, options.subjectCores)) {
      await engine.stop();
      throw new Error(`could not pin the ${options.subject ?? 'deskline'} process to cores ${options.subjectCores} (taskset)`);
    }
    twilio.engineUrl = engine.publicUrl;
    const sims = twilio;
    return {
      engine,
      twilio: sims,
      realtime,
      async close() {
        await engine.stop();
        // Each run's engine gets a fresh data directory; nothing in it is needed afterwards.
        rmSync(engine.dataDir, { recursive: true, force: true });
        await sims.close();
        await realtime.close();
      },
    };
  } catch (err) {
    await Promise.allSettled([twilio?.close(), realtime.close()]);
    throw err;
  }
}
