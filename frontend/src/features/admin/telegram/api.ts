import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api';
import type { RequestKind, TelegramBody, TelegramSettings } from './telegramForm';

// Query key ['telegram']: LiveQueries refetches it on the SSE events telegram_changed and telegram_status.
export const TELEGRAM_KEY = ['telegram'] as const;

export const useTelegram = () =>
  useQuery({ queryKey: TELEGRAM_KEY, queryFn: () => api.get<TelegramSettings>('/api/v1/settings/telegram') });

/** PUT settings/telegram: the answer is the new state, shown at once; then a refetch for good measure. */
export function useSaveTelegram() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: TelegramBody) => api.put<TelegramSettings>('/api/v1/settings/telegram', body),
    onSuccess: (next) => {
      if (next && typeof next === 'object' && 'token_set' in next) client.setQueryData(TELEGRAM_KEY, next);
    },
    onSettled: () => client.invalidateQueries({ queryKey: TELEGRAM_KEY }),
  });
}

export const useTelegramRequest = () =>
  useMutation({
    mutationFn: (kind: RequestKind) => api.post<{ request_id: string }>('/api/v1/telegram/requests', { kind }),
  });
