import type { Histogram } from 'prom-client';
import type { StorageWriter } from '../store/writer/storage-writer.js';

/** The storage writer, with each line and search write timed into `histogram`. */
export function timedWriter(writer: StorageWriter, histogram: Histogram): StorageWriter {
  const time = <T>(work: Promise<T>): Promise<T> => {
    const end = histogram.startTimer();
    return work.finally(() => end());
  };
  return {
    appendLine: (line) => time(writer.appendLine(line)),
    sealSearch: (callId) => time(writer.sealSearch(callId)),
    sync: () => time(writer.sync()),
    sealLeftovers: (before) => writer.sealLeftovers(before),
    purge: (cutoff, maxCalls) => writer.purge(cutoff, maxCalls),
    verify: (file) => writer.verify(file),
    encrypt: (from, to, key) => writer.encrypt(from, to, key),
    decrypt: (from, to, key) => writer.decrypt(from, to, key),
    copyDatabase: (from, to) => writer.copyDatabase(from, to),
    close: () => writer.close(),
  };
}
