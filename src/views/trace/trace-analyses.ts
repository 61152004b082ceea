import { memoizePerObject } from '../../lib/memoize.ts'
import { computeCriticalPath, summarizeCriticalPath } from '../../model/analyses/critical-path.ts'
import { computeSelfTimes } from '../../model/analyses/self-time.ts'
import { spanIdAt } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { columnsOnly, workerCriticalPathOf } from './column-analyses.ts'

// The analyses several views share, computed once per `Trace` object, so that switching between
// the waterfall, the flame graph, the statistics, the critical-path table and the span details
// never recomputes them. All read columns only: they carry over when the span details arrive.

/**
 * The name of the User Timing measure each critical-path computation records, so that a harness
 * can read the compute time from the page. `detail.computedIn` is 'worker' for a path the import
 * worker computed (a very large trace): the measure then ends when the page takes the path, and
 * lasts as long as the worker's computation did.
 */
export const CRITICAL_PATH_MEASURE = 'spanglass:critical-path'

export const getCriticalPath = columnsOnly(
  memoizePerObject((trace: Trace) => {
    const fromWorker = workerCriticalPathOf(trace)
    if (fromWorker) {
      const end = performance.now()
      performance.measure(CRITICAL_PATH_MEASURE, {
        start: Math.max(0, end - fromWorker.computeMs),
        end,
        detail: { spanCount: trace.spanCount, computedIn: 'worker' },
      })
      return fromWorker.path
    }
    const startedAt = performance.now()
    const path = computeCriticalPath(trace)
    performance.measure(CRITICAL_PATH_MEASURE, { start: startedAt, detail: { spanCount: trace.spanCount, computedIn: 'page' } })
    return path
  }),
)

/** Span id → index of the first span with that id (ids are not unique: Zipkin shared spans, buggy SDKs), for warnings, links and the URL. */
export const getSpanIndexById = columnsOnly(
  memoizePerObject((trace: Trace): ReadonlyMap<string, number> => {
    const byId = new Map<string, number>()
    for (let i = 0; i < trace.spanCount; i++) {
      const id = spanIdAt(trace, i)
      if (!byId.has(id)) byId.set(id, i)
    }
    return byId
  }),
)

export const getSelfTimes = columnsOnly(memoizePerObject(computeSelfTimes))

export const getCriticalPathSummary = columnsOnly(memoizePerObject((trace: Trace) => summarizeCriticalPath(trace, getCriticalPath(trace))))
