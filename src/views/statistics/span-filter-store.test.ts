import { afterEach, describe, expect, it } from 'vitest'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { selectSpanFilter, useSpanFilterStore } from './span-filter-store.ts'

const trace = buildTrace('t', [makeSpan('a', undefined, 0, 10), makeSpan('b', 'a', 1, 2)])
const other = buildTrace('t', [makeSpan('a', undefined, 0, 10), makeSpan('b', 'a', 1, 2)])

afterEach(() => useSpanFilterStore.setState({ spanFilter: undefined }))

describe('useSpanFilterStore', () => {
  it('hands the filter only to its own trace object', () => {
    const indexes = Int32Array.from([1])
    useSpanFilterStore.getState().setSpanFilter({ trace, indexes, label: 'service = svc' })
    expect(selectSpanFilter(useSpanFilterStore.getState(), trace)?.indexes).toBe(indexes)
    expect(selectSpanFilter(useSpanFilterStore.getState(), other)).toBeUndefined()
  })

  it('follows a rebuilt copy of the trace on rebase, and clears', () => {
    useSpanFilterStore.getState().setSpanFilter({ trace, indexes: Int32Array.from([0, 1]), label: 'all' })
    useSpanFilterStore.getState().rebase(other, trace)
    expect(selectSpanFilter(useSpanFilterStore.getState(), trace)?.label).toBe('all')
    useSpanFilterStore.getState().rebase(trace, other)
    expect(selectSpanFilter(useSpanFilterStore.getState(), trace)).toBeUndefined()
    expect(selectSpanFilter(useSpanFilterStore.getState(), other)?.label).toBe('all')
    useSpanFilterStore.getState().setSpanFilter(undefined)
    expect(useSpanFilterStore.getState().spanFilter).toBeUndefined()
  })
})
