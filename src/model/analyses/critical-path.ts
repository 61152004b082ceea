import { SpanKind } from '../span-record.ts'
import { spanName, spanService } from '../trace.ts'
import type { Trace } from '../trace.ts'

/**
 * The critical path of a trace: the chain of work that decided when each flow finished.
 *
 * ## Rules
 *
 * A *flow* starts at every trace root and at every asynchronous child (see `isAsyncChild`):
 * work that nobody waited for, so each has its own path. A flow's path covers its root's whole
 * interval, so a flow's critical time always equals its root's duration, and each instant of it
 * is charged to exactly one span.
 *
 * Walk back from the end of a span (its *window*) with a cursor. Among its synchronous children
 * pick the one whose end (clipped to the window) is the latest that is still ≤ the cursor. The
 * time between that end and the cursor is the parent's own critical time; the child is walked
 * the same way inside its clipped window; the cursor moves to the child's clipped start. A child
 * that ends after the cursor overlapped the one already chosen and is never chosen. When no child
 * is left, the rest of the window down to its start is the parent's own time. Ties on the end go
 * to the child that started first (it covers more), then to the earlier one in display order.
 *
 * The pictures below use one column per ns; the `path` row names the span each instant is charged to.
 *
 * Sequential children, with gaps: the gaps are the parent's own time.
 *
 *              0    5    10   15   20
 *     P        ####################
 *     A          #######              A 2–9
 *     B                    ######     B 12–18
 *     path     PPAAAAAAAPPPBBBBBBPP
 *
 * Parallel children: the one that finished last wins; A overlapped it and is skipped (A ends at
 * 12, after the cursor moved to B's start at 4).
 *
 *     P        ####################
 *     A          ##########           A 2–12
 *     B            ############       B 4–16
 *     path     PPPPBBBBBBBBBBBBPPPP
 *
 * A child outliving its parent counts only inside the parent:
 *
 *     P        ##########
 *     A            ##########         A 4–14, clipped to 4–10
 *     path     PPPPAAAAAA
 *
 * Asynchronous children (a CONSUMER under a PRODUCER, a FOLLOWS_FROM parent) are never on their
 * parent's path; they start a flow of their own:
 *
 *     P        ##########
 *     S          ####                 PRODUCER
 *     C             ##########        CONSUMER, child of S
 *     flow P   PPSSSSPPPP
 *     flow C        CCCCCCCCCC
 *
 * Multiple roots (orphans, broken propagation, linked traces merged into one file) are separate
 * flows too: each root gets the path of its own subtree. `flowTotalNs` and `totalNs` say how long
 * each flow and all flows together are; flows can overlap in time, so `totalNs` can exceed the
 * trace's duration.
 *
 * Iterative (an explicit stack as deep as the trace), O(n log n) for sorting children by end.
 */
export interface CriticalPath {
  /** Segments in time order (by start, then flow): the span whose own time it is, and its bounds. */
  readonly segmentSpan: Int32Array
  readonly segmentStartNs: Float64Array
  readonly segmentEndNs: Float64Array
  /** The flow each segment belongs to: an index into `flowRoot`. Segments of one flow never overlap. */
  readonly segmentFlow: Int32Array
  /** The span each flow starts at (a trace root or an asynchronous child), in display order. */
  readonly flowRoot: Int32Array
  /** Critical time of each flow: its root's duration. */
  readonly flowTotalNs: Float64Array
  /** Per span: its own time on the path (the dark strips). */
  readonly criticalNs: Float64Array
  /**
   * Per span: `criticalNs` summed over the span and all its descendants (for a collapsed span).
   * It includes the flows of asynchronous descendants, so it can exceed the span's duration.
   */
  readonly subtreeCriticalNs: Float64Array
  /** Sum of all flows. */
  readonly totalNs: number
}

/**
 * True when nobody waited for this span's work: a CONSUMER child of a PRODUCER (the message was
 * handed over; the producer does not wait for the consumer), or a span whose parent link is a
 * FOLLOWS_FROM reference (`Trace.asyncParent`, from `SpanRecord.isAsyncParent`). Roots are not
 * asynchronous children. Spans related by a link rather than a parent are roots already.
 */
export function isAsyncChild(trace: Trace, index: number): boolean {
  const parent = trace.parentIndex[index] as number
  if (parent < 0) return false
  if (trace.kind[index] === SpanKind.Consumer && trace.kind[parent] === SpanKind.Producer) return true
  return trace.asyncParent[index] === 1
}

/** A growable set of segment columns; starts at the size a trace usually needs. */
class SegmentBuffer {
  length = 0
  span: Int32Array
  startNs: Float64Array
  endNs: Float64Array
  flow: Int32Array

