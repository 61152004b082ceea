/**
 * The browser part of `npm run bench`: the production build in Debian's Chromium, driven by
 * `bench/run.ts` (inputs and output file through the environment). Every figure is taken inside
 * the page with `performance.now()`; the baseline of every ratio is `JSON.parse` of the same
 * text in the same page. See bench/README.md for what each figure means.
 */
import { createReadStream, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from '@playwright/test'
import type { Browser, BrowserContext, CDPSession, Page } from '@playwright/test'

interface BrowserInput {
  readonly format: string
  readonly spanCount: number
  readonly path: string
  readonly bytes: number
  readonly runs: number
  /** Which ways to open the file. */
  readonly modes: ReadonlyArray<'drop' | 'url'>
}

const inputs: BrowserInput[] = JSON.parse(process.env.SPANGLASS_BENCH_INPUTS ?? '[]') as BrowserInput[]
const outFile = process.env.SPANGLASS_BENCH_OUT
const results: unknown[] = []

/** The JSON.parse of a file over ~512 MB cannot be taken: it cannot be one string. */
const MAX_TEXT_BYTES = 480 * 1024 * 1024
const SCROLL_WHEELS = 40
const SCROLL_DELTA_PX = 300
const ZOOM_WHEELS = 20

let server: Server
let serverUrl = ''

test.beforeAll(async () => {
  // The files, with CORS and a length, for `?url=` and for building dropped File objects.
  server = createServer((request, response) => {
    const index = Number(/^\/f\/(\d+)/.exec(request.url ?? '')?.[1] ?? -1)
    const input = inputs[index]
    if (!input) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': String(statSync(input.path).size),
      'Access-Control-Allow-Origin': '*',
      'Cache-Control': 'no-store',
    })
    createReadStream(input.path, { highWaterMark: 1 << 20 }).pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (outFile) writeFileSync(outFile, JSON.stringify(results, null, 1))
})

/** In every page, before the app: long tasks, and the moment the waterfall is ready and painted. */
function installProbes(): void {
  const bench = {
    longTasks: [] as Array<{ start: number; duration: number }>,
    readyAt: undefined as number | undefined,
    paintedAt: undefined as number | undefined,
    rowAt: undefined as number | undefined,
    /** When `[data-testid=waterfall]` got `data-details="true"`: the span details had all arrived. */
    detailsAt: undefined as number | undefined,
    shouldClickRow: false,
    /** Each message from the import worker: its type, when its handling began, how long it took (deserialization included). */
    messages: [] as Array<{ type: string; at: number; ms: number }>,
  }
  ;(window as unknown as { __bench: typeof bench }).__bench = bench
  // The app sets `worker.onmessage`; time each call of it.
  const NativeWorker = window.Worker
  class TimedWorker extends NativeWorker {
    set onmessage(handler: ((event: MessageEvent) => void) | null) {
      super.onmessage = handler
        ? (event: MessageEvent) => {
            const at = performance.now()
            handler.call(this, event)
            bench.messages.push({ type: String((event.data as { type?: unknown } | null)?.type), at, ms: performance.now() - at })
          }
        : null
    }
    get onmessage(): ((event: MessageEvent) => void) | null {
      return super.onmessage as ((event: MessageEvent) => void) | null
    }
  }
  window.Worker = TimedWorker
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration })
  }).observe({ type: 'longtask', buffered: true })
  const check = () => {
    if (bench.rowAt === undefined) {
      const row = document.querySelector<HTMLElement>('[data-testid="trace-row"]')
      if (row) {
        bench.rowAt = performance.now()
        // In a task of its own, as a user's click would be: the import's last task ends first.
        if (bench.shouldClickRow) setTimeout(() => row.click(), 0)
      }
    }
    if (bench.detailsAt === undefined && document.querySelector('[data-testid="waterfall"][data-details="true"]')) bench.detailsAt = performance.now()
    if (bench.readyAt === undefined && document.querySelector('[data-testid="waterfall"][data-ready="true"]')) {
      bench.readyAt = performance.now()
      requestAnimationFrame(() => {
        bench.paintedAt = performance.now()
      })
    }
  }
  const start = () =>
    new MutationObserver(check).observe(document.documentElement, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-ready', 'data-details'],
    })
  if (document.documentElement) start()
  else document.addEventListener('readystatechange', start, { once: true })
}

interface Probes {
  readonly longTasks: Array<{ start: number; duration: number }>
  readonly messages: Array<{ type: string; at: number; ms: number }>
  readonly readyAt?: number
  readonly paintedAt?: number
  readonly rowAt?: number
  readonly detailsAt?: number
}

