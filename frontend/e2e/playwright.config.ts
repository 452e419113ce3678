import { defineConfig } from '@playwright/test';

// Run by the server's UiBrowserIT against the packaged server (VIGIL_URL) with a real agent (VIGIL_AGENT_URL);
// Chromium is the system's (Debian's `chromium`): Playwright does not download browsers here.
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../target/e2e-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    baseURL: process.env.VIGIL_URL,
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    launchOptions: {
      executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
