import type { Trace } from '../../model/trace.ts'

/**
 * The breadcrumb from a trace root to a span. Real traces have 100,000-deep chains, so the steps
 * in the middle are folded into one "…" item: the panel never renders more than
 * `head + tail + revealed` steps. Pure and tested.
 */
export type BreadcrumbItem =
  | { readonly kind: 'step'; readonly index: number }
  /** Hidden ancestors: path positions `from … to-1`. */
  | { readonly kind: 'gap'; readonly from: number; readonly to: number }

/** Steps shown before and after the "…" of a long path. */
export const BREADCRUMB_HEAD = 1
export const BREADCRUMB_TAIL = 3
/** Steps a click on "…" reveals (next to the selected span, where they matter most). */
export const BREADCRUMB_REVEAL_STEP = 20

/** The span indexes from its root down to `index` (inclusive). O(depth), iterative. */
export function findAncestorPath(trace: Trace, index: number): Int32Array {
  if (index < 0 || index >= trace.spanCount) return new Int32Array(0)
  let length = 1
  for (let p = trace.parentIndex[index] as number; p >= 0; p = trace.parentIndex[p] as number) length++
  const path = new Int32Array(length)
  let at = length - 1
  for (let p = index; p >= 0; p = trace.parentIndex[p] as number) path[at--] = p
  return path
}

/**
 * The items to render for a path: all steps when they are few, else the first `head`, a gap,
 * and the last `tail + revealed` steps.
 */
export function layoutBreadcrumb(path: ArrayLike<number>, revealed = 0, head = BREADCRUMB_HEAD, tail = BREADCRUMB_TAIL): BreadcrumbItem[] {
  const length = path.length
  const tailStart = Math.max(head, length - tail - Math.max(0, revealed))
  const items: BreadcrumbItem[] = []
  // Folding fewer than two steps would save nothing.
  if (tailStart - head < 2) {
    for (let i = 0; i < length; i++) items.push({ kind: 'step', index: path[i] as number })
    return items
  }
  for (let i = 0; i < head; i++) items.push({ kind: 'step', index: path[i] as number })
  items.push({ kind: 'gap', from: head, to: tailStart })
  for (let i = tailStart; i < length; i++) items.push({ kind: 'step', index: path[i] as number })
  return items
}
