import { memoizePerObject } from '../../lib/memoize.ts'
import { adjustClockSkew, withAdjustedTimes } from '../../model/analyses/clock-skew.ts'
import type { Trace } from '../../model/trace.ts'

/**
 * The clock-skew adjustment of a raw trace and the adjusted trace, computed once per `Trace`
 * object: toggling back and forth must give the same adjusted object, or every per-trace state
 * and cache would start over.
 */
export const getSkewAdjustment = memoizePerObject(adjustClockSkew)

const adjustedTraces = memoizePerObject((trace: Trace): Trace => withAdjustedTimes(trace, getSkewAdjustment(trace)))

export const getAdjustedTrace = (trace: Trace): Trace => adjustedTraces(trace)

/** The adjusted trace of `trace` if it has been computed, without computing it. */
export const peekAdjustedTrace = (trace: Trace): Trace | undefined => adjustedTraces.peek(trace)
