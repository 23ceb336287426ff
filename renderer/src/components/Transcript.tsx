import { memo, useLayoutEffect, useRef, useState } from 'react';
import type { ToolCallRecord, TranscriptLine } from '../contract';
import { formatTimeSeconds } from '../format/time';
import { describeTool } from '../format/tools';

type Entry = { kind: 'line'; at: number; line: TranscriptLine } | { kind: 'tool'; at: number; tool: ToolCallRecord };

/** Lines and tool calls in the order they happened. */
function timeline(lines: TranscriptLine[], tools: ToolCallRecord[]): Entry[] {
  const entries: Entry[] = [...lines.map((line) => ({ kind: 'line' as const, at: line.spokenAt, line })), ...tools.map((tool) => ({ kind: 'tool' as const, at: tool.startedAt, tool }))];
  return entries.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'line' ? -1 : 1));
}

/**
 * A call's transcript in a fixed-height box: new lines never push the page around.
 * It follows the newest line unless the reader has scrolled up, and then offers a
 * "Newest ↓" button instead of yanking them back down.
 */
export const Transcript = memo(function Transcript({
  lines,
  toolCalls = [],
  label,
  tz,
  showTimes = false,
  live = false,
  className = '',
}: {
  lines: TranscriptLine[];
  toolCalls?: ToolCallRecord[];
  label: string;
  tz?: string;
  showTimes?: boolean;
  live?: boolean;
  className?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [unseen, setUnseen] = useState(false);
  const entries = timeline(lines, toolCalls);
  const signature = `${entries.length}:${toolCalls.map((t) => t.status).join('')}`;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (stick.current) el.scrollTop = el.scrollHeight;
    else setUnseen(true);
  }, [signature]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 32;
    if (stick.current) setUnseen(false);
  };

  const jump = () => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    stick.current = true;
    setUnseen(false);
  };

  return (
    <div className={`transcript-wrap ${className}`}>
      <div className="transcript" ref={scroller} onScroll={onScroll} role="log" aria-label={label} aria-live={live ? 'polite' : 'off'} tabIndex={0}>
        {entries.length === 0 ? <p className="transcript-empty">{live ? 'Waiting for the first words…' : 'Nothing was said on this call.'}</p> : null}
        {entries.map((entry) =>
          entry.kind === 'line' ? (
            <p key={`l${entry.line.id}`} className={`line line-${entry.line.speaker}`} data-testid="transcript-line">
              {showTimes ? <time className="line-time">{formatTimeSeconds(entry.line.spokenAt, tz)}</time> : null}
              <span className="line-speaker">{entry.line.speaker === 'caller' ? 'Caller' : 'Receptionist'}</span>
              <span className="line-text">{entry.line.text}</span>
              {entry.line.interrupted ? (
                <span className="line-interrupted" title="The caller talked over this line">
                  {' '}
                  (cut off)
                </span>
              ) : null}
            </p>
          ) : (
            <ToolLine key={`t${entry.tool.id}`} tool={entry.tool} showTimes={showTimes} tz={tz} />
          ),
        )}
      </div>
      {unseen ? (
        <button type="button" className="transcript-jump" onClick={jump} aria-label="Scroll to the newest line">
          Newest ↓
        </button>
      ) : null}
    </div>
  );
});

/** One tool call as a transcript line; re-renders only when its record changes. */
export const ToolLine = memo(function ToolLine({ tool, showTimes, tz }: { tool: ToolCallRecord; showTimes?: boolean; tz?: string }) {
  const d = describeTool(tool);
  return (
    <p className={`line line-tool tool-${d.tone}`} data-testid="tool-line">
      {showTimes ? <time className="line-time">{formatTimeSeconds(tool.startedAt, tz)}</time> : null}
      <span className="line-speaker" aria-hidden="true">
        {d.tone === 'running' ? '⏳' : d.tone === 'ok' ? '✓' : '⚠'}
      </span>
      <span className="line-text">{d.text}</span>
    </p>
  );
});
