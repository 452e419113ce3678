// What a newcomer does after ./run.sh: open the printed dashboard URL, log in with the printed password, and see
// this machine up with live numbers. Usage: node login-smoke.mjs <dashboard url> <user> <password> <host name>
import { chromium } from 'playwright-core';

const [url, username, password, host] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  const row = page.getByRole('grid', { name: 'Hosts' }).getByRole('row')
    .filter({ has: page.getByRole('link', { name: host }) });
  await row.getByText(/^up$/i).first().waitFor({ timeout: 60_000 });
  const text = (await row.innerText()).replace(/\s+/g, ' ');
  if (!/\d+(\.\d+)?%/.test(text)) throw new Error(`no live numbers in the row of ${host}: ${text}`);
  console.log(`login smoke: ${host} is up on the dashboard: ${text}`);
} finally {
  await browser.close();
}
