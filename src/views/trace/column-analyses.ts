import type { ObjectMemo } from '../../lib/memoize.ts'
import type { CriticalPath } from '../../model/analyses/critical-path.ts'
import type { Trace } from '../../model/trace.ts'

// Per-trace memos that read only a trace's columns (times, tree, names, services, ids), never
// its span details. When the details arrive, the trace becomes a new object with the same
// columns: these values hold for it as they are, and a million-span critical path (about a
// quarter of a second) is not computed twice. The views' modules register their memos here, so
// that the app can carry them over without loading the views' code.
const memos: Array<ObjectMemo<Trace, unknown>> = []

/** A critical path the import worker computed (see `WorkerCriticalPath`), with its compute time. */
export interface ComputedCriticalPath {
  readonly path: CriticalPath
  readonly computeMs: number
}

// By trace object (they go with their trace), for `getCriticalPath`; the app puts them here as the
// traces arrive, without loading the views' code.
const criticalPathsFromWorker = new WeakMap<Trace, ComputedCriticalPath>()

/** Registers `memo` as reading columns only; returns it. */
export function columnsOnly<V>(memo: ObjectMemo<Trace, V>): ObjectMemo<Trace, V> {
  memos.push(memo as ObjectMemo<Trace, unknown>)
  return memo
}

/** Gives `to` (the same trace with its span details) every column-only value computed for `from`. */
export function carryColumnAnalyses(from: Trace, to: Trace): void {
  for (const memo of memos) memo.carry(from, to)
  const fromWorker = criticalPathsFromWorker.get(from)
  if (fromWorker && !criticalPathsFromWorker.has(to)) criticalPathsFromWorker.set(to, fromWorker)
}

export function rememberWorkerCriticalPath(trace: Trace, computed: ComputedCriticalPath): void {
  criticalPathsFromWorker.set(trace, computed)
}

/** The worker's critical path of `trace`, if it sent one. */
export function workerCriticalPathOf(trace: Trace): ComputedCriticalPath | undefined {
  return criticalPathsFromWorker.get(trace)
}
