import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { KNOWLEDGE_KEYS } from '../../voice-engine/src/clinic/knowledge.js';
import type { CallOutcome, CallStatus } from '../../voice-engine/src/contract.js';
import { openDatabase } from '../../voice-engine/src/store/db.js';
import { SearchDocuments } from '../../voice-engine/src/store/search-documents.js';
import { LATEST_SCHEMA_VERSION } from '../../voice-engine/src/store/migrations/index.js';
import { seededRandom } from '../sim/seeded-random.js';

/**
 * A clinic's call history for the dashboard bench: 100,000 calls over two years, 4–8
 * transcript lines each in a front desk's words, from a seeded RNG. The schema comes from
 * the engine's own migrations (openDatabase), then everything is bulk-inserted in one
 * transaction; each call's search document is written once after its lines, as the engine does at call end.
 *
 * Building takes tens of seconds, so the file is cached in test/.cache/ under a name that
 * carries the seed version and the schema version, with a sidecar JSON recording both and a
 * hash of the migration sources. It is rebuilt whenever any of them, or the file's own
 * PRAGMA user_version, differs from the engine's.
 */

/** Bump when the generated data changes. */
export const SEED_VERSION = 1;
export const SEED_CALLS = 100_000;
const SEED = 0x5eed_da5b;
const DAYS = 730;
const CALLER_POOL = 15_000;
const DAY_MS = 86_400_000;
export const CLINIC_NAME = 'Riverside Family Clinic';
export const CLINIC_TZ = 'America/Los_Angeles';

const CACHE_DIR = resolve(import.meta.dirname, '../.cache');
const MIGRATIONS_DIR = resolve(import.meta.dirname, '../../voice-engine/src/store/migrations');
const PREFIX = 'dashboard-calls-';

export interface SeedInfo {
  seedVersion: number;
  schemaVersion: number;
  migrationsHash: string;
  calls: number;
  lines: number;
  patients: number;
  /** started_at of the first and last call (epoch ms). */
  firstStartedAt: number;
  lastStartedAt: number;
  /** Every outcome present, for filters. */
  outcomes: CallOutcome[];
  /** Caller numbers that exist, for digit filters (a sample). */
  callerSample: string[];
  buildMs: number;
  bytes: number;
}

