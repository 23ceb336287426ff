import type { Migration } from './types.js';

/**
 * What a new patient gives before their first booking, as the clinic's Settings ask:
 * email and insurance on the patient, the reason for the visit on the appointment.
 */
export const migration009: Migration = {
  version: 9,
  name: 'new-patient intake: email, insurance, reason for visit',
  up: (db) => {
    db.exec(`
      ALTER TABLE patients ADD COLUMN email TEXT;
      ALTER TABLE patients ADD COLUMN insurance_carrier TEXT;
      ALTER TABLE patients ADD COLUMN insurance_member_id TEXT;
      ALTER TABLE appointments ADD COLUMN visit_reason TEXT;
    `);
  },
};
