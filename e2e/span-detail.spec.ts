import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { dropFiles, readFixture } from './helpers.ts'

async function expectTracePage(page: Page): Promise<void> {
  await expect(page.getByTestId('trace-header')).toBeVisible()
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
}

/** Drops a file on the home page, waits until its traces are listed and opens a one-trace file's trace. */
async function dropAndWait(page: Page, name: string, text: string, traceCount = 1): Promise<void> {
  await page.goto('/')
  await dropFiles(page, [{ name, text }])
  await expect(page.getByTestId('trace-row')).toHaveCount(traceCount, { timeout: 20_000 })
  if (traceCount > 1) return
  await page.getByTestId('trace-row').click()
  await expectTracePage(page)
}

const spanRow = (page: Page, index: number) => page.locator(`[data-testid="span-row"][data-span-index="${index}"]`)

test('the span detail panel shows a span, filters its attributes and walks the breadcrumb', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/')
  await page.getByTestId('sample-jaeger-hotrod').click()
  await expectTracePage(page)

  // HotROD: frontend GET /dispatch › HTTP GET › customer GET /customer › mysql SQL SELECT (index 3).
  await spanRow(page, 3).click()
  const panel = page.getByTestId('span-detail')
  await expect(panel).toBeVisible()
  await expect(page.getByTestId('span-detail-id')).toHaveText('9580b82434d5a1b8')
  await expect(panel).toContainText('SQL SELECT')
  await expect(panel).toContainText('client')
  await expect(page.getByTestId('self-time')).toContainText('257 ms')
  await expect(page.getByTestId('span-attributes')).toContainText('sql.query')
  await expect(page.getByTestId('resource-attributes')).toContainText('host.name')
  await expect(page.getByTestId('scope-attributes')).toContainText('mysql')
  await expect(page.getByTestId('span-events')).toContainText('Acquired lock')
  await expect(page.getByTestId('span-links')).toContainText('None')
  await page.screenshot({ path: testInfo.outputPath('detail-light.png') })

  // Copy the id and the deep link.
  await page.getByTestId('copy-span-id').click()
  await expect(page.getByTestId('copy-span-id')).toHaveText('Copied')
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('9580b82434d5a1b8')
  await page.getByTestId('copy-span-link').click()
  await expect(page.getByTestId('copy-span-link')).toHaveText('Copied')
  const deepLink = new URL(await page.evaluate(() => navigator.clipboard.readText()))
  expect(deepLink.searchParams.get('span')).toBe('9580b82434d5a1b8')
  expect(deepLink.searchParams.get('trace')).toBe(new URL(page.url()).searchParams.get('trace'))
  expect(deepLink.searchParams.get('url')).toContain('/samples/jaeger-hotrod.json')

  // The filter narrows all three attribute groups.
  await page.getByTestId('attribute-filter').fill('customer')
  await expect(page.getByTestId('span-attributes').getByTestId('attribute-row')).toHaveCount(1)
  await expect(page.getByTestId('span-attributes')).toContainText('sql.query')
  await expect(page.getByTestId('resource-attributes')).toContainText('No attribute matches the filter')
  await page.getByTestId('attribute-filter').fill('sdk.name=opentelemetry')
  await expect(page.getByTestId('resource-attributes').getByTestId('attribute-row')).toHaveCount(1)
  await expect(page.getByTestId('span-attributes')).toContainText('No attribute matches the filter')
  await page.screenshot({ path: testInfo.outputPath('detail-filtered.png') })

  // Breadcrumb: four steps, the last is the span; a click selects the ancestor.
  const steps = page.getByTestId('breadcrumb').getByTestId('breadcrumb-step')
  await expect(steps).toHaveCount(4)
  await expect(steps.last()).toHaveAttribute('aria-current', 'location')
  await steps.nth(2).click()
  await expect(page.getByTestId('span-detail-id')).toHaveText('2947f6da1a6168d0')
  await expect(spanRow(page, 2)).toHaveAttribute('aria-selected', 'true')
  await steps.first().click()
  await expect(page.getByTestId('span-detail-id')).toHaveText('c8d93156b47cd010')
  await expect(page.getByTestId('breadcrumb').getByTestId('breadcrumb-step')).toHaveCount(1)
  await expect.poll(() => new URL(page.url()).searchParams.get('span')).toBe('c8d93156b47cd010')

  // The same panel in the dark theme.
  await spanRow(page, 3).click()
  await page.getByTestId('theme-toggle').click()
  await expect(page.locator('html')).toHaveClass(/dark/)
  await page.screenshot({ path: testInfo.outputPath('detail-dark.png') })
})

