import { expect, test } from '@playwright/test'

const SPAN_COUNT = 20_000

test('a generated 20,000-span trace loads with progress and scrolls smoothly', async ({ page }, testInfo) => {
  test.setTimeout(60_000)
  await page.goto('/')
  await expect(page.getByTestId('sample-zipkin-kafka')).toBeVisible()

  // Build an OTLP JSON trace in the page: a 4-ary tree over 8 services, and drop it.
  const dataTransfer = await page.evaluateHandle((spanCount) => {
    const traceId = '5f1a2b3c4d5e6f708192a3b4c5d6e7f8'
    const hex = (n: number) => n.toString(16).padStart(16, '0')
    const startNs = 1_700_000_000_000_000_000n
    const byService: unknown[][] = Array.from({ length: 8 }, () => [])
    for (let i = 0; i < spanCount; i++) {
      const parent = i === 0 ? undefined : Math.floor((i - 1) / 4)
      const begin = startNs + BigInt(i) * 1_000n
      byService[i % 8]?.push({
        traceId,
        spanId: hex(i + 1),
        ...(parent === undefined ? {} : { parentSpanId: hex(parent + 1) }),
        name: `operation-${i % 97}`,
        kind: 1 + (i % 5),
        startTimeUnixNano: String(begin),
        endTimeUnixNano: String(begin + BigInt(spanCount - i) * 1_000n),
        status: { code: i % 1000 === 7 ? 2 : 0 },
        attributes: [{ key: 'index', value: { intValue: String(i) } }],
      })
    }
    const document = {
      resourceSpans: byService.map((spans, s) => ({
        resource: { attributes: [{ key: 'service.name', value: { stringValue: `service-${s}` } }] },
        scopeSpans: [{ scope: { name: 'generator' }, spans }],
      })),
    }
    const transfer = new DataTransfer()
    transfer.items.add(new File([JSON.stringify(document)], 'generated-20k.json', { type: 'application/json' }))
    return transfer
  }, SPAN_COUNT)
  // Record whether the progress bar was ever seen running (the import may finish quickly).
  await page.evaluate(() => {
    const flags = window as unknown as { sawRunning?: boolean; longTasksMs?: number[] }
    flags.longTasksMs = []
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) flags.longTasksMs?.push(Math.round(entry.duration))
    }).observe({ type: 'longtask' })
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="progress"][data-state="running"]')) flags.sawRunning = true
    }).observe(document.body, { subtree: true, childList: true, attributes: true })
  })

  const zone = page.getByTestId('drop-zone')
  await zone.dispatchEvent('dragover', { dataTransfer })
  await zone.dispatchEvent('drop', { dataTransfer })

  await expect(page.getByTestId('progress')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  expect(await page.evaluate(() => (window as unknown as { sawRunning?: boolean }).sawRunning)).toBe(true)
  // For the person reading the report: the page's long tasks (> 50 ms) from the drop to the end of the import.
  const longTasksMs = await page.evaluate(() => (window as unknown as { longTasksMs?: number[] }).longTasksMs ?? [])
  testInfo.annotations.push({ type: 'long tasks (ms)', description: longTasksMs.join(', ') || 'none' })
  console.log(`long tasks during import (ms): ${longTasksMs.join(', ') || 'none'}`)
  await expect(page.getByTestId('file-status')).toContainText('20,000 spans')
  const row = page.getByTestId('trace-row')
  await expect(row).toContainText('20,000')
  await page.screenshot({ path: testInfo.outputPath('large-home.png') })

  await row.click()
  const tree = page.getByTestId('waterfall')
  await expect(tree).toHaveAttribute('data-ready', 'true')
  await expect(page.getByTestId('trace-header')).toContainText('20,000')
  // Virtualized: only the rows on screen (plus overscan) exist.
  expect(await page.getByTestId('span-row').count()).toBeLessThan(150)

  await tree.evaluate((element) => element.scrollTo({ top: element.scrollHeight }))
  await expect(page.locator(`[data-testid="span-row"][data-span-index="${SPAN_COUNT - 1}"]`)).toBeVisible()
  await tree.evaluate((element) => element.scrollTo({ top: element.scrollHeight / 2 }))
  await expect(page.getByTestId('span-row').first()).toBeVisible()
  expect(await page.getByTestId('span-row').count()).toBeLessThan(150)
  await page.screenshot({ path: testInfo.outputPath('large-tree.png') })

  // The span details (attributes, events, links) follow the painted trace: a span selected now
  // shows them once they are in, and the selection survives their arrival.
  await tree.evaluate((element) => element.scrollTo({ top: 0 }))
  // Depth-first, children by start: row 2 is span 6, the first child of span 2.
  await page.locator('[data-testid="span-row"][data-span-index="2"]').click()
  const detail = page.getByTestId('span-detail')
  await expect(detail).toHaveAttribute('data-span-id', '0000000000000006')
  await expect(detail.getByText('index', { exact: true })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('span-detail-loading')).toHaveCount(0)
  await expect(tree).toHaveAttribute('data-details', 'true')
  await expect(page).toHaveURL(/span=0000000000000006/)
  await page.screenshot({ path: testInfo.outputPath('large-detail.png') })
  // Export waits for the details: it would drop every attribute without them.
  await expect(page.getByTestId('export-menu-button')).toBeEnabled()

  // A trace over 10,000 spans is searched in slices between frames; the answer is the same.
  const expectedIds = Array.from({ length: SPAN_COUNT }, (_, i) => i)
    .filter((i) => i % 97 === 5)
    .map((i) => (i + 1).toString(16).padStart(16, '0'))
  const search = page.getByTestId('search-input')
  await search.fill('name=operation-5')
  await search.press('Enter')
  const count = page.getByTestId('search-count')
  // "k / n" while the selected span is a match (span 6 is one), else "n".
  await expect(count).toHaveText(new RegExp(`(^|/ )${expectedIds.length}$`))
  await expect(count).not.toHaveAttribute('data-searching', 'true')
  // Enter went to the next match after the selected span once the search ended; so does ↓.
  await expect(detail).not.toHaveAttribute('data-span-id', '0000000000000006')
  const afterEnter = await detail.getAttribute('data-span-id')
  expect(expectedIds).toContain(afterEnter)
  await page.getByTestId('search-next').click()
  await expect(detail).not.toHaveAttribute('data-span-id', afterEnter ?? '')
  expect(expectedIds).toContain(await detail.getAttribute('data-span-id'))
  // An attribute (a span detail) matches once: `index` is unique.
  await search.fill('index=12345')
  await search.press('Enter')
  await expect(count).toHaveText(/^(1 \/ )?1$/)
  await search.fill('')
  await search.press('Enter')

  // Collapsing the root hides 19,999 rows at once (the search scrolled to a match: back to the top first).
  await tree.evaluate((element) => element.scrollTo({ top: 0 }))
  await page.locator('[data-testid="span-row"][data-span-index="0"]').getByRole('button', { name: 'Collapse' }).click()
  await expect(page.getByTestId('span-row')).toHaveCount(1)
})

