import { expect, test } from '@playwright/test'
import type { Locator, Page } from '@playwright/test'
import { dropFiles, readFixture } from './helpers.ts'

/** Opens a bundled sample and waits until the waterfall is painted. */
async function openSample(page: Page, sample: string): Promise<void> {
  await page.goto('/')
  await page.getByTestId(`sample-${sample}`).click()
  await expectPainted(page)
}

async function expectPainted(page: Page): Promise<void> {
  await expect(page.getByTestId('trace-header')).toBeVisible()
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
}

async function rowCount(page: Page): Promise<number> {
  return Number(await page.getByTestId('waterfall').getAttribute('data-row-count'))
}

function selectedRow(page: Page): Locator {
  return page.locator('[data-testid="span-row"][aria-selected="true"]')
}

async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  const isDark = await page.evaluate(() => document.documentElement.classList.contains('dark'))
  if (isDark !== (theme === 'dark')) await page.getByTestId('theme-toggle').click()
}

test('a real trace: tree, bars, legend, minimap and ruler, in light and dark', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await expect(page.getByTestId('view-tab-waterfall')).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('waterfall-canvas')).toBeVisible()
  await expect(page.getByTestId('minimap')).toHaveAttribute('data-window', 'all')
  await expect(page.getByTestId('ruler')).toContainText('100 ms')
  await expect(page.getByTestId('service-legend')).toBeVisible()
  for (const service of ['frontend', 'redis-manual', 'driver', 'route', 'customer', 'mysql']) {
    await expect(page.getByTestId(`service-chip-${service}`)).toBeVisible()
  }
  await expect(page.getByTestId('service-chip-redis-manual')).toContainText('14')
  await expect(page.getByTestId('root-service')).toHaveText('frontend')
  await expect(page.getByTestId('root-operation')).toHaveText('GET /dispatch')
  await expect(page.getByTestId('error-count')).toHaveText('3')
  expect(await rowCount(page)).toBe(40)
  // The canvas has ink: some pixels are not blank.
  const inked = await page.getByTestId('waterfall-canvas').evaluate((element) => {
    const canvas = element as HTMLCanvasElement
    const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray()
    let count = 0
    for (let i = 3; i < data.length; i += 4) if ((data[i] as number) > 0) count++
    return count
  })
  expect(inked).toBeGreaterThan(1000)
  await setTheme(page, 'light')
  await page.screenshot({ path: testInfo.outputPath('hotrod-light.png') })
  await setTheme(page, 'dark')
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  await page.getByTestId('span-row').nth(7).click()
  await expect(page.getByTestId('span-details')).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('hotrod-dark-selected.png') })
  await setTheme(page, 'light')
})

test('collapse one span, a subtree, by level and all', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  const rows = page.getByTestId('span-row')
  // Row 4 is the driver call (FindNearest): 15 spans under it.
  const findNearest = rows.nth(4)
  await expect(findNearest).toContainText('driver.DriverService/FindNearest')
  await findNearest.getByRole('button', { name: 'Collapse' }).click()
  expect(await rowCount(page)).toBe(40 - 15)
  await expect(findNearest.getByTestId('hidden-descendants')).toHaveText('+15')
  // Its hidden spans include errors: the badge says so.
  await expect(findNearest.getByTestId('hidden-descendants').getByLabel(/errors hidden/)).toBeVisible()
  await page.screenshot({ path: testInfo.outputPath('collapsed-with-errors.png') })
  await findNearest.getByRole('button', { name: 'Expand' }).click()
  expect(await rowCount(page)).toBe(40)

  // Alt+click collapses the whole subtree: expanding it again shows one level.
  await findNearest.getByRole('button', { name: 'Collapse' }).click({ modifiers: ['Alt'] })
  expect(await rowCount(page)).toBe(25)
  await findNearest.getByRole('button', { name: 'Expand' }).click()
  expect(await rowCount(page)).toBe(26)
  await expect(rows.nth(5)).toHaveAttribute('aria-expanded', 'false')

  await page.getByTestId('level-1').click()
  expect(await rowCount(page)).toBe(1)
  await page.getByTestId('level-2').click()
  expect(await rowCount(page)).toBeGreaterThan(1)
  await expect(rows.nth(1)).toHaveAttribute('aria-level', '2')
  await page.getByTestId('collapse-all').click()
  expect(await rowCount(page)).toBe(1)
  await page.getByTestId('expand-all').click()
  expect(await rowCount(page)).toBe(40)
})

