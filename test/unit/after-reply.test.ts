import { describe, expect, it } from 'vitest';
import { AfterReplyAction, type AfterReply } from '../../voice-engine/src/call/after-reply.js';

function setup() {
  let playing = true;
  const done: AfterReply[] = [];
  const action = new AfterReplyAction(() => playing, (a) => done.push(a));
  return { action, done, setPlaying: (p: boolean) => (playing = p) };
}

describe('hang-up and transfer wait for the reply to be heard', () => {
  it('does nothing until the announcing reply is generated and has fully played', () => {
    const { action, done, setPlaying } = setup();
    action.request({ kind: 'hang-up' });
    action.audioPlayed();
    expect(done).toEqual([]); // the goodbye has not even been generated yet
    expect(action.replyGenerated()).toBe(true);
    expect(done).toEqual([]); // generated, still playing
    setPlaying(false);
    action.audioPlayed();
    expect(done).toEqual([{ kind: 'hang-up' }]);
    action.audioPlayed();
    expect(done).toHaveLength(1);
  });

  it('acts at once when the reply had no audio left to play', () => {
    const { action, done, setPlaying } = setup();
    setPlaying(false);
    action.request({ kind: 'transfer', to: '+15550001111' });
    action.replyGenerated();
    expect(done).toEqual([{ kind: 'transfer', to: '+15550001111' }]);
  });

  it('fires as a safety net even if playback is never confirmed, but only once', () => {
    const { action, done } = setup();
    action.request({ kind: 'hang-up' });
    action.replyGenerated();
    action.fire();
    action.fire();
    expect(done).toEqual([{ kind: 'hang-up' }]);
  });

  it('ignores responses when nothing was requested', () => {
    const { action, done } = setup();
    expect(action.replyGenerated()).toBe(false);
    action.fire();
    expect(done).toEqual([]);
  });

  it('a goodbye already spoken in the reply that called end_call is not asked for again', () => {
    const { action, done, setPlaying } = setup();
    action.request({ kind: 'hang-up' }, true);
    expect(action.announcedBy(true)).toBe(true); // armed: no second reply
    setPlaying(false);
    action.audioPlayed();
    expect(done).toEqual([{ kind: 'hang-up' }]);
  });

  it('a reply that called the tool without speaking, or a tool that is not announced first, still needs its reply', () => {
    const silent = setup();
    silent.action.request({ kind: 'hang-up' }, true);
    expect(silent.action.announcedBy(false)).toBe(false);
    const urgent = setup();
    urgent.action.request({ kind: 'transfer', to: '+15550001111' });
    expect(urgent.action.announcedBy(true)).toBe(false);
    expect(urgent.done).toEqual([]);
  });
});
