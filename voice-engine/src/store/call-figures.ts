import type { CallFiguresView } from '../contract-views.js';
import type { TokenUsage } from '../realtime/protocol.js';
import type { Db } from './db.js';
import { lazyStatements } from './lazy-statements.js';

interface Row {
  call_id: number;
  text_in: number;
  audio_in: number;
  cached_text_in: number;
  cached_audio_in: number;
  text_out: number;
  audio_out: number;
  openai_usd: number;
  twilio_usd: number;
  minutes: number;
  reply_ms: string;
  barge_ins: number;
  ended_at: number;
}

const replyTimes = (json: string): number[] => {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [];
  } catch {
    return [];
  }
};

function prepareCallFiguresStatements(db: Db) {
  return {
    get: db.prepare<[number], Row>('SELECT * FROM call_figures WHERE call_id = ?'),
    upsert: db.prepare<[Row]>(
      `INSERT INTO call_figures (call_id, text_in, audio_in, cached_text_in, cached_audio_in, text_out, audio_out, openai_usd, twilio_usd, minutes, reply_ms, barge_ins, ended_at)
       VALUES (@call_id, @text_in, @audio_in, @cached_text_in, @cached_audio_in, @text_out, @audio_out, @openai_usd, @twilio_usd, @minutes, @reply_ms, @barge_ins, @ended_at)
       ON CONFLICT (call_id) DO UPDATE SET text_in = excluded.text_in, audio_in = excluded.audio_in, cached_text_in = excluded.cached_text_in,
         cached_audio_in = excluded.cached_audio_in, text_out = excluded.text_out, audio_out = excluded.audio_out, openai_usd = excluded.openai_usd,
         twilio_usd = excluded.twilio_usd, minutes = excluded.minutes, reply_ms = excluded.reply_ms, barge_ins = excluded.barge_ins, ended_at = excluded.ended_at`,
    ),
  };
}

/** Calls' tokens, cost and reply times (migration 13). A call back from a transfer adds to its figures. */
export class CallFiguresStore {
  private readonly q: () => ReturnType<typeof prepareCallFiguresStatements>;
  /** Migration 17's column: prepared on first use, so this store still opens on a version-13 schema. */
  private readonly sinceStmt: () => ReturnType<Db['prepare']>;

  constructor(db: Db) {
    this.q = lazyStatements(db, prepareCallFiguresStatements);
    // Test calls from the dashboard are not the clinic's calls: left out of its figures.
    this.sinceStmt = lazyStatements(db, (d) => d.prepare<[number], Row>('SELECT f.* FROM call_figures f JOIN calls c ON c.id = f.call_id WHERE f.ended_at >= ? AND c.test_call IS NULL'));
  }

  /** Adds a stretch of a call (the whole call, or its part after a transfer came back). */
  add(callId: number, part: { tokens: TokenUsage; openaiUsd: number; twilioUsd: number; minutes: number; replyMs: number[]; bargeIns: number }, at: number): void {
    const before = this.q().get.get(callId);
    const t = part.tokens;
    this.q().upsert.run({
      call_id: callId,
      text_in: (before?.text_in ?? 0) + t.textIn,
      audio_in: (before?.audio_in ?? 0) + t.audioIn,
      cached_text_in: (before?.cached_text_in ?? 0) + t.cachedTextIn,
      cached_audio_in: (before?.cached_audio_in ?? 0) + t.cachedAudioIn,
      text_out: (before?.text_out ?? 0) + t.textOut,
      audio_out: (before?.audio_out ?? 0) + t.audioOut,
      openai_usd: (before?.openai_usd ?? 0) + part.openaiUsd,
      // Minutes are the whole call's so far, billed once.
      twilio_usd: part.twilioUsd,
      minutes: part.minutes,
      reply_ms: JSON.stringify([...(before ? replyTimes(before.reply_ms) : []), ...part.replyMs].slice(-500)),
      barge_ins: (before?.barge_ins ?? 0) + part.bargeIns,
      ended_at: at,
    });
  }

  get(callId: number): CallFiguresView | null {
    const r = this.q().get.get(callId);
    if (!r) return null;
    return {
      tokens: { textIn: r.text_in, audioIn: r.audio_in, cachedTextIn: r.cached_text_in, cachedAudioIn: r.cached_audio_in, textOut: r.text_out, audioOut: r.audio_out },
      openaiUsd: r.openai_usd,
      twilioUsd: r.twilio_usd,
      costUsd: r.openai_usd + r.twilio_usd,
      minutes: r.minutes,
      replyMs: replyTimes(r.reply_ms),
      bargeIns: r.barge_ins,
    };
  }

  /** Every call that ended since `at`: cost and reply times, for the day's and month's totals. */
  since(at: number): Array<{ costUsd: number; replyMs: number[] }> {
    return (this.sinceStmt().all(at) as Row[]).map((r) => ({ costUsd: r.openai_usd + r.twilio_usd, replyMs: replyTimes(r.reply_ms) }));
  }
}
