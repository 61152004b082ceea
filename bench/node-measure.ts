/**
 * One Node measurement, run in its own process by `bench/run.ts` (so that memory figures are
 * its own): `node --expose-gc --import tsx bench/node-measure.ts <mode> <file> <format> [runs]`.
 * Prints one JSON object on stdout.
 *
 * - `time`: in one process, alternating, the baseline (`JSON.parse` of the same text) and the
 *   pipeline (parse + import + build, `importText` on the text and `importByteStream` on the
 *   file); the raw times of every run, plus the critical path of the largest trace.
 * - `memory`: one pipeline run (`text` or `stream`), then the JS heap kept by the built traces
 *   after a full GC, the peak heap seen while streaming, and the process's peak RSS.
 */
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { fileByteStream } from '../src/cli/file-stream.ts'
import { importText } from '../src/importers/import-input.ts'
import { defaultImporters } from '../src/importers/registry.ts'
import { importByteStream } from '../src/importers/stream-import.ts'
import { TraceSet } from '../src/model/build-traces.ts'
import { computeCriticalPath } from '../src/model/analyses/critical-path.ts'
import type { Trace } from '../src/model/trace.ts'

/** Above this, a file cannot be one string in V8 (about 2^29 characters); we stay well below. */
const MAX_TEXT_BYTES = 480 * 1024 * 1024

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) throw new Error('run with --expose-gc')

function build(spans: Parameters<TraceSet['add']>[0]): Trace[] {
  const set = new TraceSet()
  set.add(spans)
  return set.buildAll()
}

/** A JSON-lines file (OTLP from the collector's file exporter, and from the generator) is not one JSON text. */
function isJsonLines(text: string): boolean {
  return text.charCodeAt(0) === 0x7b && text.indexOf('\n{') > 0 && text.indexOf('}\n{') > 0
}

/** How many values the last baseline kept (read after the timed part, so the engine must keep them). */
let baselineValuesKept = 0

/**
 * The baseline: `JSON.parse` of the file's text. Of a JSON-lines file, each line is parsed and
 * its value kept until the end, as `JSON.parse` of one document holds its whole value: the same
 * lines joined into one array document (`[line,line,…]`) parse in the same time. With
 * `dropValues`, each line's value is dropped at once instead, which spares the collector from
 * keeping anything and so takes about 0.6 times as long (reported beside, not used for ratios).
 */
function baselineWhole(text: string, dropValues = false): number {
  const started = performance.now()
  if (isJsonLines(text)) {
    const values: unknown[] = []
    let start = 0
    while (start < text.length) {
      let end = text.indexOf('\n', start)
      if (end < 0) end = text.length
      if (end > start) {
        const value: unknown = JSON.parse(text.slice(start, end))
        if (!dropValues) values.push(value)
      }
      start = end + 1
    }
    const ms = performance.now() - started
    if (!dropValues) baselineValuesKept = values.length
    return ms
  }
  JSON.parse(text)
  return performance.now() - started
}

/**
 * The baseline for files too large for one string: `JSON.parse` of the same bytes, about 4 MB of
 * lines at a time (the generator writes one span per line, and OTLP a document per line). The
 * lines are cut and joined outside the timed part; envelope lines that are not JSON alone are
 * skipped (a few bytes per trace).
 */
async function baselineChunked(path: string): Promise<number> {
  let total = 0
  let batch: string[] = []
  let batchChars = 0
  const decoder = new TextDecoder()
  let rest = ''
  const flush = () => {
    if (batch.length === 0) return
    const text = `[${batch.join(',')}]`
    batch = []
    batchChars = 0
    const started = performance.now()
    JSON.parse(text)
    total += performance.now() - started
  }
  const take = (line: string) => {
    let text = line.trim()
    if (text.endsWith(',')) text = text.slice(0, -1)
    const first = text.charCodeAt(0)
    if (first !== 0x7b && first !== 0x5b) return
    // Envelope lines ("{"traceID":…,"spans":[", "],"processes":{…}}") are not JSON alone.
    if (text.endsWith('[') || text.startsWith(']') || text === '[' || text === '{"data":[') return
    if (first === 0x7b && !text.endsWith('}')) return
    batch.push(text)
    batchChars += text.length
    if (batchChars >= 4 << 20) flush()
  }
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) {
    const text = rest + decoder.decode(chunk as Buffer, { stream: true })
    let start = 0
    for (;;) {
      const end = text.indexOf('\n', start)
      if (end < 0) break
      take(text.slice(start, end))
      start = end + 1
    }
    rest = text.slice(start)
  }
  take(rest)
  flush()
  return total
}

function textPipeline(text: string): { ms: number; importMs: number; buildMs: number; traces: Trace[] } {
  const started = performance.now()
  const imported = importText(text, defaultImporters)
  const importedAt = performance.now()
  const traces = build(imported.spans)
  const endedAt = performance.now()
  return { ms: endedAt - started, importMs: importedAt - started, buildMs: endedAt - importedAt, traces }
}