test('search: count, next and previous, highlight, only matches', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  const input = page.getByTestId('search-input')
  const count = page.getByTestId('search-count')
  // 13 GetDriver spans, and the driver's server span, which logs "GetDriver" in an event.
  await input.fill('GetDriver')
  await expect(count).toHaveText('14')
  await expect(page.locator('[data-testid="span-row"][data-match="true"]').first()).toBeVisible()
  await input.press('Enter')
  await expect(count).toHaveText('1 / 14')
  await expect(selectedRow(page)).toContainText('driver.DriverService/FindNearest')
  await page.getByTestId('search-next').click()
  await expect(count).toHaveText('2 / 14')
  await expect(selectedRow(page)).toContainText('GetDriver')
  await input.press('Shift+Enter')
  await expect(count).toHaveText('1 / 14')
  await page.getByTestId('search-prev').click()
  await expect(count).toHaveText('14 / 14')

  await page.getByTestId('only-matches').click()
  // 14 matches plus their ancestors: the root and the frontend call.
  expect(await rowCount(page)).toBe(16)
  await page.screenshot({ path: testInfo.outputPath('search-only-matches.png') })
  await page.getByTestId('only-matches').click()
  expect(await rowCount(page)).toBe(40)

  // key=value on attributes, resource attributes and span fields.
  await input.fill('status=error')
  await expect(count).toHaveText('3')
  await input.fill('service.name=route')
  await expect(count).toHaveText('10')
  await input.fill('no-such-span')
  await expect(count).toHaveText('no match')
  await input.press('Escape')
  await expect(input).toHaveValue('')
})

test('the keyboard moves, collapses, opens details, searches and explains itself', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  const tree = page.getByTestId('waterfall')
  await tree.focus()
  await page.keyboard.press('j')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '0')
  await page.keyboard.press('j')
  await page.keyboard.press('ArrowDown')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '2')
  await page.keyboard.press('k')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '1')
  // Left on an expanded span collapses it, right expands it again.
  await page.keyboard.press('ArrowLeft')
  expect(await rowCount(page)).toBe(38)
  await page.keyboard.press('ArrowRight')
  expect(await rowCount(page)).toBe(40)
  // Right on an expanded span enters it; left on a leaf goes to its parent.
  await page.keyboard.press('ArrowRight')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '2')
  await page.keyboard.press('End')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '39')
  await page.keyboard.press('Home')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '0')
  await page.keyboard.press('Shift+ArrowLeft')
  expect(await rowCount(page)).toBe(1)
  await page.keyboard.press('Shift+ArrowRight')
  expect(await rowCount(page)).toBe(40)

  await page.keyboard.press('Enter')
  await expect(page.getByTestId('span-details')).toBeFocused()
  await expect(page.getByTestId('span-details')).toContainText('GET /dispatch')

  await page.keyboard.press('/')
  await expect(page.getByTestId('search-input')).toBeFocused()
  await page.keyboard.type('mysql')
  await expect(page.getByTestId('search-count')).toHaveText('1')
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('search-input')).toHaveValue('')

  await tree.focus()
  await page.keyboard.press('?')
  await expect(page.getByTestId('shortcut-help')).toBeVisible()
  await expect(page.getByTestId('shortcut-help')).toContainText('Next / previous span')
  await page.screenshot({ path: testInfo.outputPath('shortcut-help.png') })
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('shortcut-help')).toBeHidden()
  // Esc clears the selection, which closes the details.
  await tree.focus()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('span-details')).toBeHidden()
  expect(new URL(page.url()).searchParams.get('span')).toBeNull()
})

test('services hide and show from the legend; hidden subtrees are summarised', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await page.getByTestId('service-chip-redis-manual').click()
  await expect(page.getByTestId('service-chip-redis-manual')).toHaveAttribute('aria-pressed', 'false')
  const hidden = page.getByTestId('hidden-row')
  await expect(hidden).toHaveCount(1)
  await expect(hidden).toContainText('14 spans hidden in redis-manual')
  await expect(hidden).toContainText('3 errors')
  expect(await rowCount(page)).toBe(40 - 14 + 1)
  await expect.poll(() => new URL(page.url()).searchParams.get('hide')).toBe('redis-manual')
  // Hiding the driver service hides its redis calls with it.
  await page.getByTestId('service-chip-driver').click()
  await expect(hidden).toContainText('15 spans hidden in redis-manual, driver')
  await page.screenshot({ path: testInfo.outputPath('services-hidden.png') })
  await hidden.getByRole('button', { name: 'show' }).click()
  expect(await rowCount(page)).toBe(40)
  // Shift+click shows one service alone.
  await page.getByTestId('service-chip-frontend').click({ modifiers: ['Shift'] })
  await expect(page.getByTestId('service-chip-route')).toHaveAttribute('aria-pressed', 'false')
  await page.getByTestId('service-show-all').click()
  expect(await rowCount(page)).toBe(40)
})