export interface SeededDb {
  path: string;
  info: SeedInfo;
  /** True when this run had to build it. */
  built: boolean;
}

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(MIGRATIONS_DIR).sort()) h.update(f).update(readFileSync(join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------------------------------
// What callers and the receptionist say.

const FIRST = ['Maria', 'James', 'Linda', 'Robert', 'Patricia', 'Michael', 'Jennifer', 'David', 'Elizabeth', 'William', 'Susan', 'Richard', 'Jessica', 'Joseph', 'Sarah', 'Thomas', 'Karen', 'Charles', 'Nancy', 'Daniel', 'Lisa', 'Matthew', 'Betty', 'Anthony', 'Sandra', 'Mark', 'Ashley', 'Steven', 'Emily', 'Paul', 'Donna', 'Andrew', 'Michelle', 'Joshua', 'Carol', 'Kevin', 'Amanda', 'Brian', 'Melissa', 'George', 'Deborah', 'Timothy', 'Stephanie', 'Ronald', 'Rebecca', 'Jason', 'Sharon', 'Edward', 'Laura', 'Jeffrey', 'Cynthia', 'Ryan', 'Kathleen', 'Jacob', 'Amy', 'Gary', 'Angela', 'Nicholas', 'Shirley', 'Eric', 'Anna', 'Jonathan', 'Brenda', 'Stephen', 'Pamela', 'Larry', 'Emma', 'Justin', 'Nicole', 'Scott', 'Helen', 'Brandon', 'Samantha', 'Benjamin', 'Katherine', 'Samuel', 'Christine', 'Gregory', 'Debra', 'Alexander', 'Rachel', 'Frank', 'Carolyn', 'Patrick', 'Janet', 'Raymond', 'Catherine', 'Jack', 'Maria', 'Dennis', 'Heather', 'Jerry', 'Diane', 'Tyler', 'Ruth', 'Aaron', 'Julie', 'Jose', 'Olivia', 'Adam', 'Joyce', 'Nathan', 'Virginia', 'Henry', 'Victoria', 'Douglas', 'Kelly', 'Zachary', 'Lauren', 'Peter', 'Christina', 'Kyle', 'Joan', 'Ethan', 'Evelyn', 'Walter', 'Judith', 'Noah', 'Megan', 'Jeremy', 'Andrea', 'Christian', 'Cheryl', 'Keith', 'Hannah', 'Roger', 'Jacqueline', 'Terry', 'Martha', 'Gerald', 'Gloria', 'Harold', 'Teresa', 'Sean', 'Ann', 'Austin', 'Sara', 'Carl', 'Madison', 'Arthur', 'Frances', 'Lawrence', 'Kathryn', 'Dylan', 'Janice', 'Jesse', 'Jean', 'Jordan', 'Abigail', 'Bryan', 'Alice', 'Billy', 'Julia', 'Joe', 'Judy', 'Bruce', 'Sophia', 'Gabriel', 'Grace', 'Logan', 'Denise', 'Albert', 'Amber', 'Willie', 'Doris', 'Alan', 'Marilyn', 'Juan', 'Danielle', 'Wayne', 'Beverly', 'Elijah', 'Isabella', 'Randy', 'Theresa', 'Roy', 'Diana', 'Vincent', 'Natalie', 'Ralph', 'Brittany', 'Eugene', 'Charlotte', 'Russell', 'Marie', 'Bobby', 'Kayla', 'Mason', 'Alexis', 'Philip', 'Lori', 'Priya', 'Wei', 'Aiko', 'Mateo', 'Fatima', 'Olga', 'Ines', 'Kofi', 'Ngozi', 'Sven'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', 'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes', 'Gonzales', 'Fisher', 'Vasquez', 'Simmons', 'Romero', 'Jordan', 'Patterson', 'Alexander', 'Hamilton', 'Graham', 'Reynolds', 'Griffin', 'Wallace', 'Moreno', 'West', 'Cole', 'Hayes', 'Bryant', 'Herrera', 'Gibson', 'Ellis', 'Tran', 'Medina', 'Aguilar', 'Stevens', 'Murray', 'Ford', 'Castro', 'Marshall', 'Owens', 'Harrison', 'Fernandez', 'McDonald', 'Woods', 'Washington', 'Kennedy', 'Wells', 'Vargas', 'Henry', 'Chen', 'Freeman', 'Webb', 'Tucker', 'Guzman', 'Burns', 'Crawford', 'Olson', 'Simpson', 'Porter', 'Hunter', 'Gordon', 'Mendez', 'Silva', 'Shaw', 'Snyder', 'Mason', 'Dixon', 'Munoz', 'Hunt', 'Hicks', 'Holmes', 'Palmer', 'Wagner', 'Black', 'Robertson', 'Boyd', 'Rose', 'Stone', 'Salazar', 'Fox', 'Warren', 'Mills', 'Meyer', 'Rice', 'Schmidt', 'Garza', 'Daniels', 'Ferguson', 'Nichols', 'Stephens', 'Soto', 'Weaver', 'Ryan', 'Gardner', 'Payne', 'Grant', 'Dunn', 'Kowalski', 'Okafor', 'Yamamoto', 'Lindqvist', 'Haddad', 'Novak', 'Abernathy', 'Quinones'];
const PROVIDERS = ['Dr. Patel', 'Dr. Nguyen', 'Dr. Okafor', 'Dr. Lindqvist', 'Dr. Romero', 'Dr. Chen', 'Nurse Practitioner Walsh', 'Dr. Haddad', 'Dr. Brooks', 'Physician Assistant Moreno', 'Dr. Kowalski', 'Dr. Yamamoto'];
const SERVICES = ['annual physical', 'flu shot', 'blood work', 'well child visit', 'sports physical', 'follow-up visit', 'new patient consultation', 'allergy testing', 'skin check', 'diabetes check-in', 'blood pressure check', 'travel vaccination', 'prenatal visit', 'ear cleaning', 'mole removal', 'physical therapy evaluation', 'covid booster', 'tetanus shot', 'cholesterol screening', 'hearing test', 'vision screening', 'pap smear', 'stitches removal', 'wart treatment'];
const TOPICS = ['lab results', 'prescription refill', 'referral to a specialist', 'bill from last month', 'x-ray results', 'insurance claim', 'medical records request', 'sick note for work', 'vaccination record', 'prior authorization', 'blood test results', 'MRI referral', 'medication side effects', 'school immunization form'];
const MEDS = ['lisinopril', 'metformin', 'amoxicillin', 'atorvastatin', 'levothyroxine', 'albuterol', 'omeprazole', 'sertraline', 'amlodipine', 'gabapentin', 'prednisone', 'ibuprofen', 'cetirizine', 'losartan', 'fluoxetine', 'azithromycin'];
const INSURERS = ['Aetna', 'Cigna', 'Kaiser', 'Humana', 'Medicare', 'Medicaid', 'Blue Cross', 'United Healthcare', 'Moda', 'Providence', 'Regence', 'Tricare'];
const DAYS_SAID = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'tomorrow', 'next week', 'this afternoon', 'Monday morning', 'Friday afternoon'];
const TIMES = ['8:30', '9:00', '9:15', '9:45', '10:00', '10:30', '11:00', '11:15', '1:00', '1:30', '2:00', '2:45', '3:15', '3:30', '4:00', '4:30'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const STREETS = ['Oak Street', 'Burnside', 'Hawthorne', 'Division', 'Alberta', 'Belmont', 'Sandy Boulevard', 'Broadway', 'Killingsworth', 'Powell'];
const SYMPTOMS = ['a sore throat', 'a bad cough', 'back pain', 'a rash on my arm', 'headaches', 'an earache', 'a sprained ankle', 'a fever since Sunday', 'trouble sleeping', 'heartburn', 'a sinus infection', 'knee pain'];

type Pick = <T>(xs: readonly T[]) => T;

/** One conversation, alternating receptionist and caller, starting with the greeting. */
function conversation(pick: Pick, r: () => number, outcome: CallOutcome, name: string, lines: number): string[] {
  const first = name.split(' ')[0]!;
  const svc = pick(SERVICES);
  const prov = pick(PROVIDERS);
  const day = pick(DAYS_SAID);
  const time = pick(TIMES);
  const greeting = pick([
    `Thank you for calling ${CLINIC_NAME}, how can I help you today?`,
    `Good morning, ${CLINIC_NAME}, this is the front desk assistant. How may I help?`,
    `Hello, you've reached ${CLINIC_NAME}. What can I do for you?`,
    `Thanks for calling ${CLINIC_NAME}. Are you calling to book, change an appointment, or something else?`,
  ]);
  let opening: string;
  let middle: string[];
  switch (outcome) {
    case 'booked':
      opening = pick([`Hi, I'd like to book a ${svc} with ${prov}.`, `I need an appointment for a ${svc}, ideally ${day}.`, `Hello, I've had ${pick(SYMPTOMS)} and I'd like to see someone ${day}.`, `Can I schedule my ${svc} please?`]);
      middle = [
        `Of course. Can I have your full name and date of birth?`,
        `It's ${name}, born ${pick(MONTHS)} ${1 + Math.floor(r() * 28)}, ${1940 + Math.floor(r() * 70)}.`,
        `Thanks ${first}. I have ${time} on ${day} with ${prov}. Would that work?`,
        pick([`Yes, ${time} works great.`, `Do you have anything earlier? Mornings are better for me.`, `That's perfect, thank you.`]),
        `You're booked for a ${svc} on ${day} at ${time}. Please arrive ten minutes early and bring your ${pick(INSURERS)} card.`,
        `Great, thank you so much. Bye!`,
      ];
      break;
    case 'rescheduled':
      opening = pick([`I need to move my appointment on ${day}, something came up at work.`, `Hi, this is ${name}, can I reschedule my ${svc}?`, `I have to change my appointment with ${prov} to later in the week.`]);
      middle = [
        `No problem. Can you confirm your name and date of birth?`,
        `${name}, ${pick(MONTHS)} ${1 + Math.floor(r() * 28)}.`,
        `I found your ${svc} with ${prov}. I can offer ${pick(DAYS_SAID)} at ${pick(TIMES)} or ${pick(DAYS_SAID)} at ${pick(TIMES)}.`,
        `The second one please.`,
        `Done, your appointment has been moved. You'll get a text reminder the day before.`,
        `Thanks, have a good day.`,
      ];
      break;
    case 'cancelled':
      opening = pick([`I have to cancel my ${svc} on ${day}.`, `Hi, I need to cancel my appointment, I'm feeling much better now.`, `This is ${name}, please cancel my visit with ${prov}.`]);
      middle = [
        `I can help with that. What's your date of birth?`,
        `${pick(MONTHS)} ${1 + Math.floor(r() * 28)}, ${1940 + Math.floor(r() * 70)}.`,
        `Your ${svc} with ${prov} on ${day} is cancelled. Please remember our cancellation policy asks for 24 hours notice.`,
        `I understand, sorry about the short notice.`,
        `Not at all. Would you like to book another time?`,
        `Not right now, I'll call back. Thank you.`,
      ];
      break;
    case 'message_taken':
      opening = pick([`Can you ask ${prov} to call me back about my ${pick(TOPICS)}?`, `I'm calling about my ${pick(MEDS)} refill, the pharmacy said they never got it.`, `Hi, I have a question about my ${pick(TOPICS)}.`]);
      middle = [
        `I'll take a message for the care team. What's the best number to reach you?`,
        `This number is fine, it's my cell.`,
        `And your name please?`,
        `${name}.`,
        `Thank you ${first}. I've passed your message to ${prov}; someone will call you back ${pick(['today', 'within one business day', 'this afternoon', 'tomorrow morning'])}.`,
        `Perfect, thanks for your help.`,
      ];
      break;
    case 'transferred':
      opening = pick([`I have a question about my bill from ${pick(MONTHS)}, can I talk to someone?`, `I need to speak to a nurse about ${pick(SYMPTOMS)}.`, `Is ${prov} available? It's about my ${pick(TOPICS)}.`, `Can I talk to a real person please?`]);
      middle = [
        `Let me connect you with the front desk, one moment please.`,
        `Okay, thank you.`,
        `While I transfer you, do you have your ${pick(INSURERS)} member ID handy?`,
        `Yes I do.`,
        `Transferring you now.`,
        `Thanks.`,
      ];
      break;
    case 'info_only':
      opening = pick([
        `What time do you close on ${pick(DAYS_SAID)}?`,
        `Do you take ${pick(INSURERS)} insurance?`,
        `Where do I park when I come in? Is there parking on ${pick(STREETS)}?`,
        `Do you do walk-in ${svc}s?`,
        `How much is a ${svc} without insurance?`,
        `Are you accepting new patients?`,
      ]);
      middle = [
        pick([`We're open 8 to 6 on weekdays and 9 to 1 on Saturday.`, `Yes, we accept ${pick(INSURERS)} and most major plans.`, `There's free parking behind the building, the entrance is on ${pick(STREETS)}.`, `A ${svc} is $${40 + Math.floor(r() * 30) * 5} without insurance.`, `Yes, we are accepting new patients with ${prov}.`]),
        pick([`Okay, good to know.`, `And do I need a referral?`, `Is that the same for ${pick(['children', 'seniors', 'my husband', 'my daughter'])}?`]),
        pick([`For most visits you don't need a referral.`, `Yes, that's the same for the whole family.`, `I can send you the details by text message.`]),
        `Alright, that's all I needed.`,
        `Is there anything else I can help you with?`,
        `No, that's it, thank you. Bye.`,
      ];
      break;
    case 'abandoned':
      opening = pick([`Hello? Hi, yes, I was calling about...`, `Sorry, can you hear me? I'm in the car.`, `Hi, um, I think I have the wrong number.`]);
      middle = [`I'm here. How can I help you?`, `Hello? Hello?`, `I'm still here, can you hear me?`, `Sorry, the signal is terrible, I'll call back later.`, `It seems we got disconnected. Please call us back anytime.`, `Okay bye.`];
      break;
    case 'failed':
      opening = `Hi, I wanted to ask about ${pick(SYMPTOMS)}.`;
      middle = [`I'm sorry, I'm having trouble with our booking system. Let me get someone to help.`, `Okay.`, `Please hold while I connect you to the front desk.`, `Sure.`, `Connecting you now.`, `Thank you.`];
      break;
  }
  return [greeting, opening, ...middle].slice(0, lines);
}

const OUTCOMES: Array<[CallOutcome, number]> = [
  ['booked', 0.27],
  ['rescheduled', 0.08],
  ['cancelled', 0.06],
  ['message_taken', 0.15],
  ['transferred', 0.1],
  ['info_only', 0.26],
  ['abandoned', 0.06],
  ['failed', 0.02],
];

function build(path: string, progress: (line: string) => void): Omit<SeedInfo, 'buildMs' | 'bytes' | 'migrationsHash'> {
  const r = seededRandom(SEED);
  const pick: Pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  const db = openDatabase(path);
  try {
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    // A bulk load: no WAL, no fsync. The engine re-applies its own pragmas when it opens the copy.
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -200000');

    const anchor = Date.now() - (Date.now() % 3_600_000);
    const first = anchor - DAYS * DAY_MS;
    // Call start times: weekdays mostly, clinic hours (in the clinic's UTC-8 zone, roughly), sorted.
    const starts = new Float64Array(SEED_CALLS);
    for (let i = 0; i < SEED_CALLS; i++) {
      let day: number;
      do day = Math.floor(r() * DAYS);
      while (new Date(first + day * DAY_MS).getUTCDay() % 6 === 0 && r() < 0.85);
      const dayStart = first - (first % DAY_MS) + day * DAY_MS + 16 * 3_600_000; // 08:00 at UTC-8
      starts[i] = Math.min(anchor - 60_000, dayStart + Math.floor(r() * 10 * 3_600_000));
    }
    starts.sort();

    const pool: Array<{ phone: string; name: string; patient: boolean }> = [];
    const seen = new Set<string>();
    const areas = ['503', '971', '360', '206', '541', '425'];
    while (pool.length < CALLER_POOL) {
      const phone = `+1${pick(areas)}${200 + Math.floor(r() * 800)}${String(Math.floor(r() * 10_000)).padStart(4, '0')}`;
      if (seen.has(phone)) continue;
      seen.add(phone);
      pool.push({ phone, name: `${pick(FIRST)} ${pick(LAST)}`, patient: r() < 0.85 });
    }

    const setting = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    const patient = db.prepare('INSERT INTO patients (name, phone, date_of_birth, created_at) VALUES (?, ?, ?, ?)');
    const call = db.prepare(
      `INSERT INTO calls (id, call_sid, from_number, to_number, status, started_at, answered_at, ended_at, duration_s, needs_action, fallback, updated_at, outcome, archived, action_resolved_at, action_resolved_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const line = db.prepare('INSERT INTO transcript_lines (call_id, speaker, text, interrupted, spoken_at) VALUES (?, ?, ?, ?, ?)');
    const documents = new SearchDocuments(db);

    let lines = 0;
    let patients = 0;
    const t0 = performance.now();
    db.transaction(() => {
      setting.run(KNOWLEDGE_KEYS.name, JSON.stringify(CLINIC_NAME), first);
      setting.run(KNOWLEDGE_KEYS.timezone, JSON.stringify(CLINIC_TZ), first);
      for (const p of pool) {
        if (!p.patient) continue;
        patient.run(p.name, p.phone, `${1940 + Math.floor(r() * 70)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`, first);
        patients++;
      }
      const hex = '0123456789abcdef';
      for (let i = 0; i < SEED_CALLS; i++) {
        const id = i + 1;
        // A third of calls come from a tenth of the callers: the regulars.
        const caller = r() < 0.33 ? pool[Math.floor(r() * (CALLER_POOL / 10))]! : pick(pool);
        let u = r();
        let outcome: CallOutcome = 'info_only';
        for (const [o, w] of OUTCOMES) {
          if ((u -= w) < 0) {
            outcome = o;
            break;
          }
        }
        const status: CallStatus = outcome === 'abandoned' ? (r() < 0.5 ? 'canceled' : 'completed') : outcome === 'failed' ? 'failed' : 'completed';
        const startedAt = starts[i]!;
        const answeredAt = startedAt + 800 + Math.floor(r() * 1500);
        const durationS = outcome === 'abandoned' ? 5 + Math.floor(r() * 25) : 30 + Math.floor(r() * 330);
        const endedAt = answeredAt + durationS * 1000;
        const fallback = outcome === 'failed' ? (r() < 0.5 ? 'transfer' : 'voicemail') : null;
        const flagged = fallback !== null || r() < 0.02;
        const recent = i >= SEED_CALLS - 400;
        // Old flags were dealt with; the last few days' are still waiting in the Inbox.
        const open = flagged && recent;
        const resolved = flagged && !recent;
        const archived = !recent && r() < 0.04 ? 1 : 0;
        let sid = 'CA';
        for (let k = 0; k < 32; k++) sid += hex[Math.floor(r() * 16)];
        call.run(
          id, sid, caller.phone, '+15035550100', status, startedAt, answeredAt, endedAt, durationS, open ? 1 : 0, fallback, endedAt, outcome, archived,
          resolved ? endedAt + 3_600_000 : null, resolved ? pick(['Maria', 'Tom', 'Front desk', 'Jen']) : null,
        );
        const n = 4 + Math.floor(r() * 5);
        const said = conversation(pick, r, outcome, caller.name, n);
        const step = (durationS * 1000) / (said.length + 1);
        said.forEach((text, k) => {
          line.run(id, k % 2 === 0 ? 'receptionist' : 'caller', text, k % 2 === 0 && r() < 0.03 ? 1 : 0, Math.round(answeredAt + step * (k + 1)));
        });
        // As the engine does when a call ends: its search document, written once.
        documents.seal(id);
        lines += said.length;
        if (id % 20_000 === 0) progress(`dashboard: seeded ${id} calls (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      }
    })();
    db.pragma('journal_mode = WAL');
    return {
      seedVersion: SEED_VERSION,
      schemaVersion,
      calls: SEED_CALLS,
      lines,
      patients,
      firstStartedAt: starts[0]!,
      lastStartedAt: starts[SEED_CALLS - 1]!,
      outcomes: OUTCOMES.map(([o]) => o),
      callerSample: Array.from({ length: 400 }, () => pick(pool).phone),
    };
  } finally {
    db.close();
  }
}

/** Whether the cached file is what this engine and this seed would build. */
function usable(path: string, info: SeedInfo | null, hash: string): string | null {
  if (!info) return 'no cache';
  if (info.seedVersion !== SEED_VERSION) return `seed version ${info.seedVersion} ≠ ${SEED_VERSION}`;
  if (info.schemaVersion !== LATEST_SCHEMA_VERSION) return `schema version ${info.schemaVersion} ≠ engine's ${LATEST_SCHEMA_VERSION}`;
  if (info.migrationsHash !== hash) return 'migration sources changed';
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const v = db.pragma('user_version', { simple: true }) as number;
      if (v !== LATEST_SCHEMA_VERSION) return `PRAGMA user_version ${v} ≠ engine's ${LATEST_SCHEMA_VERSION}`;
      const n = (db.prepare('SELECT max(id) AS n FROM calls').get() as { n: number | null }).n;
      if (n !== SEED_CALLS) return `holds ${n} calls`;
    } finally {
      db.close();
    }
  } catch (err) {
    return `unreadable (${(err as Error).message})`;
  }
  return null;
}

/** The cached seeded database, built (and older versions removed) when needed. */
export function seededDatabase(progress: (line: string) => void): SeededDb {
  mkdirSync(CACHE_DIR, { recursive: true });
  const base = join(CACHE_DIR, `${PREFIX}s${SEED_VERSION}-v${LATEST_SCHEMA_VERSION}`);
  const path = `${base}.sqlite`;
  const infoPath = `${base}.json`;
  const hash = migrationsHash();
  let info: SeedInfo | null = null;
  try {
    info = existsSync(path) && existsSync(infoPath) ? (JSON.parse(readFileSync(infoPath, 'utf8')) as SeedInfo) : null;
  } catch {
    info = null;
  }
  const why = usable(path, info, hash);
  if (why === null) return { path, info: info!, built: false };

  progress(`dashboard: building the ${SEED_CALLS.toLocaleString('en-US')}-call database (${why}); cached in ${CACHE_DIR} for later runs`);
  for (const f of readdirSync(CACHE_DIR)) if (f.startsWith(PREFIX)) rmSync(join(CACHE_DIR, f), { force: true });
  const tmp = `${base}.${process.pid}.tmp`;
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(tmp + suffix, { force: true });
  const t0 = performance.now();
  try {
    const built = build(tmp, progress);
    const buildMs = Math.round(performance.now() - t0);
    renameSync(tmp, path);
    const bytes = statSync(path).size;
    const full: SeedInfo = { ...built, migrationsHash: hash, buildMs, bytes };
    writeFileSync(infoPath, JSON.stringify(full, null, 2));
    progress(`dashboard: built ${full.calls} calls, ${full.lines} lines, ${full.patients} patients in ${(buildMs / 1000).toFixed(1)} s (${(bytes / 1e6).toFixed(0)} MB)`);
    return { path, info: full, built: true };
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(tmp + suffix, { force: true });
  }
}
