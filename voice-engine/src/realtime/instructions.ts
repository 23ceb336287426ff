import type { SettingsStore } from '../store/settings.js';

export interface ReceptionistProfile {
  clinicName: string;
  greeting: string;
  voice: string;
  extraInstructions: string;
}

export const SETTING_KEYS = {
  clinicName: 'clinic.name',
  greeting: 'receptionist.greeting',
  voice: 'receptionist.voice',
  extraInstructions: 'receptionist.instructions',
} as const;

/** Read on every call, so a settings change applies to the next call without a restart. */
export function loadProfile(settings: SettingsStore): ReceptionistProfile {
  const clinicName = settings.get<string>(SETTING_KEYS.clinicName)?.trim() || 'the clinic';
  return {
    clinicName,
    greeting:
      settings.get<string>(SETTING_KEYS.greeting)?.trim() ||
      `Thank you for calling ${clinicName}. This is the virtual receptionist. How can I help you today?`,
    voice: settings.get<string>(SETTING_KEYS.voice)?.trim() || 'marin',
    extraInstructions: settings.get<string>(SETTING_KEYS.extraInstructions)?.trim() ?? '',
  };
}

export function buildInstructions(profile: ReceptionistProfile, conversationSoFar?: string): string {
  const parts = [
    `You are the phone receptionist for ${profile.clinicName}. You are speaking with a caller on the phone.`,
    'Speak warmly and briefly: one or two short sentences at a time, then let the caller talk.',
    'Never invent facts about the clinic, prices or availability. Only state an appointment time as available or booked when a tool result says so.',
    'If you cannot help, offer to take a message or transfer the caller to the front desk.',
    'Never read back full phone numbers or dates of birth unless the caller asks you to confirm them.',
  ];
  if (profile.extraInstructions) parts.push(`Clinic instructions: ${profile.extraInstructions}`);
  if (conversationSoFar) {
    parts.push(
      'This call is already in progress; you have already greeted the caller. Do not greet them again. ' +
        `Continue naturally from this conversation so far:\n${conversationSoFar}`,
    );
  }
  return parts.join('\n');
}

export function greetingInstructions(profile: ReceptionistProfile): string {
  return `Greet the caller now by saying exactly: "${profile.greeting}"`;
}
