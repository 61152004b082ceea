import type { Trace } from '../../model/trace.ts'

/**
 * The rows of the span tree: which spans are visible given the collapsed ones, and how the
 * keyboard moves through them. Pure, and linear in the number of visible rows plus collapsed
 * subtrees skipped, thanks to the depth-first order: a span's descendants are exactly
 * `i+1 … subtreeEnd[i]-1`, so collapsing one is a jump.
 */

export function hasChildren(trace: Trace, index: number): boolean {
  return (trace.subtreeEnd[index] as number) > index + 1
}

/** Number of descendants (not only direct children) of a span. */
export function countDescendants(trace: Trace, index: number): number {
  return (trace.subtreeEnd[index] as number) - index - 1
}

/** Span indexes of the visible rows, in display (depth-first) order, so always increasing. */
export function layoutSpanTree(trace: Trace, collapsed: ReadonlySet<number>): Int32Array {
  if (collapsed.size === 0) {
    const rows = new Int32Array(trace.spanCount)
    for (let i = 0; i < rows.length; i++) rows[i] = i
    return rows
  }
  const rows = new Int32Array(trace.spanCount)
  let count = 0
  for (let i = 0; i < trace.spanCount;) {
    rows[count++] = i
    i = collapsed.has(i) ? (trace.subtreeEnd[i] as number) : i + 1
  }
  return rows.slice(0, count)
}

/** The row showing a span, or -1 when it is hidden in a collapsed subtree. Binary search: rows increase. */
export function findRow(rows: Int32Array, spanIndex: number): number {
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

/** Every span with children: collapsing them all leaves only the roots. */
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

/** The collapsed set with the ancestors of `index` expanded, so that the span is visible. */
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

export type TreeKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End' | 'PageUp' | 'PageDown' | 'Enter' | ' '

export const TREE_KEYS: ReadonlySet<string> = new Set<TreeKey>([
  'ArrowUp',
  'ArrowDown',
  'ArrowLeft',
  'ArrowRight',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Enter',
  ' ',
])

export interface TreeMove {
  /** The span to select. */
  readonly select?: number
  /** The span whose collapsed state flips. */
  readonly toggle?: number
}

/**
 * What a key does in the tree, following the WAI-ARIA tree pattern: up/down move, right
 * expands or enters the first child, left collapses or goes to the parent, Enter/Space toggle.
 * With nothing selected, any movement key selects the first row.
 */
export function moveInTree(
  trace: Trace,
  rows: Int32Array,
  collapsed: ReadonlySet<number>,
  selected: number | undefined,
  key: TreeKey,
  pageRows = 20,
): TreeMove {
  if (rows.length === 0) return {}
  const row = selected === undefined ? -1 : findRow(rows, selected)
  if (row < 0) return { select: rows[0] as number }
  const at = (r: number) => rows[Math.min(rows.length - 1, Math.max(0, r))] as number
  const index = selected as number
  switch (key) {
    case 'ArrowDown':
      return { select: at(row + 1) }
    case 'ArrowUp':
      return { select: at(row - 1) }
    case 'PageDown':
      return { select: at(row + pageRows) }
    case 'PageUp':
      return { select: at(row - pageRows) }
    case 'Home':
      return { select: at(0) }
    case 'End':
      return { select: at(rows.length - 1) }
    case 'ArrowRight':
      if (!hasChildren(trace, index)) return {}
      return collapsed.has(index) ? { toggle: index } : { select: index + 1 }
    case 'ArrowLeft': {
      if (hasChildren(trace, index) && !collapsed.has(index)) return { toggle: index }
      const parent = trace.parentIndex[index] as number
      return parent >= 0 ? { select: parent } : {}
    }
    case 'Enter':
    case ' ':
      return hasChildren(trace, index) ? { toggle: index } : {}
  }
}
