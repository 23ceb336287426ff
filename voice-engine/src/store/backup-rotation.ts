/**
 * Which backups to keep: the newest in each of the last 24 hours, 14 days and 12 months
 * that have one (a grandfather-father-son rotation). Only verified backups are ever
 * listed, so the newest good backup is always kept however many attempts failed after it.
 * Pure: the backups and the time zone-free UTC buckets are all it needs.
 */
export const KEEP = { hourly: 24, daily: 14, monthly: 12 } as const;

export function backupsToKeep(taken: readonly number[]): Set<number> {
  const newestFirst = [...taken].sort((a, b) => b - a);
  const keep = new Set<number>();
  const tier = (bucket: (at: number) => string, count: number) => {
    const seen = new Set<string>();
    for (const at of newestFirst) {
      const key = bucket(at);
      if (seen.has(key)) continue;
      seen.add(key);
      keep.add(at);
      if (seen.size === count) break;
    }
  };
  tier((at) => new Date(at).toISOString().slice(0, 13), KEEP.hourly);
  tier((at) => new Date(at).toISOString().slice(0, 10), KEEP.daily);
  tier((at) => new Date(at).toISOString().slice(0, 7), KEEP.monthly);
  return keep;
}
