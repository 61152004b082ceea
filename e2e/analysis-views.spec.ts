import { expect, test } from '@playwright/test'
import type { Page } from '@playwright/test'
import { waitForChunk, watchLoadingPlaceholders } from './helpers.ts'

/** Opens a bundled sample and waits for the trace page. */
async function openSample(page: Page, sample: string): Promise<void> {
  await page.goto('/')
  await page.getByTestId(`sample-${sample}`).click()
  await expect(page.getByTestId('trace-header')).toBeVisible()
}

async function openTab(page: Page, id: string): Promise<void> {
  await page.getByTestId(`view-tab-${id}`).click()
  await expect(page.getByTestId(`view-tab-${id}`)).toHaveAttribute('aria-selected', 'true')
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const toggle = page.getByTestId('theme-toggle')
  if ((await toggle.getAttribute('data-theme')) !== theme) await toggle.click()
  await expect(toggle).toHaveAttribute('data-theme', theme)
}

/** Screenshots of the current view in both themes (a person looks at them). */
async function screenshotBothThemes(page: Page, name: string, outputPath: (name: string) => string): Promise<void> {
  for (const theme of ['light', 'dark'] as const) {
    await setTheme(page, theme)
    // Canvas views repaint on the next frame.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    await page.screenshot({ path: outputPath(`${name}-${theme}.png`) })
  }
  await setTheme(page, 'light')
}

/** A point inside the flame graph's canvas, in page coordinates: `row` 0 is the root row. */
async function flamePoint(page: Page, xFraction: number, row: number): Promise<{ x: number; y: number }> {
  const box = await page.getByTestId('flamegraph-canvas').boundingBox()
  if (!box) throw new Error('no flame graph canvas')
  // Rows are 18 px under a 22 px time axis (renderer.ts).
  return { x: box.x + box.width * xFraction, y: box.y + 22 + row * 18 + 9 }
}

test('flame graph: time and merged layouts, tooltip, search, zoom, and a click selects the span everywhere', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await openTab(page, 'flamegraph')
  const flame = page.getByTestId('flamegraph')
  await expect(flame).toHaveAttribute('data-ready', 'true')
  await expect(flame).toHaveAttribute('data-mode', 'time')
  await screenshotBothThemes(page, 'flamegraph-time', (name) => testInfo.outputPath(name))

  // Hover the root row: the tooltip names the root span with its numbers.
  const root = await flamePoint(page, 0.5, 0)
  await page.mouse.move(root.x, root.y)
  const tooltip = page.getByTestId('flamegraph-tooltip')
  await expect(tooltip).toBeVisible()
  await expect(tooltip).toContainText('Self time')
  await expect(tooltip).toContainText('Share of trace')
  await expect(tooltip).toContainText('100%')
  await page.screenshot({ path: testInfo.outputPath('flamegraph-tooltip.png') })

  // Click a span in the second row: the details panel opens on it and the URL names it.
  const child = await flamePoint(page, 0.3, 1)
  await page.mouse.move(child.x, child.y)
  await expect(tooltip).toBeVisible()
  const hoveredName = (await tooltip.locator('.font-semibold').first().textContent()) ?? ''
  await page.mouse.click(child.x, child.y)
  await expect(page.getByTestId('span-details')).toBeVisible()
  await expect(page.getByTestId('span-details')).toContainText(hoveredName)
  const spanId = new URL(page.url()).searchParams.get('span')
  expect(spanId).toMatch(/^[0-9a-f]{16}$/)

  // The waterfall shows the same span selected.
  await openTab(page, 'waterfall')
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  await expect(page.locator('[data-testid="span-row"][aria-selected="true"]')).toContainText(hoveredName)
  expect(new URL(page.url()).searchParams.get('span')).toBe(spanId)

  // And selecting in the waterfall is shown in the flame graph (outline on the overlay) — the store is shared.
  await page.getByTestId('span-row').nth(2).click()
  const waterfallSpan = new URL(page.url()).searchParams.get('span')
  await openTab(page, 'flamegraph')
  await expect(flame).toHaveAttribute('data-ready', 'true')
  expect(new URL(page.url()).searchParams.get('span')).toBe(waterfallSpan)
  await expect(page.getByTestId('span-details')).toBeVisible()

  // Search highlight. (The details panel is open now: the canvas is narrower, so points are measured again.)
  const rootNow = await flamePoint(page, 0.5, 0)
  const childNow = await flamePoint(page, 0.3, 1)
  await page.getByTestId('flamegraph-search').fill('mysql')
  await expect(page.getByTestId('flamegraph-match-count')).toContainText(/\d+ match/)
  await page.screenshot({ path: testInfo.outputPath('flamegraph-search.png') })
  await page.getByTestId('flamegraph-search').fill('')

  // Zoom with the wheel: the axis shows a shorter span; reset; double-click focuses a span.
  const axisText = async () => page.getByTestId('flamegraph').getAttribute('data-window')
  const fullWindow = await axisText()
  await page.mouse.move(rootNow.x, rootNow.y)
  await page.mouse.wheel(0, -600)
  await expect.poll(axisText).not.toBe(fullWindow)
  await page.getByTestId('flamegraph-reset').click()
  await expect.poll(axisText).toBe(fullWindow)
  await page.mouse.dblclick(childNow.x, childNow.y)
  await expect.poll(axisText).not.toBe(fullWindow)
  await page.screenshot({ path: testInfo.outputPath('flamegraph-focused.png') })
  await page.getByTestId('flamegraph-reset').click()

  // Merged layout, coloured by self time.
  await page.getByTestId('flamegraph-mode').selectOption('merged')
  await expect(flame).toHaveAttribute('data-mode', 'merged')
  await expect(flame).toHaveAttribute('data-ready', 'true')
  await page.getByTestId('flamegraph-color').selectOption('self')
  await page.mouse.move(rootNow.x, rootNow.y)
  await expect(tooltip).toContainText('Spans')
  await page.mouse.move(rootNow.x, rootNow.y + 400)
  await screenshotBothThemes(page, 'flamegraph-merged-self', (name) => testInfo.outputPath(name))
})

