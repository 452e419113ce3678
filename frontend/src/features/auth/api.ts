import { api } from '../../lib/api';
import type { Me } from '../../lib/auth';

export const authApi = {
  me: () => api.get<Me>('/api/v1/auth/me'),
  setupNeeded: () => api.get<{ needed: boolean }>('/api/v1/auth/setup'),
  setup: (username: string, password: string) => api.post<unknown>('/api/v1/auth/setup', { username, password }),
  login: (username: string, password: string) => api.post<unknown>('/api/v1/auth/login', { username, password }),
  logout: () => api.post<unknown>('/api/v1/auth/logout'),
};
