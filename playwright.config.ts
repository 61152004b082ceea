import { defineConfig } from '@playwright/test'

// SPANGLASS_E2E_PORT lets two checkouts (or two runs) test side by side.
const PORT = Number(process.env.SPANGLASS_E2E_PORT ?? 4173)

// e2e/backends.spec.ts runs against the real servers of scripts/backends.sh (SPANGLASS_BACKENDS_LIVE=1)
// and reaches Tempo, which sends no CORS headers, through the preview server's proxy: the server
// gets SPANGLASS_BACKENDS (given, or the local servers' defaults when live).
const env = process.env
const backendsEnv =
  env.SPANGLASS_BACKENDS ??
  (env.SPANGLASS_BACKENDS_LIVE === '1'
    ? `jaeger=${env.SPANGLASS_JAEGER_URL ?? 'http://127.0.0.1:16686'},zipkin=${env.SPANGLASS_ZIPKIN_URL ?? 'http://127.0.0.1:9411'},tempo=${env.SPANGLASS_TEMPO_URL ?? 'http://127.0.0.1:3200'}`
    : undefined)
const webServerEnv: Record<string, string> = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
if (backendsEnv) webServerEnv.SPANGLASS_BACKENDS = backendsEnv

export default defineConfig({
  testDir: './e2e',
  forbidOnly: !!process.env.CI,
  workers: process.env.CI ? 2 : undefined,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    deviceScaleFactor: 1,
    viewport: { width: 1400, height: 900 },
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox', '--disable-gpu', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
            '--font-render-hinting=none',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env.CI,
    timeout: 180_000,
    env: webServerEnv,
  },
})