async function probes(page: Page): Promise<Probes> {
  return page.evaluate(() => (window as unknown as { __bench: Probes }).__bench)
}

async function waitDetails(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __bench: Probes }).__bench.detailsAt !== undefined, undefined, { polling: 250, timeout: 0 })
}

async function waitPainted(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __bench: Probes }).__bench.paintedAt !== undefined, undefined, { polling: 250, timeout: 0 })
}

function longTasksBetween(all: Probes['longTasks'], fromMs: number, toMs: number): { maxMs: number; over50: number; over100: number; totalMs: number } {
  const during = all.filter((task) => task.start + task.duration >= fromMs && task.start <= toMs)
  return {
    maxMs: Math.max(0, ...during.map((task) => task.duration)),
    over50: during.filter((task) => task.duration > 50).length,
    over100: during.filter((task) => task.duration > 100).length,
    totalMs: during.reduce((sum, task) => sum + task.duration, 0),
  }
}

/**
 * Where the load's time goes, from the worker's messages: when the traces arrived ('done': the
 * worker had read, parsed, imported and built), when the first and last span details did (the
 * page asks for them once it has painted), and how long the page spent handling the details
 * (deserializing them, mostly).
 */
function workerMessages(marks: Probes, startedAt: number): Record<string, number | undefined> {
  const after = marks.messages.filter((message) => message.at >= startedAt)
  const details = after.filter((message) => message.type === 'spans')
  const done = after.find((message) => message.type === 'done')
  return {
    firstDetailsMs: details[0] === undefined ? undefined : details[0].at - startedAt,
    lastDetailsMs: details.at(-1) === undefined ? undefined : (details.at(-1) as { at: number }).at - startedAt,
    doneMs: done === undefined ? undefined : done.at - startedAt,
    detailMessages: details.length,
    detailsHandlingMs: details.reduce((sum, message) => sum + message.ms, 0),
    longestMessageMs: Math.max(0, ...after.map((message) => message.ms)),
    doneHandlingMs: done?.ms,
  }
}

/**
 * `JSON.parse` of the file's text in the page, `count` times. Of a JSON-lines file, each line is
 * parsed and its value kept until the end, as `JSON.parse` of one document holds its whole value
 * (`baselineMs`); and, for comparison only, with each line's value dropped at once
 * (`baselineDroppedMs`), which spares the collector from keeping anything.
 */
async function inPageBaseline(page: Page, url: string, count: number): Promise<{ baselineMs: number[]; baselineDroppedMs?: number[] }> {
  return page.evaluate(
    async ({ url, count }) => {
      const text = await (await fetch(url)).text()
      const isJsonLines = text.charCodeAt(0) === 0x7b && text.indexOf('}\n{') > 0
      const lines = isJsonLines ? text.split('\n').filter((line) => line.length > 0) : [text]
      const sink = window as unknown as { __baselineValues?: unknown[] }
      const time = (dropValues: boolean) => {
        const values: unknown[] = []
        const started = performance.now()
        for (const line of lines) {
          const value: unknown = JSON.parse(line)
          if (!dropValues) values.push(value)
        }
        const ms = performance.now() - started
        // Stored where the engine cannot prove them unused; released before the next run.
        sink.__baselineValues = values
        sink.__baselineValues = undefined
        return ms
      }
      const baselineMs: number[] = []
      const baselineDroppedMs: number[] = []
      for (let k = 0; k < count; k++) {
        baselineMs.push(time(false))
        if (isJsonLines) baselineDroppedMs.push(time(true))
      }
      return isJsonLines ? { baselineMs, baselineDroppedMs } : { baselineMs }
    },
    { url, count },
  )
}

async function heapAfterGc(cdp: CDPSession): Promise<{ usedBytes: number; totalBytes: number }> {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('Performance.enable')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const metric = (name: string) => metrics.find((entry) => entry.name === name)?.value ?? Number.NaN
  return { usedBytes: metric('JSHeapUsedSize'), totalBytes: metric('JSHeapTotalSize') }
}

/**
 * The import worker's heap: the page's CDP session attaches to its workers (non-flat mode), and
 * commands travel as messages. Undefined when the target is not found.
 */
