/** One element of a TwiML document; enough structure to see what the engine told Twilio to do. */
export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  children: TwimlNode[];
  text: string;
}

export interface ParsedTwiml {
  /** The verbs directly under <Response>, in order (Say, Connect, Dial, Record, Hangup, ...). */
  verbs: TwimlNode[];
  /** The url of the first <Connect><Stream>, with XML entities decoded. */
  streamUrl?: string;
  /** The <Parameter name value/> pairs of that stream; Twilio passes them as customParameters. */
  parameters: Record<string, string>;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ent.toLowerCase()] ?? whole;
  });
}

function parseAttrs(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of raw.matchAll(/([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    attrs[m[1]!] = decodeEntities(m[2] ?? m[3] ?? '');
  }
  return attrs;
}

/**
 * A deliberately small XML reader for the TwiML the engine returns. It tolerates the
 * XML declaration, comments and self-closing tags; it does not validate, because the
 * tests assert on what was parsed rather than trusting it.
 */
export function parseTwiml(xml: string): ParsedTwiml {
  const root: TwimlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: TwimlNode[] = [root];
  const body = xml.replace(/<\?[\s\S]*?\?>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)([^>]*?)(\/?)>|([^<]+)/g)) {
    const top = stack[stack.length - 1]!;
    if (m[5] !== undefined) {
      top.text += decodeEntities(m[5]);
      continue;
    }
    const [, closing, name, rawAttrs, selfClosing] = m;
    if (closing) {
      // Pop back to the matching open tag; a stray close tag is ignored.
      const at = stack.map((n) => n.name).lastIndexOf(name!);
      if (at > 0) stack.length = at;
      continue;
    }
    const node: TwimlNode = { name: name!, attrs: parseAttrs(rawAttrs ?? ''), children: [], text: '' };
    top.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  for (const n of walk(root)) n.text = n.text.trim();

  const response = root.children.find((n) => n.name === 'Response');
  const verbs = response?.children ?? [];
  const stream = verbs.filter((v) => v.name === 'Connect').flatMap((c) => c.children).find((n) => n.name === 'Stream');
  const parameters: Record<string, string> = {};
  for (const p of stream?.children ?? []) {
    if (p.name === 'Parameter' && p.attrs.name !== undefined) parameters[p.attrs.name] = p.attrs.value ?? '';
  }
  return { verbs, streamUrl: stream?.attrs.url, parameters };
}

function* walk(node: TwimlNode): Generator<TwimlNode> {
  yield node;
  for (const c of node.children) yield* walk(c);
}
