import type { Db } from './db.js';

export interface Patient {
  id: number;
  name: string;
  phone: string;
  dateOfBirth: string | null;
  email: string | null;
  insuranceCarrier: string | null;
  insuranceMemberId: string | null;
}

/** What staff (or a new patient's intake) may set on a record; absent fields are left as they are. */
export type PatientDetailsUpdate = Partial<Pick<Patient, 'name' | 'phone' | 'dateOfBirth' | 'email' | 'insuranceCarrier' | 'insuranceMemberId'>>;

interface PatientRow {
  id: number;
  name: string;
  phone: string;
  date_of_birth: string | null;
  email: string | null;
  insurance_carrier: string | null;
  insurance_member_id: string | null;
}

const toPatient = (r: PatientRow): Patient => ({
  id: r.id,
  name: r.name,
  phone: r.phone,
  dateOfBirth: r.date_of_birth,
  email: r.email,
  insuranceCarrier: r.insurance_carrier,
  insuranceMemberId: r.insurance_member_id,
});

const COLUMNS: Record<keyof PatientDetailsUpdate, string> = {
  name: 'name',
  phone: 'phone',
  dateOfBirth: 'date_of_birth',
  email: 'email',
  insuranceCarrier: 'insurance_carrier',
  insuranceMemberId: 'insurance_member_id',
};

/** Names are compared loosely: callers say "jane smith" for "Jane  Smith". */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Phone numbers are kept in E.164 where we can tell (North American 10-digit numbers get +1). */
export function normalizePhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return digits;
}

export class PatientStore {
  private readonly byPhone;
  private readonly byId;
  private readonly byDob;
  private readonly insert;
  private readonly setDob;

  constructor(private readonly db: Db) {
    this.byPhone = db.prepare<[string], PatientRow>('SELECT * FROM patients WHERE phone = ? ORDER BY id');
    this.byId = db.prepare<[number], PatientRow>('SELECT * FROM patients WHERE id = ?');
    this.byDob = db.prepare<[string], PatientRow>('SELECT * FROM patients WHERE date_of_birth = ? ORDER BY id');
    this.insert = db.prepare<[string, string, string | null, number]>('INSERT INTO patients (name, phone, date_of_birth, created_at) VALUES (?, ?, ?, ?)');
    this.setDob = db.prepare<[string, number]>('UPDATE patients SET date_of_birth = ? WHERE id = ? AND date_of_birth IS NULL');
  }

  withPhone(phone: string): Patient[] {
    return this.byPhone.all(normalizePhone(phone)).map(toPatient);
  }

  get(id: number): Patient | undefined {
    const row = this.byId.get(id);
    return row && toPatient(row);
  }

  /**
   * The same name on the same phone is the same patient; anyone else is new. A missing date
   * of birth is filled in only when `identityProven`: it is what proves identity later.
   */
  findOrCreate(name: string, phone: string, dateOfBirth: string | null, identityProven = false): Patient {
    const normalized = normalizePhone(phone);
    const existing = this.withPhone(normalized).find((p) => normalizeName(p.name) === normalizeName(name));
    if (existing) {
      if (identityProven && dateOfBirth && !existing.dateOfBirth) {
        this.setDob.run(dateOfBirth, existing.id);
        return { ...existing, dateOfBirth };
      }
      return existing;
    }
    const info = this.insert.run(name.trim(), normalized, dateOfBirth, Date.now());
    return this.get(Number(info.lastInsertRowid))!;
  }

  /** Sets the given fields (a name, a number, intake details); the column names come from a fixed map, never from input. */
  update(id: number, details: PatientDetailsUpdate): Patient | undefined {
    const keys = (Object.keys(details) as Array<keyof PatientDetailsUpdate>).filter((k) => k in COLUMNS && details[k] !== undefined);
    if (keys.length > 0) {
      const values = keys.map((k) => (k === 'phone' ? normalizePhone(details.phone!) : details[k]));
      this.db.prepare(`UPDATE patients SET ${keys.map((k) => `${COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`).run(...values, id);
    }
    return this.get(id);
  }

  /** Patients whose name and date of birth both match: how a caller proves who they are. */
  withNameAndBirthDate(name: string, dateOfBirth: string): Patient[] {
    const wanted = normalizeName(name);
    return this.byDob.all(dateOfBirth).map(toPatient).filter((p) => normalizeName(p.name) === wanted);
  }
}