async function workerHeapAfterGc(cdp: CDPSession): Promise<number | undefined> {
  const sessions: string[] = []
  const replies = new Map<number, (result: unknown) => void>()
  let nextId = 1
  const onAttached = (event: { sessionId: string; targetInfo: { type: string } }) => {
    if (event.targetInfo.type === 'worker') sessions.push(event.sessionId)
  }
  const onMessage = (event: { sessionId: string; message: string }) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown }
    if (message.id !== undefined) replies.get(message.id)?.(message.result)
  }
  cdp.on('Target.attachedToTarget', onAttached)
  cdp.on('Target.receivedMessageFromTarget', onMessage)
  try {
    await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const sessionId = sessions[0]
    if (sessionId === undefined) return undefined
    const call = (method: string) =>
      new Promise<unknown>((resolve, reject) => {
        const id = nextId++
        replies.set(id, resolve)
        setTimeout(() => reject(new Error(`${method} timed out`)), 60_000)
        void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method }) })
      })
    await call('HeapProfiler.collectGarbage')
    const usage = (await call('Runtime.getHeapUsage')) as { usedSize?: number }
    return usage.usedSize
  } catch {
    return undefined
  } finally {
    cdp.off('Target.attachedToTarget', onAttached)
    cdp.off('Target.receivedMessageFromTarget', onMessage)
  }
}

/** rAF-to-rAF intervals while `drive` runs. */
async function frameTimes(page: Page, drive: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const recorder = { deltas: [] as number[], isRunning: true }
    ;(window as unknown as { __frames: typeof recorder }).__frames = recorder
    let last = 0
    const tick = (time: number) => {
      if (!recorder.isRunning) return
      if (last > 0) recorder.deltas.push(time - last)
      last = time
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  await drive()
  await page.waitForTimeout(300)
  return page.evaluate(() => {
    const recorder = (window as unknown as { __frames: { deltas: number[]; isRunning: boolean } }).__frames
    recorder.isRunning = false
    return recorder.deltas
  })
}

function frameSummary(deltas: readonly number[]): { frames: number; p50Ms: number; p95Ms: number; maxMs: number; over50: number } {
  const sorted = [...deltas].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN
  return { frames: sorted.length, p50Ms: at(0.5), p95Ms: at(0.95), maxMs: sorted.at(-1) ?? Number.NaN, over50: sorted.filter((delta) => delta > 50).length }
}

async function scrollAndZoom(page: Page): Promise<Record<string, unknown>> {
  const waterfall = page.getByTestId('waterfall')
  const box = await waterfall.boundingBox()
  if (!box) return { error: 'no waterfall box' }
  // The rows' area: the middle of the waterfall, over the timeline half when there is one.
  const canvasBox = await page
    .getByTestId('waterfall-canvas')
    .boundingBox()
    .catch(() => null)
  const x = canvasBox ? Math.min(box.x + box.width - 20, canvasBox.x + Math.min(canvasBox.width, 400) / 2) : box.x + box.width / 2
  const y = box.y + Math.min(box.height, 600) / 2
  await page.mouse.move(x, y)
  const scrollTopBefore = await waterfall.evaluate((element) => element.scrollTop)
  const scroll = await frameTimes(page, async () => {
    for (let k = 0; k < SCROLL_WHEELS; k++) {
      await page.mouse.wheel(0, SCROLL_DELTA_PX)
      await page.waitForTimeout(16)
    }
  })
  const scrolledPx = (await waterfall.evaluate((element) => element.scrollTop)) - scrollTopBefore
  const zoomWindowBefore = await page
    .getByTestId('zoom-window')
    .textContent()
    .catch(() => null)
  const zoom = await frameTimes(page, async () => {
    await page.keyboard.down('Control')
    for (let k = 0; k < ZOOM_WHEELS; k++) {
      await page.mouse.wheel(0, -120)
      await page.waitForTimeout(16)
    }
    for (let k = 0; k < ZOOM_WHEELS; k++) {
      await page.mouse.wheel(0, 120)
      await page.waitForTimeout(16)
    }
    await page.keyboard.up('Control')
  })
  const zoomWindowAfter = await page
    .getByTestId('zoom-window')
    .textContent()
    .catch(() => null)
  return {
    scroll: { ...frameSummary(scroll), scrolledPx },
    zoom: {
      ...frameSummary(zoom),
      didZoom: zoomWindowBefore !== null && zoomWindowAfter !== null ? zoomWindowBefore !== zoomWindowAfter || undefined : undefined,
    },
  }
}

/**
 * Switches to a view tab and times its first paint (`data-ready="true"` on the view, then a
 * frame). 'n/a' when the tab is missing or the view has no `data-ready` signal.
 */
async function timeView(page: Page, tabId: string, viewId: string): Promise<number | string> {
  if ((await page.getByTestId(tabId).count()) === 0) return 'n/a'
  return page.evaluate(
    ({ tabId, viewId, timeoutMs }) =>
      new Promise<number | string>((resolve) => {
        const started = performance.now()
        let isDone = false
        const finish = (value: number | string) => {
          if (isDone) return
          isDone = true
          observer.disconnect()
          resolve(value)
        }
        const check = () => {
          const view = document.querySelector(`[data-testid="${viewId}"]`)
          if (!view) return
          if (!view.hasAttribute('data-ready')) finish('n/a (no data-ready)')
          else if (view.getAttribute('data-ready') === 'true') requestAnimationFrame(() => finish(performance.now() - started))
        }
        const observer = new MutationObserver(check)
        observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] })
        setTimeout(() => finish('n/a (not ready in time)'), timeoutMs)
        document.querySelector<HTMLElement>(`[data-testid="${tabId}"]`)?.click()
      }),
    { tabId, viewId, timeoutMs: 120_000 },
  )
}