  constructor(capacity: number) {
    this.span = new Int32Array(capacity)
    this.startNs = new Float64Array(capacity)
    this.endNs = new Float64Array(capacity)
    this.flow = new Int32Array(capacity)
  }

  push(span: number, startNs: number, endNs: number, flow: number): void {
    if (this.length === this.span.length) this.grow()
    this.span[this.length] = span
    this.startNs[this.length] = startNs
    this.endNs[this.length] = endNs
    this.flow[this.length] = flow
    this.length++
  }

  private grow(): void {
    const capacity = Math.max(16, this.span.length * 2)
    const span = new Int32Array(capacity)
    span.set(this.span)
    const startNs = new Float64Array(capacity)
    startNs.set(this.startNs)
    const endNs = new Float64Array(capacity)
    endNs.set(this.endNs)
    const flow = new Int32Array(capacity)
    flow.set(this.flow)
    this.span = span
    this.startNs = startNs
    this.endNs = endNs
    this.flow = flow
  }
}

export function computeCriticalPath(trace: Trace): CriticalPath {
  const n = trace.spanCount
  const start = trace.startOffsetNs
  const end = new Float64Array(n)
  for (let i = 0; i < n; i++) end[i] = (start[i] as number) + (trace.durationsNs[i] as number)

  // Flow roots, and the synchronous children of every span in CSR form, latest end first.
  const isFlowRoot = new Uint8Array(n)
  const flowRoots: number[] = []
  const childCount = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) {
    if ((trace.parentIndex[i] as number) < 0 || isAsyncChild(trace, i)) {
      isFlowRoot[i] = 1
      flowRoots.push(i)
    } else {
      childCount[(trace.parentIndex[i] as number) + 1]!++
    }
  }
  const childStart = new Int32Array(n + 1)
  for (let p = 0; p < n; p++) childStart[p + 1] = (childStart[p] as number) + (childCount[p + 1] as number)
  const fill = childStart.slice(0, n)
  const children = new Int32Array(childStart[n] as number)
  for (let i = 0; i < n; i++) if (!isFlowRoot[i]) children[fill[trace.parentIndex[i] as number]!++] = i
  const byEndDescending = (a: number, b: number) => (end[b] as number) - (end[a] as number) || (start[a] as number) - (start[b] as number) || a - b
  for (let p = 0; p < n; p++) {
    const from = childStart[p] as number
    const to = childStart[p + 1] as number
    if (to - from > 1) children.subarray(from, to).sort(byEndDescending)
  }

  // The walk. One frame per span being walked: its window, its cursor and the next child to try.
  const stackSize = trace.maxDepth + 2
  const frameSpan = new Int32Array(stackSize)
  const frameWindowStart = new Float64Array(stackSize)
  const frameWindowEnd = new Float64Array(stackSize)
  const frameCursor = new Float64Array(stackSize)
  const frameNextChild = new Int32Array(stackSize)
  const criticalNs = new Float64Array(n)
  const flowTotalNs = new Float64Array(flowRoots.length)
  // Segments come out latest first; at most two per span (own time after and before each child).
  const backwards = new SegmentBuffer(Math.min(2 * n + 1, 1 << 16))

  for (let flow = 0; flow < flowRoots.length; flow++) {
    const root = flowRoots[flow] as number
    let top = 0
    frameSpan[0] = root
    frameWindowStart[0] = start[root] as number
    frameWindowEnd[0] = end[root] as number
    frameCursor[0] = end[root] as number
    frameNextChild[0] = childStart[root] as number
    while (top >= 0) {
      const parent = frameSpan[top] as number
      const windowStart = frameWindowStart[top] as number
      const windowEnd = frameWindowEnd[top] as number
      const cursor = frameCursor[top] as number
      const last = childStart[parent + 1] as number
      let next = frameNextChild[top] as number
      let chosen = -1
      let chosenStart = 0
      let chosenEnd = 0
      while (next < last) {
        const child = children[next++] as number
        const clippedEnd = Math.min(end[child] as number, windowEnd)
        if (clippedEnd > cursor) continue
        // Children are sorted by end: every one left ends at or before the window's start.
        if (clippedEnd <= windowStart) {
          next = last
          break
        }
        const clippedStart = Math.max(start[child] as number, windowStart)
        if (clippedStart >= clippedEnd) continue
        chosen = child
        chosenStart = clippedStart
        chosenEnd = clippedEnd
        break
      }
      frameNextChild[top] = next
      if (chosen < 0) {
        if (cursor > windowStart) backwards.push(parent, windowStart, cursor, flow)
        top--
        continue
      }
      if (cursor > chosenEnd) backwards.push(parent, chosenEnd, cursor, flow)
      frameCursor[top] = chosenStart
      top++
      frameSpan[top] = chosen
      frameWindowStart[top] = chosenStart
      frameWindowEnd[top] = chosenEnd
      frameCursor[top] = chosenEnd
      frameNextChild[top] = childStart[chosen] as number
    }
  }

  // Time order: reversing makes each flow ascending; a stable sort by start then interleaves flows
  // (already sorted when there is one flow, which the engine's merge sort notices).
  const count = backwards.length
  const order = new Int32Array(count)
  for (let k = 0; k < count; k++) order[k] = count - 1 - k
  if (flowRoots.length > 1) {
    order.sort((a, b) => (backwards.startNs[a] as number) - (backwards.startNs[b] as number) || (backwards.flow[a] as number) - (backwards.flow[b] as number))
  }
  const segmentSpan = new Int32Array(count)
  const segmentStartNs = new Float64Array(count)
  const segmentEndNs = new Float64Array(count)
  const segmentFlow = new Int32Array(count)
  for (let k = 0; k < count; k++) {
    const from = order[k] as number
    const span = backwards.span[from] as number
    const segmentStart = backwards.startNs[from] as number
    const segmentEnd = backwards.endNs[from] as number
    const flow = backwards.flow[from] as number
    segmentSpan[k] = span
    segmentStartNs[k] = segmentStart
    segmentEndNs[k] = segmentEnd
    segmentFlow[k] = flow
    criticalNs[span]! += segmentEnd - segmentStart
    flowTotalNs[flow]! += segmentEnd - segmentStart
  }
  let totalNs = 0
  for (let f = 0; f < flowTotalNs.length; f++) totalNs += flowTotalNs[f] as number

  const subtreeCriticalNs = criticalNs.slice()
  for (let i = n - 1; i >= 0; i--) {
    const parent = trace.parentIndex[i] as number
    if (parent >= 0) subtreeCriticalNs[parent]! += subtreeCriticalNs[i] as number
  }

  return {
    segmentSpan,
    segmentStartNs,
    segmentEndNs,
    segmentFlow,
    flowRoot: Int32Array.from(flowRoots),
    flowTotalNs,
    criticalNs,
    subtreeCriticalNs,
    totalNs,
  }
}

