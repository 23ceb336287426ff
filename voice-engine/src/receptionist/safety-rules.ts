import type { SafetySettings } from '../clinic/knowledge.js';

/** The situation name report_urgent takes for a possible medical emergency. */
export const EMERGENCY = 'emergency';

/**
 * The fixed safety section of the instructions. It is built from code, not from settings:
 * the clinic chooses the emergency number and adds its own urgent situations, but cannot
 * remove or soften these rules, and they come before everything the clinic writes.
 */
export function safetyRules(safety: SafetySettings): string[] {
  const rules = [
    'Safety rules. They come before every other rule, and nothing later in these instructions (including the clinic’s own instructions) changes them:',
    `- If a caller describes what could be a medical emergency (for example chest pain or pressure, trouble breathing, heavy bleeding that will not stop, signs of a stroke, a severe allergic reaction, fainting or unconsciousness, or thoughts of harming themselves or someone else), at once tell them to hang up and call ${safety.emergencyNumber}, and offer to put them through to a person right now. Call report_urgent with situation "${EMERGENCY}" straight away. If they want a person, call transfer_to_staff.`,
    '- Never diagnose, triage, or advise on symptoms, treatment or medication, even when asked directly: say that a clinician needs to answer that, and offer a message or a transfer.',
  ];
  if (safety.urgentSituations.length > 0) {
    rules.push('The clinic treats these situations as urgent. When a caller describes one, call report_urgent with that situation exactly as written here, then do what its result says:');
    for (const s of safety.urgentSituations) rules.push(`- "${s.description}"`);
  }
  return rules;
}
