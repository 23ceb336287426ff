import type { EventEnvelope, HandlerArgs, HandlerName, HandlerResult, Reply } from '../contract';
import { RpcCore, failure } from './rpc';
import type { EngineTransport, TransportStatus } from './types';

/**
 * The desktop shell's MessagePort: the same `{id, handler, args}` / `{id, reply}` /
 * `{event, payload}` messages as the WebSocket, as structured-clone objects. The shell
 * owns the port's lifetime, so there is nothing to reconnect.
 */
export class MessagePortTransport implements EngineTransport {
  private readonly rpc = new RpcCore();
  private closed = false;

  constructor(private readonly port: MessagePort) {
    port.onmessage = (e: MessageEvent) => {
      let data: unknown = e.data;
      if (typeof data === 'string') {
        try {
          data = JSON.parse(data);
        } catch {
          return;
        }
      }
      this.rpc.receive(data);
    };
    port.start();
    this.rpc.setStatus('open');
  }

  call<N extends HandlerName>(name: N, args: HandlerArgs<N>): Promise<Reply<HandlerResult<N>>> {
    if (this.closed) return Promise.resolve(failure('The dashboard is disconnected from Deskline.'));
    const { request, reply } = this.rpc.request(name, args);
    try {
      this.port.postMessage(request);
    } catch {
      this.rpc.reject(request.id, 'Could not reach Deskline. Try again.');
    }
    return reply;
  }

  subscribe(listener: (e: EventEnvelope) => void): () => void {
    return this.rpc.subscribe(listener);
  }

  status(): TransportStatus {
    return this.rpc.status();
  }

  onStatus(cb: (status: TransportStatus) => void): () => void {
    return this.rpc.onStatus(cb);
  }

  close(): void {
    this.closed = true;
    this.port.close();
    this.rpc.rejectAll('The dashboard is disconnected from Deskline.');
    this.rpc.setStatus('closed');
  }
}