export interface CriticalPathShare {
  /** Service name; for operations, the service the operation belongs to. */
  readonly service: string
  /** Operation (span) name; undefined in the per-service list. */
  readonly name?: string
  readonly criticalNs: number
  /** `criticalNs / totalNs` of the whole path, 0 when the path is empty. */
  readonly share: number
}

export interface CriticalPathSummary {
  readonly totalNs: number
  /** Longest first; ties by name. Only services with critical time. */
  readonly byService: readonly CriticalPathShare[]
  /** Per (service, span name), longest first. */
  readonly byOperation: readonly CriticalPathShare[]
}

/** Who the critical path is spent in: per service and per operation (service + span name). */
export function summarizeCriticalPath(trace: Trace, criticalPath: CriticalPath): CriticalPathSummary {
  const byServiceIndex = new Map<number, number>()
  const byOperation = new Map<string, { service: string; name: string; criticalNs: number }>()
  for (let i = 0; i < trace.spanCount; i++) {
    const ns = criticalPath.criticalNs[i] as number
    if (ns <= 0) continue
    const serviceIndex = trace.serviceIndex[i] as number
    byServiceIndex.set(serviceIndex, (byServiceIndex.get(serviceIndex) ?? 0) + ns)
    const key = `${serviceIndex}:${trace.nameIndex[i] as number}`
    const entry = byOperation.get(key)
    if (entry) entry.criticalNs += ns
    else byOperation.set(key, { service: spanService(trace, i), name: spanName(trace, i), criticalNs: ns })
  }
  const total = criticalPath.totalNs
  const shareOf = (ns: number) => (total > 0 ? ns / total : 0)
  const services: CriticalPathShare[] = [...byServiceIndex].map(([serviceIndex, ns]) => ({
    service: trace.services[serviceIndex] ?? '',
    criticalNs: ns,
    share: shareOf(ns),
  }))
  services.sort((a, b) => b.criticalNs - a.criticalNs || compareText(a.service, b.service))
  const operations: CriticalPathShare[] = [...byOperation.values()].map((entry) => ({ ...entry, share: shareOf(entry.criticalNs) }))
  operations.sort((a, b) => b.criticalNs - a.criticalNs || compareText(a.service, b.service) || compareText(a.name ?? '', b.name ?? ''))
  return { totalNs: total, byService: services, byOperation: operations }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
