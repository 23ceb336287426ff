import { mkdtempSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, missingForCalls, STORED_SETTINGS } from '../../voice-engine/src/config.js';
import { loadGoogleCalendarConfig } from '../../voice-engine/src/calendar/google/google-config.js';

function dataDir(): string {
  return mkdtempSync(join(tmpdir(), 'deskline-cfg-'));
}

describe('configuration', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({ DESKLINE_DATA_DIR: dataDir() });
    expect(config).toMatchObject({ publicHost: '0.0.0.0', publicPort: 8080, dashboardPort: 8081, logLevel: 'info' });
    expect(config.openai.model).toBe('gpt-realtime');
    expect(config.twilio.apiBaseUrl).toBe('https://api.twilio.com');
  });

  it('generates the dashboard token once, readable only by its owner', () => {
    const dir = dataDir();
    const first = loadConfig({ DESKLINE_DATA_DIR: dir }).dashboardToken;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DESKLINE_DATA_DIR: dir }).dashboardToken).toBe(first);
    const file = join(dir, 'dashboard-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
  });

  it.each([
    [{ DESKLINE_PUBLIC_PORT: 'eighty' }, /DESKLINE_PUBLIC_PORT must be a port number/],
    [{ DESKLINE_DASHBOARD_PORT: '70000' }, /DESKLINE_DASHBOARD_PORT must be a port number/],
    [{ PUBLIC_BASE_URL: 'http://clinic.example.com' }, /PUBLIC_BASE_URL must start with https:\/\//],
    [{ PUBLIC_BASE_URL: 'https://clinic.example.com/twilio' }, /PUBLIC_BASE_URL must be an origin only/],
    [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of error, warn, info, debug/],
    [{ TWILIO_ACCOUNT_SID: 'abc' }, /TWILIO_ACCOUNT_SID must be "AC" followed by 32 hex/],
    [{ DESKLINE_TRANSFER_NUMBER: '555-1234' }, /DESKLINE_TRANSFER_NUMBER must be a phone number in E.164/],
    [{ OPENAI_BASE_URL: 'not a url' }, /OPENAI_BASE_URL must be a full URL/],
    // Credentials travel to these: plain http only to this PC itself.
    [{ TWILIO_API_BASE_URL: 'http://twilio-proxy.clinic.lan' }, /TWILIO_API_BASE_URL must start with https:\/\/ \(plain http is accepted only for 127\.0\.0\.1 or localhost/],
    [{ OPENAI_BASE_URL: 'http://10.0.0.5/v1' }, /OPENAI_BASE_URL must start with https:\/\//],
  ])('explains a bad value in one line naming the variable: %o', (env, message) => {
    const error = (() => {
      try {
        loadConfig({ DESKLINE_DATA_DIR: dataDir(), ...env });
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('lists what is still needed to answer calls', () => {
    const missing = missingForCalls(loadConfig({ DESKLINE_DATA_DIR: dataDir() }));
    expect(missing.join('\n')).toMatch(/OPENAI_API_KEY[\s\S]*TWILIO_ACCOUNT_SID[\s\S]*TWILIO_AUTH_TOKEN[\s\S]*PUBLIC_BASE_URL/);
    const complete = loadConfig({
      DESKLINE_DATA_DIR: dataDir(),
      OPENAI_API_KEY: 'sk-test',
      TWILIO_ACCOUNT_SID: 'AC' + '0'.repeat(32),
      TWILIO_AUTH_TOKEN: 'token',
      PUBLIC_BASE_URL: 'https://clinic.example.com',
    });
    expect(missingForCalls(complete)).toEqual([]);
  });
});

describe('settings kept in the database', () => {
  const stored = (values: Record<string, unknown>) => ({ get: <T>(key: string) => values[key] as T | undefined });

  it('come from the database, and a set environment variable overrides them', () => {
    const settings = stored({ 'telephony.publicBaseUrl': 'https://stored.example.com', 'telephony.transferNumber': '+15551112222', 'engine.publicPort': 9090 });
    const fromDb = loadConfig({ DESKLINE_DATA_DIR: dataDir() }, settings);
    expect(fromDb.publicBaseUrl?.origin).toBe('https://stored.example.com');
    expect(fromDb.transferNumber).toBe('+15551112222');
    expect(fromDb.publicPort).toBe(9090);
    const overridden = loadConfig({ DESKLINE_DATA_DIR: dataDir(), PUBLIC_BASE_URL: 'https://env.example.com', DESKLINE_PUBLIC_PORT: '' }, settings);
    expect(overridden.publicBaseUrl?.origin).toBe('https://env.example.com');
    expect(overridden.publicPort).toBe(9090);
  });

  it('are validated like the environment, naming what to set', () => {
    expect(() => loadConfig({ DESKLINE_DATA_DIR: dataDir() }, stored({ 'telephony.transferNumber': 'front desk' }))).toThrow(/DESKLINE_TRANSFER_NUMBER must be a phone number/);
  });

  it('never include secrets', () => {
    const keys = Object.keys(STORED_SETTINGS);
    expect(keys).not.toContain('OPENAI_API_KEY');
    expect(keys).not.toContain('TWILIO_AUTH_TOKEN');
    expect(keys).not.toContain('DESKLINE_DASHBOARD_TOKEN');
  });
});

describe('credential-carrying URLs', () => {
  it('accept plain http on loopback only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deskline-config-'));
    const config = loadConfig({ DESKLINE_DATA_DIR: dir, TWILIO_API_BASE_URL: 'http://127.0.0.1:4010', OPENAI_BASE_URL: 'http://localhost:4011/v1' });
    expect(config.twilio.apiBaseUrl).toBe('http://127.0.0.1:4010');
    expect(config.openai.baseUrl).toBe('http://localhost:4011/v1');
    expect(() => loadGoogleCalendarConfig({ GOOGLE_CLIENT_ID: 'x', GOOGLE_API_ROOT_URL: 'http://calendar.example.com/' })).toThrow(/GOOGLE_API_ROOT_URL must start with https:\/\//);
  });
});
