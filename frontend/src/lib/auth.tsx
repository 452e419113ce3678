import { createContext, useContext, type ReactNode } from 'react';

export type Role = 'viewer' | 'operator' | 'admin';
export type Me = { name: string; role: Role; via: 'session' | 'token'; session_id?: number };

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Whether a role may do what needs `least` (the server's rule; the UI only hides what it would refuse). */
export function allows(role: Role | undefined, least: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[least];
}

const MeContext = createContext<Me | undefined>(undefined);

export function MeProvider({ me, children }: { me: Me; children: ReactNode }) {
  return <MeContext.Provider value={me}>{children}</MeContext.Provider>;
}

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe outside a logged-in page');
  return me;
}

export function useCan(least: Role): boolean {
  return allows(useContext(MeContext)?.role, least);
}

/** Renders its children only for a role that the server allows to do `least`. */
export function Can({ least, children }: { least: Role; children: ReactNode }) {
  return useCan(least) ? <>{children}</> : null;
}