test('critical path strips and "critical only"', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  const strips = page.getByTestId('critical-path-toggle')
  await expect(strips).toHaveAttribute('aria-pressed', /true|false/)
  if ((await strips.getAttribute('aria-pressed')) === 'false') await strips.click()
  await page.getByTestId('critical-only-toggle').click()
  await expect(page.getByTestId('critical-only-toggle')).toHaveAttribute('aria-pressed', 'true')
  await expect.poll(() => rowCount(page)).toBeLessThan(40)
  await expect(page.getByTestId('span-row').first()).toContainText('GET /dispatch')
  await page.screenshot({ path: testInfo.outputPath('critical-only.png') })
  await page.getByTestId('critical-only-toggle').click()
  expect(await rowCount(page)).toBe(40)
  // A collapsed span says how much of its subtree is on the critical path (drawn on the canvas), and c toggles the strips.
  await page.getByTestId('waterfall').focus()
  await page.keyboard.press('c')
  await expect(strips).toHaveAttribute('aria-pressed', 'false')
  await page.keyboard.press('c')
  await expect(strips).toHaveAttribute('aria-pressed', 'true')
})

test('first paint: the rows are drawn before the critical path is computed, and the ruler never holds more ticks than fit', async ({ page }) => {
  // From the first DOM node on: when data-ready turns true, and the most ruler ticks ever in the DOM.
  await page.addInitScript(() => {
    const seen = { readyAt: undefined as number | undefined, maxTicks: 0 }
    Object.assign(window, { firstPaint: seen })
    new MutationObserver(() => {
      const ruler = document.querySelector('[data-testid="ruler"]')
      if (ruler) seen.maxTicks = Math.max(seen.maxTicks, ruler.children.length)
      if (seen.readyAt === undefined && document.querySelector('[data-testid="waterfall"][data-ready="true"]')) seen.readyAt = performance.now()
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] })
  })
  await openSample(page, 'jaeger-hotrod')
  const strips = page.getByTestId('critical-path-toggle')
  await expect(strips).toHaveAttribute('aria-pressed', 'true')
  const measureStart = () => page.evaluate(() => performance.getEntriesByName('spanglass:critical-path', 'measure').map((entry) => entry.startTime))
  await expect.poll(async () => (await measureStart()).length).toBe(1)
  const { readyAt, maxTicks } = await page.evaluate(() => (window as unknown as { firstPaint: { readyAt: number; maxTicks: number } }).firstPaint)
  expect((await measureStart())[0]).toBeGreaterThan(readyAt)
  // 703 ms over the timeline's width, labels at least 90 px apart: a handful, never a thousand 1 ns ticks.
  expect(maxTicks).toBeGreaterThan(2)
  expect(maxTicks).toBeLessThanOrEqual(20)

  // Back from another view, the path computed before is used: not computed again.
  await page.getByTestId('view-tab-statistics').click()
  await page.getByTestId('view-tab-waterfall').click()
  await expectPainted(page)
  expect(await measureStart()).toHaveLength(1)
})

