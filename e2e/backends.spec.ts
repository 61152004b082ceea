import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import type { Page, TestInfo } from '@playwright/test'

/**
 * The backend pages against the real Jaeger, Zipkin and Tempo of `scripts/backends.sh start`:
 * add backends through the settings page, search, open a trace and compare its span count with
 * what scripts/backends/seed.mjs sent, look a trace up by id, show dependencies, and the errors.
 * Jaeger and Zipkin (CORS on) are called directly; Tempo (no CORS) through the preview server's
 * proxy, `SPANGLASS_BACKENDS=…tempo=http://127.0.0.1:3200` (playwright.config.ts passes it).
 *
 *   bash scripts/backends.sh start && SPANGLASS_BACKENDS_LIVE=1 npx playwright test e2e/backends.spec.ts
 */

const LIVE = process.env.SPANGLASS_BACKENDS_LIVE === '1'
const env = process.env
const JAEGER = env.SPANGLASS_JAEGER_URL ?? 'http://127.0.0.1:16686'
const JAEGER_OTLP = env.SPANGLASS_JAEGER_OTLP_URL ?? 'http://127.0.0.1:14318'
const ZIPKIN = env.SPANGLASS_ZIPKIN_URL ?? 'http://127.0.0.1:9411'
const TEMPO_OTLP = env.SPANGLASS_TEMPO_OTLP_URL ?? 'http://127.0.0.1:24318'
const TEMPO = env.SPANGLASS_TEMPO_URL ?? 'http://127.0.0.1:3200'
const SEED = fileURLToPath(new URL('../scripts/backends/seed.mjs', import.meta.url))

test.skip(!LIVE, 'Needs the real backends: run `bash scripts/backends.sh start`, then set SPANGLASS_BACKENDS_LIVE=1 (scripts/test.sh does both checks itself).')

