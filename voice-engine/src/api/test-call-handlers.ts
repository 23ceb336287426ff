import type { TestCallDiary } from '../contract.js';
import { TestCallError, type TestCalls } from '../test-call/test-calls.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

/** "Talk to the receptionist": the dashboard's microphone on the same call path as a phone call. */
export function registerTestCallHandlers(registry: HandlerRegistry, testCalls: TestCalls): void {
  const guarded = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof TestCallError) throw new HandlerError(err.kind === 'not_found' ? 'NOT_FOUND' : 'BAD_REQUEST', err.message);
      throw err;
    }
  };
  registry.register('testcall/start', (args, caller) => guarded(() => testCalls.start(args.diary as TestCallDiary, caller.channel)));
  registry.register('testcall/audio', (args, caller) => guarded(() => testCalls.audio(Number(args.callId), args.payload, caller.channel)));
  registry.register('testcall/mark', (args, caller) => guarded(() => testCalls.mark(Number(args.callId), args.name, caller.channel)));
  registry.register('testcall/end', (args, caller) => guarded(() => testCalls.end(Number(args.callId), caller.channel)));
}
