import { detectClockSkew } from '../../model/analyses/clock-skew.ts'
import type { SkewFinding } from '../../model/analyses/clock-skew.ts'
import { computeSelfTimes } from '../../model/analyses/self-time.ts'
import type { WarningKind } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * Per-trace facts the span detail panel needs, computed once per `Trace` object (traces are
 * immutable, so the object is the cache key; an adjusted or rebuilt trace is a new object).
 */
function memoizePerTrace<T>(compute: (trace: Trace) => T): (trace: Trace) => T {
  const cache = new WeakMap<Trace, T>()
  return (trace) => {
    let value = cache.get(trace)
    if (value === undefined) {
      value = compute(trace)
      cache.set(trace, value)
    }
    return value
  }
}

export const getSelfTimes = memoizePerTrace(computeSelfTimes)

/** Span id → index of the first span with that id (ids are not unique: Zipkin shared spans, buggy SDKs). */
export const getSpanIndexById = memoizePerTrace((trace: Trace): ReadonlyMap<string, number> => {
  const byId = new Map<string, number>()
  for (let i = 0; i < trace.spanCount; i++) {
    const id = trace.spanIds[i]
    if (id !== undefined && !byId.has(id)) byId.set(id, i)
  }
  return byId
})

/** Span id → the kinds of trace warnings that name it, in the trace's warning order. */
export const getWarningKindsBySpanId = memoizePerTrace((trace: Trace): ReadonlyMap<string, readonly WarningKind[]> => {
  const byId = new Map<string, WarningKind[]>()
  for (const warning of trace.warnings) {
    for (const id of warning.spanIds) {
      const kinds = byId.get(id)
      if (!kinds) byId.set(id, [warning.kind])
      else if (!kinds.includes(warning.kind)) kinds.push(warning.kind)
    }
  }
  return byId
})

/** Span index → its clock-skew finding, for the spans `detectClockSkew` lists. */
export const getSkewFindings = memoizePerTrace((trace: Trace): ReadonlyMap<number, SkewFinding> => {
  const byIndex = new Map<number, SkewFinding>()
  for (const finding of detectClockSkew(trace)) byIndex.set(finding.index, finding)
  return byIndex
})
