import { expect, test } from '@playwright/test'
import { dropFiles, readFixture, waitForChunk, watchLoadingPlaceholders } from './helpers.ts'

test('dropping several files loads the good ones and explains the bad ones', async ({ page }, testInfo) => {
  await page.goto('/')
  await dropFiles(page, [
    { name: 'petclinic.json', text: readFixture('jaeger/spansAmongEachOther.json') },
    { name: 'kafka.json', text: readFixture('zipkin/messaging-kafka.json') },
    { name: 'broken.json', text: '{\n  "data": [\n    {"traceID": 1,,}\n  ]\n}\n' },
    { name: 'settings.json', text: '{"editor.fontSize": 14, "workbench.colorTheme": "Default Dark"}' },
  ])
  const statuses = page.getByTestId('file-status')
  await expect(statuses).toHaveCount(4)
  await expect(page.getByTestId('progress')).toHaveAttribute('data-state', 'done')

  const jaeger = statuses.filter({ hasText: 'petclinic.json' })
  await expect(jaeger).toHaveAttribute('data-status', 'ok')
  await expect(jaeger).toContainText('Jaeger JSON')
  await expect(jaeger).toContainText(/\d+ spans/)

  const zipkin = statuses.filter({ hasText: 'kafka.json' })
  await expect(zipkin).toHaveAttribute('data-status', 'ok')
  await expect(zipkin).toContainText('Zipkin v2')
  await expect(zipkin).toContainText('28 spans')

  const broken = statuses.filter({ hasText: 'broken.json' })
  await expect(broken).toHaveAttribute('data-status', 'error')
  await expect(broken.getByTestId('file-error')).toContainText('Malformed JSON at line 3, column 19')

  const settings = statuses.filter({ hasText: 'settings.json' })
  await expect(settings).toHaveAttribute('data-status', 'error')
  await expect(settings.getByTestId('file-error')).toContainText('found a JSON object with keys "editor.fontSize", "workbench.colorTheme"')

  const rows = page.getByTestId('trace-row')
  await expect(rows).toHaveCount(2)
  await expect(page.getByTestId('trace-list')).toContainText('GET /api/customer/owners')
  await page.screenshot({ path: testInfo.outputPath('home-dropped.png'), fullPage: true })

  await rows.filter({ hasText: 'GET /api/customer/owners' }).click()
  await expect(page.getByTestId('trace-header')).toContainText('GET /api/customer/owners')
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
})

test('the file picker, paste box and clear-all work', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('file-input').setInputFiles({ name: 'trace.json', mimeType: 'application/json', buffer: Buffer.from(readFixture('otlp/trace.json')) })
  await expect(page.getByTestId('file-status').first()).toHaveAttribute('data-status', 'ok')
  await expect(page.getByTestId('file-status').first()).toContainText('OTLP JSON')

  await page.getByTestId('paste-input').fill(readFixture('zipkin/messaging.json'))
  await page.getByTestId('paste-submit').click()
  await expect(page.getByTestId('file-status')).toHaveCount(2)
  await expect(page.getByTestId('file-status').nth(1)).toContainText('pasted JSON')
  await expect(page.getByTestId('file-status').nth(1)).toHaveAttribute('data-status', 'ok')
  await expect(page.getByTestId('trace-row')).toHaveCount(2)

  await page.getByTestId('clear-all').click()
  await expect(page.getByTestId('trace-row')).toHaveCount(0)
  await expect(page.getByTestId('file-status')).toHaveCount(0)
  await page.reload()
  await expect(page.getByTestId('sample-zipkin-kafka')).toBeVisible()
  await expect(page.getByTestId('trace-row')).toHaveCount(0)
})

test('a URL typed in the URL box loads, and a failing one says why', async ({ page }) => {
  await page.goto('/')
  await page.getByTestId('url-input').fill('/samples/does-not-exist.json')
  await page.getByTestId('url-submit').click()
  const failed = page.getByTestId('file-status').filter({ hasText: 'does-not-exist.json' })
  await expect(failed).toHaveAttribute('data-status', 'error')
  await expect(failed).toContainText(/HTTP 404|answered with a web page/)

  await page.getByTestId('url-input').fill('/samples/otlp-genai-agent.json')
  await page.getByTestId('url-submit').click()
  await expect(page.getByTestId('trace-header')).toBeVisible()
  expect(new URL(page.url()).searchParams.get('url')).toBe('/samples/otlp-genai-agent.json')
})

test('without Web Workers the import runs on the page and still works', async ({ page }) => {
  await page.addInitScript(() => {
    Reflect.deleteProperty(window, 'Worker')
  })
  await page.goto('/')
  await dropFiles(page, [
    { name: 'kafka.json', text: readFixture('zipkin/messaging-kafka.json') },
    { name: 'broken.json', text: '[{"traceId": ' },
  ])
  await expect(page.getByTestId('file-status').filter({ hasText: 'kafka.json' })).toHaveAttribute('data-status', 'ok')
  await expect(page.getByTestId('file-status').filter({ hasText: 'broken.json' })).toHaveAttribute('data-status', 'error')
  await expect(page.getByTestId('trace-row')).toHaveCount(1)
})

test('pointing at a page link loads that page, so that the click opens it without a placeholder', async ({ page }) => {
  await page.goto('/')
  await expect(page.getByTestId('drop-zone')).toBeVisible()
  const placeholders = await watchLoadingPlaceholders(page)
  for (const [link, chunk] of [
    ['search', 'search-page'],
    ['dependencies', 'dependencies-page'],
    ['backends', 'backends-page'],
  ] as const) {
    await page.getByTestId(`nav-${link}`).hover()
    await waitForChunk(page, chunk)
    // The chunk is evaluated right after it arrives (a few milliseconds).
    await page.waitForTimeout(250)
    await page.getByTestId(`nav-${link}`).click()
    await expect(page.getByTestId(`nav-${link}`)).toHaveAttribute('aria-current', 'page')
    expect(await placeholders()).toBe(0)
  }
})
