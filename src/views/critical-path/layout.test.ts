import { describe, expect, it } from 'vitest'
import { computeCriticalPath, summarizeCriticalPath } from '../../model/analyses/critical-path.ts'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import type { Trace } from '../../model/trace.ts'
import { generatedTraces } from '../flamegraph/testing/generated-traces.ts'
import { layoutCriticalPathTable } from './layout.ts'

/** Generous: generating and building big traces is slow on a loaded machine (no timing is asserted). */
const HEAVY_TEST_TIMEOUT_MS = 60_000

const table = (trace: Trace) => {
  const path = computeCriticalPath(trace)
  return layoutCriticalPathTable(trace, path, summarizeCriticalPath(trace, path))
}

describe('layoutCriticalPathTable', () => {
  it('lists critical time per service and per operation with the spans that carry it', () => {
    // Times in µs. root web 0–100; q1 db 10–30 and q2 db 40–60 in sequence; an overlapped
    // db query (q3, 12–20) lies under q1 in parallel and is never on the path.
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 100, { service: 'web', name: 'GET /' }),
      makeSpan('q1', 'root', 10, 20, { service: 'db', name: 'query' }),
      makeSpan('q3', 'root', 12, 8, { service: 'db', name: 'query' }),
      makeSpan('q2', 'root', 40, 20, { service: 'db', name: 'select' }),
    ])
    const result = table(trace)
    expect(result.totalNs).toBe(100_000)
    expect(result.flowCount).toBe(1)
    const ids = (indexes: Int32Array) => Array.from(indexes, (i) => trace.spans[i]?.spanId)
    expect(result.byService.map((row) => [row.service, row.criticalNs / 1000, row.share, ids(row.spanIndexes)])).toEqual([
      ['web', 60, 0.6, ['root']],
      ['db', 40, 0.4, ['q1', 'q2']],
    ])
    expect(result.byOperation.map((row) => [row.service, row.name, row.criticalNs / 1000, ids(row.spanIndexes)])).toEqual([
      ['web', 'GET /', 60, ['root']],
      ['db', 'query', 20, ['q1']],
      ['db', 'select', 20, ['q2']],
    ])
    expect(new Set([...result.byService, ...result.byOperation].map((row) => row.id)).size).toBe(5)
  })

  it(
    'accounts for the whole path of real and generated traces',
    () => {
      const traces = [...fixtureTraces('jaeger/testTrace.json'), ...fixtureTraces('zipkin/messaging-kafka.json'), ...generatedTraces(5_000, 2)]
      for (const trace of traces) {
        const result = table(trace)
        const sum = (rows: readonly { criticalNs: number }[]) => rows.reduce((total, row) => total + row.criticalNs, 0)
        expect(sum(result.byService)).toBeCloseTo(result.totalNs, 3)
        expect(sum(result.byOperation)).toBeCloseTo(result.totalNs, 3)
        for (const row of result.byOperation) expect(row.spanIndexes.length).toBeGreaterThan(0)
      }
    },
    HEAVY_TEST_TIMEOUT_MS,
  )
})
