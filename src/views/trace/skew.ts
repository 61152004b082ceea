import { adjustClockSkew, withAdjustedTimes } from '../../model/analyses/clock-skew.ts'
import type { SkewAdjustment } from '../../model/analyses/clock-skew.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * The clock-skew adjustment of a raw trace and the adjusted trace, computed once per `Trace`
 * object: toggling back and forth must give the same adjusted object, or every per-trace state
 * and cache would start over.
 */
const adjustments = new WeakMap<Trace, SkewAdjustment>()
const adjustedTraces = new WeakMap<Trace, Trace>()

export function getSkewAdjustment(trace: Trace): SkewAdjustment {
  let adjustment = adjustments.get(trace)
  if (!adjustment) {
    adjustment = adjustClockSkew(trace)
    adjustments.set(trace, adjustment)
  }
  return adjustment
}

export function getAdjustedTrace(trace: Trace): Trace {
  let adjusted = adjustedTraces.get(trace)
  if (!adjusted) {
    adjusted = withAdjustedTimes(trace, getSkewAdjustment(trace))
    adjustedTraces.set(trace, adjusted)
  }
  return adjusted
}

/** The adjusted trace of `trace` if it has been computed, without computing it. */
export function peekAdjustedTrace(trace: Trace): Trace | undefined {
  return adjustedTraces.get(trace)
}
