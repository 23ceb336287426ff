import { useState } from 'react';
import { Badge, EmptyState, ErrorNote, Loading } from '../../components/common';
import { downloadText } from '../../components/download';
import type { AuditQuery } from '../../contract';
import { useClinic } from '../../engine/clinic';
import { useEngineQuery, useMutation } from '../../engine/query';
import { formatFullDateTime, isValidDate, zonedTimeToEpoch, addDays } from '../../format/time';

/** Who did what, when and from where (admins only): filtered by person, action and date, with the chain's state and a CSV export. */
export function AuditPanel() {
  const { timezone: tz } = useClinic();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query: AuditQuery = {
    ...(actor ? { actor } : {}),
    ...(action ? { action } : {}),
    ...(from && isValidDate(from) ? { from: zonedTimeToEpoch(from, 0, tz) } : {}),
    ...(to && isValidDate(to) ? { to: zonedTimeToEpoch(addDays(to, 1), 0, tz) } : {}),
  };
  const list = useEngineQuery('audit/list', { ...query, limit: 200 });
  const people = useEngineQuery('accounts/list', {});
  const exporting = useMutation();
  const chain = list.data?.chain;
  return (
    <div id="logs-audit" role="tabpanel" aria-label="Audit log">
      {chain ? (
        <p role="status" className={chain.intact ? 'muted' : 'error-note'}>
          {chain.intact ? `The audit log is intact (${chain.checked} entries checked).` : `The audit log has been tampered with: ${chain.problem}`}
        </p>
      ) : null}
      <div className="filters" role="search" aria-label="Filter the audit log">
        <select aria-label="Person" value={actor} onChange={(e) => setActor(e.target.value)}>
          <option value="">Everyone</option>
          {['api', 'command line', ...(people.data ?? []).map((p) => p.name)].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <input aria-label="Action" placeholder="Action, e.g. view-transcript" value={action} onChange={(e) => setAction(e.target.value.trim())} />
        <input aria-label="From date" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        <input aria-label="To date" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        <button
          type="button"
          onClick={async () => {
            const reply = await exporting.run('audit/export-csv', query);
            if (reply.ok) downloadText(reply.value.filename, reply.value.csv, 'text/csv');
          }}
        >
          Export as CSV
        </button>
      </div>
      <ErrorNote error={list.error ?? exporting.error} />
      {list.loading && !list.data ? <Loading label="Loading the audit log…" /> : null}
      {list.data && list.data.entries.length === 0 ? <EmptyState title="Nothing recorded for these filters." /> : null}
      <table className="audit-table" aria-label="Audit entries">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.entries ?? []).map((e) => (
            <tr key={e.id}>
              <td>{formatFullDateTime(e.at, tz)}</td>
              <td>{e.actor}</td>
              <td>
                <Badge>{e.action}</Badge> {e.target ?? ''} {e.detail ? <span className="muted">({e.detail})</span> : null}
              </td>
              <td className="muted">{e.origin}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
