import { QueryView } from '../../../components/States';
import { useTelegram } from './api';
import { BotStatusBox, useNow } from './BotStatusBox';
import { SendNow } from './SendNow';
import { TelegramSettingsForm } from './SettingsForm';
import { TokenForm } from './TokenForm';
import type { TelegramSettings } from './telegramForm';
import './styles.css';

export function TelegramPage() {
  const telegram = useTelegram();
  return (
    <section className="tg">
      <h1>Telegram</h1>
      <p className="muted">
        The Telegram bot reads these settings through the API and applies them without a restart. Environment
        variables, where set, win over them.
      </p>
      <QueryView query={telegram} what="Loading Telegram settings">
        {(current) => <TelegramPanel current={current} />}
      </QueryView>
    </section>
  );
}

export function TelegramPanel({ current, now }: { current: TelegramSettings; now?: number }) {
  const ticking = useNow();
  return (
    <div className="tg-panel">
      <BotStatusBox status={current.status} now={now ?? ticking} />
      <TokenForm current={current} />
      <TelegramSettingsForm current={current} />
      <SendNow chats={current.chats.length} />
    </div>
  );
}
