import { memoizePerObject } from '../../lib/memoize.ts'
import { detectClockSkew } from '../../model/analyses/clock-skew.ts'
import type { SkewFinding } from '../../model/analyses/clock-skew.ts'
import type { WarningKind } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'

// Per-trace facts the span detail panel needs, computed once per `Trace` object.

/** Span id → the kinds of trace warnings that name it, in the trace's warning order. */
export const getWarningKindsBySpanId = memoizePerObject((trace: Trace): ReadonlyMap<string, readonly WarningKind[]> => {
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
export const getSkewFindings = memoizePerObject((trace: Trace): ReadonlyMap<number, SkewFinding> => {
  const byIndex = new Map<number, SkewFinding>()
  for (const finding of detectClockSkew(trace)) byIndex.set(finding.index, finding)
  return byIndex
})
