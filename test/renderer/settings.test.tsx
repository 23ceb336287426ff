// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClinicUpdate, EngineSettingsUpdate, EngineSettingsView } from '../../renderer/src/contract';
import { SettingsScreen } from '../../renderer/src/screens/settings/SettingsScreen';
import { HandlerFailure } from '../../renderer/src/transport/in-memory';
import { clinicFixture, renderWithEngine } from './helpers';

afterEach(cleanup);

const SECRET_KEY = 'sk-proj-THIS-IS-A-SECRET-1234567890abcdef';
const SECRET_TOKEN = 'fedcba9876543210fedcba9876543210';

function engineSettings(overrides: Partial<EngineSettingsView> = {}): EngineSettingsView {
  return {
    telephony: { twilioAccountSid: 'AC0123456789abcdef0123456789abcdef', twilioAuthTokenSet: true, twilioNumber: '+15550001111', publicBaseUrl: 'https://clinic.example.com', transferNumber: null },
    openai: { apiKeySet: true, model: 'gpt-realtime' },
    retention: { transcriptDays: null },
    ...overrides,
  };
}

describe('Settings', () => {
  it('shows the engine’s BAD_REQUEST message next to the form that caused it', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, {
      'clinic/update': () => {
        throw new HandlerFailure('BAD_REQUEST', 'Clinic name must be at most 120 characters.');
      },
    });
    const form = await screen.findByRole('form', { name: 'Clinic profile' });
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(await within(form).findByText('Not saved: Clinic name must be at most 120 characters.')).toBeTruthy();
    expect(transport.callsTo('clinic/update')).toHaveLength(1);
  });

  it('checks fields before sending, with a message saying what is wrong', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, { 'clinic/update': () => clinicFixture() });
    const form = await screen.findByRole('form', { name: 'Clinic profile' });
    await user.clear(within(form).getByLabelText('Clinic name'));
    await user.clear(within(form).getByLabelText('Time zone'));
    await user.type(within(form).getByLabelText('Time zone'), 'Mars/Olympus');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getAllByText('Clinic name is required.').length).toBeGreaterThan(0);
    expect(within(form).getByText(/"Mars\/Olympus" is not a known time zone/)).toBeTruthy();
    expect(within(form).getByLabelText('Clinic name').getAttribute('aria-invalid')).toBe('true');
    expect(transport.callsTo('clinic/update')).toEqual([]);
  });

  it('saves call handling: the silent-caller timings, the longest call, the front-desk key and how the desk takes a transfer', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen initial="receptionist" />, { 'clinic/update': () => clinicFixture() });
    const form = await screen.findByRole('form', { name: 'Call handling' });
    const idle = within(form).getByLabelText('Ask if the caller is still there after (seconds)');
    await user.clear(idle);
    await user.type(idle, '3');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getAllByText(/whole number from 5 to 120/).length).toBeGreaterThan(0);
    expect(transport.callsTo('clinic/update')).toEqual([]);
    await user.clear(idle);
    await user.type(idle, '15');
    const longest = within(form).getByLabelText('Longest call (minutes)');
    await user.clear(longest);
    await user.type(longest, '20');
    await user.selectOptions(within(form).getByLabelText('Key for the front desk'), '#');
    const takes = within(form).getByLabelText('The front desk takes a transfer by');
    expect((takes as HTMLSelectElement).value).toBe('press-key');
    await user.selectOptions(takes, 'stay-on-line');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(transport.callsTo('clinic/update')).toEqual([
        { receptionist: { idlePromptS: 15, idleHangUpS: 10, maxCallMinutes: 20, transferKey: '#' }, transfers: { connect: 'stay-on-line' } },
      ]),
    );
  });

  it('saves the texts to patients: confirmations, reminders, sending hours, missed-call texts', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen initial="receptionist" />, { 'clinic/update': () => clinicFixture() });
    const form = await screen.findByRole('form', { name: 'Texts to patients' });
    const second = within(form).getByLabelText('Second reminder (hours before, 0 for none)');
    await user.clear(second);
    await user.type(second, '2.5');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getAllByText(/whole number from 0 to 336/).length).toBeGreaterThan(0);
    expect(transport.callsTo('clinic/update')).toEqual([]);
    await user.clear(second);
    await user.type(second, '2');
    await user.click(within(form).getByLabelText(/text them once/));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.callsTo('clinic/update')).toHaveLength(1));
    expect(transport.callsTo('clinic/update')[0]).toMatchObject({ texting: { confirmations: true, reminderHours: 24, secondReminderHours: 2, sendFrom: '08:00', sendUntil: '21:00', missedCallTextBack: true } });
  });

  it('saves call recording: on, ask the caller, the clinic’s own consent line, and backups', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen initial="receptionist" />, { 'clinic/update': () => clinicFixture() });
    const form = await screen.findByRole('form', { name: 'Call recording' });
    const line = within(form).getByLabelText('Consent line (added to the greeting)');
    expect(line.getAttribute('placeholder')).toBe('This call is recorded for quality and training.');
    await user.click(within(form).getByLabelText('Record calls'));
    await user.selectOptions(within(form).getByLabelText('Consent'), 'ask');
    expect(line.getAttribute('placeholder')).toMatch(/tell me if you would rather it was not/);
    await user.type(line, 'We record calls for training.');
    await user.click(within(form).getByLabelText(/Include recordings in backups/));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.callsTo('clinic/update')).toEqual([{ recording: { enabled: true, consent: 'ask', consentLine: 'We record calls for training.', includeInBackups: true } }]));
  });

  it('saves the clinic profile in full', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, { 'clinic/update': () => clinicFixture() });
    const form = await screen.findByRole('form', { name: 'Clinic profile' });
    const name = within(form).getByLabelText('Clinic name');
    await user.clear(name);
    await user.type(name, 'Glow Aesthetics');
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.callsTo('clinic/update')).toEqual([{ profile: { name: 'Glow Aesthetics', address: '1 Main St', phone: '+15550001111', timezone: 'America/New_York' } }]));
    expect(await within(form).findByText('Saved ✓')).toBeTruthy();
  });

  it('edits hours as times and sends minutes after midnight, ISO weekdays', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, { 'clinic/update': () => clinicFixture() });
    await user.click(await screen.findByRole('button', { name: 'Hours & closures' }));
    const form = screen.getByRole('form', { name: 'Opening hours' });
    expect((within(form).getByLabelText('Monday opens at') as HTMLInputElement).value).toBe('09:00');
    fireEvent.change(within(form).getByLabelText('Monday closes at'), { target: { value: '17:30' } });
    await user.click(within(form).getByRole('checkbox', { name: 'Open on Saturday' }));
    fireEvent.change(within(form).getByLabelText('Saturday opens at'), { target: { value: '10:00' } });
    fireEvent.change(within(form).getByLabelText('Saturday closes at'), { target: { value: '14:00' } });
    await user.click(within(form).getByRole('checkbox', { name: 'Open on Friday' }));
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.callsTo('clinic/update')).toHaveLength(1));
    const sent = transport.callsTo('clinic/update')[0] as ClinicUpdate;
    expect(sent.hours).toEqual({
      1: [{ startMin: 540, endMin: 1050 }],
      2: [{ startMin: 540, endMin: 1020 }],
      3: [{ startMin: 540, endMin: 1020 }],
      4: [{ startMin: 540, endMin: 1020 }],
      6: [{ startMin: 600, endMin: 840 }],
    });
  });

  it('refuses hours that close before they open', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, { 'clinic/update': () => clinicFixture() });
    await user.click(await screen.findByRole('button', { name: 'Hours & closures' }));
    const form = screen.getByRole('form', { name: 'Opening hours' });
    fireEvent.change(within(form).getByLabelText('Tuesday closes at'), { target: { value: '08:00' } });
    await user.click(within(form).getByRole('button', { name: 'Save' }));
    expect(within(form).getByText('Opening hours for Tuesday: closing time must be after opening time.')).toBeTruthy();
    expect(transport.callsTo('clinic/update')).toEqual([]);
  });

  it('never shows secret values: “Set ✓ — replace”, and the typed key is gone once saved', async () => {
    const user = userEvent.setup();
    let view = engineSettings();
    const { transport, container } = renderWithEngine(<SettingsScreen />, {
      'settings/get': () => view,
      'settings/update': (u: EngineSettingsUpdate) => {
        if (u.openai?.model) view = { ...view, openai: { ...view.openai, model: u.openai.model } };
        return view;
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Phone, OpenAI & retention' }));
    const openai = await screen.findByRole('form', { name: 'OpenAI' });
    expect(within(openai).getByText('Set ✓')).toBeTruthy();
    expect(openai.querySelector('input[type="password"]')).toBeNull();
    await user.click(within(openai).getByRole('button', { name: 'Replace OpenAI API key' }));
    const input = within(openai).getByLabelText('OpenAI API key') as HTMLInputElement;
    expect(input.type).toBe('password');
    expect(input.value).toBe('');
    await user.type(input, SECRET_KEY);
    await user.click(within(openai).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.callsTo('settings/update')).toEqual([{ openai: { apiKey: SECRET_KEY } }]));
    expect(await within(openai).findByText('Set ✓')).toBeTruthy();
    expect(container.innerHTML).not.toContain(SECRET_KEY);
    for (const el of container.querySelectorAll('input')) expect(el.value).not.toBe(SECRET_KEY);

    // The Twilio token likewise, and only changed fields are sent.
    const phone = screen.getByRole('form', { name: 'Phone line (Twilio)' });
    await user.click(within(phone).getByRole('button', { name: 'Replace Auth token' }));
    await user.type(within(phone).getByLabelText('Auth token'), SECRET_TOKEN);
    await user.type(within(phone).getByLabelText('Front-desk number for transfers'), '+1 555 000 2222');
    await user.click(within(phone).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(transport.callsTo('settings/update')[1]).toEqual({ telephony: { twilioAuthToken: SECRET_TOKEN, transferNumber: '+15550002222' } }));
    await within(phone).findByText('Saved ✓');
    expect(container.innerHTML).not.toContain(SECRET_TOKEN);
  });

  it('shows an unset secret as an empty field and validates it', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, {
      'settings/get': () => engineSettings({ openai: { apiKeySet: false, model: 'gpt-realtime' } }),
      'settings/update': () => {
        throw new HandlerFailure('BAD_REQUEST', 'OpenAI rejected the key (401).');
      },
    });
    await user.click(await screen.findByRole('button', { name: 'Phone, OpenAI & retention' }));
    const openai = await screen.findByRole('form', { name: 'OpenAI' });
    await user.type(within(openai).getByLabelText('OpenAI API key'), 'hello');
    await user.click(within(openai).getByRole('button', { name: 'Save' }));
    expect(within(openai).getAllByText('An OpenAI API key starts with "sk-" and is much longer.').length).toBeGreaterThan(0);
    expect(transport.callsTo('settings/update')).toEqual([]);
    await user.clear(within(openai).getByLabelText('OpenAI API key'));
    await user.type(within(openai).getByLabelText('OpenAI API key'), SECRET_KEY);
    await user.click(within(openai).getByRole('button', { name: 'Save' }));
    expect(await within(openai).findByText('Not saved: OpenAI rejected the key (401).')).toBeTruthy();
  });

  it('validates telephony fields client-side', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, { 'settings/get': () => engineSettings(), 'settings/update': () => engineSettings() });
    await user.click(await screen.findByRole('button', { name: 'Phone, OpenAI & retention' }));
    const phone = await screen.findByRole('form', { name: 'Phone line (Twilio)' });
    const url = within(phone).getByLabelText('Public URL');
    await user.clear(url);
    await user.type(url, 'http://clinic.example.com/twilio');
    await user.click(within(phone).getByRole('button', { name: 'Save' }));
    expect(within(phone).getAllByText(/Public URL must start with https:\/\//).length).toBeGreaterThan(0);
    expect(transport.callsTo('settings/update')).toEqual([]);
  });

  it('adds a service with its providers and price in cents', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<SettingsScreen />, { 'services/save': (s) => ({ ...s, id: 9 }) });
    await user.click(await screen.findByRole('button', { name: 'Services' }));
    await user.click(screen.getByRole('button', { name: 'Add service' }));
    const dialog = screen.getByRole('dialog', { name: 'Add a service' });
    await user.type(within(dialog).getByLabelText('Service name'), 'Filler');
    await user.clear(within(dialog).getByLabelText('Duration (minutes)'));
    await user.type(within(dialog).getByLabelText('Duration (minutes)'), '45');
    await user.type(within(dialog).getByLabelText('Price'), '199.50');
    await user.click(within(dialog).getByRole('checkbox', { name: 'Sam Lee' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(transport.callsTo('services/save')).toEqual([{ name: 'Filler', durationMin: 45, bufferAfterMin: 0, priceCents: 19950, priceFrom: false, providerIds: [1] }]),
    );
  });

  it('connects Google Calendar by opening the sign-in page', async () => {
    const user = userEvent.setup();
    const opened: string[] = [];
    window.open = ((url: string) => (opened.push(url), null)) as typeof window.open;
    renderWithEngine(<SettingsScreen />, {
      'calendar/status': () => ({ backend: 'local', googleAvailable: true, connecting: false, lastError: null }),
      'calendar/connect-google': () => ({ authUrl: 'https://accounts.google.com/o/oauth2/auth?x=1' }),
    });
    await user.click(await screen.findByRole('button', { name: 'Google Calendar' }));
    await user.click(await screen.findByRole('button', { name: 'Connect Google Calendar' }));
    await waitFor(() => expect(opened).toEqual(['https://accounts.google.com/o/oauth2/auth?x=1']));
    expect(screen.getByRole('link', { name: 'open it here' }).getAttribute('href')).toBe('https://accounts.google.com/o/oauth2/auth?x=1');
  });
});
