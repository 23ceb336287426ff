// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InboxItem } from '../../renderer/src/contract';
import { InboxScreen } from '../../renderer/src/screens/inbox/InboxScreen';
import { HandlerFailure } from '../../renderer/src/transport/in-memory';
import { renderWithEngine } from './helpers';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

function item(overrides: Partial<InboxItem> = {}): InboxItem {
  return { kind: 'message', id: 1, callId: 10, title: 'Jane Doe wants a call back', detail: 'About her refund. Call +1 ••• 1234.', urgency: 'normal', createdAt: Date.now() - 60_000, resolvedAt: null, resolvedBy: null, ...overrides };
}

/** An inbox whose resolve marks items resolved by the signed-in person, like the engine. */
function inbox(items: InboxItem[], signedIn = 'Maria') {
  let current = items;
  return {
    'inbox/list': ({ includeResolved }: { includeResolved?: boolean }) => current.filter((i) => includeResolved || i.resolvedAt === null),
    'inbox/resolve': ({ kind, id }: { kind: InboxItem['kind']; id: number }) => {
      const found = current.find((i) => i.kind === kind && i.id === id);
      if (!found) throw new HandlerFailure('NOT_FOUND', 'No such item');
      const resolved = { ...found, resolvedAt: Date.now(), resolvedBy: signedIn };
      current = current.map((i) => (i === found ? resolved : i));
      return resolved;
    },
    set(next: InboxItem[]) {
      current = next;
    },
  };
}

describe('Inbox', () => {
  it('plays a voicemail kept on the PC, fetched over the engine connection, and shows its transcript', async () => {
    const user = userEvent.setup();
    const createObjectURL = vi.fn(() => 'blob:voicemail-3');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const wav = Buffer.from('RIFF....WAVEfmt data').toString('base64');
    const { transport } = renderWithEngine(<InboxScreen onOpenCall={vi.fn()} />, {
      ...inbox([item({ kind: 'voicemail', id: 3, title: 'Voicemail, 9 s', detail: '“Please call me back about my crown.”', hasAudio: true })]),
      'voicemails/audio': () => ({ mime: 'audio/wav', base64: wav }),
    });
    expect(await screen.findByText('“Please call me back about my crown.”')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Play the voicemail' }));
    const player = await screen.findByLabelText('Voicemail (Voicemail, 9 s)');
    expect(player.getAttribute('src')).toBe('blob:voicemail-3');
    expect(transport.callsTo('voicemails/audio')).toEqual([{ id: 3 }]);
    expect(createObjectURL).toHaveBeenCalledTimes(1);
  });

  it('says all is caught up when nothing is waiting', async () => {
    renderWithEngine(<InboxScreen onOpenCall={vi.fn()} />, { 'inbox/list': () => [] });
    expect(await screen.findByText('All caught up.')).toBeTruthy();
  });

  it('resolves as the signed-in person: no name is asked for or sent, and the engine’s answer says who', async () => {
    const user = userEvent.setup();
    const box = inbox([item({ id: 1 }), item({ kind: 'voicemail', id: 2, title: 'Voicemail from •••• 9876', urgency: 'urgent' })]);
    const { transport } = renderWithEngine(<InboxScreen onOpenCall={vi.fn()} />, box);
    const message = await screen.findByTestId('inbox-message:1');
    await user.click(within(message).getByRole('button', { name: /Mark “Jane Doe wants a call back” as resolved/ }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(transport.callsTo('inbox/resolve')).toEqual([{ kind: 'message', id: 1 }]));
    expect(await within(screen.getByTestId('inbox-message:1')).findByText(/Resolved by Maria/)).toBeTruthy();
    await user.click(within(screen.getByTestId('inbox-voicemail:2')).getByRole('button', { name: /as resolved/ }));
    await waitFor(() => expect(transport.callsTo('inbox/resolve')[1]).toEqual({ kind: 'voicemail', id: 2 }));
    expect(await within(screen.getByTestId('inbox-voicemail:2')).findByText(/Resolved by Maria/)).toBeTruthy();
  });


  it('refreshes on inbox.changed', async () => {
    const box = inbox([item({ id: 1 })]);
    const { emit } = renderWithEngine(<InboxScreen onOpenCall={vi.fn()} />, box);
    await screen.findByTestId('inbox-message:1');
    box.set([item({ id: 1 }), item({ kind: 'flagged_call', id: 9, title: 'Call from •••• 1111 needs follow-up' })]);
    emit('inbox.changed', {});
    expect(await screen.findByText('Call from •••• 1111 needs follow-up')).toBeTruthy();
  });

  it('opens the call an item came from', async () => {
    const user = userEvent.setup();
    const onOpenCall = vi.fn();
    renderWithEngine(<InboxScreen onOpenCall={onOpenCall} />, inbox([item({ id: 1, callId: 33 })]));
    await user.click(await screen.findByRole('link', { name: 'Open the call' }));
    expect(onOpenCall).toHaveBeenCalledWith(33);
  });

  it('shows resolved items, with who resolved them, when asked', async () => {
    const user = userEvent.setup();
    renderWithEngine(<InboxScreen onOpenCall={vi.fn()} />, inbox([item({ id: 1, resolvedAt: Date.now(), resolvedBy: 'Sam' })]));
    expect(await screen.findByText('All caught up.')).toBeTruthy();
    await user.click(screen.getByRole('checkbox', { name: 'Show resolved' }));
    expect(await screen.findByText(/Resolved by Sam/)).toBeTruthy();
  });
});
