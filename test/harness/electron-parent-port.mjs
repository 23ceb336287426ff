// A stand-in for Electron's utilityProcess API, loaded with --import before the engine's
// utility entry: process.parentPort over Node IPC, and MessagePorts over worker_threads.
import { MessageChannel } from 'node:worker_threads';

const listeners = [];
const shellSides = new Map();

process.parentPort = {
  on(event, listener) {
    if (event === 'message') listeners.push(listener);
  },
  postMessage(message) {
    process.send({ kind: 'parent', message });
  },
};

process.on('message', (m) => {
  if (m.kind === 'parent') {
    for (const listener of listeners) listener({ data: m.message, ports: [] });
  } else if (m.kind === 'open-port') {
    const { port1, port2 } = new MessageChannel();
    shellSides.set(m.id, port2);
    port2.on('message', (data) => process.send({ kind: 'port', id: m.id, data }));
    const engineSide = {
      on(event, listener) {
        if (event === 'message') port1.on('message', (data) => listener({ data }));
        else port1.on(event, listener);
      },
      postMessage: (data) => port1.postMessage(data),
      start: () => port1.start(),
    };
    for (const listener of listeners) listener({ data: { type: 'port' }, ports: [engineSide] });
  } else if (m.kind === 'port') {
    shellSides.get(m.id)?.postMessage(m.data);
  }
});