async function streamPipeline(path: string): Promise<{ ms: number; buildMs: number; traces: Trace[] }> {
  const started = performance.now()
  const imported = await importByteStream(fileByteStream(path), defaultImporters, { reuseReadBuffer: true })
  const importedAt = performance.now()
  const traces = build(imported.spans)
  const endedAt = performance.now()
  return { ms: endedAt - started, buildMs: endedAt - importedAt, traces }
}

/**
 * Reads every span's attributes, events and links: the importers defer them (`LazySpanRecord`),
 * so this is what the pipeline leaves for first use (the app does it in the worker, after the paint).
 */
function readAllDetails(traces: readonly Trace[]): number {
  const started = performance.now()
  let count = 0
  for (const trace of traces) for (const span of trace.spans) count += span.attributes.length + span.events.length + span.links.length
  if (count < 0) throw new Error('unreachable')
  return performance.now() - started
}

function largest(traces: readonly Trace[]): Trace {
  return traces.reduce((a, b) => (b.spanCount > a.spanCount ? b : a))
}

function criticalPathMs(trace: Trace, runs: number): number[] {
  const times: number[] = []
  for (let k = 0; k < runs; k++) {
    const started = performance.now()
    computeCriticalPath(trace)
    times.push(performance.now() - started)
  }
  return times
}

async function measureTime(path: string, runs: number): Promise<unknown> {
  const bytes = statSync(path).size
  const text = bytes <= MAX_TEXT_BYTES ? readFileSync(path, 'utf8') : undefined
  const baselineMs: number[] = []
  const baselineDroppedMs: number[] = []
  const textMs: number[] = []
  const textImportMs: number[] = []
  const textBuildMs: number[] = []
  const textDetailsMs: number[] = []
  const streamMs: number[] = []
  const streamBuildMs: number[] = []
  let traces: Trace[] = []
  // Every measurement starts from the same heap: the previous run's traces are dropped first, so
  // neither side's collector has to walk them.
  const baseline = async () => {
    traces = []
    gc?.()
    baselineMs.push(text !== undefined ? baselineWhole(text) : await baselineChunked(path))
    if (text !== undefined && isJsonLines(text)) {
      gc?.()
      baselineDroppedMs.push(baselineWhole(text, true))
    }
  }
  const viaText = () => {
    if (text === undefined) return
    traces = []
    gc?.()
    const result = textPipeline(text)
    textMs.push(result.ms)
    textImportMs.push(result.importMs)
    textBuildMs.push(result.buildMs)
    traces = result.traces
    textDetailsMs.push(readAllDetails(traces))
  }
  const viaStream = async () => {
    traces = []
    gc?.()
    const result = await streamPipeline(path)
    streamMs.push(result.ms)
    streamBuildMs.push(result.buildMs)
    traces = result.traces
  }
  for (let k = 0; k < runs; k++) {
    // Alternate the order so that neither side always runs on a warmer (or more fragmented) heap.
    if (k % 2 === 0) {
      await baseline()
      viaText()
      await viaStream()
    } else {
      await viaStream()
      viaText()
      await baseline()
    }
  }
  const trace = largest(traces)
  return {
    bytes,
    spans: traces.reduce((n, t) => n + t.spanCount, 0),
    traces: traces.length,
    baselineMs,
    baselineKind: text === undefined ? 'chunks of about 4 MB of lines' : isJsonLines(text) ? 'lines, values kept' : 'whole text',
    baselineDroppedMs,
    baselineValuesKept,
    textMs,
    textImportMs,
    textBuildMs,
    textDetailsMs,
    streamMs,
    streamBuildMs,
    criticalPath: { spans: trace.spanCount, ms: criticalPathMs(trace, Math.max(3, runs)) },
  }
}

async function measureMemory(path: string, via: 'text' | 'stream'): Promise<unknown> {
  const bytes = statSync(path).size
  gc?.()
  const before = process.memoryUsage().heapUsed
  let peakHeap = before
  const sampler = setInterval(() => {
    const used = process.memoryUsage().heapUsed
    if (used > peakHeap) peakHeap = used
  }, 5)
  let traces: Trace[]
  if (via === 'text') {
    const text = readFileSync(path, 'utf8')
    traces = textPipeline(text).traces
  } else {
    traces = (await streamPipeline(path)).traces
  }
  clearInterval(sampler)
  gc?.()
  const retained = process.memoryUsage().heapUsed - before
  const spans = traces.reduce((n, t) => n + t.spanCount, 0)
  return {
    via,
    bytes,
    spans,
    retainedHeapBytes: retained,
    // Sampled between chunks: only the streaming path yields to timers while it runs.
    peakHeapBytes: via === 'stream' ? peakHeap - before : undefined,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const [mode, path, , runsText] = argv
  if (!path || (mode !== 'time' && mode !== 'memory-text' && mode !== 'memory-stream')) {
    throw new Error('usage: node-measure.ts time|memory-text|memory-stream FILE FORMAT [RUNS]')
  }
  const result = mode === 'time' ? await measureTime(path, Number(runsText ?? 5)) : await measureMemory(path, mode === 'memory-text' ? 'text' : 'stream')
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`node-measure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
