import { gzipSync } from 'node:zlib'
import { expect, test } from '@playwright/test'
import { generateTraceText } from '../src/generator/generate-text.ts'

const SPAN_COUNT = 100_000

/** The generator's OTLP JSON lines for one 100,000-span trace, gzipped (about 9 MB instead of 95). */
function generateGzippedTrace(): Buffer {
  const chunks: string[] = []
  for (const chunk of generateTraceText({ spanCount: SPAN_COUNT, format: 'otlp-json', seed: 7 })) chunks.push(chunk)
  return gzipSync(chunks.join(''))
}

test('a generated 100,000-span trace opens, paints, scrolls, searches, collapses and zooms', async ({ page, context }, testInfo) => {
  test.setTimeout(240_000)
  const body = generateGzippedTrace()
  // The import worker's fetch goes through the context's routes.
  await context.route('**/generated/trace-100k.json.gz', (route) => route.fulfill({ contentType: 'application/gzip', body }))

  const startedMs = Date.now()
  await page.goto(`/?url=${encodeURIComponent('/generated/trace-100k.json.gz')}`)
  const waterfall = page.getByTestId('waterfall')
  await expect(waterfall).toHaveAttribute('data-ready', 'true', { timeout: 180_000 })
  const loadMs = Date.now() - startedMs
  testInfo.annotations.push({ type: 'load to painted waterfall (ms)', description: String(loadMs) })
  console.log(`100k spans: URL to painted waterfall in ${loadMs} ms`)
  await expect(page.getByTestId('trace-header')).toContainText('100,000')
  await expect(waterfall).toHaveAttribute('data-row-count', String(SPAN_COUNT))
  // Virtualized: the DOM holds the rows on screen, not 100,000.
  expect(await page.getByTestId('span-row').count()).toBeLessThan(100)
  await page.screenshot({ path: testInfo.outputPath('large-top.png') })

  // Scroll through the whole trace a frame at a time; record the frame gaps for the report (no assertion on time).
  const frames = await waterfall.evaluate(async (element) => {
    const gapsMs: number[] = []
    const steps = 180
    const maxTop = element.scrollHeight - element.clientHeight
    let last = performance.now()
    for (let step = 0; step <= steps; step++) {
      element.scrollTop = (maxTop * step) / steps
      await new Promise((resolve) => requestAnimationFrame(resolve))
      const now = performance.now()
      gapsMs.push(now - last)
      last = now
    }
    gapsMs.sort((a, b) => a - b)
    const at = (q: number) => Math.round(gapsMs[Math.min(gapsMs.length - 1, Math.floor(q * gapsMs.length))] as number)
    return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1) }
  })
  testInfo.annotations.push({ type: 'scroll frame gaps (ms)', description: JSON.stringify(frames) })
  console.log(`100k spans: scroll frame gaps ${JSON.stringify(frames)}`)
  await expect(page.locator(`[data-testid="span-row"][data-span-index="${SPAN_COUNT - 1}"]`)).toBeVisible()
  await waterfall.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }))
  await expect(page.getByTestId('span-row').first()).toBeVisible()
  expect(await page.getByTestId('span-row').count()).toBeLessThan(100)
  await page.screenshot({ path: testInfo.outputPath('large-middle.png') })

  // Search: the errors, then jump to the first one (it scrolls into view).
  const errorCount = (await page.getByTestId('error-count').textContent())?.replace(/,/g, '') ?? ''
  await page.getByTestId('search-input').fill('status=error')
  await expect(page.getByTestId('search-count')).toHaveText(Number(errorCount).toLocaleString('en-US'))
  await page.getByTestId('search-input').press('Enter')
  await expect(page.getByTestId('search-count')).toHaveText(new RegExp(`^1 / `))
  await expect(page.locator('[data-testid="span-row"][aria-selected="true"]')).toBeVisible()
  await expect(page.getByTestId('span-details')).toBeVisible()
  await page.getByTestId('only-matches').click()
  await expect.poll(async () => Number(await waterfall.getAttribute('data-row-count'))).toBeLessThan(SPAN_COUNT)
  await page.screenshot({ path: testInfo.outputPath('large-errors-only.png') })
  await page.getByTestId('only-matches').click()
  await page.getByTestId('search-input').fill('')
  await page.keyboard.press('Escape')

  // Collapse everything at once, then open it again.
  await page.getByTestId('collapse-all').click()
  await expect(waterfall).toHaveAttribute('data-row-count', '1')
  await page.getByTestId('expand-all').click()
  await expect(waterfall).toHaveAttribute('data-row-count', String(SPAN_COUNT))

  // Zoom with the minimap.
  const box = await page.getByTestId('minimap').boundingBox()
  if (!box) throw new Error('no minimap')
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.35, box.y + box.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect(page.getByTestId('minimap')).not.toHaveAttribute('data-window', 'all')
  await page.screenshot({ path: testInfo.outputPath('large-zoomed.png') })
})
