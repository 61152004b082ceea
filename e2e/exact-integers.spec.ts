import { expect, test } from '@playwright/test'
import { dropFiles } from './helpers.ts'

/**
 * An OTLP file of over 1 MB whose root span has an int64 attribute beyond 2^53 written as a JSON
 * number: the import worker parses the text while a worker of its own checks the bytes for such
 * integers, and the file is read again exactly when it finds one.
 */
function otlpFile(spanCount: number): string {
  const spans: string[] = []
  for (let i = 0; i < spanCount; i++) {
    const attributes = [`{"key":"http.route","value":{"stringValue":"/items/${i}"}}`]
    if (i === 0) attributes.push('{"key":"order.id","value":{"intValue":18446744073709551615}}')
    spans.push(
      `{"traceId":"5b584103c6fc5ddf423cb2fb6552d0f0","spanId":"${(i + 1).toString(16).padStart(16, '0')}",` +
        `${i === 0 ? '' : '"parentSpanId":"0000000000000001",'}"name":"GET /items/${i}","kind":2,` +
        `"startTimeUnixNano":"${1691012744032508000 + i * 1000}","endTimeUnixNano":"${1691012744032508000 + (spanCount + 1) * 1000 - i}","attributes":[${attributes.join(',')}]}`,
    )
  }
  return `{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}]},"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`
}

test('an integer beyond 2^53 in a large file is shown with every digit', async ({ page }, testInfo) => {
  const workers: string[] = []
  page.on('worker', (worker) => workers.push(worker.url()))
  const text = otlpFile(6000)
  expect(text.length).toBeGreaterThan(1 << 20)
  await page.goto('/')
  await dropFiles(page, [{ name: 'big-integers.json', text }])
  await page.getByTestId('trace-row').click()
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-details', 'true', { timeout: 20_000 })
  await page.locator('[data-testid="span-row"][data-span-index="0"]').click()
  // JSON.parse alone would give 18446744073709552000.
  await expect(page.getByTestId('span-attributes')).toContainText('18446744073709551615')
  await page.screenshot({ path: testInfo.outputPath('exact-integer.png') })
  expect(workers.some((url) => /unsafe-integer-worker/.test(url))).toBe(true)
})