test('links lead to spans in this trace and in other loaded traces, and say when the target is not loaded', async ({ page }, testInfo) => {
  // otel_traces_01.json: trace …01… (spans 2 and 4 link to span 4, and to the absent trace …ff…);
  // trace …02… (spans 3 and 5 link to span 4 of trace …01…).
  await dropAndWait(page, 'otel_traces_01.json', readFixture('otlp/otel_traces_01.json'), 2)
  await page.goto('/?trace=00000000000000020000000000000000&span=0000000000000003')
  await expectTracePage(page)
  await expect(page.getByTestId('span-detail-id')).toHaveText('0000000000000003')
  const links = page.getByTestId('span-links')
  await expect(links.getByTestId('span-link')).toHaveCount(2)
  await expect(links.getByTestId('link-missing')).toContainText('Trace 00000000000000ff0000000000000000 is not loaded')
  await page.screenshot({ path: testInfo.outputPath('links-other-trace.png') })

  // To the other loaded trace.
  const other = links.locator('[data-testid="link-target"][data-target="other-trace"]')
  await expect(other).toHaveAttribute('href', '?trace=00000000000000010000000000000000&span=0000000000000004')
  await other.click()
  await expect(page.getByTestId('trace-id')).toHaveText('00000000000000010000000000000000')
  await expect(page.getByTestId('span-detail-id')).toHaveText('0000000000000004')
  expect(new URL(page.url()).searchParams.get('span')).toBe('0000000000000004')

  // Inside this trace: span 2 links to span 4.
  await page.locator('[data-testid="span-row"]', { hasText: 'test-general-conversion-2' }).click()
  await expect(page.getByTestId('span-detail-id')).toHaveText('0000000000000002')
  await page.getByTestId('span-links').locator('[data-testid="link-target"][data-target="this-trace"]').click()
  await expect(page.getByTestId('span-detail-id')).toHaveText('0000000000000004')
  await expect(page.locator('[data-testid="span-row"][aria-selected="true"]')).toContainText('test-general-conversion-4')
})

test('adjusting clock skew moves the late server span inside its client and shows the shift', async ({ page }, testInfo) => {
  // Zipkin ascend.json: auth-service's server span starts at +19.97 ms, after its client (+0.8 ms,
  // 14.08 ms long) ended. Adjusted, it is centred in the client: +5.76 ms, a shift of −14.2 ms.
  await dropAndWait(page, 'ascend.json', readFixture('zipkin/ascend.json'))
  await spanRow(page, 2).click()
  await expect(page.getByTestId('span-detail-id')).toHaveText('49e959bc31242245')
  await expect(page.getByTestId('span-start')).toContainText('+20 ms')
  await expect(page.getByTestId('skew-shift')).toHaveCount(0)
  await expect(page.getByTestId('span-warnings')).toContainText('Possible clock skew: it ends 9.25 ms after its parent')
  await page.screenshot({ path: testInfo.outputPath('skew-off.png') })

  await page.getByTestId('skew-toggle').click()
  await expect(page.getByTestId('skew-toggle')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('span-detail-id')).toHaveText('49e959bc31242245')
  await expect(page.getByTestId('span-start')).toContainText('+5.76 ms')
  await expect(page.getByTestId('skew-shift')).toHaveText('shifted −14.2 ms with host 172.17.0.9')
  // Its child on the same host moved with it.
  await page.getByTestId('span-row').filter({ hasText: 'extend-token-life' }).click()
  await expect(page.getByTestId('skew-shift')).toHaveText('shifted −14.2 ms with host 172.17.0.9')
  await page.screenshot({ path: testInfo.outputPath('skew-on.png') })

  await page.getByTestId('skew-toggle').click()
  await expect(page.getByTestId('skew-toggle')).toHaveAttribute('aria-pressed', 'false')
  await expect(page.getByTestId('span-start')).toContainText('+20 ms')
  await expect(page.getByTestId('skew-shift')).toHaveCount(0)
})

