import type { CriticalPath } from '../../model/analyses/critical-path.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * Flame graph layout: a trace (plus its self times and critical path) → rectangles ("items")
 * in typed arrays, grouped per row (depth) and sorted by start, so that the renderer can cull
 * to the viewport with a binary search and never walks the tree.
 *
 * Coordinate spaces, as the renderer names them:
 * - layout x ("x"): ns. In time mode, ns from the trace's start (a span sits at its real time);
 *   in merged mode, ns of summed duration laid end to end (an icicle).
 * - view px: `(x - viewStartX) / (viewEndX - viewStartX) * widthPx`, CSS pixels.
 * - device px: view px × devicePixelRatio (the renderer's transform does this).
 *
 * Time mode: one item per span, row = depth. Parallel siblings overlap in their row (later
 * starts are drawn on top); that is what the trace did, and the tooltip tells them apart.
 *
 * Merged mode: spans with the same root-to-span path of (service, operation) are one item whose
 * width is the summed duration of its spans. Children are laid out left to right, heaviest first,
 * inside their parent. Trace children can add up to more than their parent (parallel calls,
 * async work outliving the parent): then the children are scaled down to fit, and that scale
 * carries to their descendants, so an item never spills out of its parent.
 */
export type FlameMode = 'time' | 'merged'

export interface FlameLayout {
  readonly mode: FlameMode
  readonly itemCount: number
  readonly startX: Float64Array
  readonly endX: Float64Array
  readonly depth: Int32Array
  readonly serviceIndex: Int32Array
  readonly nameIndex: Int32Array
  /** Summed duration of the item's spans (time mode: the span's duration). */
  readonly totalNs: Float64Array
  readonly selfNs: Float64Array
  /** Own critical-path time of the item's spans. */
  readonly criticalNs: Float64Array
  /** Spans merged into the item (1 in time mode). */
  readonly spanCount: Int32Array
  /** The span a click selects: the item's span, or the first merged one in display order. */
  readonly firstSpan: Int32Array
  /** Per span: the item that draws it. */
  readonly itemOfSpan: Int32Array
  readonly rowCount: number
  /** Row r's items are `rowItems[rowStart[r] … rowStart[r + 1] - 1]`, by start then end. */
  readonly rowStart: Int32Array
  readonly rowItems: Int32Array
  /** Running maximum of `endX` along `rowItems` within each row: the cull's binary search key. */
  readonly rowMaxEnd: Float64Array
  readonly minX: number
  readonly maxX: number
  /** What "share of the trace" divides by: the trace's duration, or the sum of the merged roots. */
  readonly referenceNs: number
  /** Largest `selfNs` of any item, for the self-time colour scale. */
  readonly maxSelfNs: number
  /** Critical-path segments per row (time mode only; empty in merged mode), by start. */
  readonly critical: CriticalRows
}

export interface CriticalRows {
  readonly rowStart: Int32Array
  readonly startX: Float64Array
  readonly endX: Float64Array
  readonly rowMaxEnd: Float64Array
}

/** Time-ordered flame graph: every span at its real time, one row per depth. */
export function layoutFlameTime(trace: Trace, selfNs: Float64Array, criticalPath: CriticalPath): FlameLayout {
  const n = trace.spanCount
  const startX = trace.startOffsetNs.slice()
  const endX = new Float64Array(n)
  for (let i = 0; i < n; i++) endX[i] = (startX[i] as number) + Math.max(0, trace.durationsNs[i] as number)
  const itemOfSpan = new Int32Array(n)
  for (let i = 0; i < n; i++) itemOfSpan[i] = i
  const rowCount = n === 0 ? 0 : trace.maxDepth + 1
  const rows = groupByRow(trace.depth, rowCount, startX, endX)
  let maxX = trace.durationNs
  for (let i = 0; i < n; i++) if ((endX[i] as number) > maxX) maxX = endX[i] as number
  return {
    mode: 'time',
    itemCount: n,
    startX,
    endX,
    depth: trace.depth.slice(),
    serviceIndex: trace.serviceIndex,
    nameIndex: trace.nameIndex,
    totalNs: trace.durationsNs,
    selfNs,
    criticalNs: criticalPath.criticalNs,
    spanCount: new Int32Array(n).fill(1),
    firstSpan: itemOfSpan,
    itemOfSpan,
    rowCount,
    ...rows,
    minX: 0,
    maxX,
    referenceNs: trace.durationNs,
    maxSelfNs: maxOf(selfNs),
    critical: groupCriticalSegments(trace, criticalPath, rowCount),
  }
}

/** Merged ("icicle") flame graph: identical (service, operation) paths summed. */
export function layoutFlameMerged(trace: Trace, selfNs: Float64Array, criticalPath: CriticalPath): FlameLayout {
  const n = trace.spanCount
  // 1. One node per distinct path. Spans are depth-first, so a parent's node exists before its children's.
  const itemOfSpan = new Int32Array(n)
  const nodeIdByKey = new Map<string, number>()
  const parentNode: number[] = []
  const service: number[] = []
  const name: number[] = []
  const nodeDepth: number[] = []
  const total: number[] = []
  const self: number[] = []
  const critical: number[] = []
  const count: number[] = []
  const first: number[] = []
  for (let i = 0; i < n; i++) {
    const parentSpan = trace.parentIndex[i] as number
    const parent = parentSpan < 0 ? -1 : (itemOfSpan[parentSpan] as number)
    const serviceIndex = trace.serviceIndex[i] as number
    const nameIndex = trace.nameIndex[i] as number
    const key = `${parent}:${serviceIndex}:${nameIndex}`
    let node = nodeIdByKey.get(key)
    if (node === undefined) {
      node = parentNode.length
      nodeIdByKey.set(key, node)
      parentNode.push(parent)
      service.push(serviceIndex)
      name.push(nameIndex)
      nodeDepth.push(parent < 0 ? 0 : (nodeDepth[parent] as number) + 1)
      total.push(0)
      self.push(0)
      critical.push(0)
      count.push(0)
      first.push(i)
    }
    itemOfSpan[i] = node
    total[node]! += Math.max(0, trace.durationsNs[i] as number)
    self[node]! += selfNs[i] as number
    critical[node]! += criticalPath.criticalNs[i] as number
    count[node]!++
  }
  const m = parentNode.length

  // 2. Children of each node (roots under a virtual node m), heaviest first.
  const childCount = new Int32Array(m + 2)
  for (let k = 0; k < m; k++) childCount[(parentNode[k] as number) < 0 ? m + 1 : (parentNode[k] as number) + 1]!++
  const childStart = new Int32Array(m + 2)
  for (let k = 0; k <= m; k++) childStart[k + 1] = (childStart[k] as number) + (childCount[k + 1] as number)
  const fill = childStart.slice()
  const children = new Int32Array(m)
  for (let k = 0; k < m; k++) {
    const slot = (parentNode[k] as number) < 0 ? m : (parentNode[k] as number)
    children[fill[slot]!++] = k
  }
  const heaviestFirst = (a: number, b: number) =>
    (total[b] as number) - (total[a] as number) ||
    compareText(trace.services[service[a] as number] ?? '', trace.services[service[b] as number] ?? '') ||
    compareText(trace.names[name[a] as number] ?? '', trace.names[name[b] as number] ?? '') ||
    a - b
  for (let slot = 0; slot <= m; slot++) {
    const from = childStart[slot] as number
    const to = childStart[slot + 1] as number
    if (to - from > 1) children.subarray(from, to).sort(heaviestFirst)
  }

  // 3. Positions: parents before children (creation order), each parent placing its children.
  const startX = new Float64Array(m)
  const endX = new Float64Array(m)
  const place = (slot: number, originX: number, allottedX: number, ownTotal: number, scale: number) => {
    const from = childStart[slot] as number
    const to = childStart[slot + 1] as number
    let childSum = 0
    for (let c = from; c < to; c++) childSum += total[children[c] as number] as number
    const childScale = childSum > ownTotal && childSum > 0 ? allottedX / childSum : scale
    let x = originX
    for (let c = from; c < to; c++) {
      const child = children[c] as number
      startX[child] = x
      x += (total[child] as number) * childScale
      endX[child] = x
    }
  }
  let rootSum = 0
  for (let c = childStart[m] as number; c < (childStart[m + 1] as number); c++) rootSum += total[children[c] as number] as number
  place(m, 0, rootSum, rootSum, 1)
  for (let k = 0; k < m; k++) {
    const allotted = (endX[k] as number) - (startX[k] as number)
    const ownTotal = total[k] as number
    place(k, startX[k] as number, allotted, ownTotal, ownTotal > 0 ? allotted / ownTotal : 0)
  }

  const depth = Int32Array.from(nodeDepth)
  let rowCount = 0
  for (let k = 0; k < m; k++) rowCount = Math.max(rowCount, (depth[k] as number) + 1)
  const selfArray = Float64Array.from(self)
  const firstSpan = Int32Array.from(first)
  return {
    mode: 'merged',
    itemCount: m,
    startX,
    endX,
    depth,
    serviceIndex: Int32Array.from(service),
    nameIndex: Int32Array.from(name),
    totalNs: Float64Array.from(total),
    selfNs: selfArray,
    criticalNs: Float64Array.from(critical),
    spanCount: Int32Array.from(count),
    firstSpan,
    itemOfSpan,
    rowCount,
    ...groupByRow(depth, rowCount, startX, endX),
    minX: 0,
    maxX: rootSum,
    referenceNs: rootSum,
    maxSelfNs: maxOf(selfArray),
    critical: { rowStart: new Int32Array(rowCount + 1), startX: new Float64Array(0), endX: new Float64Array(0), rowMaxEnd: new Float64Array(0) },
  }
}

/** CSR rows: items grouped by row (counting sort), each row sorted by start then end. */
function groupByRow(
  rowOf: Int32Array,
  rowCount: number,
  startX: Float64Array,
  endX: Float64Array,
): { rowStart: Int32Array; rowItems: Int32Array; rowMaxEnd: Float64Array } {
  const count = rowOf.length
  const rowStart = new Int32Array(rowCount + 1)
  for (let i = 0; i < count; i++) rowStart[(rowOf[i] as number) + 1]!++
  for (let r = 0; r < rowCount; r++) rowStart[r + 1]! += rowStart[r] as number
  const fill = rowStart.slice(0, rowCount)
  const rowItems = new Int32Array(count)
  for (let i = 0; i < count; i++) rowItems[fill[rowOf[i] as number]!++] = i
  const byStart = (a: number, b: number) => (startX[a] as number) - (startX[b] as number) || (endX[a] as number) - (endX[b] as number) || a - b
  const rowMaxEnd = new Float64Array(count)
  for (let r = 0; r < rowCount; r++) {
    const from = rowStart[r] as number
    const to = rowStart[r + 1] as number
    const row = rowItems.subarray(from, to)
    if (!isSortedBy(row, byStart)) row.sort(byStart)
    let maxEnd = Number.NEGATIVE_INFINITY
    for (let k = from; k < to; k++) {
      maxEnd = Math.max(maxEnd, endX[rowItems[k] as number] as number)
      rowMaxEnd[k] = maxEnd
    }
  }
  return { rowStart, rowItems, rowMaxEnd }
}

function isSortedBy(items: Int32Array, compare: (a: number, b: number) => number): boolean {
  for (let k = 1; k < items.length; k++) if (compare(items[k - 1] as number, items[k] as number) > 0) return false
  return true
}

function groupCriticalSegments(trace: Trace, criticalPath: CriticalPath, rowCount: number): CriticalRows {
  const segments = criticalPath.segmentSpan.length
  const rowOfSegment = new Int32Array(segments)
  for (let s = 0; s < segments; s++) rowOfSegment[s] = trace.depth[criticalPath.segmentSpan[s] as number] as number
  const grouped = groupByRow(rowOfSegment, rowCount, criticalPath.segmentStartNs, criticalPath.segmentEndNs)
  const startX = new Float64Array(segments)
  const endX = new Float64Array(segments)
  for (let k = 0; k < segments; k++) {
    const s = grouped.rowItems[k] as number
    startX[k] = criticalPath.segmentStartNs[s] as number
    endX[k] = criticalPath.segmentEndNs[s] as number
  }
  return { rowStart: grouped.rowStart, startX, endX, rowMaxEnd: grouped.rowMaxEnd }
}

function maxOf(values: Float64Array): number {
  let max = 0
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number
  return max
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** First position k in [from, to) with `maxEnd[k] >= x` (to when none): the first item that can reach x. */
function firstReaching(maxEnd: Float64Array, from: number, to: number, x: number): number {
  let lo = from
  let hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((maxEnd[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The visible horizontal window, in layout x, and the width it is drawn into. */
export interface FlameWindow {
  readonly startX: number
  readonly endX: number
  readonly widthPx: number
}

/**
 * What one row draws: rectangles in view px. `count[k] === 1` is one item; more is a bucket of
 * that many items, each narrower than `minItemPx`, merged because they fall within a pixel of
 * each other (drawn grey, with the count in the tooltip). Buffers are reused between rows and
 * frames: `cullRow` grows them when needed and returns the rectangle count.
 */
export class RowDrawList {
  x0 = new Float64Array(256)
  x1 = new Float64Array(256)
  /** The item drawn, or for a bucket its first item. */
  item = new Int32Array(256)
  count = new Int32Array(256)
  length = 0

  push(x0: number, x1: number, item: number, count: number): void {
    if (this.length === this.x0.length) this.grow()
    this.x0[this.length] = x0
    this.x1[this.length] = x1
    this.item[this.length] = item
    this.count[this.length] = count
    this.length++
  }

  private scratchCells = new Int32Array(0)
  private visibleFlags = new Uint8Array(0)

  /** A reusable Int32Array of at least `size` cells (for the occlusion pass). */
  scratch(size: number): Int32Array {
    if (this.scratchCells.length < size) this.scratchCells = new Int32Array(size)
    return this.scratchCells
  }

  visibility(size: number): Uint8Array {
    if (this.visibleFlags.length < size) this.visibleFlags = new Uint8Array(Math.max(size, this.visibleFlags.length * 2))
    return this.visibleFlags
  }

  private grow(): void {
    const capacity = this.x0.length * 2
    const x0 = new Float64Array(capacity)
    x0.set(this.x0)
    const x1 = new Float64Array(capacity)
    x1.set(this.x1)
    const item = new Int32Array(capacity)
    item.set(this.item)
    const count = new Int32Array(capacity)
    count.set(this.count)
    this.x0 = x0
    this.x1 = x1
    this.item = item
    this.count = count
  }
}

/** Narrower than this (in view px) an item is merged into a bucket with its neighbours. */
export const MIN_ITEM_PX = 1

/**
 * Culls one row to the window and merges sub-pixel items into buckets. Visits only the items
 * that can overlap the window (binary search on the running max end, then until a start passes
 * the right edge), so a frame costs what is on screen, not what is in the trace. Rectangles are
 * clamped to [-1, widthPx + 1] so that deep zooms never hand the canvas huge coordinates.
 */
export function cullRow(layout: FlameLayout, row: number, window: FlameWindow, out: RowDrawList, minItemPx = MIN_ITEM_PX): number {
  out.length = 0
  if (row < 0 || row >= layout.rowCount) return 0
  const span = window.endX - window.startX
  if (!(span > 0) || window.widthPx <= 0) return 0
  const scale = window.widthPx / span
  const from = layout.rowStart[row] as number
  const to = layout.rowStart[row + 1] as number
  let bucketX0 = 0
  let bucketX1 = -Infinity
  let bucketItem = -1
  let bucketCount = 0
  const flush = () => {
    if (bucketCount > 0) out.push(bucketX0, Math.max(bucketX1, bucketX0 + minItemPx), bucketItem, bucketCount)
    bucketCount = 0
    bucketX1 = -Infinity
  }
  for (let k = firstReaching(layout.rowMaxEnd, from, to, window.startX); k < to; k++) {
    const item = layout.rowItems[k] as number
    const itemStart = layout.startX[item] as number
    if (itemStart > window.endX) break
    const itemEnd = layout.endX[item] as number
    if (itemEnd < window.startX) continue
    const x0 = Math.max(-1, (itemStart - window.startX) * scale)
    const x1 = Math.min(window.widthPx + 1, (itemEnd - window.startX) * scale)
    if (x1 - x0 >= minItemPx) {
      // A wide item does not close the open bucket: narrow items keep merging around it.
      out.push(x0, x1, item, 1)
      continue
    }
    if (bucketCount > 0 && x0 <= bucketX1 + minItemPx) {
      bucketX1 = Math.max(bucketX1, x1)
      bucketCount++
    } else {
      flush()
      bucketX0 = x0
      bucketX1 = x1
      bucketItem = item
      bucketCount = 1
    }
  }
  flush()
  dropOccluded(out, window.widthPx)
  return out.length
}

/**
 * Removes the rectangles that later ones (drawn on top) cover completely, at pixel resolution.
 * Heavily parallel traces stack thousands of spans in one row (a 100,000-span generated trace
 * has ~50,000 rectangles at least a pixel wide on a 1,200 px screen, 96 % of them invisible);
 * after this pass every rectangle owns at least one pixel, so a row never draws more than
 * `widthPx + 2`. Walks the rectangles topmost first with a "next uncovered pixel" union-find,
 * so each pixel is covered once: O(rectangles + pixels).
 */
function dropOccluded(out: RowDrawList, widthPx: number): void {
  const count = out.length
  if (count < 2) return
  const cells = Math.ceil(widthPx) + 1
  const next = out.scratch(cells + 1)
  for (let c = 0; c <= cells; c++) next[c] = c
  const find = (cell: number) => {
    let root = cell
    while ((next[root] as number) !== root) root = next[root] as number
    while ((next[cell] as number) !== root) {
      const up = next[cell] as number
      next[cell] = root
      cell = up
    }
    return root
  }
  const isVisible = out.visibility(count)
  for (let k = count - 1; k >= 0; k--) {
    const from = Math.max(0, Math.floor(out.x0[k] as number))
    const to = Math.min(cells, Math.max(from + 1, Math.ceil(out.x1[k] as number)))
    let cell = find(from)
    isVisible[k] = cell < to ? 1 : 0
    while (cell < to) {
      next[cell] = cell + 1
      cell = find(cell + 1)
    }
  }
  let kept = 0
  for (let k = 0; k < count; k++) {
    if (!isVisible[k]) continue
    out.x0[kept] = out.x0[k] as number
    out.x1[kept] = out.x1[k] as number
    out.item[kept] = out.item[k] as number
    out.count[kept] = out.count[k] as number
    kept++
  }
  out.length = kept
}

/**
 * The critical-path segments of one row within the window, as [x0, x1] pairs in view px, with
 * sub-pixel segments that touch merged (one pixel of dark overlay, not thousands).
 */
export function cullCriticalRow(layout: FlameLayout, row: number, window: FlameWindow, out: RowDrawList): number {
  out.length = 0
  const critical = layout.critical
  if (row < 0 || row + 1 >= critical.rowStart.length) return 0
  const span = window.endX - window.startX
  if (!(span > 0)) return 0
  const scale = window.widthPx / span
  const from = critical.rowStart[row] as number
  const to = critical.rowStart[row + 1] as number
  let openX0 = 0
  let openX1 = -Infinity
  let count = 0
  for (let k = firstReaching(critical.rowMaxEnd, from, to, window.startX); k < to; k++) {
    const segmentStart = critical.startX[k] as number
    if (segmentStart > window.endX) break
    const segmentEnd = critical.endX[k] as number
    if (segmentEnd < window.startX) continue
    const x0 = Math.max(-1, (segmentStart - window.startX) * scale)
    const x1 = Math.min(window.widthPx + 1, (segmentEnd - window.startX) * scale)
    if (count > 0 && x0 <= openX1 + 0.5) {
      openX1 = Math.max(openX1, x1)
      count++
      continue
    }
    if (count > 0) out.push(openX0, Math.max(openX1, openX0 + 1), -1, count)
    openX0 = x0
    openX1 = x1
    count = 1
  }
  if (count > 0) out.push(openX0, Math.max(openX1, openX0 + 1), -1, count)
  return out.length
}

/**
 * The item under layout x in a row, or -1. Exact hits first (the latest-starting one, which is
 * drawn on top); failing that, one within `toleranceX` (so that a one-pixel sliver can be hovered).
 */
export function hitTestRow(layout: FlameLayout, row: number, x: number, toleranceX: number): number {
  if (row < 0 || row >= layout.rowCount) return -1
  const exact = findCovering(layout, row, x, x)
  return exact >= 0 || toleranceX <= 0 ? exact : findCovering(layout, row, x - toleranceX, x + toleranceX)
}

function findCovering(layout: FlameLayout, row: number, lowX: number, highX: number): number {
  const from = layout.rowStart[row] as number
  const to = layout.rowStart[row + 1] as number
  // Last position whose item starts at or before highX.
  let lo = from
  let hi = to
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((layout.startX[layout.rowItems[mid] as number] as number) <= highX) lo = mid + 1
    else hi = mid
  }
  for (let k = lo - 1; k >= from && (layout.rowMaxEnd[k] as number) >= lowX; k--) {
    const item = layout.rowItems[k] as number
    if ((layout.endX[item] as number) >= lowX) return item
  }
  return -1
}

/**
 * Items whose span name or service contains the query (case-insensitive), as a 0/1 mask, and
 * how many spans they hold; undefined for an empty query. Matches the interned tables once, so
 * the per-item test is two array reads.
 */
export function matchFlameItems(layout: FlameLayout, trace: Trace, query: string): { mask: Uint8Array; spanCount: number; itemCount: number } | undefined {
  const needle = query.trim().toLowerCase()
  if (needle === '') return undefined
  const nameMatches = trace.names.map((name) => name.toLowerCase().includes(needle))
  const serviceMatches = trace.services.map((service) => service.toLowerCase().includes(needle))
  const mask = new Uint8Array(layout.itemCount)
  let spanCount = 0
  let itemCount = 0
  for (let i = 0; i < layout.itemCount; i++) {
    if (nameMatches[layout.nameIndex[i] as number] || serviceMatches[layout.serviceIndex[i] as number]) {
      mask[i] = 1
      spanCount += layout.spanCount[i] as number
      itemCount++
    }
  }
  return { mask, spanCount, itemCount }
}
