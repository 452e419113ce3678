import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

// The operator's way through the console, in order, against a real server, embedded MariaDB and a real agent.
// Screenshots go to target/e2e-screens/ (docs/ui.md shows them).

const agentUrl = process.env.VIGIL_AGENT_URL!;
const agentToken = process.env.VIGIL_AGENT_TOKEN!;
const agentActionToken = process.env.VIGIL_AGENT_ACTION_TOKEN!;
const SCREENS = 'target/e2e-screens';
const ADMIN = { username: 'admin', password: 'e2e admin password 1' };
const OPERATOR = { username: 'olga', password: 'e2e operator password 1' };
const VIEWER = { username: 'victor', password: 'e2e viewer password 1' };
const HOST = 'this-machine';
// the format of a bot token (digits, a colon, 30+ of [A-Za-z0-9_-]); Telegram never sees it: no bot runs here
const BOT_TOKEN = '123456789:e2eFakeBotTokenForThePanel_xy-ab12';

const VALID_RULE = `package vigil.rules

import dev.vigil.rules.model.*

rule "e2e: any CPU reading is a warning and asks for a restart"
when
    $now : Sample( cpuPercent >= 0, $id : hostId )
    not Warning( hostId == $id, kind == "e2e" )
then
    insert( new Warning( $id, "e2e", "", Warning.WARNING, "e2e low threshold: CPU reported" ) );
    insert( Remediation.restart( $id, "vigil-e2e.service", "service:vigil-e2e.service", "the e2e rule" ) );
end
`;
const BROKEN_RULE = `package vigil.rules

rule "broken"
when
    Sample( cpuPercent > )
then
end
`;

mkdirSync(SCREENS, { recursive: true });
test.describe.configure({ mode: 'serial' });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage: false });
}

async function loginAs(browser: Browser, user: { username: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('region', { name: 'Fleet summary' })).toBeVisible();
  return page;
}