test('a 5,000-deep span gets a folded breadcrumb that unfolds a few steps at a time', async ({ page }, testInfo) => {
  const depth = 5000
  const base = 1_700_000_000_000_000
  const spans = Array.from({ length: depth }, (_, i) => ({
    traceId: '0000000000000000000000000000dee9',
    id: (i + 1).toString(16).padStart(16, '0'),
    ...(i > 0 ? { parentId: i.toString(16).padStart(16, '0') } : {}),
    name: `level-${i}`,
    timestamp: base + i,
    duration: 2 * (depth - i),
    localEndpoint: { serviceName: `svc-${i % 7}` },
  }))
  await dropAndWait(page, 'deep.json', JSON.stringify(spans))
  const last = depth.toString(16).padStart(16, '0')
  await page.goto(`${page.url().replace(/&span=[^&]*/, '')}&span=${last}`)
  await expectTracePage(page)
  await expect(page.getByTestId('span-detail-id')).toHaveText(last)
  const breadcrumb = page.getByTestId('breadcrumb')
  await expect(breadcrumb.getByTestId('breadcrumb-step')).toHaveCount(4)
  await expect(breadcrumb.getByTestId('breadcrumb-gap')).toHaveText('… 4,996 more')
  await breadcrumb.getByTestId('breadcrumb-gap').click()
  await expect(breadcrumb.getByTestId('breadcrumb-step')).toHaveCount(24)
  await expect(breadcrumb.getByTestId('breadcrumb-gap')).toHaveText('… 4,976 more')
  await page.screenshot({ path: testInfo.outputPath('deep-breadcrumb.png') })
  await breadcrumb.getByTestId('breadcrumb-step').first().click()
  await expect(page.getByTestId('span-detail-id')).toHaveText('0000000000000001')
})

for (const format of ['otlp', 'jaeger', 'zipkin'] as const) {
  test(`export as ${format} JSON downloads a file that re-imports with the same spans`, async ({ page, browser }, testInfo) => {
    await page.goto('/')
    await page.getByTestId('sample-zipkin-kafka').click()
    await expectTracePage(page)
    const traceId = (await page.getByTestId('trace-id').textContent()) ?? ''
    await expect(page.getByTestId('row-count')).toHaveText('28 spans')

    await page.getByTestId('export-menu').getByTestId('export-menu-button').click()
    if (format === 'otlp') await page.screenshot({ path: testInfo.outputPath('export-menu.png') })
    const downloading = page.waitForEvent('download')
    await page.getByTestId(`export-${format}-json`).click()
    const download = await downloading
    expect(download.suggestedFilename()).toBe(`${traceId}.${format}.json`)
    const path = testInfo.outputPath(download.suggestedFilename())
    await download.saveAs(path)
    const text = readFileSync(path, 'utf8')

    // A fresh browser (no saved inputs) opens the exported file as the same trace.
    const fresh = await browser.newContext()
    const other = await fresh.newPage()
    await dropAndWait(other, download.suggestedFilename(), text)
    await expect(other.getByTestId('trace-id')).toHaveText(traceId)
    await expect(other.getByTestId('row-count')).toHaveText('28 spans')
    await fresh.close()
  })
}