test('a deep link to a span of a large trace selects it before and after the span details arrive', async ({ page }) => {
  test.setTimeout(60_000)
  await page.goto('/')
  await expect(page.getByTestId('sample-zipkin-kafka')).toBeVisible()
  // 2,000 spans in a chain-and-fan tree: more than the worker sends with the trace itself.
  const traceId = await page.evaluate(async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c'
    const hex = (n: number) => n.toString(16).padStart(16, '0')
    const spans = Array.from({ length: 2_000 }, (_, i) => ({
      traceId,
      spanId: hex(i + 1),
      ...(i === 0 ? {} : { parentSpanId: hex(Math.floor((i - 1) / 3) + 1) }),
      name: `op-${i % 13}`,
      kind: 2,
      startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n),
      endTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(i) * 1000n + 500_000n),
      attributes: [{ key: 'http.route', value: { stringValue: `/route/${i}` } }],
    }))
    const otlp = { resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'shop' } }] }, scopeSpans: [{ spans }] }] }
    const transfer = new DataTransfer()
    transfer.items.add(new File([JSON.stringify(otlp)], 'deep-link.json', { type: 'application/json' }))
    const zone = document.querySelector('[data-testid="drop-zone"]') as HTMLElement
    for (const type of ['dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }))
    return traceId
  })
  await expect(page.getByTestId('trace-row')).toBeVisible()
  await page.goto(`/?trace=${traceId}&span=00000000000005dc&q=${encodeURIComponent('http.route=/route/1499')}`)
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  const detail = page.getByTestId('span-detail')
  await expect(detail).toHaveAttribute('data-span-id', '00000000000005dc')
  await expect(detail).toContainText('/route/1499', { timeout: 30_000 })
  await expect(page).toHaveURL(/span=00000000000005dc/)
  // The attribute search matched once the details were in.
  await expect(page.getByTestId('search-count')).toContainText('1')
})