function seed(args: readonly string[]): string {
  return execFileSync(process.execPath, [SEED, ...args], { encoding: 'utf8', timeout: 30_000 }).trim()
}

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`
const SERVICES = { jaeger: `sge2e-j-${RUN}`, zipkin: `sge2e-z-${RUN}`, tempo: `sge2e-t-${RUN}` }
const SPANS = { jaeger: 9, zipkin: 7, tempo: 11 }

interface Seeded {
  readonly jaeger: string
  readonly jaegerShort: string
  readonly zipkin: string
  readonly tempo: string
}

let seeded: Seeded | undefined

function seedAll(): Seeded {
  seeded ??= {
    jaeger: seed(['--endpoint', JAEGER_OTLP, '--service', SERVICES.jaeger, '--spans', String(SPANS.jaeger)]),
    // A second Jaeger trace whose id starts with zeros, for the lookup without them.
    jaegerShort: seed([
      '--endpoint',
      JAEGER_OTLP,
      '--service',
      SERVICES.jaeger,
      '--spans',
      '5',
      '--trace-id',
      `000000000000${Math.floor(Math.random() * 2 ** 48)
        .toString(16)
        .padStart(12, '0')}${'1'.repeat(8)}`,
    ]),
    zipkin: seed(['--format', 'zipkin', '--endpoint', ZIPKIN, '--service', SERVICES.zipkin, '--spans', String(SPANS.zipkin)]),
    tempo: seed(['--endpoint', TEMPO_OTLP, '--service', SERVICES.tempo, '--spans', String(SPANS.tempo)]),
  }
  return seeded
}

/** The backends a user would have added (ids are slugs of the names), saved before the page loads. */
async function withSavedBackends(page: Page): Promise<void> {
  await page.addInitScript(
    ({ jaeger, zipkin }) => {
      if (window.localStorage.getItem('spanglass-backends')) return
      window.localStorage.setItem(
        'spanglass-backends',
        JSON.stringify({
          version: 1,
          state: {
            userBackends: [
              { id: 'e2e-jaeger', kind: 'jaeger', name: 'E2E Jaeger', baseUrl: jaeger },
              { id: 'e2e-zipkin', kind: 'zipkin', name: 'E2E Zipkin', baseUrl: zipkin },
            ],
            proxiedOverrides: {},
          },
        }),
      )
    },
    { jaeger: JAEGER, zipkin: ZIPKIN },
  )
}

async function screenshots(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const html = page.locator('html')
  const isDark = ((await html.getAttribute('class')) ?? '').includes('dark')
  await page.screenshot({ path: testInfo.outputPath(`${name}-${isDark ? 'dark' : 'light'}.png`), fullPage: false })
  await page.getByTestId('theme-toggle').click()
  await expect(html).toHaveClass(isDark ? /^(?!.*dark)/ : /dark/)
  await page.screenshot({ path: testInfo.outputPath(`${name}-${isDark ? 'light' : 'dark'}.png`), fullPage: false })
  await page.getByTestId('theme-toggle').click()
}

/** The trace page shows the trace: its id, and the span count in the header and in the waterfall. */
async function expectTraceOpen(page: Page, traceId: string, spanCount: number): Promise<void> {
  await expect(page.getByTestId('trace-id')).toHaveText(traceId, { timeout: 30_000 })
  await expect(page.getByTestId('trace-header').locator('dt:text-is("Spans") + dd')).toHaveText(String(spanCount))
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  await expect(page.getByTestId('span-row')).toHaveCount(spanCount)
}

/** Submits until the backend has indexed the trace (Tempo's search sees a trace after 1–3 s). */
async function searchUntilFound(page: Page, traceId: string): Promise<void> {
  await expect(async () => {
    await page.getByTestId('search-submit').click()
    await expect(page.getByTestId('search-results').or(page.getByTestId('backend-error'))).toBeVisible({ timeout: 10_000 })
    await expect(page.locator(`[data-testid="search-result-row"][data-trace-id="${traceId}"]`)).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 45_000, intervals: [500, 1_000, 2_000] })
}

test('the settings page adds Jaeger and Zipkin, checks each connection, and lists the proxied Tempo', async ({ page }, testInfo) => {
  seedAll()
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/?page=backends')
  await expect(page.getByTestId('backends-page')).toBeVisible()

  // SPANGLASS_BACKENDS entries appear by themselves, read-only, reached through the proxy.
  const tempo = page.locator('[data-testid="backend-card"][data-backend-id="tempo"]')
  await expect(tempo).toBeVisible()
  await expect(tempo).toHaveAttribute('data-kind', 'tempo')
  await expect(tempo.getByTestId('backend-card-url')).toContainText('/backends/tempo')
  await expect(tempo.getByTestId('backend-remove')).toHaveCount(0)

  for (const [kind, name, url] of [
    ['jaeger', 'E2E Jaeger', JAEGER],
    ['zipkin', 'E2E Zipkin', ZIPKIN],
  ] as const) {
    await page.getByTestId('backend-add').click()
    const form = page.getByTestId('backend-form')
    await form.getByTestId(`backend-kind-${kind}`).check({ force: true })
    await form.getByTestId('backend-name').fill(name)
    await form.getByTestId('backend-url').fill(`${url}/`)
    await form.getByTestId('backend-save').click()
    await expect(form).toHaveCount(0)
  }
  const jaeger = page.locator('[data-testid="backend-card"][data-backend-id="e2e-jaeger"]')
  const zipkin = page.locator('[data-testid="backend-card"][data-backend-id="e2e-zipkin"]')
  await expect(jaeger.getByTestId('backend-card-url')).toHaveText(JAEGER)

  for (const card of [jaeger, zipkin, tempo]) {
    await card.getByTestId('backend-check').click()
    await expect(card.getByTestId('backend-check-result')).toHaveAttribute('data-ok', 'true', { timeout: 20_000 })
  }
  await expect(zipkin.getByTestId('backend-version')).toContainText(/Version \d+\.\d+/)
  await expect(tempo.getByTestId('backend-version')).toContainText(/Version \d/)
  await screenshots(page, testInfo, 'settings')

  // A wrong address says what failed.
  await page.getByTestId('backend-add').click()
  const form = page.getByTestId('backend-form')
  await form.getByTestId('backend-url').fill('localhost:16686')
  await form.getByTestId('backend-save').click()
  await expect(form.getByTestId('backend-url-error')).toContainText('http://')
  await form.getByTestId('backend-url').fill('http://127.0.0.1:9')
  await form.getByTestId('backend-check').click()
  await expect(form.getByTestId('backend-check-result')).toHaveAttribute('data-ok', 'false', { timeout: 20_000 })
  await expect(form.getByTestId('backend-check-result')).toContainText(/CORS|SPANGLASS_BACKENDS/)
  await form.getByTestId('backend-cancel').click()

  // Saved in this browser.
  await page.reload()
  await expect(jaeger).toBeVisible()
  await expect(zipkin).toBeVisible()

  // Editing keeps the id; removing asks first.
  await jaeger.getByTestId('backend-edit').click()
  await jaeger.getByTestId('backend-headers').fill('X-E2E: 1')
  await jaeger.getByTestId('backend-save').click()
  await expect(jaeger).toContainText('X-E2E: 1')
  page.once('dialog', (dialog) => void dialog.accept())
  await zipkin.getByTestId('backend-remove').click()
  await expect(zipkin).toHaveCount(0)
})

test('Jaeger: search by service, see the scatter plot, open a trace with the span count that was sent, reload', async ({ page }, testInfo) => {
  const ids = seedAll()
  await withSavedBackends(page)
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/?page=search&backend=e2e-jaeger')
  await expect(page.getByTestId('search-page')).toHaveAttribute('data-kind', 'jaeger')
  await expect(page.getByTestId('search-service').locator(`option[value="${SERVICES.jaeger}"]`)).toHaveCount(1, { timeout: 20_000 })
  await page.getByTestId('search-service').selectOption(SERVICES.jaeger)
  await expect(page.getByTestId('search-operation').locator(`option[value="GET /${SERVICES.jaeger}/checkout"]`)).toHaveCount(1)
  await page.getByTestId('search-lookback').selectOption('15m')
  await searchUntilFound(page, ids.jaeger)

  // The search is in the URL, its window pinned.
  const url = new URL(page.url())
  expect(url.searchParams.get('service')).toBe(SERVICES.jaeger)
  expect(url.searchParams.get('lookback')).toBe('15m')
  expect(Number(url.searchParams.get('end')) - Number(url.searchParams.get('start'))).toBe(15 * 60_000)

  const row = page.locator(`[data-testid="search-result-row"][data-trace-id="${ids.jaeger}"]`)
  await expect(row.getByTestId('search-result-spans')).toHaveText(String(SPANS.jaeger))
  await expect(page.getByTestId('search-result-row')).toHaveCount(2)
  await expect(page.getByTestId('scatter-dot')).toHaveCount(2)
  await expect(page.locator(`[data-testid="scatter-dot"][data-trace-id="${ids.jaeger}"]`)).toHaveAttribute('data-error', 'true')

  // Sorting and the log axis are in the URL too.
  await page.getByTestId('sort-spans').click()
  await expect(page.getByTestId('search-result-row').first()).toHaveAttribute('data-trace-id', ids.jaeger)
  expect(new URL(page.url()).searchParams.get('sort')).toBe('-spans')
  await page.getByTestId('search-scale-log').check()
  await expect(page.getByTestId('scatter-plot')).toHaveAttribute('data-scale', 'log')
  await screenshots(page, testInfo, 'search-jaeger')

  // A click on a dot opens the trace.
  // (dispatched: with few traces seeded at once, dots may overlap)
  await page.locator(`[data-testid="scatter-dot"][data-trace-id="${ids.jaeger}"]`).dispatchEvent('click')
  await expect(page).toHaveURL(new RegExp(`trace=${ids.jaeger}&backend=e2e-jaeger`))
  await expectTraceOpen(page, ids.jaeger, SPANS.jaeger)

  // A reload fetches it again from the backend.
  await page.reload()
  await expectTraceOpen(page, ids.jaeger, SPANS.jaeger)

  // Back to the same search, served from the cache after the back button.
  await page.goBack()
  await expect(page.getByTestId('search-results')).toBeVisible()
  await expect(page.getByTestId('search-service')).toHaveValue(SERVICES.jaeger)
})

test('Zipkin: search with a tag and a duration, open the trace', async ({ page }) => {
  const ids = seedAll()
  await withSavedBackends(page)
  await page.goto('/?page=search&backend=e2e-zipkin')
  await expect(page.getByTestId('search-page')).toHaveAttribute('data-kind', 'zipkin')
  await expect(page.getByTestId('search-service').locator(`option[value="${SERVICES.zipkin}"]`)).toHaveCount(1, { timeout: 20_000 })
  await page.getByTestId('search-service').selectOption(SERVICES.zipkin)
  await expect(page.getByTestId('search-remote-service').locator(`option[value="${SERVICES.zipkin}-api"]`)).toHaveCount(1)
  await page.getByTestId('search-tags').fill(`http.route=/${SERVICES.zipkin}/checkout`)
  await page.getByTestId('search-min-duration').fill('1ms')
  await searchUntilFound(page, ids.zipkin)
  const row = page.locator(`[data-testid="search-result-row"][data-trace-id="${ids.zipkin}"]`)
  await expect(row.getByTestId('search-result-spans')).toHaveText(String(SPANS.zipkin))

  // A bad duration is refused before anything is sent.
  await page.getByTestId('search-max-duration').fill('10')
  await page.getByTestId('search-submit').click()
  await expect(page.getByTestId('search-field-error')).toContainText('no unit')
  await page.getByTestId('search-max-duration').fill('')

  await row.click()
  await expectTraceOpen(page, ids.zipkin, SPANS.zipkin)
})

test('Tempo through the proxy: TraceQL with tag names and values offered as you type, open the trace', async ({ page }, testInfo) => {
  test.setTimeout(150_000)
  const ids = seedAll()
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.goto('/?page=search&backend=tempo')
  await expect(page.getByTestId('search-page')).toHaveAttribute('data-kind', 'tempo')
  await page.getByTestId('search-mode-traceql').click()
  const box = page.getByTestId('traceql-input')
  await box.fill('')
  await box.pressSequentially('{ resource.serv')
  await expect(page.getByTestId('traceql-suggestion').first()).toHaveText(/resource\.service\.name/, { timeout: 20_000 })
  await box.press('Enter')
  await expect(box).toHaveValue('{ resource.service.name')
  // Tempo offers a service among the tag values a moment after its spans were pushed (seen to take
  // over 30 s on a loaded CI machine): wait for Tempo itself, so the page's one request finds it.
  await expect
    .poll(
      async () => {
        const response = await fetch(`${TEMPO}/api/v2/search/tag/resource.service.name/values`)
        return response.ok ? await response.text() : ''
      },
      { timeout: 90_000, intervals: [500, 1000, 2000] },
    )
    .toContain(SERVICES.tempo)
  await box.pressSequentially(` = "${SERVICES.tempo.slice(0, -2)}`)
  const value = page.getByTestId('traceql-suggestions').getByText(SERVICES.tempo, { exact: true })
  await expect(value).toHaveCount(1, { timeout: 30_000 })
  await value.click()
  await expect(box).toHaveValue(`{ resource.service.name = "${SERVICES.tempo}"`)
  await box.pressSequentially(' }')
  await searchUntilFound(page, ids.tempo)
  expect(new URL(page.url()).searchParams.get('q')).toBe(`{ resource.service.name = "${SERVICES.tempo}" }`)
  const row = page.locator(`[data-testid="search-result-row"][data-trace-id="${ids.tempo}"]`)
  await expect(row.getByTestId('search-result-spans')).toHaveText(String(SPANS.tempo))
  await screenshots(page, testInfo, 'search-tempo')

  await row.getByTestId('search-result-link').click()
  await expectTraceOpen(page, ids.tempo, SPANS.tempo)
})

