// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SystemErrorRecord } from '../../renderer/src/contract';
import { LogsScreen } from '../../renderer/src/screens/logs/LogsScreen';
import { renderWithEngine } from './helpers';

afterEach(cleanup);

function err(id: number, overrides: Partial<SystemErrorRecord> = {}): SystemErrorRecord {
  return { id, type: 'openai_unreachable', severity: 'error', callId: null, message: `problem ${id}`, stack: null, occurredAt: 1_700_000_000_000 + id * 1000, ...overrides };
}

describe('Logs', () => {
  it('lists errors newest first, with stacks folded and a link to the call', async () => {
    const user = userEvent.setup();
    const onOpenCall = vi.fn();
    renderWithEngine(<LogsScreen onOpenCall={onOpenCall} />, {
      'logs/errors': () => [err(1), err(3, { callId: 44, stack: 'Error: x\n    at y (z.js:1)' }), err(2, { severity: 'critical', type: 'calendar_setup' })],
    });
    await screen.findByText('problem 3');
    const messages = screen.getAllByText(/^problem \d$/).map((e) => e.textContent);
    expect(messages).toEqual(['problem 3', 'problem 2', 'problem 1']);
    const stack = screen.getByText('Stack trace').closest('details')!;
    expect(stack.open).toBe(false);
    await user.click(screen.getByText('Stack trace'));
    expect(stack.open).toBe(true);
    await user.click(screen.getByRole('link', { name: 'Open call #44' }));
    expect(onOpenCall).toHaveBeenCalledWith(44);
  });

  it('filters by type and severity', async () => {
    const user = userEvent.setup();
    const { transport } = renderWithEngine(<LogsScreen onOpenCall={vi.fn()} />, { 'logs/errors': () => [] });
    expect(await screen.findByText('No errors recorded.')).toBeTruthy();
    await user.selectOptions(screen.getByLabelText('Severity'), 'critical');
    await user.type(screen.getByLabelText('Error type'), 'calendar_setup');
    await waitFor(() => expect(transport.callsTo('logs/errors').at(-1)).toEqual({ limit: 500, type: 'calendar_setup', severity: 'critical' }));
    expect(await screen.findByText('No errors match.')).toBeTruthy();
  });

  it('tails the log live, at the chosen level and above', async () => {
    const user = userEvent.setup();
    const { emit, transport } = renderWithEngine(<LogsScreen onOpenCall={vi.fn()} />, {
      'logs/errors': () => [],
      'logs/tail': ({ level }) => (level === 'warn' ? [] : [{ at: 1, level: 'info', scope: 'engine', text: 'started' }]),
    });
    await user.click(await screen.findByRole('tab', { name: 'Live log' }));
    const log = await screen.findByRole('log', { name: 'Engine log, newest last' });
    expect(await within(log).findByText(/started/)).toBeTruthy();
    emit('log.line', { at: 2, level: 'debug', scope: 'twilio', text: 'frame' });
    emit('log.line', { at: 3, level: 'warn', scope: 'openai', text: 'slow reply' });
    expect(within(log).queryByText(/frame/)).toBeNull();
    expect(within(log).getByText(/slow reply/)).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('Lowest level shown'), 'warn');
    await waitFor(() => expect(transport.callsTo('logs/tail').at(-1)).toEqual({ level: 'warn', limit: 200 }));
    await waitFor(() => expect(within(log).queryByText(/started/)).toBeNull());
    emit('log.line', { at: 4, level: 'info', scope: 'engine', text: 'chatty' });
    emit('log.line', { at: 5, level: 'error', scope: 'engine', text: 'broken' });
    expect(within(log).queryByText(/chatty/)).toBeNull();
    expect(within(log).getByText(/broken/)).toBeTruthy();
  });
});
