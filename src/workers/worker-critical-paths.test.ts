import { describe, expect, it } from 'vitest'
import { computeCriticalPath } from '../model/analyses/critical-path.ts'
import { fixtureTraces } from '../model/analyses/testing/fixture-traces.ts'
import { transferablesOf } from '../model/trace.ts'
import { CRITICAL_PATH_IN_WORKER_SPANS, workerCriticalPaths } from './worker-critical-paths.ts'

describe('workerCriticalPaths', () => {
  const traces = fixtureTraces('jaeger/getTrace-response.json')
  const [trace] = traces
  if (!trace) throw new Error('no trace')

  it('computes the critical path of the traces that reach the threshold, and only those', () => {
    const { criticalPaths, buffers } = workerCriticalPaths(traces, trace.spanCount)
    expect(criticalPaths).toHaveLength(1)
    expect(criticalPaths[0]?.traceId).toBe(trace.traceId)
    expect(criticalPaths[0]?.path).toEqual(computeCriticalPath(trace))
    expect(criticalPaths[0]?.computeMs).toBeGreaterThanOrEqual(0)
    expect(buffers).toHaveLength(8)
    expect(workerCriticalPaths(traces, trace.spanCount + 1).criticalPaths).toEqual([])
    // Small traces stay with the page.
    expect(trace.spanCount).toBeLessThan(CRITICAL_PATH_IN_WORKER_SPANS)
    expect(workerCriticalPaths(traces).criticalPaths).toEqual([])
  })

  it('posts with the trace, every buffer transferred once, and arrives whole', () => {
    const { criticalPaths, buffers } = workerCriticalPaths(traces, 1)
    const expected = computeCriticalPath(trace)
    const transfer = new Set<ArrayBuffer>(buffers)
    for (const buffer of transferablesOf(trace)) transfer.add(buffer)
    // What postMessage does with the 'done' message; a buffer listed twice would throw.
    const received = structuredClone({ traces, criticalPaths }, { transfer: [...transfer] })
    expect(received.criticalPaths[0]?.path).toEqual(expected)
    expect(criticalPaths[0]?.path.criticalNs.byteLength).toBe(0)
  })
})
