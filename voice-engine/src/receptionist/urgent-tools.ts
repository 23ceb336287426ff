import type { UrgentSituation } from '../clinic/knowledge.js';
import { TRANSFER_CAME_BACK } from '../transfer/warm-transfers.js';
import type { ToolDefinition } from '../call/tools.js';
import type { EngineEvents } from '../events.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { announceFollowUp } from '../call/follow-up.js';
import { EMERGENCY } from './safety-rules.js';
import type { SendText } from '../sms/text-sender.js';

function text(args: Record<string, unknown>, key: string, max: number): string {
  const value = args[key];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** The clinic's situation the model named: exact first, then one containing the other's words. */
function matchSituation(list: UrgentSituation[], named: string): UrgentSituation | undefined {
  const n = named.toLowerCase();
  return list.find((s) => s.description.toLowerCase() === n) ?? list.find((s) => n.includes(s.description.toLowerCase()) || s.description.toLowerCase().includes(n));
}

/**
 * report_urgent: marks the call urgent for staff (live card, call log, Inbox, an alert
 * sound on the dashboard) and tells the model what the clinic wants done. The routing is
 * decided here from settings, never by the model: a clinic "transfer now" situation is put
 * through by the engine itself.
 */
export function urgentTools(store: Store, events: EngineEvents, transferNumber: () => string | null, log: Logger, sendText?: SendText): ToolDefinition[] {
  /** The on-call phone hears about it too: the clinic's wording and the caller's last four digits only, never their words. */
  const textOnCall = (to: string, from: string, situation: string, callId: number, clinicName: string) => {
    if (!sendText) return;
    const caller = store.calls.get(callId)?.fromMasked ?? 'unknown';
    const label = situation === EMERGENCY ? 'possible emergency' : situation;
    sendText({ to, from, body: `Deskline: urgent call at ${clinicName}: ${label}. Caller ${caller}. Open Deskline to see it.` }).catch((err: Error) => {
      store.systemErrors.record({ type: 'urgent_text_failed', severity: 'warning', callId, message: err.message, stack: null, occurredAt: Date.now() });
      log.warn(`Call ${callId}: the on-call phone could not be texted: ${err.message}`);
    });
  };

  const reportUrgent: ToolDefinition = {
    name: 'report_urgent',
    description:
      'Call this at once when a caller describes a possible medical emergency (situation "emergency") or one of the clinic’s urgent situations (its name exactly as listed in your instructions). It alerts the clinic team and tells you what to do next.',
    parameters: {
      type: 'object',
      properties: {
        situation: { type: 'string', description: '"emergency", or the clinic’s urgent situation exactly as listed.' },
        summary: { type: 'string', description: 'What the caller described, in one short sentence, for the clinic team.' },
      },
      required: ['situation'],
    },
    run(args, ctx) {
      const named = text(args, 'situation', 120);
      const summary = text(args, 'summary', 300) || null;
      const { emergencyNumber, urgentSituations } = ctx.knowledge.safety;
      const clinic = named.toLowerCase() === EMERGENCY ? undefined : matchSituation(urgentSituations, named);
      const situation = clinic?.description ?? EMERGENCY;
      // Marking it urgent also flags it for staff; one write, then every UI hears.
      store.calls.markUrgent(ctx.callId, situation, summary, ctx.now);
      announceFollowUp(store, events, ctx.callId);
      events.emit('call.urgent', { callId: ctx.callId, situation, at: ctx.now });
      // The situation is the clinic's wording or "emergency"; the caller's own words stay out of the log.
      log.warn(`Call ${ctx.callId}: urgent (${situation})`);
      // A test call from the dashboard never pages the on-call phone; its banner and card still show, marked as a test.
      if (ctx.knowledge.safety.alertNumber && !ctx.testCall) textOnCall(ctx.knowledge.safety.alertNumber, ctx.clinicNumber, situation, ctx.callId, ctx.knowledge.profile.name);

      if (!clinic) {
        return {
          done: true,
          urgent: true,
          say: `Tell the caller: if this could be an emergency, hang up now and call ${emergencyNumber}. Then offer to put them through to a person right away; if they want that, call transfer_to_staff. Give no medical advice.`,
        };
      }
      // A transfer that already came back unanswered is not tried again: an urgent message instead.
      const to = clinic.action === 'transfer' && !ctx.memory.get(TRANSFER_CAME_BACK) ? clinic.transferTo || transferNumber() : null;
      if (to) {
        ctx.call.transferAfterReply(to, { whisper: { reason: situation, urgent: true } });
        return { done: true, urgent: true, transferring: true, say: 'In one short sentence, tell the caller you are connecting them to someone now. Do not call transfer_to_staff; the transfer is already under way.' };
      }
      return {
        done: true,
        urgent: true,
        say: `Take an urgent message now: ask for their name and the best number to call back, then call take_message with urgency "urgent". Tell them the team will call back as soon as possible, and to call ${emergencyNumber} if it becomes an emergency.`,
      };
    },
  };
  return [reportUrgent];
}
