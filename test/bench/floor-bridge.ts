import { createServer } from 'node:http';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * The bench's floor: the least a Twilio ⇄ OpenAI bridge can do, run under the same load,
 * through the same simulators and the same TLS model leg as Deskline. It answers the
 * voice webhook with a stream, opens the Realtime session through the same SDK, and
 * passes audio both ways (plus `clear` on barge-in), with nothing else: no signatures,
 * no records, no supervision. Deskline's added latency is judged against this.
 * Run by the bench as its own process; prints the same ready line as the engine.
 */

const env = process.env;
const publicHost = new URL(env.PUBLIC_BASE_URL ?? 'https://clinic.deskline.test').host;

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if ((req.url ?? '').startsWith('/twilio/voice')) {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="wss://${publicHost}/twilio/media"/></Connect></Response>`);
    } else {
      res.writeHead(204);
      res.end();
    }
  });
});

const wss = new WebSocketServer({ server, path: '/twilio/media', perMessageDeflate: false });
wss.on('connection', (ws: WebSocket) => bridge(ws));

function bridge(ws: WebSocket): void {
  let streamSid: string | null = null;
  let open = false;
  const heldUp: string[] = [];
  const heldDown: string[] = [];
  const client = new OpenAI({ apiKey: env.OPENAI_API_KEY ?? '', baseURL: env.OPENAI_BASE_URL, maxRetries: 0 });
  const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime' }, client);
  const toTwilio = (message: string) => {
    if (streamSid) ws.send(message.replace('%SID%', streamSid));
    else heldDown.push(message);
  };
  rt.socket.on('open', () => {
    rt.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: {
          input: { format: { type: 'audio/pcmu' }, transcription: { model: 'gpt-4o-mini-transcribe' }, turn_detection: { type: 'server_vad' } },
          output: { format: { type: 'audio/pcmu' }, voice: 'marin' },
        },
      },
    });
    open = true;
    for (const audio of heldUp.splice(0)) rt.send({ type: 'input_audio_buffer.append', audio });
    rt.send({ type: 'response.create' });
  });
  rt.on('event', (event) => {
    if (event.type === 'response.output_audio.delta') toTwilio(`{"event":"media","streamSid":"%SID%","media":{"payload":"${event.delta}"}}`);
    else if (event.type === 'input_audio_buffer.speech_started') toTwilio('{"event":"clear","streamSid":"%SID%"}');
  });
  rt.on('error', () => ws.close());
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { event: string; start?: { streamSid: string }; media?: { payload: string } };
    if (message.event === 'start' && message.start) {
      streamSid = message.start.streamSid;
      for (const m of heldDown.splice(0)) toTwilio(m);
    } else if (message.event === 'media' && message.media) {
      if (open) rt.send({ type: 'input_audio_buffer.append', audio: message.media.payload });
      else heldUp.push(message.media.payload);
    } else if (message.event === 'stop') {
      rt.close();
    }
  });
  ws.on('close', () => {
    if (rt.socket.readyState === rt.socket.OPEN) rt.close();
    else rt.socket.terminate();
  });
}

server.listen(Number(env.DESKLINE_PUBLIC_PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`Floor bridge ready: Twilio listener http://127.0.0.1:${port} (passthrough), staff API http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
