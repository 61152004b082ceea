import { describe, expect, it } from 'vitest'
import { computeCriticalPath } from '../../model/analyses/critical-path.ts'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import type { Trace } from '../../model/trace.ts'
import { countSpansPerService, getCriticalStrips } from '../waterfall/trace-derived.ts'
import { carryTraceState } from './carry-trace-state.ts'
import { rememberWorkerCriticalPath } from './column-analyses.ts'
import { getSkewAdjustment } from './skew.ts'
import { CRITICAL_PATH_MEASURE, getCriticalPath, getCriticalPathSummary, getSelfTimes, getSpanIndexById } from './trace-analyses.ts'

describe('carryTraceState', () => {
  it('carries the column-only analyses to the trace with its details, and nothing that reads the details', () => {
    const [trace] = fixtureTraces('jaeger/getTrace-response.json')
    if (!trace) throw new Error('no trace')
    // The page's trace before the details: the same columns, no span records.
    const columnsOnly: Trace = { ...trace, spans: [] }
    const computed = [
      getCriticalPath(columnsOnly),
      getCriticalPathSummary(columnsOnly),
      getSelfTimes(columnsOnly),
      getSpanIndexById(columnsOnly),
      getCriticalStrips(columnsOnly),
      countSpansPerService(columnsOnly),
    ]
    const skew = getSkewAdjustment(columnsOnly)
    const withDetails: Trace = { ...columnsOnly, spans: trace.spans }
    carryTraceState(columnsOnly, withDetails)
    const carried = [
      getCriticalPath(withDetails),
      getCriticalPathSummary(withDetails),
      getSelfTimes(withDetails),
      getSpanIndexById(withDetails),
      getCriticalStrips(withDetails),
      countSpansPerService(withDetails),
    ]
    // The very objects: nothing was computed again.
    carried.forEach((value, i) => expect(value).toBe(computed[i]))
    // Clock skew reads each span's host from its details: computed anew.
    expect(getSkewAdjustment(withDetails)).not.toBe(skew)
  })
})

describe('a critical path computed by the import worker', () => {
  it('is the one the views get, with a measure that says where it was computed, and it carries over with the details', () => {
    const [trace] = fixtureTraces('jaeger/getTrace-response.json')
    if (!trace) throw new Error('no trace')
    const columnsOnly: Trace = { ...trace, spans: [] }
    const path = computeCriticalPath(columnsOnly)
    rememberWorkerCriticalPath(columnsOnly, { path, computeMs: 12 })
    const measures = (computedIn: string) =>
      (performance.getEntriesByName(CRITICAL_PATH_MEASURE, 'measure') as PerformanceMeasure[]).filter(
        (entry) => (entry.detail as { computedIn?: string } | null)?.computedIn === computedIn,
      )
    const computedInPage = measures('page').length
    const withDetails: Trace = { ...columnsOnly, spans: trace.spans }
    // The details arrive before any view asked for the path.
    carryTraceState(columnsOnly, withDetails)
    expect(getCriticalPath(withDetails)).toBe(path)
    expect(getCriticalPath(columnsOnly)).toBe(path)
    expect(measures('page')).toHaveLength(computedInPage)
    // Measures are listed by start time: the worker's starts its compute time before it is taken.
    const fromWorker = measures('worker')
    expect(fromWorker.map((entry) => entry.detail)).toEqual([
      { spanCount: trace.spanCount, computedIn: 'worker' },
      { spanCount: trace.spanCount, computedIn: 'worker' },
    ])
    for (const entry of fromWorker) expect(entry.duration).toBeCloseTo(12, 5)
    // A trace the worker sent nothing for is computed here.
    expect(getCriticalPath({ ...trace })).not.toBe(path)
    expect(measures('page')).toHaveLength(computedInPage + 1)
  })
})
