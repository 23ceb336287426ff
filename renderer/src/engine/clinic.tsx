import { createContext, useContext, useEffect, type ReactNode } from 'react';
import type { ClinicKnowledge } from '../contract';
import { useEngineQuery } from './query';
import { useSession } from './session';

interface ClinicState {
  clinic: ClinicKnowledge | undefined;
  /** The clinic's IANA zone; the PC's own until the clinic has loaded. */
  timezone: string | undefined;
  reload: () => Promise<void>;
}

const ClinicContext = createContext<ClinicState>({ clinic: undefined, timezone: undefined, reload: async () => undefined });

/** The clinic's settings, loaded once and shared: names, zone, services and providers. */
export function ClinicProvider({ children }: { children: ReactNode }) {
  const query = useEngineQuery('clinic/get', {});
  const { active } = useSession();
  const { reload } = query;
  // Loaded again once someone signs in (before that, the engine answers no one but the sign-in screen).
  useEffect(() => {
    if (active) void reload();
  }, [active, reload]);
  const clinic = query.data;
  return <ClinicContext.Provider value={{ clinic, timezone: clinic?.profile.timezone || undefined, reload: query.reload }}>{children}</ClinicContext.Provider>;
}

export function useClinic(): ClinicState {
  return useContext(ClinicContext);
}