/** The query of the search timing: a text term, so every span's attributes are scanned (the worst case). */
const SEARCH_QUERY = 'usr_12'

/**
 * The waterfall search, from Enter in the search box to the first frame with its count (large
 * traces are searched in slices; `data-searching` is on the count meanwhile), and the longest
 * main-thread task in between.
 */
async function timeSearch(page: Page): Promise<Record<string, unknown>> {
  const input = page.getByTestId('search-input')
  if ((await input.count()) === 0) return { searchMs: 'n/a (no search box)' }
  await input.fill(SEARCH_QUERY)
  const startedAt = await page.evaluate(() => performance.now())
  await input.press('Enter')
  await page.waitForFunction(
    () => {
      const count = document.querySelector('[data-testid="search-count"]')
      return count !== null && count.textContent !== '' && count.getAttribute('data-searching') !== 'true'
    },
    null,
    { timeout: 120_000 },
  )
  const endedAt = await page.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(performance.now()))))
  const marks = await probes(page)
  const count = await page.getByTestId('search-count').textContent()
  await input.fill('')
  await input.press('Enter')
  return { searchMs: endedAt - startedAt, searchCount: count, longTasksSearch: longTasksBetween(marks.longTasks, startedAt, endedAt) }
}

/**
 * The critical path's compute time: the app records a User Timing measure
 * (`spanglass:critical-path`) each time it computes one, or takes one the import worker computed
 * for a very large trace (`detail.computedIn`). The critical-path tab computes it if no view has
 * yet; the last measure of a trace with all the spans is the figure.
 */
async function criticalPathInPage(page: Page, spanCount: number): Promise<{ ms: number | string; computedIn?: string }> {
  const read = () =>
    page.evaluate((count) => {
      const entries = performance.getEntriesByName('spanglass:critical-path', 'measure') as PerformanceMeasure[]
      const ofTrace = entries.filter((entry) => (entry.detail as { spanCount?: number } | null)?.spanCount === count)
      const last = ofTrace.at(-1)
      return last === undefined ? undefined : { ms: last.duration, computedIn: (last.detail as { computedIn?: string }).computedIn }
    }, spanCount)
  if ((await read()) === undefined) {
    if ((await page.getByTestId('view-tab-critical-path').count()) === 0) return { ms: 'n/a (no critical-path tab)' }
    await page.getByTestId('view-tab-critical-path').click()
    await page.waitForFunction(
      (count) =>
        (performance.getEntriesByName('spanglass:critical-path', 'measure') as PerformanceMeasure[]).some(
          (entry) => (entry.detail as { spanCount?: number } | null)?.spanCount === count,
        ),
      spanCount,
      { timeout: 60_000 },
    )
  }
  return (await read()) ?? { ms: 'n/a (no measure)' }
}

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; cdp: CDPSession }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 })
  await context.addInitScript(installProbes)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  return { context, page, cdp }
}

const step = (text: string) => {
  if (process.env.SPANGLASS_BENCH_VERBOSE) console.log(`  · ${text}`)
}