test('zoom: minimap drag, handles, ctrl+wheel, keys, ruler ticks and reset', async ({ page }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  const minimap = page.getByTestId('minimap')
  const ruler = page.getByTestId('ruler')
  const wholeStep = Number(await ruler.getAttribute('data-step-ns'))
  const box = await minimap.boundingBox()
  if (!box) throw new Error('no minimap')
  const y = box.y + box.height / 2
  await page.mouse.move(box.x + box.width * 0.4, y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 4 })
  await page.mouse.move(box.x + box.width * 0.6, y, { steps: 4 })
  await page.mouse.up()
  await expect(minimap).not.toHaveAttribute('data-window', 'all')
  const [start, end] = ((await minimap.getAttribute('data-window')) ?? '').split('-').map(Number)
  const traceNs = 703e6
  expect((start as number) / traceNs).toBeCloseTo(0.4, 1)
  expect((end as number) / traceNs).toBeCloseTo(0.6, 1)
  // The ruler adapts: a fifth of the trace needs a finer step.
  expect(Number(await ruler.getAttribute('data-step-ns'))).toBeLessThan(wholeStep)
  await expect(page.getByTestId('zoom-window')).toContainText('of 703 ms')
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).not.toBeNull()
  await page.screenshot({ path: testInfo.outputPath('zoomed-minimap.png') })

  // Dragging the window pans it: its width stays.
  const x0 = box.x + box.width * 0.5
  await page.mouse.move(x0, y)
  await page.mouse.down()
  await page.mouse.move(x0 + box.width * 0.1, y, { steps: 5 })
  await page.mouse.up()
  const [panStart, panEnd] = ((await minimap.getAttribute('data-window')) ?? '').split('-').map(Number)
  expect((panStart as number) / traceNs).toBeCloseTo(0.5, 1)
  expect(((panEnd as number) - (panStart as number)) / ((end as number) - (start as number))).toBeCloseTo(1, 2)

  // The right handle resizes.
  const handleX = box.x + (box.width * (panEnd as number)) / traceNs
  await page.mouse.move(handleX - 1, y)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.9, y, { steps: 5 })
  await page.mouse.up()
  const [, resizedEnd] = ((await minimap.getAttribute('data-window')) ?? '').split('-').map(Number)
  expect((resizedEnd as number) / traceNs).toBeCloseTo(0.9, 1)

  // Keys: 0 resets, + zooms in, - zooms out.
  await page.getByTestId('waterfall').focus()
  await page.keyboard.press('0')
  await expect(minimap).toHaveAttribute('data-window', 'all')
  await page.keyboard.press('+')
  await expect(minimap).not.toHaveAttribute('data-window', 'all')
  await page.keyboard.press('-')
  await expect(minimap).toHaveAttribute('data-window', 'all')

  // Ctrl+wheel over the timeline zooms around the pointer.
  const canvasBox = await page.getByTestId('waterfall-canvas').boundingBox()
  if (!canvasBox) throw new Error('no canvas')
  await page.mouse.move(canvasBox.x + canvasBox.width * 0.25, canvasBox.y + 100)
  await page.keyboard.down('Control')
  await page.mouse.wheel(0, -400)
  await page.keyboard.up('Control')
  await expect(minimap).not.toHaveAttribute('data-window', 'all')
  await page.getByTestId('zoom-reset').click()
  await expect(minimap).toHaveAttribute('data-window', 'all')

  // Double-clicking a bar zooms to its span.
  const row = page.getByTestId('span-row').nth(3)
  const rowBox = await row.boundingBox()
  if (!rowBox) throw new Error('no row')
  await page.mouse.dblclick(canvasBox.x + canvasBox.width * 0.2, rowBox.y + rowBox.height / 2)
  await expect(minimap).not.toHaveAttribute('data-window', 'all')
  await expect(page.getByTestId('zoom-window')).toContainText('of 703 ms')
  await page.screenshot({ path: testInfo.outputPath('zoomed-to-span.png') })
})

test('a deep link restores the selected span, search, zoom window and collapsed spans after a reload', async ({ page, browser }, testInfo) => {
  await openSample(page, 'jaeger-hotrod')
  await page.getByTestId('search-input').fill('GetDriver')
  await page.getByTestId('search-input').press('Enter')
  await page.getByTestId('search-next').click()
  await expect(page.getByTestId('search-count')).toHaveText('2 / 14')
  const selectedIndex = await selectedRow(page).getAttribute('data-span-index')
  // Collapse the customer call (row 2) and zoom with the keyboard.
  await page.getByTestId('span-row').nth(2).getByRole('button', { name: 'Collapse' }).click()
  await page.getByTestId('waterfall').focus()
  await page.keyboard.press('+')
  const window = await page.getByTestId('minimap').getAttribute('data-window')
  expect(window).not.toBe('all')
  await expect.poll(() => new URL(page.url()).searchParams.get('collapsed')).not.toBeNull()
  await expect.poll(() => new URL(page.url()).searchParams.get('from')).not.toBeNull()
  const url = new URL(page.url())
  expect(url.searchParams.get('q')).toBe('GetDriver')
  expect(url.searchParams.get('span')).toMatch(/^[0-9a-f]{16}$/)

  await page.reload()
  await expectPainted(page)
  await expect(page.getByTestId('search-input')).toHaveValue('GetDriver')
  await expect(page.getByTestId('search-count')).toHaveText('2 / 14')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', selectedIndex ?? '')
  await expect(page.getByTestId('minimap')).toHaveAttribute('data-window', window ?? '')
  expect(await rowCount(page)).toBe(39)
  await expect(page.getByTestId('span-details')).toContainText(url.searchParams.get('span') ?? '')

  // A fresh browser (no saved files) gets the same picture through ?url=.
  const context = await browser.newContext()
  const other = await context.newPage()
  await other.goto(url.href)
  await expectPainted(other)
  await expect(other.getByTestId('search-count')).toHaveText('2 / 14')
  await expect(other.getByTestId('minimap')).toHaveAttribute('data-window', window ?? '')
  await other.screenshot({ path: testInfo.outputPath('deep-link-restored.png') })
  await context.close()

  // Hand-written links: the window as fractions of the trace, "only matches".
  const handWritten = new URL(url.href)
  handWritten.searchParams.set('from', '0.25')
  handWritten.searchParams.set('to', '0.5')
  handWritten.searchParams.set('only', 'matches')
  handWritten.searchParams.delete('collapsed')
  await page.goto(handWritten.href)
  await expectPainted(page)
  await expect(page.getByTestId('zoom-window')).toHaveText(/^176 ms – 35[12] ms of 703 ms$/)
  await expect(page.getByTestId('only-matches')).toHaveAttribute('aria-pressed', 'true')
  expect(await rowCount(page)).toBe(16)
})

