import { DEFAULT_CONSENT_LINES, type ClinicKnowledge, type RecordingSettings } from '../clinic/knowledge.js';

/** What the greeting adds when calls are recorded: the clinic's wording, or the default for its consent mode. */
export function consentLine(recording: RecordingSettings): string {
  if (!recording.enabled) return '';
  return recording.consentLine.trim() || DEFAULT_CONSENT_LINES[recording.consent];
}

/** The receptionist's standing rule about recording: only when the caller may say no. */
export function recordingRules(recording: RecordingSettings): string[] {
  if (!recording.enabled || recording.consent !== 'ask') return [];
  return ['This call is being recorded, and the greeting tells the caller so. If at any point the caller says they do not want it recorded, call stop_recording straight away, tell them the recording is off, and carry on helping them.'];
}

/** Tools a phone call does not offer: stop_recording only exists where the caller is asked. */
export function phoneToolsOff(knowledge: Pick<ClinicKnowledge, 'recording'>): string[] {
  return knowledge.recording.enabled && knowledge.recording.consent === 'ask' ? [] : ['stop_recording'];
}
