import { CAPTURE_PROCESSOR } from './capture-name';
import { MulawDownsampler } from './mulaw';

/**
 * The dashboard's microphone, in the audio thread: 8 kHz μ-law in 100 ms chunks (five 20 ms
 * frames) posted to the page, which sends them to the engine as a test call's caller audio.
 */

// The AudioWorkletGlobalScope's names (not in TypeScript's DOM library).
declare const sampleRate: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, processor: new () => AudioWorkletProcessor): void;

const CHUNK_BYTES = 5 * 160;

class MulawCapture extends AudioWorkletProcessor {
  private readonly down = new MulawDownsampler(sampleRate, CHUNK_BYTES, (chunk) => this.port.postMessage(chunk, [chunk.buffer]));

  process(inputs: Float32Array[][]): boolean {
    const channel = inputs[0]?.[0];
    if (channel) this.down.push(channel);
    return true;
  }
}

registerProcessor(CAPTURE_PROCESSOR, MulawCapture);