test('statistics: group, sort, filter, and a row click filters the waterfall and selects its first span', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await openTab(page, 'statistics')
  const table = page.getByTestId('statistics-table')
  await expect(table).toBeVisible()
  const rows = page.getByTestId('statistics-row')
  expect(await rows.count()).toBeGreaterThan(2)
  await screenshotBothThemes(page, 'statistics-service', (name) => testInfo.outputPath(name))

  // Sorted by total, largest first, by default; a click on Count sorts by count, descending.
  await page.getByTestId('statistics-sort-count').click()
  const counts = await rows.evaluateAll((elements) => elements.map((row) => Number((row.children[1]?.textContent ?? '').replace(/,/g, ''))))
  expect(counts).toEqual([...counts].sort((a, b) => b - a))
  await page.getByTestId('statistics-sort-count').click()
  const ascending = await rows.evaluateAll((elements) => elements.map((row) => Number((row.children[1]?.textContent ?? '').replace(/,/g, ''))))
  expect(ascending).toEqual([...ascending].sort((a, b) => a - b))

  // Group by operation, then by an attribute; filter by text.
  await page.getByTestId('statistics-group-by').selectOption('operation')
  await page.getByTestId('statistics-then-by').selectOption('service')
  await expect(page.locator('[data-testid="statistics-row"][data-level="1"]').first()).toBeVisible()
  await page.getByTestId('statistics-then-by').selectOption('none')
  const total = await rows.count()
  await page.getByTestId('statistics-filter').fill('redis')
  await expect.poll(() => rows.count()).toBeLessThan(total)
  await expect(rows.first()).toContainText(/redis/i)

  // A click filters the waterfall to the group's spans and selects the first.
  await rows.first().click()
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('statistics-active-filter')).toContainText('operation = redis')
  await expect(page.getByTestId('span-details')).toBeVisible()
  await expect(page.getByTestId('span-details')).toContainText(/redis/i)
  await page.screenshot({ path: testInfo.outputPath('statistics-filtered.png') })

  // Attribute keys of the trace are offered as groupings.
  const attributeOptions = await page.getByTestId('statistics-group-by').locator('option[value^="attr:"]').count()
  expect(attributeOptions).toBeGreaterThan(0)
  await page.getByTestId('statistics-filter').fill('')
  await page.getByTestId('statistics-group-by').selectOption({ index: 2 })
  await expect(rows.first()).toBeVisible()

  await page.getByTestId('statistics-clear-filter').click()
  await expect(page.getByTestId('statistics-active-filter')).toHaveCount(0)
})

test('critical path table: time per service and operation; a row click selects its first span', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await openTab(page, 'critical-path')
  const table = page.getByTestId('critical-path-table')
  await expect(table).toBeVisible()
  const serviceRows = page.locator('[data-testid="critical-path-row"][data-group="service"]')
  expect(await serviceRows.count()).toBeGreaterThan(1)
  expect(await page.locator('[data-testid="critical-path-row"][data-group="operation"]').count()).toBeGreaterThan(1)
  await screenshotBothThemes(page, 'critical-path', (name) => testInfo.outputPath(name))
  await serviceRows.first().click()
  await expect(serviceRows.first()).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('span-details')).toBeVisible()
})

