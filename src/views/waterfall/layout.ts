import type { Trace } from '../../model/trace.ts'

/**
 * The rows of the waterfall: which spans are visible after collapsing and filtering, in display
 * (depth-first) order. Pure.
 *
 * Cost. The trace is depth-first, so a span's descendants are exactly `i+1 … subtreeEnd[i]-1`
 * and skipping a collapsed, hidden or filtered-out subtree is one jump. Building the rows is
 * O(visible rows + skipped subtrees), not O(spans): a million-span trace collapsed to its root
 * lays out in a handful of steps. The filters that need a whole-trace pass (search matches,
 * critical path) are turned into a `keep` mask once, by `markWithAncestors`, and reused.
 */

export const RowKind = {
  Span: 0,
  /** A run of sibling subtrees hidden by the service filter, summarised in one row. */
  Hidden: 1,
} as const

export interface WaterfallLayout {
  /**
   * Per row, a span index. For a `Hidden` row, the first span of the hidden run. Strictly
   * increasing, so `findRow` is a binary search.
   */
  readonly rows: Int32Array
  /** Per row, a `RowKind`. */
  readonly kinds: Uint8Array
  /** For `Hidden` rows, keyed by the row's span index: the exclusive end of the hidden run. */
  readonly hiddenEnd: ReadonlyMap<number, number>
}

export interface WaterfallLayoutOptions {
  /** Spans whose descendants are hidden. */
  readonly collapsed: ReadonlySet<number>
  /** Service indexes whose spans (with their subtrees) are hidden and summarised. */
  readonly hiddenServices?: ReadonlySet<number>
  /**
   * 1 for spans to show, 0 for spans to drop without a summary (only matches, critical path
   * only). Must be closed under ancestors (see `markWithAncestors`): a dropped span's whole
   * subtree is skipped.
   */
  readonly keep?: Uint8Array
}

/** A growable Int32Array + Uint8Array pair; starts small so that a collapsed layout stays O(rows). */
class RowBuffer {
  length = 0
  rows: Int32Array
  kinds: Uint8Array

  constructor(capacity: number) {
    this.rows = new Int32Array(Math.max(1, capacity))
    this.kinds = new Uint8Array(Math.max(1, capacity))
  }

  push(span: number, kind: number): void {
    if (this.length === this.rows.length) {
      const rows = new Int32Array(this.rows.length * 2)
      rows.set(this.rows)
      const kinds = new Uint8Array(this.kinds.length * 2)
      kinds.set(this.kinds)
      this.rows = rows
      this.kinds = kinds
    }
    this.rows[this.length] = span
    this.kinds[this.length] = kind
    this.length++
  }
}

export function layoutWaterfall(trace: Trace, options: WaterfallLayoutOptions): WaterfallLayout {
  const n = trace.spanCount
  const { collapsed, keep } = options
  const hiddenMask = options.hiddenServices && options.hiddenServices.size > 0 ? serviceMask(trace, options.hiddenServices) : undefined
  const hiddenEnd = new Map<number, number>()

  // Fast path: nothing collapsed or filtered is the identity.
  if (collapsed.size === 0 && !hiddenMask && !keep) {
    const rows = new Int32Array(n)
    for (let i = 0; i < n; i++) rows[i] = i
    return { rows, kinds: new Uint8Array(n), hiddenEnd }
  }

  const subtreeEnd = trace.subtreeEnd
  const buffer = new RowBuffer(Math.min(n, 1024))
  for (let i = 0; i < n;) {
    if (keep && keep[i] === 0) {
      i = subtreeEnd[i] as number
      continue
    }
    if (hiddenMask && hiddenMask[trace.serviceIndex[i] as number] === 1) {
      // Merge the run of hidden siblings that follow: their subtrees are contiguous.
      const parent = trace.parentIndex[i] as number
      let end = subtreeEnd[i] as number
      while (end < n && (trace.parentIndex[end] as number) === parent && hiddenMask[trace.serviceIndex[end] as number] === 1 && (!keep || keep[end] === 1)) {
        end = subtreeEnd[end] as number
      }
      buffer.push(i, RowKind.Hidden)
      hiddenEnd.set(i, end)
      i = end
      continue
    }
    buffer.push(i, RowKind.Span)
    i = collapsed.has(i) ? (subtreeEnd[i] as number) : i + 1
  }
  return { rows: buffer.rows.slice(0, buffer.length), kinds: buffer.kinds.slice(0, buffer.length), hiddenEnd }
}