test.describe('in New York', () => {
  test.use({ timezoneId: 'America/New_York' })

  test('header: copy the trace id, local or UTC start (remembered), warnings that jump to their spans', async ({ page, context }, testInfo) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'])
    await openSample(page, 'zipkin-kafka')
    const traceId = (await page.getByTestId('trace-id').textContent()) ?? ''
    await page.getByTestId('copy-trace-id').click()
    await expect(page.getByTestId('copy-trace-id')).toHaveAttribute('data-state', 'copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(traceId)

    // The page runs in New York (see test.use below): local and UTC differ by hours.
    const start = page.getByTestId('trace-start')
    const toggle = page.getByTestId('time-mode-toggle')
    if ((await toggle.getAttribute('data-mode')) === 'utc') await toggle.click()
    await expect(start).toHaveText('2018-11-05 03:09:57.200')
    await toggle.click()
    await expect(toggle).toHaveAttribute('data-mode', 'utc')
    await expect(start).toHaveText('2018-11-05 08:09:57.200 UTC')
    await page.reload()
    await expectPainted(page)
    await expect(page.getByTestId('trace-start')).toContainText('UTC')

    await page.getByTestId('warnings-button').click()
    const list = page.getByTestId('warnings-list')
    await expect(list).toBeVisible()
    const item = list.getByTestId('warning-item').first()
    await expect(item).toContainText('23 spans')
    await page.screenshot({ path: testInfo.outputPath('warnings-list.png') })
    await item.getByTestId('warning-next').click()
    await expect(item).toContainText('span 1 of 23')
    await expect(page.getByTestId('span-details')).toBeVisible()
    await expect.poll(() => new URL(page.url()).searchParams.get('span')).not.toBeNull()
    const first = new URL(page.url()).searchParams.get('span')
    await item.getByTestId('warning-next').click()
    await expect(item).toContainText('span 2 of 23')
    await expect.poll(() => new URL(page.url()).searchParams.get('span')).not.toBe(first)
    await expect(selectedRow(page)).toBeVisible()
    await item.getByTestId('warning-prev').click()
    await expect(item).toContainText('span 1 of 23')
    await expect.poll(() => new URL(page.url()).searchParams.get('span')).toBe(first)
    await toggle.click()
  })
})

test('clock skew: the toggle moves server spans into their clients and back, keeping the selection', async ({ page }, testInfo) => {
  await page.goto('/')
  await dropFiles(page, [{ name: 'smartthings.json', text: readFixture('zipkin/smartthings-oauth-authorization.json') }])
  await page.getByTestId('trace-row').first().click()
  await expectPainted(page)
  expect(await rowCount(page)).toBe(175)
  await page.getByTestId('span-row').nth(3).click()
  const spanId = new URL(page.url()).searchParams.get('span')
  await page.getByTestId('skew-toggle').click()
  await expect(page.getByTestId('skew-toggle')).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByTestId('skew-count')).toHaveText('(5 spans moved)')
  await expect.poll(() => new URL(page.url()).searchParams.get('skew')).toBe('1')
  await expect(page.getByTestId('waterfall')).toHaveAttribute('data-ready', 'true')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '3')
  expect(new URL(page.url()).searchParams.get('span')).toBe(spanId)
  await page.screenshot({ path: testInfo.outputPath('skew-adjusted.png') })
  await page.getByTestId('skew-toggle').click()
  await expect(page.getByTestId('skew-toggle')).toHaveAttribute('aria-pressed', 'false')
  await expect(selectedRow(page)).toHaveAttribute('data-span-index', '3')
})
