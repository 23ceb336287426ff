import type { ReadinessCheck, StatusView } from '../contract';
import { useClinic } from '../engine/clinic';
import { useConnection, useEngine } from '../engine/context';
import { useEngineQuery } from '../engine/query';
import { formatAgo } from '../format/time';
import { useInterval, useNow } from './hooks';

export const STATUS_POLL_MS = 10_000;

type Tone = 'ok' | 'warn' | 'bad' | 'idle';

function Item({ label, value, tone, title }: { label: string; value: string; tone: Tone; title?: string }) {
  return (
    <li className={`status-item tone-${tone}`} title={title} aria-label={`${label}: ${value}${title && title !== value ? ` (${title})` : ''}`}>
      <span className="dot" aria-hidden="true" />
      <span className="status-label">{label}</span> <span className="status-value">{value}</span>
    </li>
  );
}

function check(c: ReadinessCheck | undefined): { value: string; tone: Tone; title?: string } {
  if (!c) return { value: '…', tone: 'idle' };
  return c.ready ? { value: 'OK', tone: 'ok' } : { value: 'Problem', tone: 'bad', ...(c.reason ? { title: c.reason } : {}) };
}

/** Always on screen: is the engine healthy, are OpenAI, Twilio and Google reachable, how is today going. */
export function StatusBar() {
  const { status: link } = useConnection();
  const engine = useEngine();
  const { timezone: tz } = useClinic();
  const query = useEngineQuery('status/get', {});
  const now = useNow(30_000);
  const { reload } = query;
  useInterval(() => {
    if (engine.status() === 'open') void reload();
  }, STATUS_POLL_MS);
  const s: StatusView | undefined = query.data;

  const publicUrl: { value: string; tone: Tone; title?: string } = !s
    ? { value: '…', tone: 'idle' }
    : !s.publicUrl.url
      ? { value: 'Not set', tone: 'warn' }
      : s.publicUrl.reachable === true
        ? { value: 'Answers', tone: 'ok', title: s.publicUrl.url }
        : s.publicUrl.reachable === false
          ? { value: 'Not answering', tone: 'bad', title: s.publicUrl.url }
          : { value: 'Checking', tone: 'idle', title: s.publicUrl.url };

  return (
    <footer className="status-bar" aria-label="System status">
      <ul>
        <Item label="Deskline" {...(link !== 'open' ? { value: link === 'connecting' ? 'Connecting…' : 'Disconnected', tone: 'bad' as const } : check(s?.engine))} />
        <Item label="OpenAI" {...check(s?.openai)} />
        <Item label="Twilio" {...check(s?.twilio)} />
        <Item
          label="Google"
          {...(!s ? { value: '…', tone: 'idle' as const } : s.google.connected ? { value: 'Connected', tone: 'ok' as const } : { value: s.google.available ? 'Not connected' : 'Not used', tone: 'idle' as const })}
        />
        <Item label="Public URL" {...publicUrl} />
        <Item
          label="Backup"
          {...(!s ? { value: '…', tone: 'idle' as const } : s.lastBackupAt === null ? { value: 'None yet', tone: 'warn' as const } : { value: formatAgo(s.lastBackupAt, now, tz), tone: now - s.lastBackupAt > 36 * 3600_000 ? ('warn' as const) : ('ok' as const) })}
        />
        {s?.storageProblem ? <Item label="Storage" value="Problem" tone="bad" title={s.storageProblem} /> : null}
        {s?.phoneLine ? <Item label={s.phoneLine.phoneNumber} value={s.phoneLine.pointsHere ? 'Points here' : 'Not pointing here'} tone={s.phoneLine.pointsHere ? 'ok' : 'bad'} title={s.phoneLine.problem ?? undefined} /> : null}
        <Item label="Calls today" value={s ? String(s.callsToday) : '…'} tone="idle" />
      </ul>
      {query.error && link === 'open' ? <span className="status-error">Status unavailable: {query.error.message}</span> : null}
    </footer>
  );
}
