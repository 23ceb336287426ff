import { Badge } from '../../components/common';
import type { AfterCallSummary } from '../../contract';

const INTENT: Record<NonNullable<AfterCallSummary['intent']>, string> = {
  book: 'Book', reschedule: 'Reschedule', cancel: 'Cancel', question: 'Question', message: 'Message', urgent: 'Urgent', other: 'Other',
};

/** The after-call summary, or plainly why there is none: never a made-up value. */
export function SummaryBlock({ summary }: { summary: AfterCallSummary | null }) {
  if (!summary) return null;
  if (summary.state === 'pending') return <p className="muted">The summary is being written…</p>;
  if (summary.state !== 'done') return <p className="muted">No summary{summary.detail ? `: ${summary.detail.replace(/^no summary: /, '')}` : ''}.</p>;
  return (
    <section aria-label="Summary" className="call-summary">
      <p>{summary.summary}</p>
      <p>
        <Badge>{INTENT[summary.intent!]}</Badge> <Badge tone={summary.sentiment === 'negative' ? 'warn' : undefined}>{summary.sentiment}</Badge>{' '}
        <span className="muted">Satisfaction {summary.satisfaction}/10</span>
        {summary.followUp ? (
          <>
            {' '}
            <Badge tone="danger">Follow up{summary.followUpReason ? `: ${summary.followUpReason}` : ''}</Badge>
          </>
        ) : null}
      </p>
    </section>
  );
}
