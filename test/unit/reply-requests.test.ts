import { describe, expect, it } from 'vitest';
import { ReplyRequests } from '../../voice-engine/src/call/reply-requests.js';

const plain = { type: 'response.create' } as const;
const prompt = { type: 'response.create', response: { instructions: 'Ask if they are still there.', tool_choice: 'none' } } as const;

describe('one model response at a time', () => {
  it('sends a request at once when nothing is in progress', () => {
    const replies = new ReplyRequests();
    expect(replies.request(plain)).toBe(plain);
    expect(replies.isActive).toBe(true);
  });

  it('holds a tool result reply while a response is in progress, and sends it on response.done', () => {
    const replies = new ReplyRequests();
    replies.started(); // server VAD started a reply by itself
    expect(replies.request(plain)).toBeNull();
    expect(replies.done()).toBe(plain);
    expect(replies.isActive).toBe(true);
    expect(replies.done()).toBeNull();
    expect(replies.isActive).toBe(false);
  });

  it('counts a request as in progress from the moment it is sent, before OpenAI confirms it', () => {
    const replies = new ReplyRequests();
    replies.request(prompt);
    expect(replies.request(plain)).toBeNull();
  });

  it('asks for a plain reply once however often it is asked, and keeps prompts in order', () => {
    const replies = new ReplyRequests();
    replies.request(prompt);
    replies.request(plain);
    replies.request(plain);
    expect(replies.done()).toBe(plain);
    expect(replies.done()).toBeNull();
  });

  it('starts clean on a fresh session', () => {
    const replies = new ReplyRequests();
    replies.request(prompt);
    replies.request(plain);
    replies.reset();
    expect(replies.isActive).toBe(false);
    expect(replies.done()).toBeNull();
  });
});
