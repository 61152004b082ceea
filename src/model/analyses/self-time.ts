import type { Trace } from '../trace.ts'

/**
 * Self time of every span: its duration minus the time covered by its children, where each
 * child is clipped to the span and overlapping (parallel) children count once — the union of
 * their intervals, not the sum. Asynchronous children count like any other: while one runs
 * inside the parent's interval the parent's own work is not what is being measured.
 *
 *     P  ####################      20
 *     A    ######                  2–8
 *     B       ######               5–11   union with A: 2–11
 *     C                  ######    18–24, clipped to 18–20
 *     self(P) = 20 − (9 + 2) = 9
 *
 * Children are in display order, i.e. by start time; spans without a start time sit at their
 * parent's start but sort after their siblings, so a parent whose children are out of order has
 * them sorted first. Iterative, O(n) plus that sorting.
 */
export function computeSelfTimes(trace: Trace): Float64Array {
  const n = trace.spanCount
  const start = trace.startOffsetNs
  const duration = trace.durationsNs
  const selfNs = new Float64Array(n)
  const scratch: number[] = []
  for (let p = 0; p < n; p++) {
    const spanStart = start[p] as number
    const spanEnd = spanStart + (duration[p] as number)
    const stop = trace.subtreeEnd[p] as number
    let isSorted = true
    let previousStart = Number.NEGATIVE_INFINITY
    for (let c = p + 1; c < stop; c = trace.subtreeEnd[c] as number) {
      if ((start[c] as number) < previousStart) isSorted = false
      previousStart = start[c] as number
    }
    let covered = 0
    let coveredUntil = spanStart
    const cover = (child: number) => {
      const childStart = Math.max(start[child] as number, coveredUntil)
      const childEnd = Math.min((start[child] as number) + (duration[child] as number), spanEnd)
      if (childEnd > childStart) {
        covered += childEnd - childStart
        coveredUntil = childEnd
      }
    }
    if (isSorted) {
      for (let c = p + 1; c < stop; c = trace.subtreeEnd[c] as number) cover(c)
    } else {
      scratch.length = 0
      for (let c = p + 1; c < stop; c = trace.subtreeEnd[c] as number) scratch.push(c)
      scratch.sort((a, b) => (start[a] as number) - (start[b] as number) || a - b)
      for (const c of scratch) cover(c)
    }
    selfNs[p] = Math.max(0, (duration[p] as number) - covered)
  }
  return selfNs
}