test('service map: nodes, edges and legend; a node click highlights its calls and lists its traces', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  const traceId = new URL(page.url()).searchParams.get('trace')
  await openTab(page, 'service-map')
  const map = page.getByTestId('service-map')
  await expect(map).toBeVisible()
  // The readiness hook for harnesses: laid out, drawn and fitted.
  await expect(map).toHaveAttribute('data-ready', 'true')
  const nodes = page.getByTestId('service-map-node')
  expect(await nodes.count()).toBeGreaterThan(3)
  expect(await page.getByTestId('service-map-edge').count()).toBeGreaterThan(2)
  await expect(page.getByTestId('service-map-legend')).toBeVisible()
  // HotROD's inferred peers: MySQL and Redis have no spans of their own in some versions; at least one peer kind shows.
  await screenshotBothThemes(page, 'service-map', (name) => testInfo.outputPath(name))

  // Hovering an edge shows its numbers.
  const edge = page.getByTestId('service-map-edge').first()
  await edge.locator('path').first().hover({ force: true })
  await expect(page.getByTestId('service-map-edge-tooltip')).toContainText('Calls')

  // A node click: its edges highlighted, its traces listed with links.
  const frontend = page.locator('[data-testid="service-map-node"][data-node-id="frontend"]')
  await frontend.click()
  await expect(frontend).toHaveAttribute('data-selected', 'true')
  expect(await page.locator('[data-testid="service-map-edge"][data-highlighted="true"]').count()).toBeGreaterThan(0)
  const traces = page.getByTestId('service-map-traces')
  await expect(traces).toBeVisible()
  await expect(traces.locator('a').first()).toHaveAttribute('href', new RegExp(`trace=${traceId}`))
  await page.screenshot({ path: testInfo.outputPath('service-map-node.png') })

  // Dragging a node moves it.
  const before = await frontend.getAttribute('transform')
  const box = await frontend.boundingBox()
  if (!box) throw new Error('no node box')
  await page.mouse.move(box.x + box.width / 2, box.y + 10)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + 50, { steps: 5 })
  await page.mouse.up()
  expect(await frontend.getAttribute('transform')).not.toBe(before)

  // The force layout is one click away.
  await page.getByTestId('service-map-layout-force').click()
  await expect(map).toHaveAttribute('data-layout', 'force')
  expect(await nodes.count()).toBeGreaterThan(3)
  await page.screenshot({ path: testInfo.outputPath('service-map-force.png') })
})

test('the all-traces service map is linked from the home page and maps every loaded trace', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await page.goto('/')
  await page.getByTestId('sample-jaeger-petclinic').click()
  await expect(page.getByTestId('trace-header')).toBeVisible()
  await page.goto('/')
  await page.getByTestId('service-map-link').click()
  expect(new URL(page.url()).searchParams.get('view')).toBe('service-map')
  await expect(page.getByTestId('service-map')).toContainText('Service map of 2 traces')
  // HotROD's frontend and PetClinic's gateway are on one map.
  await expect(page.locator('[data-testid="service-map-node"][data-node-id="frontend"]')).toBeVisible()
  const gateway = page.locator('[data-testid="service-map-node"][data-node-id="api-gateway"]')
  await expect(gateway).toBeVisible()
  await screenshotBothThemes(page, 'service-map-all', (name) => testInfo.outputPath(name))
  await gateway.click()
  const link = page.getByTestId('service-map-traces').locator('a').first()
  await link.click()
  await expect(page.getByTestId('trace-header')).toContainText('api-gateway')
})

test('the other views load while the trace page is idle: each tab opens without a placeholder', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  // The chunks arrive once the page has gone idle; nothing was pointed at or clicked.
  for (const chunk of ['flamegraph-view', 'statistics-view', 'service-map-view', 'critical-path-view']) await waitForChunk(page, chunk)
  const placeholders = await watchLoadingPlaceholders(page)
  for (const [tab, view] of [
    ['flamegraph', 'flamegraph'],
    ['statistics', 'statistics'],
    ['service-map', 'service-map'],
    ['critical-path', 'critical-path'],
  ] as const) {
    await openTab(page, tab)
    await expect(page.getByTestId(view)).toBeVisible()
  }
  await expect(page.getByTestId('flamegraph')).toHaveCount(0)
  expect(await placeholders()).toBe(0)
  await page.screenshot({ path: testInfo.outputPath('critical-path-after-tabs.png') })
})

test('a link to a view of a trace opens that view on a cold start', async ({ page, browser }) => {
  await openSample(page, 'jaeger-hotrod')
  await openTab(page, 'flamegraph')
  await expect(page.getByTestId('flamegraph')).toHaveAttribute('data-ready', 'true')
  const link = page.url()
  expect(new URL(link).searchParams.get('view')).toBe('flamegraph')
  // A new context: nothing cached, nothing restored; the trace comes back through its ?url=.
  const context = await browser.newContext()
  // The view's code arrives late, so that the view first renders through its placeholder.
  await context.route(/flamegraph-view[^/]*\.(js|tsx)/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await route.continue()
  })
  const other = await context.newPage()
  await other.goto(link)
  await expect(other.getByTestId('view-loading')).toBeVisible()
  await expect(other.getByTestId('flamegraph')).toHaveAttribute('data-ready', 'true')
  await expect(other.getByTestId('view-tab-flamegraph')).toHaveAttribute('aria-selected', 'true')
  // The view keeps its own state when the page around it renders again (a span is selected),
  // now that its code is in: it is not remounted as the loaded component.
  await other.getByTestId('flamegraph-mode').selectOption('merged')
  await expect(other.getByTestId('flamegraph')).toHaveAttribute('data-mode', 'merged')
  const root = await flamePoint(other, 0.5, 0)
  await other.mouse.click(root.x, root.y)
  await expect(other.getByTestId('span-details')).toBeVisible()
  await expect(other.getByTestId('flamegraph')).toHaveAttribute('data-mode', 'merged')
  await context.close()
})
