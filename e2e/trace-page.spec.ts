import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { dropFiles, readFixture } from './helpers.ts'

const SAMPLES = ['jaeger-hotrod', 'jaeger-petclinic', 'zipkin-kafka', 'otlp-genai-agent', 'tempo-trace'] as const

async function expectTracePage(page: Page): Promise<void> {
  await expect(page.getByTestId('trace-header')).toBeVisible()
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  await expect(page.getByTestId('span-row').first()).toBeVisible()
}

test('each bundled sample opens its trace page in one click', async ({ page }, testInfo) => {
  for (const sample of SAMPLES) {
    await page.goto('/')
    await page.getByTestId(`sample-${sample}`).click()
    await expectTracePage(page)
    expect(new URL(page.url()).searchParams.get('trace')).toBeTruthy()
    expect(new URL(page.url()).searchParams.get('url')).toContain(`/samples/${sample}.json`)
    expect(await page.getByTestId('span-row').count()).toBeGreaterThan(1)
    await page.screenshot({ path: testInfo.outputPath(`sample-${sample}.png`) })
  }
})

test('the trace URL reopens the same trace in a fresh browser', async ({ page, browser }, testInfo) => {
  await page.goto('/')
  await page.getByTestId('sample-jaeger-hotrod').click()
  await expectTracePage(page)
  const traceId = await page.getByTestId('trace-id').textContent()
  // Rows of the layout (the DOM holds only those on screen).
  const rowCount = await page.getByTestId('waterfall').getAttribute('data-row-count')
  // The selected span is part of the link too.
  await page.getByTestId('span-row').nth(5).click()
  await expect(page.getByTestId('span-details')).toBeVisible()
  const spanId = new URL(page.url()).searchParams.get('span')
  expect(spanId).toMatch(/^[0-9a-f]{16}$/)
  const shared = page.url()

  // A new context has no IndexedDB: the trace comes back through its ?url=.
  const context = await browser.newContext()
  const other = await context.newPage()
  await other.goto(shared)
  await expectTracePage(other)
  await expect(other.getByTestId('trace-id')).toHaveText(traceId ?? '')
  await expect(other.getByTestId('waterfall')).toHaveAttribute('data-row-count', rowCount ?? '')
  await expect(other.getByTestId('span-details')).toContainText(spanId ?? '')
  await expect(other.getByTestId('span-row').nth(5)).toHaveAttribute('aria-selected', 'true')
  await other.reload()
  await expectTracePage(other)
  await expect(other.getByTestId('trace-id')).toHaveText(traceId ?? '')
  await other.screenshot({ path: testInfo.outputPath('shared-link.png') })
  await context.close()
})

test('?url= opens a one-trace file directly and lists a many-trace file', async ({ page, context }) => {
  await page.goto(`/?url=${encodeURIComponent('/samples/zipkin-kafka.json')}`)
  await expectTracePage(page)
  await expect(page.getByTestId('trace-header')).toContainText('servicea')
  expect(new URL(page.url()).searchParams.get('trace')).toBeTruthy()

  // The worker's fetch goes through the context's routes.
  await context.route('**/external/three-traces.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: readFixture('otlp/otel_traces_01.json') }),
  )
  await page.goto(`/?url=${encodeURIComponent('/external/three-traces.json')}`)
  await expect(page.getByTestId('trace-row')).toHaveCount(3)
  expect(new URL(page.url()).searchParams.get('trace')).toBeNull()
})

test('a dropped file survives a reload, so its trace link keeps working', async ({ page }) => {
  await page.goto('/')
  await dropFiles(page, [{ name: 'petclinic.json', text: readFixture('jaeger/spansAmongEachOther.json') }])
  await page.getByTestId('trace-row').first().click()
  await expectTracePage(page)
  const traceId = await page.getByTestId('trace-id').textContent()
  await page.reload()
  await expectTracePage(page)
  await expect(page.getByTestId('trace-id')).toHaveText(traceId ?? '')
})

test('a trace that is not loaded says so and offers the drop zone', async ({ page }, testInfo) => {
  await page.goto('/?trace=0123456789abcdef0123456789abcdef')
  await expect(page.getByTestId('trace-not-loaded')).toContainText('0123456789abcdef0123456789abcdef')
  await expect(page.getByTestId('drop-zone')).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('trace-not-loaded.png') })
})

test('the span tree collapses, expands and follows the keyboard', async ({ page }, testInfo) => {
  await page.goto('/')
  await page.getByTestId('sample-zipkin-kafka').click()
  await expectTracePage(page)
  const rows = page.getByTestId('span-row')
  const tree = page.getByTestId('waterfall')
  // Rows of the layout (the DOM holds only those on screen).
  const total = (await tree.getAttribute('data-row-count')) ?? ''
  expect(Number(total)).toBeGreaterThan(1)
  const first = rows.first()
  await expect(first).toHaveAttribute('aria-expanded', 'true')
  await first.getByRole('button', { name: 'Collapse' }).click()
  await expect(rows).toHaveCount(1)
  await expect(tree).toHaveAttribute('data-row-count', '1')
  await first.getByRole('button', { name: 'Expand' }).click()
  await expect(tree).toHaveAttribute('data-row-count', total)

  await tree.focus()
  await page.keyboard.press('ArrowDown')
  await expect(first).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('span-details')).toBeVisible()
  await page.keyboard.press('ArrowDown')
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Home')
  await page.keyboard.press('ArrowLeft')
  await expect(rows).toHaveCount(1)
  await page.keyboard.press('ArrowRight')
  await expect(tree).toHaveAttribute('data-row-count', total)
  await rows.nth(2).click()
  await expect(rows.nth(2)).toHaveAttribute('aria-selected', 'true')
  await page.screenshot({ path: testInfo.outputPath('span-selected.png') })
})
