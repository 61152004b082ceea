/** Markdown tables and target verdicts from the raw results of `bench/run.ts`. */
import { spanLabel } from './inputs.ts'
import { median, ratio } from './stats.ts'

export interface NodeEntry {
  readonly format: string
  readonly spanCount: number
  readonly bytes: number
  readonly time: Record<string, unknown>
  readonly memoryStream: Record<string, unknown>
  readonly memoryText: Record<string, unknown> | undefined
}

export interface BrowserEntry {
  readonly format: string
  readonly spanCount: number
  readonly bytes: number
  readonly runs: ReadonlyArray<Record<string, unknown>>
}

export interface BenchResults {
  readonly date: string
  readonly machine: Record<string, unknown>
  readonly node: readonly NodeEntry[]
  readonly browser: readonly BrowserEntry[] | { readonly error: string }
}

const numbers = (value: unknown): number[] => (Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [])
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const obj = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {})

const ms = (value: number | undefined) => (value === undefined ? 'n/a' : `${Math.round(value).toLocaleString('en-US')}`)
const x = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)}×`)
const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${Math.round(bytes / 1e6).toLocaleString('en-US')}`)

/** Figures of one Node entry, medians of its runs. */
export function nodeFigures(entry: NodeEntry) {
  const time = entry.time
  const baseline = median(numbers(time.baselineMs))
  const text = median(numbers(time.textMs))
  const stream = median(numbers(time.streamMs))
  const baselineDropped = median(numbers(time.baselineDroppedMs))
  const retained = num(entry.memoryStream.retainedHeapBytes)
  return {
    baselineMs: baseline,
    baselineKind: typeof time.baselineKind === 'string' ? time.baselineKind : '',
    textMs: text,
    textImportMs: median(numbers(time.textImportMs)),
    textBuildMs: median(numbers(time.textBuildMs)),
    textDetailsMs: median(numbers(time.textDetailsMs)),
    textRatio: ratio(text, baseline),
    /** JSON lines only: the baseline with each line's value dropped at once, and the text ratio to it. */
    baselineDroppedMs: baselineDropped,
    textRatioToDropped: ratio(text, baselineDropped),
    streamMs: stream,
    streamRatio: ratio(stream, baseline),
    retainedHeapBytes: retained,
    heapPerFile: ratio(retained, entry.bytes),
    peakStreamHeapBytes: num(entry.memoryStream.peakHeapBytes),
    maxRssStreamBytes: num(entry.memoryStream.maxRssBytes),
    maxRssTextBytes: num(entry.memoryText?.maxRssBytes),
    criticalPathMs: median(numbers(obj(time.criticalPath).ms)),
    runs: numbers(time.baselineMs).length,
    error: typeof time.error === 'string' ? time.error : undefined,
  }
}

type Run = Record<string, unknown>

function runsOf(entry: BrowserEntry, mode: string): Run[] {
  return entry.runs.filter((run) => run.mode === mode && run.error === undefined)
}

