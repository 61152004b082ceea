import { describe, expect, it } from 'vitest'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import type { Trace } from '../../model/trace.ts'
import { countSpansPerService, getCriticalStrips } from '../waterfall/trace-derived.ts'
import { carryTraceState } from './carry-trace-state.ts'
import { getSkewAdjustment } from './skew.ts'
import { getCriticalPath, getCriticalPathSummary, getSelfTimes, getSpanIndexById } from './trace-analyses.ts'

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
