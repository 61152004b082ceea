import { computeCriticalPath, summarizeCriticalPath } from '../../model/analyses/critical-path.ts'
import type { CriticalPath, CriticalPathSummary } from '../../model/analyses/critical-path.ts'
import { computeSelfTimes } from '../../model/analyses/self-time.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * The analyses the views share, computed once per `Trace` object (a trace is immutable, and a
 * rebuilt trace is a new object), so that switching between the flame graph, the statistics
 * and the critical-path table never recomputes them.
 */
const criticalPaths = new WeakMap<Trace, CriticalPath>()
const selfTimes = new WeakMap<Trace, Float64Array>()
const summaries = new WeakMap<Trace, CriticalPathSummary>()

export function getCriticalPath(trace: Trace): CriticalPath {
  let path = criticalPaths.get(trace)
  if (!path) {
    path = computeCriticalPath(trace)
    criticalPaths.set(trace, path)
  }
  return path
}

export function getSelfTimes(trace: Trace): Float64Array {
  let times = selfTimes.get(trace)
  if (!times) {
    times = computeSelfTimes(trace)
    selfTimes.set(trace, times)
  }
  return times
}

export function getCriticalPathSummary(trace: Trace): CriticalPathSummary {
  let summary = summaries.get(trace)
  if (!summary) {
    summary = summarizeCriticalPath(trace, getCriticalPath(trace))
    summaries.set(trace, summary)
  }
  return summary
}