/** Figures of one browser entry and mode: medians over runs (the baseline is the median of all in-page parses). */
export function browserFigures(entry: BrowserEntry, mode: 'drop' | 'url') {
  const runs = runsOf(entry, mode)
  const baseline = median(runs.flatMap((run) => numbers(run.baselineMs)))
  const baselineDropped = median(runs.flatMap((run) => numbers(run.baselineDroppedMs)))
  const load = median(runs.map((run) => num(run.loadMs)).filter((n): n is number => n !== undefined))
  const longest = runs.map((run) => num(obj(run.longTasks).maxMs)).filter((n): n is number => n !== undefined)
  const longestImport = runs.map((run) => num(obj(run.longTasksImport).maxMs)).filter((n): n is number => n !== undefined)
  const longestPage = runs.map((run) => num(obj(run.longTasksPage).maxMs)).filter((n): n is number => n !== undefined)
  const over100 = runs.map((run) => num(obj(run.longTasks).over100) ?? 0)
  const heap = median(runs.map((run) => num(obj(run.heap).usedBytes)).filter((n): n is number => n !== undefined))
  const worker = median(runs.map((run) => num(obj(run.heap).workerBytes)).filter((n): n is number => n !== undefined))
  const frames = (key: 'scroll' | 'zoom') => {
    const list = runs.map((run) => obj(run[key])).filter((summary) => num(summary.frames) !== undefined)
    const pick = (field: string) => median(list.map((summary) => num(summary[field])).filter((n): n is number => n !== undefined))
    return list.length === 0
      ? undefined
      : {
          p50Ms: pick('p50Ms'),
          p95Ms: pick('p95Ms'),
          maxMs: Math.max(...list.map((summary) => num(summary.maxMs) ?? 0)),
          over50: Math.max(...list.map((summary) => num(summary.over50) ?? 0)),
        }
  }
  const view = (key: string): number | string | undefined => {
    const values = runs.map((run) => run[key]).filter((value) => value !== undefined)
    if (values.length === 0) return undefined
    const times = values.filter((value): value is number => typeof value === 'number')
    return times.length > 0 ? median(times) : String(values[0])
  }
  const errors = entry.runs.filter((run) => run.mode === mode && typeof run.error === 'string').map((run) => run.error as string)
  const fromWorker = (field: string) => median(runs.map((run) => num(obj(run.worker)[field])).filter((n): n is number => n !== undefined))
  return {
    runs: runs.length,
    baselineMs: baseline,
    loadMs: load,
    importMs: median(runs.map((run) => num(run.importMs)).filter((n): n is number => n !== undefined)),
    loadRatio: ratio(load, baseline),
    /** JSON lines only: the in-page baseline with each line's value dropped at once, and the load ratio to it. */
    baselineDroppedMs: baselineDropped,
    loadRatioToDropped: ratio(load, baselineDropped),
    longestTaskMs: longest.length > 0 ? Math.max(...longest) : undefined,
    tasksOver100: over100.length > 0 ? Math.max(...over100) : undefined,
    longestImportTaskMs: longestImport.length > 0 ? Math.max(...longestImport) : undefined,
    longestPageTaskMs: longestPage.length > 0 ? Math.max(...longestPage) : undefined,
    heapBytes: heap,
    heapPerFile: ratio(heap, entry.bytes),
    workerHeapBytes: worker,
    scroll: frames('scroll'),
    zoom: frames('zoom'),
    flamegraphMs: view('flamegraphMs'),
    serviceMapMs: view('serviceMapMs'),
    criticalPathMs: view('criticalPathMs'),
    criticalPathComputedIn: view('criticalPathComputedIn'),
    searchMs: view('searchMs'),
    longestSearchTaskMs: maxOf(runs.map((run) => num(obj(run.longTasksSearch).maxMs)).filter((n): n is number => n !== undefined)),
    firstDetailsMs: fromWorker('firstDetailsMs'),
    lastDetailsMs: fromWorker('lastDetailsMs'),
    detailsMs: median(runs.map((run) => num(run.detailsMs)).filter((n): n is number => n !== undefined)),
    longestDetailsTaskMs: maxOf(runs.map((run) => num(obj(run.longTasksDetails).maxMs)).filter((n): n is number => n !== undefined)),
    doneMs: fromWorker('doneMs'),
    detailsHandlingMs: fromWorker('detailsHandlingMs'),
    longestMessageMs: fromWorker('longestMessageMs'),
    rowMs: median(runs.map((run) => num(run.importMs)).filter((n): n is number => n !== undefined)),
    errors,
  }
}

function maxOf(values: readonly number[]): number | undefined {
  return values.length > 0 ? Math.max(...values) : undefined
}

function frameText(summary: ReturnType<typeof browserFigures>['scroll']): string {
  if (!summary) return 'n/a'
  return `${summary.p50Ms?.toFixed(1)} / ${summary.p95Ms?.toFixed(1)} / ${Math.round(summary.maxMs)} / ${summary.over50}`
}

function verdict(isReached: boolean | undefined): string {
  return isReached === undefined ? 'not measured' : isReached ? '**reached**' : '**not reached**'
}

