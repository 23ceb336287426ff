import { useEngineEvents } from '../../engine/context';
import { useEngineQuery } from '../../engine/query';

const usd = (v: number) => `$${v.toFixed(2)}`;
const seconds = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`);

/** Today at a glance: calls, what they cost, how fast the receptionist answered; and the month's cost. */
export function TodayFigures() {
  const figures = useEngineQuery('calls/figures', {});
  const { reload } = figures;
  useEngineEvents((e) => {
    if (e.event === 'call.ended') void reload();
  });
  const f = figures.data;
  if (!f) return null;
  return (
    <p className="screen-sub muted" aria-label="Today's figures">
      Today: {f.today.calls} {f.today.calls === 1 ? 'call' : 'calls'}, {usd(f.today.costUsd)} · replies in {seconds(f.today.replyP50Ms)} (p50), {seconds(f.today.replyP95Ms)} (p95) · this month {usd(f.month.costUsd)}
    </p>
  );
}
