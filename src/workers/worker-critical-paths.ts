import { computeCriticalPath } from '../model/analyses/critical-path.ts'
import type { Trace } from '../model/trace.ts'
import type { WorkerCriticalPath } from './import-protocol.ts'

/**
 * From this many spans the import worker computes a trace's critical path before posting the
 * trace: the page computes 100,000 spans in about 20 ms but a million in 0.1–0.2 s
 * (bench/results), one long task right after the first paint, where the waterfall draws the
 * path. Below, the page's computation costs less than delaying every paint by it.
 */
export const CRITICAL_PATH_IN_WORKER_SPANS = 250_000

/** The critical paths of the traces of `minSpans` spans or more, and the buffers to transfer with them. */
export function workerCriticalPaths(
  traces: readonly Trace[],
  minSpans = CRITICAL_PATH_IN_WORKER_SPANS,
): { criticalPaths: WorkerCriticalPath[]; buffers: ArrayBuffer[] } {
  const criticalPaths: WorkerCriticalPath[] = []
  const buffers: ArrayBuffer[] = []
  for (const trace of traces) {
    if (trace.spanCount < minSpans) continue
    const startedAt = performance.now()
    const path = computeCriticalPath(trace)
    criticalPaths.push({ traceId: trace.traceId, path, computeMs: performance.now() - startedAt })
    for (const column of [
      path.segmentSpan,
      path.segmentStartNs,
      path.segmentEndNs,
      path.segmentFlow,
      path.flowRoot,
      path.flowTotalNs,
      path.criticalNs,
      path.subtreeCriticalNs,
    ])
      buffers.push(column.buffer as ArrayBuffer)
  }
  return { criticalPaths, buffers }
}