export function renderMarkdown(results: BenchResults): string {
  const lines: string[] = []
  const machine = results.machine
  lines.push(`# Spanglass benchmark, ${results.date}`)
  lines.push('')
  lines.push(
    `Machine: ${String(machine.cpus)} × ${String(machine.cpuModel)}, Node ${String(machine.node)}; load average at start ${JSON.stringify(machine.loadAverageStart)}, at end ${JSON.stringify(machine.loadAverageEnd)} (the machine is shared: compare ratios measured in one run, not times across runs).`,
  )
  lines.push('')
  lines.push('## Node: parse + import + build')
  lines.push('')
  lines.push(
    'Medians of the runs; each run starts on a heap without the results of the one before. Baseline: `JSON.parse` of the same text in the same process (per line for JSON lines, the values kept³; for files too large for one string, of the same lines about 4 MB at a time). *text*: `importText` on the text, then `TraceSet` + `buildAll`. *stream*: `importByteStream` on the file (reading included), then build. Heap: JS heap kept by the built traces after a full GC. *details read later*: reading every span’s attributes, events and links once, which the importers defer to first use (the app does it in the worker after the paint); not part of the ratio.',
  )
  lines.push('')
  lines.push(
    '| format | spans | MB | runs | JSON.parse ms | text ms (import + build) | text ratio | stream ms | stream ratio | heap kept MB (× file) | peak RSS MB stream / text | critical path ms | details read later ms |',
  )
  lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const entry of results.node) {
    const f = nodeFigures(entry)
    if (f.error) {
      lines.push(`| ${entry.format} | ${spanLabel(entry.spanCount)} | ${mb(entry.bytes)} | – | error: ${f.error.slice(0, 80)} | | | | | | | |`)
      continue
    }
    lines.push(
      `| ${entry.format} | ${spanLabel(entry.spanCount)} | ${mb(entry.bytes)} | ${f.runs} | ${ms(f.baselineMs)}${f.baselineKind === 'whole text' ? '' : f.baselineKind === 'lines, values kept' ? '³' : '¹'} | ${f.textMs === undefined ? 'n/a²' : `${ms(f.textMs)} (${ms(f.textImportMs)} + ${ms(f.textBuildMs)})`} | ${x(f.textRatio)} | ${ms(f.streamMs)} | ${x(f.streamRatio)} | ${mb(f.retainedHeapBytes)} (${x(f.heapPerFile)}) | ${mb(f.maxRssStreamBytes)} / ${mb(f.maxRssTextBytes)} | ${ms(f.criticalPathMs)} | ${ms(f.textDetailsMs)} |`,
    )
  }
  lines.push('')
  lines.push('¹ chunked baseline (the file cannot be one string). ² no text path: the file is over ~512 MB.')
  const dropped = results.node
    .map((entry) => ({ entry, f: nodeFigures(entry) }))
    .filter(({ f }) => f.baselineDroppedMs !== undefined)
    .map(({ entry, f }) => `${entry.format} ${spanLabel(entry.spanCount)} ${ms(f.baselineDroppedMs)} ms (text ratio ${x(f.textRatioToDropped)})`)
  if (dropped.length > 0) {
    lines.push('')
    lines.push(
      `³ JSON lines: each line is parsed and its value kept to the end, as \`JSON.parse\` of one document keeps its whole value (the same lines as one array document parse in about the same time). With each line's value dropped at once, which spares the collector from keeping anything: ${dropped.join('; ')}.`,
    )
  }
  lines.push('')
  lines.push('## Browser: production build in Chromium')
  lines.push('')
  if (!Array.isArray(results.browser)) {
    lines.push(`Not run: ${(results.browser as { error: string }).error}`)
  } else {
    lines.push(
      "Medians of the runs. Baseline: `JSON.parse` of the same text inside the same page (per line for JSON lines, the values kept³). *drop*: from the drop event to the first frame after `[data-testid=waterfall][data-ready=true]` (the trace row is clicked as soon as it appears). *url*: from navigation start of `/?url=…` to the same frame. Long tasks: main-thread tasks during the load (longest, and how many over 100 ms). Heap: main-thread JS heap once the span details have arrived, after a full GC (CDP), and the import worker's. Frames: rAF intervals p50 / p95 / max / count over 50 ms, while scrolling (40 wheel steps of 300 px) and zooming (Ctrl+wheel, 20 in, 20 out).",
    )
    lines.push('')
    lines.push(
      '| format | spans | MB | mode | runs | JSON.parse ms | load ms | ratio | longest task ms (>100 ms) [import / page] | heap MB (× file) | worker heap MB | scroll ms | zoom ms | flame graph ms | service map ms |',
    )
    lines.push('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |')
    for (const entry of results.browser) {
      for (const mode of ['drop', 'url'] as const) {
        const f = browserFigures(entry, mode)
        if (f.runs === 0 && f.errors.length === 0) continue
        if (f.runs === 0) {
          lines.push(
            `| ${entry.format} | ${spanLabel(entry.spanCount)} | ${mb(entry.bytes)} | ${mode} | 0 | error: ${f.errors[0]?.slice(0, 100)} | | | | | | | | | |`,
          )
          continue
        }
        const viewText = (value: number | string | undefined): string => (value === undefined ? '' : typeof value === 'number' ? ms(value) : value)
        lines.push(
          `| ${entry.format} | ${spanLabel(entry.spanCount)} | ${mb(entry.bytes)} | ${mode} | ${f.runs} | ${ms(f.baselineMs)}${f.baselineDroppedMs === undefined ? '' : '³'} | ${ms(f.loadMs)} | ${x(f.loadRatio)} | ${ms(f.longestTaskMs)} (${f.tasksOver100 ?? 'n/a'})${mode === 'drop' ? ` [${ms(f.longestImportTaskMs)} / ${ms(f.longestPageTaskMs)}]` : ''} | ${mb(f.heapBytes)} (${x(f.heapPerFile)}) | ${mb(f.workerHeapBytes)} | ${frameText(f.scroll)} | ${frameText(f.zoom)} | ${viewText(f.flamegraphMs)} | ${viewText(f.serviceMapMs)} |`,
        )
      }
    }
    const dropped = results.browser.flatMap((entry) =>
      (['drop', 'url'] as const).flatMap((mode) => {
        const f = browserFigures(entry, mode)
        return f.baselineDroppedMs === undefined
          ? []
          : [`${entry.format} ${spanLabel(entry.spanCount)} ${mode} ${ms(f.baselineDroppedMs)} ms (ratio ${x(f.loadRatioToDropped)})`]
      }),
    )
    if (dropped.length > 0) {
      lines.push('')
      lines.push(`³ JSON lines, as in Node. With each line's value dropped at once: ${dropped.join('; ')}.`)
    }
    lines.push('')
    lines.push(
      "Where the drop time goes (medians, ms from the drop): *traces*: the worker's `done` message, with the traces' columns, reaches the page (the worker has read, parsed, imported and built); *row*: the trace row appears; *painted*: the waterfall's first frame. After the paint the page asks for the span details (attributes, events, links): *details*: all of them have arrived (`data-details=\"true\"`), the page's time handling their messages (structured-clone deserialization, mostly) and its longest task meanwhile. Ratios to the in-page JSON.parse.",
    )
    lines.push('')
    lines.push(
      '| format | spans | JSON.parse | traces | row | painted | details in | details handling ms (longest message) | longest task while details arrive |',
    )
    lines.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
    for (const entry of results.browser) {
      const f = browserFigures(entry, 'drop')
      if (f.runs === 0) continue
      const withRatio = (value: number | undefined) => (value === undefined ? 'n/a' : `${ms(value)}${f.baselineMs ? ` (${x(value / f.baselineMs)})` : ''}`)
      lines.push(
        `| ${entry.format} | ${spanLabel(entry.spanCount)} | ${ms(f.baselineMs)} | ${withRatio(f.doneMs)} | ${withRatio(f.rowMs)} | ${withRatio(f.loadMs)} | ${withRatio(f.detailsMs)} | ${ms(f.detailsHandlingMs)} (${ms(f.longestMessageMs)}) | ${ms(f.longestDetailsTaskMs)} |`,
      )
    }
    lines.push('')
    lines.push(
      `Waterfall search for \`usr_12\` (a text term: every span's attributes are scanned), from Enter to the frame with the count (median ms; longest main-thread task meanwhile): ${
        results.browser
          .map((entry) => ({ entry, f: browserFigures(entry, 'drop') }))
          .filter(({ f }) => f.searchMs !== undefined)
          .map(
            ({ entry, f }) =>
              `${entry.format} ${spanLabel(entry.spanCount)} ${typeof f.searchMs === 'number' ? ms(f.searchMs) : f.searchMs} (${ms(f.longestSearchTaskMs)})`,
          )
          .join('; ') || 'no figures'
      }.`,
    )
    lines.push('')
    lines.push(
      `Critical path in the page (the app's \`spanglass:critical-path\` User Timing measure, on the trace with every span; median ms; for traces of 250,000 spans or more the import worker computes it before posting the trace, and the measure is the worker's time): ${
        results.browser
          .map((entry) => ({ entry, f: browserFigures(entry, 'drop') }))
          .filter(({ f }) => f.criticalPathMs !== undefined)
          .map(
            ({ entry, f }) =>
              `${entry.format} ${spanLabel(entry.spanCount)} ${typeof f.criticalPathMs === 'number' ? ms(f.criticalPathMs) : f.criticalPathMs}${f.criticalPathComputedIn === 'worker' ? ' (in the worker)' : ''}`,
          )
          .join('; ') || 'no figures'
      }.`,
    )
  }
  lines.push('')
  lines.push(...renderTargets(results))
  return `${lines.join('\n')}\n`
}

