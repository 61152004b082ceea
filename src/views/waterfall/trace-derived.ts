import { memoizePerObject } from '../../lib/memoize.ts'
import type { CriticalPath } from '../../model/analyses/critical-path.ts'
import { StatusCode } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'
import { columnsOnly } from '../trace/column-analyses.ts'
import { getCriticalPath } from '../trace/trace-analyses.ts'

/**
 * Facts about a trace that the waterfall needs and the model does not keep, memoized per
 * `Trace` object (traces are immutable, so the object is the cache key; a rebuilt trace is a new
 * object and gets fresh values).
 */

export interface CriticalStrips {
  readonly path: CriticalPath
  /** CSR over spans: the segments of span i are `segmentOrder[segmentOffset[i] … segmentOffset[i+1]-1]`. */
  readonly segmentOffset: Int32Array
  readonly segmentOrder: Int32Array
}

/** The critical path, with its segments indexed by span so a row finds its strips in O(1). */
export const getCriticalStrips = columnsOnly(
  memoizePerObject((trace: Trace): CriticalStrips => {
    // The same object the critical-path table, flame graph and statistics use.
    const path = getCriticalPath(trace)
    const n = trace.spanCount
    const segmentOffset = new Int32Array(n + 1)
    for (const span of path.segmentSpan) segmentOffset[span + 1]!++
    for (let i = 0; i < n; i++) segmentOffset[i + 1]! += segmentOffset[i] as number
    const fill = segmentOffset.slice(0, n)
    const segmentOrder = new Int32Array(path.segmentSpan.length)
    for (let k = 0; k < path.segmentSpan.length; k++) segmentOrder[fill[path.segmentSpan[k] as number]!++] = k
    return { path, segmentOffset, segmentOrder }
  }),
)

export interface RangeSummary {
  readonly spanCount: number
  readonly errorCount: number
  /** Earliest start and latest end over the range, in trace ns. */
  readonly startNs: number
  readonly endNs: number
  /** Service indexes in the range, most spans first. */
  readonly services: readonly number[]
}

/** Counts, errors, extent and services of spans `from … to-1`. O(to - from). */
export function summarizeRange(trace: Trace, from: number, to: number): RangeSummary {
  let errorCount = 0
  let startNs = Infinity
  let endNs = -Infinity
  const perService = new Map<number, number>()
  for (let i = from; i < to; i++) {
    if (trace.status[i] === StatusCode.Error) errorCount++
    const spanStart = trace.startOffsetNs[i] as number
    const spanEnd = spanStart + (trace.durationsNs[i] as number)
    if (spanStart < startNs) startNs = spanStart
    if (spanEnd > endNs) endNs = spanEnd
    const service = trace.serviceIndex[i] as number
    perService.set(service, (perService.get(service) ?? 0) + 1)
  }
  const services = [...perService].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([service]) => service)
  return { spanCount: Math.max(0, to - from), errorCount, startNs: Number.isFinite(startNs) ? startNs : 0, endNs: Number.isFinite(endNs) ? endNs : 0, services }
}

const descendantCache = new WeakMap<Trace, Map<number, RangeSummary>>()

/**
 * The descendants of a span, summarised (for a collapsed row: how many are hidden, whether they
 * hold errors, how far they reach). Lazy and cached per span: only collapsed rows on screen ask,
 * and the subtrees of the rows on screen never overlap more than the trace.
 */
export function summarizeDescendants(trace: Trace, index: number): RangeSummary {
  let cache = descendantCache.get(trace)
  if (!cache) {
    cache = new Map()
    descendantCache.set(trace, cache)
  }
  let summary = cache.get(index)
  if (!summary) {
    summary = summarizeRange(trace, index + 1, trace.subtreeEnd[index] as number)
    cache.set(index, summary)
  }
  return summary
}

const rangeCache = new WeakMap<Trace, Map<string, RangeSummary>>()

/** `summarizeRange`, cached (for the hidden-services rows on screen). */
export function summarizeHiddenRun(trace: Trace, from: number, to: number): RangeSummary {
  let cache = rangeCache.get(trace)
  if (!cache) {
    cache = new Map()
    rangeCache.set(trace, cache)
  }
  const key = `${from}:${to}`
  let summary = cache.get(key)
  if (!summary) {
    summary = summarizeRange(trace, from, to)
    if (cache.size > 10_000) cache.clear()
    cache.set(key, summary)
  }
  return summary
}

/** Spans per service index. */
export const countSpansPerService = columnsOnly(
  memoizePerObject((trace: Trace): Int32Array => {
    const counts = new Int32Array(trace.services.length)
    for (let i = 0; i < trace.spanCount; i++) counts[trace.serviceIndex[i] as number]!++
    return counts
  }),
)
