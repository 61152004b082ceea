import { beforeEach, describe, expect, it } from 'vitest'
import { buildTrace } from '../model/build-traces.ts'
import type { SpanRecord } from '../model/span-record.ts'
import { findTraceUrl, useTracesStore } from './traces-store.ts'

function span(traceId: string, id: string, startMs: number): SpanRecord {
  return {
    traceId,
    spanId: id,
    name: id,
    service: 'svc',
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

describe('useTracesStore', () => {
  beforeEach(() => useTracesStore.getState().clear())

  it('tracks a job from start to done, keeping traces in start order and replacing merged ones', () => {
    const store = useTracesStore.getState()
    store.startJob([
      { id: 'i1', name: 'a.json', kind: 'file' },
      { id: 'i2', name: 'b.json', kind: 'url', url: 'https://example.com/b.json' },
    ])
    expect(useTracesStore.getState().pendingJobs).toBe(1)
    expect(useTracesStore.getState().progress?.state).toBe('running')
    expect(useTracesStore.getState().inputs.map((input) => input.status)).toEqual(['loading', 'loading'])

    const late = buildTrace('late', [span('late', 'x', 50)])
    const early = buildTrace('early', [span('early', 'y', 10)])
    store.finishJob(
      [late, early],
      [
        { id: 'i1', name: 'a.json', format: 'zipkin-v2', formats: ['zipkin-v2'], spanCount: 1, traceIds: ['late'], warnings: [] },
        { id: 'i2', name: 'b.json', formats: [], spanCount: 0, traceIds: [], warnings: [], error: 'Malformed JSON at line 1, column 2.' },
      ],
    )
    const state = useTracesStore.getState()
    expect([...state.traces.keys()]).toEqual(['early', 'late'])
    expect(state.inputs.map((input) => input.status)).toEqual(['ok', 'error'])
    expect(state.inputs[1]?.error).toBe('Malformed JSON at line 1, column 2.')
    expect(state.pendingJobs).toBe(0)
    expect(state.progress?.state).toBe('done')

    const merged = buildTrace('late', [span('late', 'x', 50), span('late', 'z', 51)])
    store.startJob([{ id: 'i3', name: 'c.json', kind: 'file' }])
    store.finishJob([merged], [{ id: 'i3', name: 'c.json', formats: ['zipkin-v2'], spanCount: 1, traceIds: ['late'], warnings: [] }])
    expect(useTracesStore.getState().traces.get('late')).toBe(merged)
    expect(useTracesStore.getState().traces.size).toBe(2)
  })

  it('marks the inputs of a failed job as errors', () => {
    const store = useTracesStore.getState()
    store.startJob([{ id: 'i1', name: 'a.json', kind: 'file' }])
    store.failJob(['i1'], 'The import worker stopped.')
    expect(useTracesStore.getState().inputs[0]).toMatchObject({ status: 'error', error: 'The import worker stopped.' })
    expect(useTracesStore.getState().pendingJobs).toBe(0)
  })
})

describe('findTraceUrl', () => {
  it('finds the URL input that holds a trace, and nothing for files', () => {
    const inputs = [
      { id: '1', name: 'a', kind: 'file' as const, status: 'ok' as const, traceIds: ['t1'], warnings: [] },
      { id: '2', name: 'b', kind: 'url' as const, url: 'https://x/b.json', status: 'ok' as const, traceIds: ['t2'], warnings: [] },
    ]
    expect(findTraceUrl(inputs, 't2')).toBe('https://x/b.json')
    expect(findTraceUrl(inputs, 't1')).toBeUndefined()
  })
})