/** 16.7 ms: one frame at 60 Hz; rAF intervals measure 16.6–16.8 ms when every frame is on time. */
const FRAME_BUDGET_MS = 16.8

/** rAF timestamps are clamped to 0.1 ms: 16.8000001 is a frame on time, as the table prints it. */
function onTime(p95Ms: number | undefined): boolean {
  return p95Ms !== undefined && Math.round(p95Ms * 10) / 10 <= FRAME_BUDGET_MS
}

function renderTargets(results: BenchResults): string[] {
  const lines = ['## Targets', '']
  const browser = Array.isArray(results.browser) ? (results.browser as readonly BrowserEntry[]) : []
  const at100k = browser.filter((entry) => entry.spanCount === 100_000)
  const drops = at100k.map((entry) => ({ entry, f: browserFigures(entry, 'drop') })).filter(({ f }) => f.runs > 0)
  const describe = (items: string[]) => (items.length === 0 ? 'no figures' : items.join('; '))

  const loadRatios = drops.map(({ entry, f }) => ({ format: entry.format, value: f.loadRatio }))
  lines.push(
    `- 100k, drop → waterfall painted ≤ 2× in-page JSON.parse: ${verdict(loadRatios.length === 0 ? undefined : loadRatios.every((item) => item.value !== undefined && item.value <= 2))} (${describe(loadRatios.map((item) => `${item.format} ${x(item.value)}`))})`,
  )
  const tasks = drops.map(({ entry, f }) => ({
    format: entry.format,
    longest: f.longestTaskMs,
    over: f.tasksOver100,
    importing: f.longestImportTaskMs,
    page: f.longestPageTaskMs,
  }))
  // Opening by `/?url=` is a load too: from navigation start, the app's start-up included.
  const urlTasks = at100k
    .map((entry) => ({ entry, f: browserFigures(entry, 'url') }))
    .filter(({ f }) => f.runs > 0)
    .map(({ entry, f }) => ({ format: `${entry.format} (url)`, longest: f.longestTaskMs, over: f.tasksOver100 }))
  const allTasks = [...tasks.map((item) => ({ ...item, format: `${item.format} (drop)` })), ...urlTasks]
  lines.push(
    `- 100k, no main-thread task over 100 ms during the load: ${verdict(allTasks.length === 0 ? undefined : allTasks.every((item) => (item.over ?? 1) === 0))} (${describe(allTasks.map((item) => `${item.format} longest ${ms(item.longest)} ms, ${item.over ?? 'n/a'} over 100 ms`))})`,
  )
  lines.push(
    `  - during the import (drop to trace row: read, parse, import and build in the worker): ${verdict(tasks.length === 0 ? undefined : tasks.every((item) => item.importing !== undefined && item.importing <= 100))} (${describe(tasks.map((item) => `${item.format} ${ms(item.importing)} ms`))}); on the trace page's first render after the row click: ${describe(tasks.map((item) => `${item.format} ${ms(item.page)} ms`))}`,
  )
  const frames = drops.flatMap(({ entry, f }) =>
    (['scroll', 'zoom'] as const).map((kind) => ({ label: `${entry.format} ${kind}`, summary: f[kind] })).filter((item) => item.summary !== undefined),
  )
  lines.push(
    `- 100k, p95 frame ≤ 16.7 ms and no frame over 50 ms while scrolling and zooming: ${verdict(frames.length === 0 ? undefined : frames.every((item) => onTime(item.summary?.p95Ms) && item.summary?.over50 === 0))} (${describe(frames.map((item) => `${item.label} p95 ${item.summary?.p95Ms?.toFixed(1)} ms, ${item.summary?.over50} over 50 ms`))})`,
  )
  const node100k = results.node.filter((entry) => entry.spanCount === 100_000).map((entry) => ({ entry, f: nodeFigures(entry) }))
  const critical = node100k.map(({ entry, f }) => ({ format: entry.format, value: f.criticalPathMs }))
  const criticalInPage = drops.map(({ entry, f }) => ({ format: entry.format, value: typeof f.criticalPathMs === 'number' ? f.criticalPathMs : undefined }))
  const allCritical = [...critical, ...criticalInPage]
  lines.push(
    `- 100k, critical path ≤ 50 ms: ${verdict(allCritical.length === 0 ? undefined : allCritical.every((item) => item.value !== undefined && item.value <= 50))} (in the page: ${describe(criticalInPage.map((item) => `${item.format} ${ms(item.value)} ms`))}; Node, on the built trace: ${describe(critical.map((item) => `${item.format} ${ms(item.value)} ms`))})`,
  )
  const nodeRatios = node100k.map(({ entry, f }) => ({ format: entry.format, text: f.textRatio, stream: f.streamRatio }))
  const best = (item: (typeof nodeRatios)[number]) => Math.min(item.text ?? Infinity, item.stream ?? Infinity)
  lines.push(
    `- 100k, Node import ≤ 1.5× JSON.parse: ${verdict(nodeRatios.length === 0 ? undefined : nodeRatios.every((item) => best(item) <= 1.5))} (${describe(nodeRatios.map((item) => `${item.format} text ${x(item.text)}, stream ${x(item.stream)}`))})`,
  )
  const huge = browser.filter((entry) => entry.spanCount >= 1_000_000).map((entry) => ({ entry, f: browserFigures(entry, 'drop') }))
  lines.push(
    `- 1M, the file opens and scrolls: ${verdict(huge.length === 0 ? undefined : huge.every(({ f }) => f.runs > 0 && f.scroll !== undefined))} (${describe(huge.map(({ entry, f }) => (f.runs > 0 ? `${entry.format} ${mb(entry.bytes)} MB opened in ${ms(f.loadMs)} ms, scroll p95 ${f.scroll?.p95Ms?.toFixed(1)} ms` : `${entry.format}: ${f.errors[0] ?? 'no run'}`)))})`,
  )
  lines.push(
    `- 1M, JS heap under 3× the file size: ${verdict(huge.length === 0 ? undefined : huge.every(({ f }) => f.heapPerFile !== undefined && f.heapPerFile < 3))} (${describe(huge.map(({ entry, f }) => `${entry.format} page ${mb(f.heapBytes)} MB = ${x(f.heapPerFile)}, worker ${mb(f.workerHeapBytes)} MB`))})`,
  )
  const node1m = results.node.filter((entry) => entry.spanCount >= 1_000_000).map((entry) => ({ entry, f: nodeFigures(entry) }))
  if (node1m.length > 0) {
    lines.push(
      `- 1M in Node (stream): ${describe(node1m.map(({ entry, f }) => (f.error ? `${entry.format}: ${f.error.slice(0, 60)}` : `${entry.format} ${ms(f.streamMs)} ms, ${x(f.streamRatio)} of chunked JSON.parse, heap kept ${mb(f.retainedHeapBytes)} MB = ${x(f.heapPerFile)} of the file`)))}`,
    )
  }
  return lines.map((line) => line.replace(/\s+$/, ''))
}
