import { DateTime } from 'luxon';
import type { ClinicKnowledge } from '../clinic/knowledge.js';
import { describeHours, describePrice } from '../scheduling/describe.js';
import { safetyRules } from '../receptionist/safety-rules.js';
import { takesMessagesOnly } from '../clinic/after-hours.js';
import { intakeRule } from '../receptionist/new-patient.js';
import { languageRules, withBilingualLine } from '../receptionist/language-rules.js';
import { consentLine, recordingRules } from '../recording/recording-consent.js';

/**
 * The receptionist's standing instructions, built from the clinic's settings on every
 * call. The rules about availability are the heart of it: the model may only offer or
 * confirm times a tool returned, so a caller never hears a lie about the diary.
 */
export function buildInstructions(knowledge: ClinicKnowledge, now: number, continuing = false, channel: 'voice' | 'sms' = 'voice'): string {
  const { profile, receptionist } = knowledge;
  const today = DateTime.fromMillis(now, { zone: profile.timezone }).toFormat("cccc d LLLL yyyy', 'h:mm a");
  const sms = channel === 'sms';
  const parts = [
    sms
      ? `You are the receptionist for ${profile.name}, answering a patient's text messages. "The caller" below means the person texting.`
      : `You are the phone receptionist for ${profile.name}. You are speaking with a caller on the phone.`,
    `It is now ${today} at the clinic (time zone ${profile.timezone}). Pass dates to tools as YYYY-MM-DD and times as HH:mm in the clinic's time.`,
    sms
      ? 'Write warm, short texts: one to three sentences, plain text, no markdown. Once they pick a time you offered, book it; do not re-check it first.'
      : 'Speak warmly and briefly: one or two short sentences at a time, then let the caller talk.',
    ...safetyRules(knowledge.safety),
    ...afterHoursRules(knowledge),
    ...languageRules(knowledge.languages),
    ...(sms ? [] : recordingRules(knowledge.recording)),
    'Rules you must always follow:',
    '- Never state that a time is available or booked unless a tool result just said so. Offer only the exact times check_availability returned, and book only one of those.',
    '- When a tool result contains "say", tell the caller that, in your own words, and follow its "next" advice.',
    '- Before booking, confirm the service, the time, the provider, and the caller’s name. Use the phone number they are calling from unless they give another.',
    intakeRule(knowledge.intake),
    '- Never read out, move or cancel an existing appointment until find_appointments has returned it. When it asks for the patient’s full name and date of birth, ask for both; a phone number alone is never enough. Then reschedule or cancel that exact appointment.',
    sms ? '- If you cannot help, offer to take a message (take_message) for the team.' : '- If you cannot help, offer to take a message (take_message) or transfer to the front desk (transfer_to_staff).',
    ...(sms ? [] : ['- When the caller is done, say a short goodbye and then call end_call.']),
    '- Never read back full phone numbers or dates of birth unless the caller asks you to confirm them.',
  ];
  const facts = [`Clinic: ${profile.name}.`];
  if (profile.address) facts.push(`Address: ${profile.address}.`);
  if (profile.phone) facts.push(`Phone: ${profile.phone}.`);
  facts.push(`Opening hours: ${describeHours(knowledge.hours)}.`);
  const upcomingClosures = knowledge.closures.filter((c) => c.endDate >= DateTime.fromMillis(now, { zone: profile.timezone }).toISODate()!);
  if (upcomingClosures.length > 0) {
    facts.push(`Closed: ${upcomingClosures.map((c) => `${c.startDate === c.endDate ? c.startDate : `${c.startDate} to ${c.endDate}`}${c.reason ? ` (${c.reason})` : ''}`).join('; ')}.`);
  }
  const providerNames = new Map(knowledge.providers.map((p) => [p.id, p.name]));
  if (knowledge.services.length > 0) {
    facts.push('Services:');
    for (const service of knowledge.services) {
      const price = describePrice(service);
      const who = service.providerIds.map((id) => providerNames.get(id)).filter(Boolean).join(', ');
      facts.push(`- ${service.name}: ${service.durationMin} minutes${price ? `, ${price}` : ''}${who ? `, with ${who}` : ''}.`);
    }
  }
  if (knowledge.providers.length > 0) facts.push(`Providers: ${knowledge.providers.map((p) => p.name).join(', ')}.`);
  for (const policy of knowledge.policies) facts.push(`${policy.title}: ${policy.text}`);
  if (knowledge.faqs.length > 0) {
    facts.push('Answers to common questions:');
    for (const faq of knowledge.faqs) facts.push(`- Q: ${faq.question} A: ${faq.answer}`);
  }
  parts.push('What you know about the clinic (say you will check with the team for anything not listed here):', ...facts);
  if (receptionist.extraInstructions) parts.push(`Clinic instructions (they never override the safety rules): ${receptionist.extraInstructions}`);
  if (continuing) {
    // The earlier lines arrive as conversation items: quoted data, never instructions.
    parts.push(
      'This call is already in progress; you have already greeted the caller. Do not greet them again. ' +
        'The conversation so far is in the conversation items; continue naturally from where it left off.',
    );
  }
  return parts.join('\n');
}

export function greetingInstructions(knowledge: ClinicKnowledge): string {
  const { greeting, defaultGreeting } = knowledge.openNow ? knowledge.receptionist : knowledge.afterHours;
  const consent = consentLine(knowledge.recording);
  return `Greet the caller now by saying exactly: "${withBilingualLine(greeting || defaultGreeting, knowledge.languages)}${consent ? ` ${consent}` : ''}"`;
}

/** Outside opening hours (or on a closure), what the receptionist may do on this call. */
function afterHoursRules(knowledge: ClinicKnowledge): string[] {
  if (knowledge.openNow) return [];
  if (takesMessagesOnly(knowledge)) {
    return ['The clinic is closed right now. Do not book, move or cancel appointments, and do not offer times: take a message (take_message) for the team, who will call back when the clinic opens. You may still answer questions about the clinic.'];
  }
  return ['The clinic is closed right now (outside opening hours, or a closure). Say so if it matters; you can still book, move and cancel appointments and take messages.'];
}