test('a Zipkin file of several megabytes, read in pieces with the tags skimmed, keeps every status and tag', async ({ page }, testInfo) => {
  test.setTimeout(60_000)
  await page.goto('/')
  await expect(page.getByTestId('sample-zipkin-kafka')).toBeVisible()
  // 6,000 spans of 12 tags each, about 4 MB: the pieces after the first are skimmed. Every 100th
  // span fails by an `error` tag, and another by `otel.status_code`; one has an unreadable
  // annotation, so it is read whole at import, its tags from the piece's own text.
  const traceId = await page.evaluate(() => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const hex = (n: number) => n.toString(16).padStart(16, '0')
    const spans = Array.from({ length: 6_000 }, (_, i) => {
      const tags: Record<string, string> = {}
      for (let k = 0; k < 12; k++) tags[`app.attribute.${k}`] = `value ${i} "quoted" ${k}`
      if (i % 100 === 50) tags.error = 'boom'
      if (i % 100 === 70) tags['otel.status_code'] = 'ERROR'
      return {
        traceId,
        id: hex(i + 1),
        ...(i === 0 ? {} : { parentId: hex(Math.floor((i - 1) / 4) + 1) }),
        kind: 'SERVER',
        name: `op-${i % 17}`,
        timestamp: 1_700_000_000_000_000 + i,
        duration: 6_000 - i,
        localEndpoint: { serviceName: `svc-${i % 5}` },
        tags,
        ...(i === 4_321 ? { annotations: [{ timestamp: 1_700_000_000_000_000 + i, value: null }] } : {}),
      }
    })
    const transfer = new DataTransfer()
    transfer.items.add(new File([JSON.stringify(spans)], 'zipkin-6000.json', { type: 'application/json' }))
    const zone = document.querySelector('[data-testid="drop-zone"]') as HTMLElement
    for (const type of ['dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }))
    return traceId
  })
  await expect(page.getByTestId('trace-row')).toContainText('6,000')
  await page.goto(`/?trace=${traceId}&span=00000000000010e2`)
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  await expect(page.getByTestId('error-count')).toHaveText('120')
  // Span 4,321 (id 0x10e2): its tags, and the warning about its annotation.
  const detail = page.getByTestId('span-detail')
  await expect(detail).toHaveAttribute('data-span-id', '00000000000010e2')
  await expect(detail).toContainText('value 4321 "quoted" 11', { timeout: 30_000 })
  await expect(detail).toContainText('annotation(s) without a value or timestamp dropped')
  await page.screenshot({ path: testInfo.outputPath('zipkin-skimmed-detail.png') })
  // Span 5,050 failed by its `error` tag, which stays an attribute; span 5,070's status tag became its status.
  await page.goto(`/?trace=${traceId}&span=00000000000013bb`)
  await expect(detail).toContainText('boom', { timeout: 30_000 })
  await expect(detail).toContainText('value 5050 "quoted" 0')
  await page.goto(`/?trace=${traceId}&span=00000000000013cf`)
  await expect(detail).toContainText('value 5070 "quoted" 0', { timeout: 30_000 })
  await expect(detail).toContainText(/Status\s*error/)
  await expect(detail).not.toContainText('otel.status_code')
  await page.screenshot({ path: testInfo.outputPath('zipkin-skimmed-status.png') })
})
