import { describe, expect, it } from 'vitest'
import { buildTrace } from '../../model/build-traces.ts'
import type { SpanRecord } from '../../model/span-record.ts'
import { summarizeTrace } from './trace-summary.ts'

function span(id: string, parentId: string | undefined, startMs: number, service = 'api'): SpanRecord {
  return {
    traceId: 't',
    spanId: id,
    parentSpanId: parentId,
    name: `op-${id}`,
    service,
    kind: 0,
    startTimeNs: BigInt(startMs) * 1_000_000n,
    durationNs: 1e6,
    statusCode: 0,
    attributes: [],
    resource: [],
    events: [],
    links: [],
  }
}

describe('summarizeTrace', () => {
  it('names the trace after its true root even when an orphan starts earlier', () => {
    const trace = buildTrace('t', [span('orphan', 'gone', 0, 'worker'), span('root', undefined, 5), span('child', 'root', 6, 'db')])
    const summary = summarizeTrace(trace)
    expect(summary.rootService).toBe('api')
    expect(summary.rootName).toBe('op-root')
    expect(summary.isRootMissing).toBe(false)
    expect(summary.rootCount).toBe(2)
    expect(summary.serviceCount).toBe(3)
  })

  it('says when the root span never arrived', () => {
    const trace = buildTrace('t', [span('a', 'gone', 0), span('b', 'gone', 1)])
    expect(summarizeTrace(trace)).toMatchObject({ rootName: 'op-a', isRootMissing: true, rootCount: 2 })
  })
})