function serviceMask(trace: Trace, services: ReadonlySet<number>): Uint8Array {
  const mask = new Uint8Array(trace.services.length)
  for (const service of services) if (service >= 0 && service < mask.length) mask[service] = 1
  return mask
}

/**
 * 1 for every span that is marked or has a marked descendant. O(spans), once per filter: the
 * trace is depth-first, so walking backwards reaches every child before its parent.
 */
export function markWithAncestors(trace: Trace, isMarked: (index: number) => boolean): Uint8Array {
  const keep = new Uint8Array(trace.spanCount)
  for (let i = trace.spanCount - 1; i >= 0; i--) {
    if (keep[i] === 1 || isMarked(i)) {
      keep[i] = 1
      const parent = trace.parentIndex[i] as number
      if (parent >= 0) keep[parent] = 1
    }
  }
  return keep
}

/** The intersection of two keep masks (both closed under ancestors, so the result is too). */
export function intersectKeep(a: Uint8Array | undefined, b: Uint8Array | undefined): Uint8Array | undefined {
  if (!a) return b
  if (!b) return a
  const keep = new Uint8Array(a.length)
  for (let i = 0; i < a.length; i++) keep[i] = (a[i] as number) & (b[i] as number)
  return keep
}

/** The row showing a span (or its hidden run's first span), or -1. Binary search: rows increase. */
export function findRow(layout: WaterfallLayout, spanIndex: number): number {
  const rows = layout.rows
  let low = 0
  let high = rows.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const value = rows[mid] as number
    if (value === spanIndex) return mid
    if (value < spanIndex) low = mid + 1
    else high = mid - 1
  }
  return -1
}

/** The row a span is drawn in, or -1 when it is not a visible span row (collapsed away, filtered, or in a hidden run). */
export function findSpanRow(layout: WaterfallLayout, spanIndex: number): number {
  const row = findRow(layout, spanIndex)
  return row >= 0 && layout.kinds[row] === RowKind.Span ? row : -1
}

export function hasChildren(trace: Trace, index: number): boolean {
  return (trace.subtreeEnd[index] as number) > index + 1
}

/** Number of descendants (not only direct children) of a span. */
export function countDescendants(trace: Trace, index: number): number {
  return (trace.subtreeEnd[index] as number) - index - 1
}

// Collapse operations. Each returns a new set (stores replace, never mutate).

/** Every span with children: only the roots remain. */
export function collapseAll(trace: Trace): Set<number> {
  const collapsed = new Set<number>()
  for (let i = 0; i < trace.spanCount; i++) if (hasChildren(trace, i)) collapsed.add(i)
  return collapsed
}

/** Collapses every span at `depth` that has children, so the tree shows `depth + 1` levels. */
export function collapseBelowDepth(trace: Trace, depth: number): Set<number> {
  const collapsed = new Set<number>()
  for (let i = 0; i < trace.spanCount; i++) if ((trace.depth[i] as number) === depth && hasChildren(trace, i)) collapsed.add(i)
  return collapsed
}

export function toggleCollapsed(collapsed: ReadonlySet<number>, index: number): Set<number> {
  const next = new Set(collapsed)
  if (!next.delete(index)) next.add(index)
  return next
}

/** Collapses a span and every descendant with children, so expanding it again shows one level at a time. */
export function collapseSubtree(trace: Trace, collapsed: ReadonlySet<number>, index: number): Set<number> {
  const next = new Set(collapsed)
  const end = trace.subtreeEnd[index] as number
  for (let i = index; i < end; i++) if (hasChildren(trace, i)) next.add(i)
  return next
}

