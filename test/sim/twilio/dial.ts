import { API_VERSION } from './rest-resources.js';
import { randomSid } from './signing.js';
import { parseTwiml, type TwimlNode } from './twiml.js';
import type { WebhookResult } from './webhook-client.js';

/**
 * Twilio's <Dial> to a phone the test plays: it rings, is answered or not, and on answering
 * runs the <Number url> TwiML (the whisper) on the called party's own leg before the two
 * are connected, as Twilio does: <Say>/<Play> heard by the called party, <Gather> for a key,
 * <Redirect>, <Hangup> (the call is not connected), and nothing else. <Dial> is refused there.
 */

/** How the phone at the other end behaves, set per number with `TwilioSim.phone()`. */
export interface DialedPhone {
  pickUp: 'answer' | 'no-answer' | 'busy';
  /** On answering, during the whisper: press a key at the first <Gather>, stay on the line, or hang up. */
  duringWhisper?: { press: string } | 'stay' | 'hang-up';
}

export interface DialRecord {
  number: string;
  /** The called party's CallSid (DialCallSid). */
  childSid: string;
  /** What the called party heard (<Say> text), in order. */
  heard: string[];
  /** Keys the called party pressed into a <Gather>. */
  pressed: string[];
  /** The two parties were connected. */
  bridged: boolean;
  /** DialCallStatus as posted to the <Dial action>. */
  dialCallStatus?: string;
  /** What the engine answered to the action. */
  actionResponse?: WebhookResult;
}

/** Ringing is compressed: a phone nobody answers rings out after this, not after `timeout` seconds. */
export const RING_OUT_MS = 50;

export interface DialContext {
  accountSid: string;
  parentSid: string;
  from: string;
  /** A signed POST to an absolute (or engine-relative) URL. */
  post(url: string, params: Record<string, string>): Promise<WebhookResult>;
  refuse(reason: string, data: string): void;
}

/** The number a <Dial> calls: its <Number> noun, or its own text. */
export function dialedNumber(dial: TwimlNode): { number: string; url?: string } {
  const noun = dial.children.find((c) => c.name === 'Number');
  return noun ? { number: noun.text, url: noun.attrs.url } : { number: dial.text };
}

/** Rings the phone and, if answered, runs the whisper: resolves with how the dial ended (not yet posted to the action). */
export async function ringAndWhisper(dial: TwimlNode, phone: DialedPhone, ctx: DialContext): Promise<DialRecord> {
  const { number, url } = dialedNumber(dial);
  const record: DialRecord = { number, childSid: randomSid('CA'), heard: [], pressed: [], bridged: false };
  if (phone.pickUp !== 'answer') {
    await new Promise((r) => setTimeout(r, RING_OUT_MS));
    record.dialCallStatus = phone.pickUp;
    return record;
  }
  record.bridged = url === undefined ? true : await runWhisper(url, phone, record, ctx);
  // A called party that answered and then hung up during the whisper is still reported as answered.
  record.dialCallStatus = 'completed';
  return record;
}

function childParams(record: DialRecord, ctx: DialContext): Record<string, string> {
  return {
    AccountSid: ctx.accountSid,
    ApiVersion: API_VERSION,
    CallSid: record.childSid,
    ParentCallSid: ctx.parentSid,
    CallStatus: 'in-progress',
    Direction: 'outbound-dial',
    From: ctx.from,
    To: record.number,
    Called: record.number,
    Caller: ctx.from,
  };
}

/** Runs TwiML on the called party's leg; true when it ran to the end (the parties are then connected). */
async function runWhisper(url: string, phone: DialedPhone, record: DialRecord, ctx: DialContext): Promise<boolean> {
  let next: { url: string; extra: Record<string, string> } | null = { url, extra: {} };
  for (let documents = 0; next && documents < 10; documents++) {
    const res = await ctx.post(next.url, { ...childParams(record, ctx), ...next.extra });
    if (res.status !== 200) {
      ctx.refuse(`whisper URL answered HTTP ${res.status} (Twilio error 11200); the called party is hung up`, next.url);
      return false;
    }
    const verbs = parseTwiml(res.body).verbs;
    if (verbs.some((v) => v.name === 'Dial')) {
      ctx.refuse('TwiML run on the called party (<Number url>) cannot contain <Dial>', res.body);
      return false;
    }
    next = null;
    for (const verb of verbs) {
      if (phone.duringWhisper === 'hang-up') return false;
      if (verb.name === 'Say') record.heard.push(verb.text);
      else if (verb.name === 'Hangup' || verb.name === 'Reject') return false;
      else if (verb.name === 'Redirect') {
        next = { url: verb.text, extra: {} };
        break;
      } else if (verb.name === 'Gather') {
        for (const inner of verb.children) if (inner.name === 'Say') record.heard.push(inner.text);
        const key = typeof phone.duringWhisper === 'object' ? phone.duringWhisper.press : undefined;
        if (key === undefined) continue; // timed out: Twilio goes on to the next verb
        if (!verb.attrs.action) {
          ctx.refuse('<Gather> without an action on the called party leg', res.body);
          return false;
        }
        record.pressed.push(key);
        next = { url: verb.attrs.action, extra: { Digits: key, FinishedOnKey: '' } };
        break;
      } else if (verb.name !== 'Play' && verb.name !== 'Pause') {
        ctx.refuse(`<${verb.name}> is not something the sim runs on a called party leg`, res.body);
        return false;
      }
    }
    if (!next) return true;
  }
  ctx.refuse('more than 10 documents on the called party leg', url);
  return false;
}
