/** How an urgent call's situation reads to staff: the engine's word for an emergency, or the clinic's own description. */
export function urgentLabel(situation: string): string {
  return situation === 'emergency' ? 'Possible emergency' : `Urgent: ${situation}`;
}
