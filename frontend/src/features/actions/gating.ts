import { allows, type Role } from '../../lib/auth';
import type { Action } from './api';

/** What the user may do with a pending action: the server's rule (reboots are approved by admins only). */
export function decisions(role: Role | undefined, action: Pick<Action, 'type' | 'status'>) {
  const pending = action.status === 'pending_approval';
  const operator = allows(role, 'operator');
  return {
    approve: pending && (action.type === 'reboot' ? allows(role, 'admin') : operator),
    reject: pending && operator,
    /** A reboot is approved only after typing the host's name. */
    typedConfirm: action.type === 'reboot',
  };
}