async function dropRun(browser: Browser, input: BrowserInput, fileUrl: string, withViews: boolean): Promise<Record<string, unknown>> {
  const { context, page, cdp } = await newPage(browser)
  try {
    step('open /')
    await page.goto('/')
    await page.getByTestId('drop-zone').waitFor()
    step('baseline')
    const baseline = input.bytes <= MAX_TEXT_BYTES ? await inPageBaseline(page, fileUrl, 3) : undefined
    step('fetch the file as a Blob')
    // The dropped File is a Blob fetched from the file server: the page never holds its text.
    await page.evaluate(async (url) => {
      ;(window as unknown as { __blob: Blob }).__blob = await (await fetch(url)).blob()
    }, fileUrl)
    await cdp.send('HeapProfiler.collectGarbage')
    const heapBefore = await heapAfterGc(cdp)
    const startedAt = await page.evaluate((name) => {
      const bench = (window as unknown as { __bench: { shouldClickRow: boolean } }).__bench
      bench.shouldClickRow = true
      const transfer = new DataTransfer()
      transfer.items.add(new File([(window as unknown as { __blob: Blob }).__blob], name, { type: 'application/json' }))
      const zone = document.querySelector('[data-testid="drop-zone"]') as HTMLElement
      const started = performance.now()
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }))
      return started
    }, `bench-${input.format}-${input.spanCount}.json`)
    step('dropped; waiting for the painted waterfall')
    await waitPainted(page)
    step('painted; waiting for the span details')
    await waitDetails(page)
    const marks = await probes(page)
    const paintedAt = marks.paintedAt as number
    const detailsAt = marks.detailsAt as number
    const result: Record<string, unknown> = {
      mode: 'drop',
      ...baseline,
      loadMs: paintedAt - startedAt,
      importMs: (marks.rowAt ?? Number.NaN) - startedAt,
      longTasks: longTasksBetween(marks.longTasks, startedAt, paintedAt),
      // The same, split: the import (drop to trace row) and the trace page (row click to painted).
      longTasksImport: longTasksBetween(marks.longTasks, startedAt, marks.rowAt ?? paintedAt),
      longTasksPage: longTasksBetween(marks.longTasks, marks.rowAt ?? paintedAt, paintedAt),
      // After the paint, while the span details arrive (the page stays usable: scrolling, clicks).
      detailsMs: Math.max(0, detailsAt - startedAt),
      longTasksDetails: longTasksBetween(marks.longTasks, paintedAt, detailsAt),
      worker: workerMessages(marks, startedAt),
    }
    await page.evaluate(() => {
      delete (window as unknown as { __blob?: Blob }).__blob
    })
    step('heap')
    const heap = await heapAfterGc(cdp)
    result.heap = { ...heap, beforeLoadBytes: heapBefore.usedBytes, workerBytes: await workerHeapAfterGc(cdp) }
    step('scroll and zoom')
    Object.assign(result, await scrollAndZoom(page))
    step('search')
    Object.assign(result, await timeSearch(page))
    if (withViews) {
      step('views')
      result.flamegraphMs = await timeView(page, 'view-tab-flamegraph', 'flamegraph')
      result.serviceMapMs = await timeView(page, 'view-tab-service-map', 'service-map')
    }
    step('critical path')
    const critical = await criticalPathInPage(page, input.spanCount)
    result.criticalPathMs = critical.ms
    result.criticalPathComputedIn = critical.computedIn
    return result
  } finally {
    await context.close()
  }
}

async function urlRun(browser: Browser, input: BrowserInput, fileUrl: string): Promise<Record<string, unknown>> {
  const { context, page, cdp } = await newPage(browser)
  try {
    await page.goto(`/?url=${encodeURIComponent(fileUrl)}`)
    await waitPainted(page)
    await waitDetails(page)
    const marks = await probes(page)
    const paintedAt = marks.paintedAt as number
    const result: Record<string, unknown> = {
      mode: 'url',
      // From navigation start: the app's own start-up is included.
      loadMs: paintedAt,
      longTasks: longTasksBetween(marks.longTasks, 0, paintedAt),
    }
    result.heap = { ...(await heapAfterGc(cdp)), workerBytes: await workerHeapAfterGc(cdp) }
    if (input.bytes <= MAX_TEXT_BYTES) Object.assign(result, await inPageBaseline(page, fileUrl, 3))
    return result
  } finally {
    await context.close()
  }
}

for (const [index, input] of inputs.entries()) {
  test(`${input.format} ${input.spanCount} spans`, async ({ browser }) => {
    const fileUrl = `${serverUrl}/f/${index}`
    const runs: unknown[] = []
    const entry = { format: input.format, spanCount: input.spanCount, bytes: input.bytes, runs }
    results.push(entry)
    for (let k = 0; k < input.runs; k++) {
      for (const mode of input.modes) {
        try {
          runs.push(mode === 'drop' ? await dropRun(browser, input, fileUrl, k === 0) : await urlRun(browser, input, fileUrl))
        } catch (error) {
          runs.push({ mode, error: error instanceof Error ? error.message.split('\n')[0] : String(error) })
        }
        console.log(`${input.format} ${input.spanCount} ${mode} run ${k + 1}: ${JSON.stringify(runs.at(-1)).slice(0, 400)}`)
      }
    }
  })
}
