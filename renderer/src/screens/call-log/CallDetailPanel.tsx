import { urgentLabel } from '../../format/urgent';
import { useEffect, useId, useRef } from 'react';
import { Badge, ErrorNote, Loading } from '../../components/common';
import { Transcript, ToolLine } from '../../components/Transcript';
import { TestCallBadge } from '../../test-call/TestCallPanel';
import { SmsThreadPanel } from './SmsThreadPanel';
import { SummaryBlock } from './SummaryBlock';
import { EngineAudioPlayer } from '../../components/EngineAudioPlayer';
import type { CallSummary, Reply } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useEngineEvents } from '../../engine/context';
import { useEngineQuery, useMutation } from '../../engine/query';
import { outcomeLabel } from '../../format/labels';
import { formatDateTime, formatDuration, formatFullDateTime, formatTimeSeconds } from '../../format/time';

/** p50 and p95 of a call's reply times, in seconds. */
function replyTimes(ms: number[]): string {
  if (ms.length === 0) return 'none timed';
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  return `${(at(50) / 1000).toFixed(1)} s p50, ${(at(95) / 1000).toFixed(1)} s p95`;
}

/** One call in full: transcript with times, tool calls and their results, errors, voicemails. */
export function CallDetailPanel({ id, onClose, onSummary }: { id: number; onClose: () => void; onSummary: (call: CallSummary) => void }) {
  const { timezone: tz } = useClinic();
  const detail = useEngineQuery('calls/get', { id });
  const mutation = useMutation();
  const titleId = useId();
  const panel = useRef<HTMLElement>(null);
  const { reload } = detail;

  useEffect(() => {
    panel.current?.focus();
  }, [id]);

  // A call still in progress keeps filling in.
  useEngineEvents((e) => {
    if ((e.event === 'transcript.line' || e.event === 'tool.called') && e.payload.callId === id) void reload();
    if ((e.event === 'call.updated' || e.event === 'call.ended') && e.payload.id === id) void reload();
  });

  const d = detail.data && detail.data.id === id ? detail.data : undefined;

  const apply = (reply: Reply<CallSummary>) => {
    if (!reply.ok) return;
    const summary = reply.value;
    onSummary(summary);
    detail.setData((prev) => (prev ? { ...prev, ...summary } : prev));
  };

  return (
    <aside className="detail-panel" aria-labelledby={titleId} ref={panel} tabIndex={-1} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header className="detail-header">
        <h2 id={titleId}>{d ? (d.testCall ? 'Test call from the dashboard' : `${d.channel === 'sms' ? 'Texts from' : 'Call from'} ${d.fromMasked}`) : 'Call details'}</h2>
        {d?.testCall ? <TestCallBadge diary={d.testCall} /> : null}
        <button type="button" className="ghost" onClick={onClose} aria-label="Close call details">
          ×
        </button>
      </header>
      {detail.error ? <ErrorNote error={detail.error.code === 'NOT_FOUND' ? 'This call no longer exists (it may have been removed by the retention policy).' : detail.error} /> : null}
      {!d && !detail.error ? <Loading label="Loading the call…" /> : null}
      {d ? (
        <div className="detail-body">
          <dl className="facts">
            <div>
              <dt>Started</dt>
              <dd>{formatFullDateTime(d.startedAt, tz)}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd>{formatDuration(d.durationS)}</dd>
            </div>
            {d.figures ? (
              <div>
                <dt>Cost and replies</dt>
                <dd>
                  ${d.figures.costUsd.toFixed(2)} (OpenAI ${d.figures.openaiUsd.toFixed(3)}, Twilio ${d.figures.twilioUsd.toFixed(3)}) · replies {replyTimes(d.figures.replyMs)} · {d.figures.bargeIns} barge-in{d.figures.bargeIns === 1 ? '' : 's'}
                </dd>
              </div>
            ) : null}
            {d.recording ? (
              <div>
                <dt>Recording</dt>
                <dd>
                  {formatDuration(Math.round(d.recording.durationMs / 1000))}
                  {d.recording.finished ? '' : ' (still recording, or cut short)'}{' '}
                  <EngineAudioPlayer source={{ handler: 'recordings/audio', args: { callId: d.id } }} label="Call recording: the caller on the left, the receptionist on the right" playText="Play the recording" />
                </dd>
              </div>
            ) : null}
            <div>
              <dt>Channel</dt>
              <dd>{d.channel === 'sms' ? 'Text messages' : 'Phone call'}</dd>
            </div>
            <div>
              <dt>Outcome</dt>
              <dd>
                {outcomeLabel(d.outcome, d.status)}
                {d.fallback ? ` (${d.fallback === 'voicemail' ? 'went to voicemail' : 'transferred by the fallback'})` : ''}
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                {d.status}
                {d.urgent ? (
                  <>
                    {' '}
                    <Badge tone="danger">{urgentLabel(d.urgent)}</Badge>
                  </>
                ) : null}
                {d.needsAction ? (
                  <>
                    {' '}
                    <Badge tone="danger">Needs action</Badge>
                  </>
                ) : null}
                {d.archived ? (
                  <>
                    {' '}
                    <Badge>Archived</Badge>
                  </>
                ) : null}
              </dd>
            </div>
          </dl>
          <div className="detail-actions" role="group" aria-label="Call actions">
            <button type="button" disabled={mutation.busy} onClick={async () => apply(await mutation.run('calls/flag', { id: d.id, needsAction: !d.needsAction }))}>
              {d.needsAction ? 'Mark as handled' : 'Flag for follow-up'}
            </button>
            <button type="button" disabled={mutation.busy} onClick={async () => apply(await mutation.run('calls/archive', { id: d.id, archived: !d.archived }))}>
              {d.archived ? 'Unarchive' : 'Archive'}
            </button>
          </div>
          <ErrorNote error={mutation.error} />

          {d.summary ? (
            <>
              <h3>Summary</h3>
              <SummaryBlock summary={d.summary} />
            </>
          ) : null}
          {d.channel === 'sms' ? (
            <SmsThreadPanel callId={d.id} tz={tz} />
          ) : (
            <>
              <h3>Transcript</h3>
              <Transcript lines={d.transcript} label={`Transcript of the call from ${d.fromMasked}`} tz={tz} showTimes className="detail-transcript" />
            </>
          )}

          <h3>Tool calls</h3>
          {d.toolCalls.length === 0 ? (
            <p className="muted">The receptionist did not use any tools on this call.</p>
          ) : (
            <ul className="tool-list">
              {d.toolCalls.map((t) => (
                <li key={t.id}>
                  <ToolLine tool={t} showTimes tz={tz} />
                  <details>
                    <summary>Details</summary>
                    <p className="muted">
                      {t.name} · {t.status}
                      {t.finishedAt ? ` · ${((t.finishedAt - t.startedAt) / 1000).toFixed(1)} s` : ''}
                    </p>
                    <pre className="code">{JSON.stringify({ arguments: t.arguments, result: t.result }, null, 2)}</pre>
                  </details>
                </li>
              ))}
            </ul>
          )}

          {d.errors.length > 0 ? (
            <>
              <h3>Errors</h3>
              <ul className="error-list">
                {d.errors.map((err) => (
                  <li key={err.id}>
                    <Badge tone={err.severity === 'critical' || err.severity === 'error' ? 'danger' : 'warn'}>{err.severity}</Badge> <strong>{err.type}</strong> at {formatTimeSeconds(err.occurredAt, tz)}: {err.message}
                    {err.stack ? (
                      <details>
                        <summary>Stack trace</summary>
                        <pre className="code">{err.stack}</pre>
                      </details>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}

          {d.voicemails.length > 0 ? (
            <>
              <h3>Voicemails</h3>
              <ul className="voicemail-list">
                {d.voicemails.map((v) => (
                  <li key={v.id}>
                    {formatDateTime(v.receivedAt, tz)} · {formatDuration(v.durationS)} ·{' '}
                    {v.onThisPc ? (
                      <EngineAudioPlayer source={{ handler: 'voicemails/audio', args: { id: v.id } }} label={`Voicemail of ${formatDuration(v.durationS)}`} playText="Play the voicemail" />
                    ) : (
                      <a href={v.recordingUrl} target="_blank" rel="noreferrer">
                        Recording
                      </a>
                    )}
                    {v.transcript ? <p className="muted">“{v.transcript}”</p> : null}
                    {v.resolvedAt ? ` · handled ${formatDateTime(v.resolvedAt, tz)}` : ''}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <p className="muted small">Call SID {d.callSid}</p>
        </div>
      ) : null}
    </aside>
  );
}