test('trace-id lookup: without leading zeros in the header, base64 on the search page; a missing id says which', async ({ page }) => {
  const ids = seedAll()
  await withSavedBackends(page)
  await page.goto('/?page=search&backend=e2e-jaeger')
  await expect(page.getByTestId('search-page')).toBeVisible()

  await page.getByTestId('header-trace-id').fill(ids.jaegerShort.replace(/^0+/, ''))
  await page.getByTestId('header-trace-id').press('Enter')
  await expect(page).toHaveURL(new RegExp(`trace=${ids.jaegerShort}&backend=e2e-jaeger`))
  await expectTraceOpen(page, ids.jaegerShort, 5)

  await page.goto('/?page=search&backend=tempo')
  const base64 = Buffer.from(ids.tempo, 'hex').toString('base64')
  await page.getByTestId('search-trace-id').fill(base64)
  await page.getByTestId('search-trace-id').press('Enter')
  await expectTraceOpen(page, ids.tempo, SPANS.tempo)

  await page.getByTestId('header-trace-id').fill('not-an-id!')
  await page.getByTestId('header-trace-id').press('Enter')
  await expect(page.getByTestId('header-trace-id-error')).toContainText('is not a trace id')

  await page.goto('/?trace=abc&backend=e2e-jaeger')
  await expect(page).toHaveURL(/trace=00000000000000000000000000000abc/)
  const error = page.getByTestId('backend-error')
  await expect(error).toHaveAttribute('data-kind', 'not-found', { timeout: 20_000 })
  await expect(error).toContainText('00000000000000000000000000000abc')
})

