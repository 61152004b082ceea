import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from '@playwright/test'

/**
 * The browser part of `npm run bench` (not run by `npm test`): the production build, served by
 * `vite preview` from its own output directory so that it never races the e2e build in `dist/`.
 * `bench/run.ts` passes the inputs and the output file through the environment.
 */
const PORT = Number(process.env.SPANGLASS_BENCH_PORT ?? 4180)
const DIST = process.env.SPANGLASS_BENCH_DIST ?? join(tmpdir(), 'spanglass-bench-dist')

export default defineConfig({
  testDir: './browser',
  testMatch: 'browser-bench.spec.ts',
  workers: 1,
  retries: 0,
  // 1M spans take minutes per step on a shared 2-core machine.
  timeout: 60 * 60_000,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
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
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
            '--font-render-hinting=none',
            // performance.memory with exact figures, not bucketed ones.
            '--enable-precise-memory-info',
            // Frames keep coming while the harness drives the page from outside.
            '--disable-renderer-backgrounding',
            '--disable-background-timer-throttling',
            '--disable-backgrounding-occluded-windows',
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npx vite build --outDir ${DIST} --emptyOutDir --logLevel warn && npx vite preview --outDir ${DIST} --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    reuseExistingServer: false,
    timeout: 300_000,
  },
})