async function setEditor(page: Page, text: string) {
  const editor = page.getByLabel('Rule editor');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

let admin: Page;

test('first run: setup creates the admin and opens the dashboard', async ({ browser }) => {
  admin = await (await browser.newContext()).newPage();
  await admin.goto('/');
  await expect(admin).toHaveURL(/\/setup$/);
  await shot(admin, 'setup');
  await admin.getByLabel('Username').fill(ADMIN.username);
  await admin.getByLabel('Password').fill(ADMIN.password);
  await admin.getByRole('button', { name: 'Create admin and log in' }).click();
  await expect(admin.getByRole('region', { name: 'Fleet summary' })).toBeVisible();
  await expect(admin.getByText('Global dry run is on')).toBeVisible();
});

test('an admin registers this machine and the dashboard shows it live', async () => {
  await admin.goto('/admin/hosts');
  await admin.getByRole('button', { name: 'Add host' }).click();
  const form = admin.locator('form').filter({ has: admin.getByLabel('URL') });
  await form.getByLabel('Name', { exact: true }).fill(HOST);
  await form.getByLabel('URL', { exact: true }).fill(agentUrl);
  await form.getByLabel('Token', { exact: true }).fill(agentToken);
  await form.getByLabel('Action token', { exact: true }).fill(agentActionToken);
  await form.getByLabel('Interval (s)').fill('5');
  await form.getByLabel('Group').fill('lab');
  await form.getByLabel('Allowed services').fill('vigil-e2e.service');
  await form.getByLabel('Require approval').check();
  await form.getByRole('button', { name: 'Add host' }).click();
  await expect(admin.getByRole('table', { name: 'Hosts' }).getByText(HOST)).toBeVisible();

  await admin.goto('/');
  const grid = admin.getByRole('grid', { name: 'Hosts' });
  const row = grid.getByRole('row').filter({ has: admin.getByRole('link', { name: HOST }) });
  await expect(row).toBeVisible();
  await expect(row).toContainText(/up/i, { timeout: 30_000 });
  await expect(row).toContainText(/\d+(\.\d)?%/);
  await shot(admin, 'dashboard');
});

test('the host page draws stored samples', async () => {
  await admin.getByRole('link', { name: HOST }).first().click();
  await expect(admin).toHaveURL(/\/hosts\/\d+/);
  const cpu = admin.getByRole('figure', { name: 'CPU chart' });
  await expect(async () => {
    await admin.reload();
    await expect(cpu.locator('canvas').first()).toBeVisible({ timeout: 5_000 });
    await expect(cpu).not.toContainText('No samples', { timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await shot(admin, 'host');
});

test('a DRL syntax error is shown at its line', async () => {
  await admin.goto('/rules');
  await admin.getByLabel('File name').fill('e2e.drl');
  await admin.getByRole('button', { name: 'Create' }).click();
  await expect(admin).toHaveURL(/\/rules\/e2e\.drl$/);
  await setEditor(admin, BROKEN_RULE);
  await admin.getByRole('button', { name: 'Validate' }).click();
  const problems = admin.getByRole('list', { name: 'Problems' });
  await expect(problems.getByRole('listitem').first()).toContainText(/line 5, column \d+/);
  await shot(admin, 'rule-error');
});

test('with dry run off, a low-threshold rule opens an incident on the open dashboard without a reload', async ({
  browser,
}) => {
  await admin.goto('/admin/settings');
  await admin.getByLabel('Global dry run').uncheck();
  await admin.getByLabel('Reason').fill('e2e: approvals need real verdicts');
  await admin.getByRole('button', { name: 'Save settings' }).click();
  await expect(admin.getByText('Settings saved.')).toBeVisible();

  const watcher = await (await browser.newContext()).newPage();
  await watcher.goto('/login');
  await watcher.getByLabel('Username').fill(ADMIN.username);
  await watcher.getByLabel('Password').fill(ADMIN.password);
  await watcher.getByRole('button', { name: 'Log in' }).click();
  const row = watcher.getByRole('grid', { name: 'Hosts' }).getByRole('row')
    .filter({ has: watcher.getByRole('link', { name: HOST }) });
  await expect(row).toContainText(/up/i, { timeout: 30_000 });
  await expect(watcher.getByText('Global dry run is on')).toHaveCount(0);
  let reloaded = false;
  watcher.on('framenavigated', (frame) => {
    if (frame === watcher.mainFrame()) reloaded = true;
  });

  await admin.goto('/rules/e2e.drl');
  await setEditor(admin, VALID_RULE);
  await admin.getByRole('button', { name: 'Validate' }).click();
  await expect(admin.getByText('No problems')).toBeVisible();
  await admin.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByText('Saved; the server reloaded the rules')).toBeVisible();

  await expect(row.getByRole('link', { name: /1 open incident|^1$/ }).or(row.getByText(/warning/i)).first())
    .toBeVisible({ timeout: 30_000 });
  expect(reloaded).toBe(false);
  await shot(watcher, 'dashboard-incident');
  await watcher.context().close();
});

test('an operator approves the pending restart and its audit trail shows it', async ({ browser }) => {
  await admin.goto('/admin/users');
  const create = admin.locator('form').filter({ has: admin.getByRole('button', { name: 'Create user' }) });
  for (const [user, role] of [[OPERATOR, 'operator'], [VIEWER, 'viewer']] as const) {
    await create.getByLabel('Username', { exact: true }).fill(user.username);
    await create.getByLabel('Password', { exact: true }).fill(user.password);
    await create.getByRole('combobox', { name: /^Role/ }).selectOption(role);
    await create.getByRole('button', { name: 'Create user' }).click();
    await expect(admin.getByRole('cell', { name: user.username, exact: true })).toBeVisible();
  }

  const operator = await loginAs(browser, OPERATOR);
  await expect(operator.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await operator.goto('/actions');
  const pending = operator.getByRole('list', { name: 'Pending approval' });
  await expect(pending).toContainText('vigil-e2e.service', { timeout: 30_000 });
  await shot(operator, 'actions-pending');
  await pending.getByRole('button', { name: 'Approve' }).first().click();
  await expect(pending.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  const history = operator.getByRole('table', { name: 'Actions' });
  const action = history.getByRole('row').filter({ hasText: 'vigil-e2e.service' }).first();
  await action.getByRole('button', { name: 'Details' }).click();
  const trail = operator.getByRole('list', { name: 'Audit trail' });
  await expect(trail).toContainText(OPERATOR.username);
  await expect(trail).toContainText(/approved/);
  await shot(operator, 'action-audit');
  await operator.context().close();
});

test('a viewer sees no operator or admin controls', async ({ browser }) => {
  const viewer = await loginAs(browser, VIEWER);
  await expect(viewer.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  await viewer.getByRole('link', { name: HOST }).first().click();
  await expect(viewer.getByRole('figure', { name: 'CPU chart' })).toBeVisible();
  for (const name of ['Refresh now', 'Start maintenance', 'Stop maintenance', 'Request reboot']) {
    await expect(viewer.getByRole('button', { name })).toHaveCount(0);
  }
  await viewer.goto('/actions');
  await expect(viewer.getByRole('heading', { name: 'History' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Approve|Reject|New action/ })).toHaveCount(0);
  await viewer.goto('/incidents');
  await expect(viewer.getByRole('table', { name: 'Incidents' })).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Acknowledge|Resolve/ })).toHaveCount(0);
  await viewer.goto('/rules/e2e.drl');
  await expect(viewer.getByLabel('Rule editor')).toBeVisible();
  await expect(viewer.getByRole('button', { name: /Validate|Save|Run backtest/ })).toHaveCount(0);
  await viewer.goto('/admin/users');
  await expect(viewer.getByText('This page needs the admin role.')).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Create user' })).toHaveCount(0);
  await shot(viewer, 'viewer');
  await viewer.context().close();
});

test('a retention change is audited', async () => {
  await admin.goto('/admin/settings');
  await admin.getByLabel('Retention days').fill('30');
  await admin.getByRole('button', { name: 'Save settings' }).click();
  await expect(admin.getByText('Settings saved.')).toBeVisible();
  await admin.goto('/admin/audit');
  const log = admin.getByRole('table', { name: 'Audit log' });
  await expect(log.getByRole('row').filter({ hasText: /settings/ }).filter({ hasText: /retention/ }).first())
    .toBeVisible();
  await shot(admin, 'audit');
});

test('an admin configures the Telegram bot: the token is write-only and the bot status follows its reports live', async ({
  browser,
  request,
}) => {
  await admin.goto('/admin/tokens');
  const newToken = admin.getByRole('form', { name: 'New token' });
  await newToken.getByLabel('Token name').fill('e2e-bot-reporter');
  await newToken.getByLabel('Role').selectOption('admin');
  await newToken.getByRole('button', { name: 'Create token' }).click();
  const apiToken = await admin.getByRole('textbox', { name: 'Token value' }).inputValue();
  await admin.getByRole('button', { name: 'Done' }).click();
  const asBot = { Authorization: `Bearer ${apiToken}` };

  await admin.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Telegram' }).click();
  await expect(admin).toHaveURL(/\/admin\/telegram$/);
  await expect(admin.getByRole('heading', { name: 'Telegram', level: 1 })).toBeVisible();
  await expect(admin.getByText('Token: not set')).toBeVisible();
  await expect(admin.getByText('No report from the bot yet')).toBeVisible();

  const tokenForm = admin.getByRole('form', { name: 'Bot token' });
  await tokenForm.getByLabel('New bot token').fill(BOT_TOKEN);
  await tokenForm.getByRole('button', { name: 'Save token' }).click();
  await expect(tokenForm.getByText('Token: set (…ab12)')).toBeVisible();
  await expect(tokenForm.getByLabel('New bot token')).toHaveValue('');
  // the browser session never reads the token back; the bot's API token does
  expect((await admin.request.get('/api/v1/telegram/config')).status()).toBe(403);
  const config = await request.get('/api/v1/telegram/config', { headers: asBot });
  expect(config.status()).toBe(200);
  expect((await config.json()).token).toBe(BOT_TOKEN);

  const form = admin.getByRole('form', { name: 'Telegram settings' });
  await form.getByRole('button', { name: 'Add chat' }).click();
  const chat = form.getByRole('group', { name: 'Chat 1' });
  await chat.getByLabel('Chat id').fill('12.5');
  await form.getByRole('button', { name: 'Save Telegram settings' }).click();
  await expect(form.getByRole('alert')).toContainText('Chat id must be a nonzero whole number');
  await chat.getByLabel('Chat id').fill('-1001234567890');
  await chat.getByLabel('Topic id').fill('42');
  await form.getByRole('button', { name: 'Add user' }).click();
  const user = form.getByRole('group', { name: 'User 1' });
  await user.getByLabel('Telegram user id').fill('11111');
  await user.getByLabel('Role').selectOption('operator');
  await form.getByLabel('Least severity notified').selectOption('critical');
  await form.getByLabel('Quiet delivery for non-critical').check();
  await form.getByRole('button', { name: 'Save Telegram settings' }).click();
  await expect(form.getByText('Telegram settings saved.')).toBeVisible();
  await admin.reload();
  await expect(form.getByRole('group', { name: 'Chat 1' }).getByLabel('Chat id')).toHaveValue('-1001234567890');
  await expect(form.getByRole('group', { name: 'Chat 1' }).getByLabel('Topic id')).toHaveValue('42');
  await expect(form.getByRole('group', { name: 'User 1' }).getByLabel('Role')).toHaveValue('operator');
  await expect(form.getByLabel('Least severity notified')).toHaveValue('critical');

  // the bot's reports reach the open panel through the event stream, without a reload
  let reloaded = false;
  admin.on('framenavigated', (frame) => {
    if (frame === admin.mainFrame()) reloaded = true;
  });
  const report = (body: Record<string, unknown>) =>
    request.put('/api/v1/telegram/status', {
      headers: asBot,
      data: {
        bot_username: null,
        last_update_at: null,
        last_error: null,
        last_error_at: null,
        outbox_pending: 0,
        sent_total: 0,
        env_overrides: [],
        ...body,
      },
    });
  const conflict = admin.getByRole('alert')
    .filter({ hasText: 'Another bot instance is polling this token (Telegram answered 409)' });
  // repeated until the page's event stream, opened at load, is surely connected
  await expect(async () => {
    expect((await report({ state: 'conflict', last_error: 'Conflict: terminated by other getUpdates request',
      last_error_at: new Date().toISOString() })).status()).toBe(204);
    await expect(conflict).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  expect((await report({ state: 'running', bot_username: 'vigil_e2e_bot', last_update_at: new Date().toISOString(),
    outbox_pending: 2, env_overrides: ['chats'] })).status()).toBe(204);
  const status = admin.getByRole('region', { name: 'Bot status' });
  await expect(status.getByText('Connected as @vigil_e2e_bot')).toBeVisible();
  await expect(status).toContainText('VIGIL_TELEGRAM_CHATS overrides the notification chats');
  await expect(admin.getByText('Another bot instance is polling this token')).toHaveCount(0);
  expect(reloaded).toBe(false);

  await admin.getByRole('button', { name: 'Send test message' }).click();
  await expect(admin.getByText(/^Requested/)).toBeVisible();
  await shot(admin, 'telegram');
  expect(await admin.content()).not.toContain(BOT_TOKEN);

  await admin.goto('/admin/audit');
  const log = admin.getByRole('table', { name: 'Audit log' });
  await expect(log.getByRole('row').filter({ hasText: /telegram/i }).first()).toBeVisible();
  expect(await admin.content()).not.toContain(BOT_TOKEN);

  await admin.goto('/admin/telegram');
  await tokenForm.getByRole('button', { name: 'Clear token' }).click();
  await tokenForm.getByRole('button', { name: 'Confirm clear token' }).click();
  await expect(tokenForm.getByText('Token: not set')).toBeVisible();

  const viewer = await loginAs(browser, VIEWER);
  await viewer.goto('/admin/telegram');
  await expect(viewer.getByText('This page needs the admin role.')).toBeVisible();
  await expect(viewer.getByLabel('New bot token')).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /Send/ })).toHaveCount(0);
  expect((await viewer.request.get('/api/v1/settings/telegram')).status()).toBe(403);
  await viewer.context().close();
});
