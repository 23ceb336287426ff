import { notFound, twilioError, type TwilioErrorBody } from './rest-resources.js';
import { randomSid } from './signing.js';

export interface SimFlow {
  sid: string;
  friendlyName: string;
  status: 'draft' | 'published';
  definition: StudioDefinition;
  revision: number;
}

export interface StudioState {
  name: string;
  type: string;
  transitions: Array<{ event: string; next?: string }>;
  properties: Record<string, unknown>;
}

export interface StudioDefinition {
  description?: string;
  initial_state: string;
  states: StudioState[];
  flags?: Record<string, unknown>;
}

/** What a caller went through in a flow, widget by widget. */
export interface FlowStep {
  widget: string;
  type: string;
  /** What was said, the number dialled, or that a voicemail was recorded. */
  detail: string;
}

const WIDGETS = new Set(['trigger', 'say-play', 'connect-call-to', 'record-voicemail', 'gather-input-on-call', 'split-based-on', 'make-http-request', 'set-variables', 'send-to-flex']);
const FLOWS_PATH = /^\/v2\/Flows$/;
const FLOW_PATH = /^\/v2\/Flows\/(FW[0-9a-fA-F]{32})$/;

function invalid(message: string): TwilioErrorBody {
  return twilioError(400, 20001, `Invalid flow definition: ${message}`);
}

/** Twilio's checks on a flow definition: JSON, a trigger, known widgets, transitions to states that exist. */
function parseDefinition(raw: string | undefined): StudioDefinition | TwilioErrorBody {
  if (!raw) return twilioError(400, 20001, 'Missing required parameter Definition in the post body');
  let d: StudioDefinition;
  try {
    d = JSON.parse(raw) as StudioDefinition;
  } catch {
    return invalid('not JSON');
  }
  if (!Array.isArray(d.states) || typeof d.initial_state !== 'string') return invalid('states and initial_state are required');
  const names = new Set(d.states.map((s) => s.name));
  if (!names.has(d.initial_state)) return invalid(`initial_state ${d.initial_state} is not a state`);
  if (d.states.find((s) => s.name === d.initial_state)?.type !== 'trigger') return invalid('the initial state must be the trigger');
  for (const s of d.states) {
    if (!s.name || !WIDGETS.has(s.type)) return invalid(`unknown widget type ${String(s.type)}`);
    if (!Array.isArray(s.transitions) || typeof s.properties !== 'object' || s.properties === null) return invalid(`${s.name} needs transitions and properties`);
    for (const t of s.transitions) if (t.next && !names.has(t.next)) return invalid(`${s.name} goes to ${t.next}, which is not a state`);
    if (s.type === 'connect-call-to' && !/^\+[1-9]\d{6,14}$/.test(String(s.properties.to ?? ''))) return invalid(`${s.name} must dial a number in E.164`);
  }
  return d;
}

/**
 * Studio's v2 Flows, as the REST API serves them (create, update, fetch), strict about the
 * definition as Studio is; and the part of a flow a voice call runs through, for a call whose
 * number's primary URL did not answer.
 */
export class SimStudio {
  readonly flows = new Map<string, SimFlow>();

  constructor(private readonly accountSid: string) {}

  webhookUrl(sid: string): string {
    return `https://webhooks.twilio.com/v1/Accounts/${this.accountSid}/Flows/${sid}`;
  }

  route(method: string, path: string, params: Record<string, string>): [number, unknown] | null {
    let m: RegExpExecArray | null;
    if (FLOWS_PATH.test(path) && method === 'POST') {
      if (!params.FriendlyName) return [400, twilioError(400, 20001, 'Missing required parameter FriendlyName in the post body')];
      if (params.Status !== 'draft' && params.Status !== 'published') return [400, twilioError(400, 20001, 'Status must be draft or published')];
      const def = parseDefinition(params.Definition);
      if ('status' in def) return [def.status, def];
      const flow: SimFlow = { sid: randomSid('FW'), friendlyName: params.FriendlyName, status: params.Status, definition: def, revision: 1 };
      this.flows.set(flow.sid, flow);
      return [201, this.resource(flow)];
    }
    if ((m = FLOW_PATH.exec(path))) {
      const flow = this.flows.get(m[1]!);
      if (!flow) return [404, notFound(path)];
      if (method === 'GET') return [200, this.resource(flow)];
      if (method === 'POST') {
        if (params.Status !== 'draft' && params.Status !== 'published') return [400, twilioError(400, 20001, 'Missing required parameter Status in the post body')];
        if (params.Definition !== undefined) {
          const def = parseDefinition(params.Definition);
          if ('status' in def) return [def.status, def];
          flow.definition = def;
        }
        if (params.FriendlyName) flow.friendlyName = params.FriendlyName;
        flow.status = params.Status;
        flow.revision++;
        return [200, this.resource(flow)];
      }
    }
    return null;
  }

  /** The flow behind a webhook URL, if it is one of this account's published flows. */
  flowAt(url: string): SimFlow | undefined {
    const sid = /\/Flows\/(FW[0-9a-fA-F]{32})$/.exec(url)?.[1];
    const flow = sid ? this.flows.get(sid) : undefined;
    return flow?.status === 'published' ? flow : undefined;
  }

  /** Runs an incoming call through the flow: what the caller hears, who is dialled, a voicemail. */
  runCall(flow: SimFlow): FlowStep[] {
    const steps: FlowStep[] = [];
    const byName = new Map(flow.definition.states.map((s) => [s.name, s]));
    const trigger = byName.get(flow.definition.initial_state)!;
    let next = trigger.transitions.find((t) => t.event === 'incomingCall')?.next;
    for (let guard = 0; next && guard < 20; guard++) {
      const s = byName.get(next)!;
      if (s.type === 'say-play') {
        steps.push({ widget: s.name, type: s.type, detail: String(s.properties.say ?? '') });
        next = s.transitions.find((t) => t.event === 'audioComplete')?.next;
      } else if (s.type === 'connect-call-to') {
        steps.push({ widget: s.name, type: s.type, detail: String(s.properties.to) });
        // Nobody at that number picks up in the simulator: the flow goes on after the call.
        next = s.transitions.find((t) => t.event === 'callCompleted')?.next;
      } else if (s.type === 'record-voicemail') {
        steps.push({ widget: s.name, type: s.type, detail: 'recorded a voicemail' });
        next = s.transitions.find((t) => t.event === 'recordingComplete')?.next;
      } else {
        steps.push({ widget: s.name, type: s.type, detail: '' });
        next = undefined;
      }
    }
    return steps;
  }

  private resource(flow: SimFlow): Record<string, unknown> {
    return {
      sid: flow.sid, account_sid: this.accountSid, friendly_name: flow.friendlyName, status: flow.status, definition: flow.definition, revision: flow.revision,
      commit_message: null, valid: true, errors: [], warnings: [], date_created: new Date().toISOString(), date_updated: new Date().toISOString(),
      webhook_url: this.webhookUrl(flow.sid), url: `https://studio.twilio.com/v2/Flows/${flow.sid}`, links: {},
    };
  }
}
