import { useId, useState } from 'react';
import { Badge, ConfirmDialog, type BadgeTone } from '../../components/common';
import { Transcript } from '../../components/Transcript';
import type { CallSummary, LiveCallState } from '../../contract';
import { LIVE_STATES } from '../../format/labels';
import { TestCallBadge } from '../../test-call/TestCallPanel';
import { formatElapsed } from '../../format/time';
import { describeTool } from '../../format/tools';
import { urgentLabel } from '../../format/urgent';
import { normalizePhone, validateE164 } from '../../format/validate';
import type { EngineTransport } from '../../transport/types';
import type { LiveCard } from './live-state';

const STATE_TONE: Record<LiveCallState, BadgeTone> = { greeting: 'info', listening: 'ok', speaking: 'accent', tool: 'warn' };

interface Notice {
  tone: 'ok' | 'error';
  text: string;
}

export function LiveCallCard({ card, now, engine, onSummary }: { card: LiveCard; now: number; engine: EngineTransport; onSummary: (call: CallSummary) => void }) {
  const { call } = card;
  const titleId = useId();
  const transferId = useId();
  const [transferTo, setTransferTo] = useState('');
  const [busy, setBusy] = useState<null | 'transfer' | 'hangup' | 'flag'>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [confirmHangUp, setConfirmHangUp] = useState(false);

  const started = call.answeredAt ?? call.startedAt;
  const elapsedS = card.ended ? (call.durationS ?? ((call.endedAt ?? now) - started) / 1000) : (now - started) / 1000;
  const who = call.testCall ? 'Test call from the dashboard' : card.callerName || 'Unknown caller';
  const latestTool = card.toolCalls.length > 0 ? card.toolCalls.reduce((a, b) => (b.startedAt >= a.startedAt ? b : a)) : null;
  const activity = latestTool ? describeTool(latestTool) : null;

  const transfer = async () => {
    const typed = transferTo.trim();
    const problem = typed ? validateE164(typed, 'Transfer number') : null;
    if (problem) {
      setNotice({ tone: 'error', text: problem });
      return;
    }
    const to = typed ? normalizePhone(typed) : '';
    setBusy('transfer');
    setNotice(null);
    const reply = await engine.call('live/transfer', to ? { callSid: call.callSid, to } : { callSid: call.callSid });
    setBusy(null);
    setNotice(reply.ok ? { tone: 'ok', text: `Transferring to ${to || 'the front desk'}…` } : { tone: 'error', text: `Could not transfer: ${reply.error.message}` });
  };

  const hangUp = async () => {
    setBusy('hangup');
    const reply = await engine.call('live/hang-up', { callSid: call.callSid });
    setBusy(null);
    setConfirmHangUp(false);
    setNotice(reply.ok ? { tone: 'ok', text: 'Hanging up…' } : { tone: 'error', text: `Could not hang up: ${reply.error.message}` });
  };

  const flag = async () => {
    setBusy('flag');
    const reply = await engine.call('calls/flag', { id: call.id, needsAction: !call.needsAction });
    setBusy(null);
    if (reply.ok) {
      onSummary(reply.value);
      setNotice({ tone: 'ok', text: reply.value.needsAction ? 'Flagged for follow-up.' : 'Follow-up flag removed.' });
    } else {
      setNotice({ tone: 'error', text: `Could not flag: ${reply.error.message}` });
    }
  };

  const stateLabel = card.ended ? 'Call ended' : LIVE_STATES[card.state];

  return (
    <article className={`live-card state-${card.ended ? 'ended' : card.state}${call.urgent ? ' urgent' : ''}`} aria-labelledby={titleId} data-testid={`live-card-${call.id}`}>
      <header className="live-card-header">
        <div className="live-caller">
          <h2 id={titleId} className="live-name">
            {who}
          </h2>
          {call.testCall ? (
            <p className="live-number">
              <TestCallBadge diary={call.testCall} />
            </p>
          ) : (
            <p className="live-number" aria-label={`Number ending ${call.fromMasked.replace(/\D/g, '')}`}>
              {call.fromMasked}
            </p>
          )}
        </div>
        <div className="live-meta">
          <span className="live-elapsed" aria-label={`Elapsed ${formatElapsed(elapsedS)}`} role="timer">
            {formatElapsed(elapsedS)}
          </span>
          <Badge tone={card.ended ? 'neutral' : STATE_TONE[card.state]} label={`Receptionist is ${stateLabel.toLowerCase()}`}>
            {stateLabel}
          </Badge>
          {call.urgent ? <Badge tone="danger">{urgentLabel(call.urgent)}</Badge> : null}
          {call.needsAction && !call.urgent ? <Badge tone="danger">Follow up</Badge> : null}
        </div>
      </header>
      <p className={`live-activity${activity ? ` tool-${activity.tone}` : ''}`} aria-live="polite" data-testid="live-activity" title={activity?.text}>
        {activity ? activity.text : '\u00a0'}
      </p>
      <Transcript lines={card.transcript} toolCalls={card.toolCalls} label={`Live transcript, ${who}`} live className="live-transcript" />
      <div className="live-actions" role="group" aria-label={`Actions for ${who}`}>
        <div className="transfer-group">
          <label htmlFor={transferId} className="visually-hidden">
            Transfer to another number (optional)
          </label>
          <input
            id={transferId}
            type="tel"
            inputMode="tel"
            placeholder="Other number (optional)"
            value={transferTo}
            onChange={(e) => setTransferTo(e.target.value)}
            disabled={card.ended}
            autoComplete="off"
          />
          <button type="button" className="primary" onClick={() => void transfer()} disabled={card.ended || busy !== null || call.testCall !== null}>
            {busy === 'transfer' ? 'Transferring…' : 'Transfer to front desk'}
          </button>
        </div>
        <button type="button" className="danger" onClick={() => setConfirmHangUp(true)} disabled={card.ended || busy !== null}>
          Hang up
        </button>
        <button type="button" onClick={() => void flag()} disabled={busy !== null} aria-pressed={call.needsAction}>
          {call.needsAction ? 'Unflag' : 'Flag for follow-up'}
        </button>
      </div>
      <p className={`live-notice${notice ? ` notice-${notice.tone}` : ''}`} role={notice?.tone === 'error' ? 'alert' : 'status'}>
        {notice ? notice.text : '\u00a0'}
      </p>
      {confirmHangUp ? (
        <ConfirmDialog title="Hang up this call?" confirmLabel="Hang up" onConfirm={() => void hangUp()} onCancel={() => setConfirmHangUp(false)} busy={busy === 'hangup'}>
          <p>
            {who} ({call.fromMasked}) will be disconnected straight away.
          </p>
        </ConfirmDialog>
      ) : null}
    </article>
  );
}