test('dependencies: the service map and the table of a backend’s links; Tempo says it has none', async ({ page }, testInfo) => {
  seedAll()
  await withSavedBackends(page)
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/?page=dependencies&backend=e2e-zipkin&lookback=1h')
  await expect(page.getByTestId('dependencies-page')).toBeVisible()
  const link = page.locator(`[data-testid="dependency-row"][data-parent="${SERVICES.zipkin}"][data-child="${SERVICES.zipkin}-api"]`)
  await expect(async () => {
    await page.getByTestId('dependencies-refresh').click()
    await expect(link).toBeVisible({ timeout: 2_000 })
  }).toPass({ timeout: 30_000 })
  await expect(page.getByTestId('service-map')).toBeVisible()
  await expect(page.locator(`[data-node-id="${SERVICES.zipkin}-store"]`)).toHaveCount(1)
  await page.getByTestId('dependencies-filter').fill(SERVICES.zipkin)
  await expect(page.getByTestId('dependency-row')).toHaveCount(2)
  await expect(page).toHaveURL(new RegExp(`service=${SERVICES.zipkin}`))
  // The map shows the filtered links only: three services.
  await expect(page.locator('[data-node-id]')).toHaveCount(3)
  await screenshots(page, testInfo, 'dependencies')

  await page.getByTestId('dependencies-backend').selectOption('e2e-jaeger')
  await expect(page).toHaveURL(/backend=e2e-jaeger/)
  await expect(page.locator(`[data-testid="dependency-row"][data-parent="${SERVICES.jaeger}"][data-child="${SERVICES.jaeger}-api"]`)).toBeVisible({
    timeout: 20_000,
  })
  await page.getByTestId('dependencies-view-table').click()
  await expect(page.getByTestId('service-map')).toHaveCount(0)
  await expect(page.getByTestId('dependencies-table')).toBeVisible()

  await page.getByTestId('dependencies-backend').selectOption('tempo')
  await expect(page.getByTestId('dependencies-unsupported')).toContainText('Tempo has no dependency API')
})

test('an unreachable backend and a backend the browser does not know are explained', async ({ page }) => {
  await page.addInitScript(() => {
    window.localStorage.setItem(
      'spanglass-backends',
      JSON.stringify({
        version: 1,
        state: { userBackends: [{ id: 'nowhere', kind: 'jaeger', name: 'Nowhere', baseUrl: 'http://127.0.0.1:9' }], proxiedOverrides: {} },
      }),
    )
  })
  await page.goto('/?page=search&backend=nowhere')
  await expect(page.getByTestId('search-form')).toContainText('Could not list services', { timeout: 20_000 })
  await page.goto('/?page=search&backend=nowhere&service=x&start=1&end=2')
  const error = page.getByTestId('backend-error')
  await expect(error).toHaveAttribute('data-kind', 'cors', { timeout: 20_000 })
  await expect(error).toContainText('SPANGLASS_BACKENDS')

  await page.goto('/?trace=0af7651916cd43dd8448eb211c80319c&backend=gone')
  await expect(page.getByTestId('backend-error')).toContainText('No backend "gone"')
})
