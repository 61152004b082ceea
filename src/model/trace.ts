import type { SpanRecord, TraceWarning } from './span-record.ts'

/** Bits of `Trace.flags`, one byte per span. */
export const SpanFlag = {
  HasWarning: 1,
  /** A root only because its parent is not in the trace. */
  Orphan: 2,
  /** Its parent link was cut to break a cycle. */
  CycleBroken: 4,
  /** The input had no start time; the span is placed at its parent's start. */
  MissingStart: 8,
  /** The input had no duration (or a negative one); drawn as zero-length. */
  MissingDuration: 16,
  NegativeDuration: 32,
  DuplicateId: 64,
  /** Starts before or ends after its parent. */
  OutsideParent: 128,
} as const

/**
 * One built trace. Immutable, and plain data (no class, no methods) so it can be posted from a
 * Worker with its typed arrays transferred.
 *
 * Spans are stored depth-first (children by start time); a span's index is its identity in the
 * app. Time is `startTimeNs` (absolute, exact) plus float64 offsets in ns: a float64 holds
 * every integer offset up to 104 days exactly.
 */
export interface Trace {
  readonly traceId: string
  readonly startTimeNs: bigint
  /** From the earliest start to the latest end. */
  readonly durationNs: number
  readonly spanCount: number
  /** Spans the inputs held for this trace, before exact duplicates were removed. */
  readonly inputSpanCount: number
  readonly maxDepth: number
  readonly errorCount: number

  // Hot columns, indexed by span index.
  readonly startOffsetNs: Float64Array
  readonly durationsNs: Float64Array
  /** -1 for roots. */
  readonly parentIndex: Int32Array
  readonly depth: Int32Array
  /** Exclusive end of the span's subtree: descendants of i are i+1 … subtreeEnd[i]-1. */
  readonly subtreeEnd: Int32Array
  readonly serviceIndex: Int32Array
  readonly nameIndex: Int32Array
  readonly kind: Uint8Array
  readonly status: Uint8Array
  readonly flags: Uint8Array
  /**
   * 1 when the span's parent does not wait for it (`SpanRecord.isAsyncParent`: a FOLLOWS_FROM
   * parent), for the critical path and clock-skew adjustment.
   */
  readonly asyncParent: Uint8Array

  /** Interned strings, indexed by `serviceIndex` and `nameIndex`. */
  readonly services: readonly string[]
  readonly names: readonly string[]
  /**
   * Span ids in span order (`SpanRecord.spanId`), packed into one string (read one with
   * `spanIdAt`): deep links, warnings and search need them before the details arrive, and one
   * string crosses from the worker in a few ms where a million strings took over 100.
   */
  readonly spanIdText: string
  /** Where each span's id ends in `spanIdText`; it starts where the previous span's ends. */
  readonly spanIdEnds: Int32Array

  /**
   * Per-span details (attributes, events, links, resource…), same order as the columns. Empty on
   * the page while a large trace's details are on their way (see `hasSpanDetails`).
   */
  readonly spans: readonly SpanRecord[]
  readonly warnings: readonly TraceWarning[]
}

export function spanName(trace: Trace, index: number): string {
  return trace.names[trace.nameIndex[index] as number] ?? ''
}

export function spanService(trace: Trace, index: number): string {
  return trace.services[trace.serviceIndex[index] as number] ?? ''
}

export function spanIdAt(trace: Trace, index: number): string {
  const end = trace.spanIdEnds[index]
  if (end === undefined) return ''
  return trace.spanIdText.slice(index === 0 ? 0 : (trace.spanIdEnds[index - 1] as number), end)
}

/** Span ids packed as `Trace.spanIdText` and `Trace.spanIdEnds`. */
export function packSpanIds(ids: readonly string[]): { spanIdText: string; spanIdEnds: Int32Array } {
  const spanIdEnds = new Int32Array(ids.length)
  let end = 0
  for (let i = 0; i < ids.length; i++) {
    end += (ids[i] as string).length
    spanIdEnds[i] = end
  }
  return { spanIdText: ids.join(''), spanIdEnds }
}

export function rootIndexes(trace: Trace): number[] {
  const roots: number[] = []
  for (let i = 0; i < trace.spanCount; i = trace.subtreeEnd[i] as number) roots.push(i)
  return roots
}

/** Direct children of a span, in display order. */
export function childIndexes(trace: Trace, index: number): number[] {
  const children: number[] = []
  const end = trace.subtreeEnd[index] as number
  for (let c = index + 1; c < end; c = trace.subtreeEnd[c] as number) children.push(c)
  return children
}

/** The buffers to transfer when posting a trace from a Worker. */
export function transferablesOf(trace: Trace): ArrayBuffer[] {
  return [
    trace.startOffsetNs,
    trace.durationsNs,
    trace.parentIndex,
    trace.depth,
    trace.subtreeEnd,
    trace.serviceIndex,
    trace.nameIndex,
    trace.kind,
    trace.status,
    trace.flags,
    trace.asyncParent,
    trace.spanIdEnds,
  ].map((column) => column.buffer as ArrayBuffer)
}

/** Absolute start of a span in ns (exact only to the float64 offset, i.e. to the ns below 104 days). */
export function spanStartNs(trace: Trace, index: number): bigint {
  return trace.startTimeNs + BigInt(Math.round(trace.startOffsetNs[index] as number))
}

/**
 * False while a trace's span details (attributes, events, links, resource) are still on their
 * way: the page receives a large trace's columns first and its details after it has painted.
 */
export function hasSpanDetails(trace: Trace): boolean {
  return trace.spans.length === trace.spanCount
}
