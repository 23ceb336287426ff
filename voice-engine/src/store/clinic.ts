import type { Closure, Provider, Service, WeeklyHours } from '../scheduling/types.js';
import type { Db } from './db.js';

import type { Faq } from '../contract-views.js';

export type { Faq };

interface ProviderRow {
  id: number;
  name: string;
  hours: string;
  calendar_id: string | null;
}

interface ServiceRow {
  id: number;
  name: string;
  duration_min: number;
  buffer_after_min: number;
  price_cents: number | null;
  price_from: number;
  provider_ids: string | null;
}

export type NewService = Omit<Service, 'id'>;
export type NewProvider = Omit<Provider, 'id'>;
export type NewClosure = Closure;

function toProvider(row: ProviderRow): Provider {
  return { id: row.id, name: row.name, hours: JSON.parse(row.hours) as WeeklyHours, calendarId: row.calendar_id };
}

function toService(row: ServiceRow): Service {
  return {
    id: row.id,
    name: row.name,
    durationMin: row.duration_min,
    bufferAfterMin: row.buffer_after_min,
    priceCents: row.price_cents,
    priceFrom: row.price_from === 1,
    providerIds: row.provider_ids ? row.provider_ids.split(',').map(Number) : [],
  };
}

/** Providers, services, closures and FAQs: the parts of clinic knowledge that are lists. */
export class ClinicStore {
  private readonly providersStmt;
  private readonly providerById;
  private readonly insertProvider;
  private readonly updateProvider;
  private readonly deactivateProvider;
  private readonly servicesStmt;
  private readonly serviceById;
  private readonly insertService;
  private readonly updateService;
  private readonly deactivateService;
  private readonly clearServiceProviders;
  private readonly addServiceProvider;
  private readonly closuresStmt;
  private readonly insertClosure;
  private readonly deleteClosureStmt;
  private readonly faqsStmt;
  private readonly insertFaq;
  private readonly deleteFaqs;

  constructor(private readonly db: Db) {
    this.providersStmt = db.prepare<[], ProviderRow>('SELECT id, name, hours, calendar_id FROM providers WHERE active = 1 ORDER BY id');
    this.providerById = db.prepare<[number], ProviderRow>('SELECT id, name, hours, calendar_id FROM providers WHERE id = ? AND active = 1');
    this.insertProvider = db.prepare<[string, string, string | null, number]>('INSERT INTO providers (name, hours, calendar_id, created_at) VALUES (?, ?, ?, ?)');
    this.updateProvider = db.prepare<[string, string, string | null, number]>('UPDATE providers SET name = ?, hours = ?, calendar_id = ? WHERE id = ? AND active = 1');
    this.deactivateProvider = db.prepare<[number]>('UPDATE providers SET active = 0 WHERE id = ?');
    const serviceSelect = `SELECT s.id, s.name, s.duration_min, s.buffer_after_min, s.price_cents, s.price_from,
        (SELECT group_concat(sp.provider_id) FROM service_providers sp JOIN providers p ON p.id = sp.provider_id
          WHERE sp.service_id = s.id AND p.active = 1) AS provider_ids
      FROM services s WHERE s.active = 1`;
    this.servicesStmt = db.prepare<[], ServiceRow>(`${serviceSelect} ORDER BY s.id`);
    this.serviceById = db.prepare<[number], ServiceRow>(`${serviceSelect} AND s.id = ?`);
    this.insertService = db.prepare<[string, number, number, number | null, number, number]>(
      'INSERT INTO services (name, duration_min, buffer_after_min, price_cents, price_from, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.updateService = db.prepare<[string, number, number, number | null, number, number]>(
      'UPDATE services SET name = ?, duration_min = ?, buffer_after_min = ?, price_cents = ?, price_from = ? WHERE id = ? AND active = 1',
    );
    this.deactivateService = db.prepare<[number]>('UPDATE services SET active = 0 WHERE id = ?');
    this.clearServiceProviders = db.prepare<[number]>('DELETE FROM service_providers WHERE service_id = ?');
    this.addServiceProvider = db.prepare<[number, number]>('INSERT INTO service_providers (service_id, provider_id) VALUES (?, ?)');
    this.closuresStmt = db.prepare<[], { start_date: string; end_date: string; reason: string; id: number }>('SELECT * FROM closures ORDER BY start_date');
    this.insertClosure = db.prepare<[string, string, string]>('INSERT INTO closures (start_date, end_date, reason) VALUES (?, ?, ?)');
    this.deleteClosureStmt = db.prepare<[number]>('DELETE FROM closures WHERE id = ?');
    this.faqsStmt = db.prepare<[], Faq>('SELECT id, question, answer FROM faqs ORDER BY position, id');
    this.insertFaq = db.prepare<[string, string, number]>('INSERT INTO faqs (question, answer, position) VALUES (?, ?, ?)');
    this.deleteFaqs = db.prepare('DELETE FROM faqs');
  }

  providers(): Provider[] {
    return this.providersStmt.all().map(toProvider);
  }

  provider(id: number): Provider | undefined {
    const row = this.providerById.get(id);
    return row && toProvider(row);
  }

  saveProvider(provider: NewProvider & { id?: number }): Provider {
    const hours = JSON.stringify(provider.hours);
    if (provider.id === undefined) {
      const info = this.insertProvider.run(provider.name, hours, provider.calendarId, Date.now());
      return { ...provider, id: Number(info.lastInsertRowid) };
    }
    if (this.updateProvider.run(provider.name, hours, provider.calendarId, provider.id).changes === 0) throw new Error(`No provider with id ${provider.id}`);
    return { ...provider, id: provider.id };
  }

  /** Providers are retired, not deleted: past appointments still name them. */
  retireProvider(id: number): void {
    this.deactivateProvider.run(id);
  }

  services(): Service[] {
    return this.servicesStmt.all().map(toService);
  }

  service(id: number): Service | undefined {
    const row = this.serviceById.get(id);
    return row && toService(row);
  }

  saveService(service: NewService & { id?: number }): Service {
    return this.db.transaction(() => {
      const price = service.priceCents;
      let id = service.id;
      if (id === undefined) {
        id = Number(this.insertService.run(service.name, service.durationMin, service.bufferAfterMin, price, service.priceFrom ? 1 : 0, Date.now()).lastInsertRowid);
      } else if (this.updateService.run(service.name, service.durationMin, service.bufferAfterMin, price, service.priceFrom ? 1 : 0, id).changes === 0) {
        throw new Error(`No service with id ${id}`);
      }
      this.clearServiceProviders.run(id);
      for (const providerId of new Set(service.providerIds)) this.addServiceProvider.run(id, providerId);
      return this.service(id)!;
    })();
  }

  retireService(id: number): void {
    this.deactivateService.run(id);
  }

  closures(): Array<Closure & { id: number }> {
    return this.closuresStmt.all().map((r) => ({ id: r.id, startDate: r.start_date, endDate: r.end_date, reason: r.reason }));
  }

  addClosure(closure: NewClosure): number {
    return Number(this.insertClosure.run(closure.startDate, closure.endDate, closure.reason).lastInsertRowid);
  }

  removeClosure(id: number): void {
    this.deleteClosureStmt.run(id);
  }

  faqs(): Faq[] {
    return this.faqsStmt.all();
  }

  replaceFaqs(faqs: Array<{ question: string; answer: string }>): void {
    this.db.transaction(() => {
      this.deleteFaqs.run();
      faqs.forEach((f, i) => this.insertFaq.run(f.question, f.answer, i));
    })();
  }
}