/** Expands a span and everything below it. */
export function expandSubtree(trace: Trace, collapsed: ReadonlySet<number>, index: number): Set<number> {
  const end = trace.subtreeEnd[index] as number
  const next = new Set<number>()
  for (const i of collapsed) if (i < index || i >= end) next.add(i)
  return next
}

/** Expands one more level under a span: the span and its direct children with children become collapsed-at-children. */
export function expandOneLevel(trace: Trace, collapsed: ReadonlySet<number>, index: number): Set<number> {
  const next = new Set(collapsed)
  next.delete(index)
  const end = trace.subtreeEnd[index] as number
  for (let c = index + 1; c < end; c = trace.subtreeEnd[c] as number) if (hasChildren(trace, c)) next.add(c)
  return next
}

/** The collapsed set with the ancestors of `index` expanded, so that the span is visible; the same set when nothing changes. */
export function revealSpan(trace: Trace, collapsed: ReadonlySet<number>, index: number): ReadonlySet<number> {
  let next: Set<number> | undefined
  for (let p = trace.parentIndex[index] as number; p >= 0; p = trace.parentIndex[p] as number) {
    if (collapsed.has(p)) {
      next ??= new Set(collapsed)
      next.delete(p)
    }
  }
  return next ?? collapsed
}

// Keyboard movement.

export type MoveKey = 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'left' | 'right' | 'toggle'

export interface TreeMove {
  /** The span to select. */
  readonly select?: number
  /** The span whose collapsed state flips. */
  readonly toggle?: number
}

/**
 * What a key does, after the WAI-ARIA tree pattern: up/down (j/k) move over span rows (hidden
 * summaries are skipped), right expands or enters the first child, left collapses or goes to
 * the parent, space toggles. With nothing selected (or the selection not on screen), any
 * movement selects the first span row.
 */
export function moveSelection(
  trace: Trace,
  layout: WaterfallLayout,
  collapsed: ReadonlySet<number>,
  selected: number | undefined,
  key: MoveKey,
  pageRows = 20,
): TreeMove {
  const count = layout.rows.length
  const spanRowFrom = (row: number, step: 1 | -1): number => {
    for (let r = row; r >= 0 && r < count; r += step) if (layout.kinds[r] === RowKind.Span) return layout.rows[r] as number
    return -1
  }
  const first = spanRowFrom(0, 1)
  if (first < 0) return {}
  const row = selected === undefined ? -1 : findSpanRow(layout, selected)
  if (row < 0) return { select: first }
  const index = selected as number
  const toward = (target: number, step: 1 | -1): TreeMove => {
    const clamped = Math.min(count - 1, Math.max(0, target))
    const found = spanRowFrom(clamped, step)
    const fallback = spanRowFrom(clamped, step === 1 ? -1 : 1)
    const span = found >= 0 ? found : fallback
    return span >= 0 ? { select: span } : {}
  }
  switch (key) {
    case 'down':
      return row + 1 < count ? toward(row + 1, 1) : {}
    case 'up':
      return row > 0 ? toward(row - 1, -1) : {}
    case 'pageDown':
      return toward(row + pageRows, 1)
    case 'pageUp':
      return toward(row - pageRows, -1)
    case 'home':
      return toward(0, 1)
    case 'end':
      return toward(count - 1, -1)
    case 'right': {
      if (!hasChildren(trace, index)) return {}
      if (collapsed.has(index)) return { toggle: index }
      const next = row + 1 < count && (layout.rows[row + 1] as number) < (trace.subtreeEnd[index] as number) ? toward(row + 1, 1) : {}
      return next.select !== undefined && (next.select as number) < (trace.subtreeEnd[index] as number) ? next : {}
    }
    case 'left': {
      if (hasChildren(trace, index) && !collapsed.has(index)) return { toggle: index }
      const parent = trace.parentIndex[index] as number
      return parent >= 0 && findSpanRow(layout, parent) >= 0 ? { select: parent } : {}
    }
    case 'toggle':
      return hasChildren(trace, index) ? { toggle: index } : {}
  }
}
