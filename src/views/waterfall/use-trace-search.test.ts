// @vitest-environment happy-dom
import { renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import type { Trace } from '../../model/trace.ts'
import { searchTrace } from './search.ts'
import { searchNow, SYNC_SEARCH_SPAN_LIMIT, useTraceSearch } from './use-trace-search.ts'

/** A flat trace of `count` spans; every 5th child is named "checkout". */
function wide(count: number): Trace {
  const spans = [makeSpan('root', undefined, 0, count + 1)]
  for (let i = 1; i < count; i++) spans.push(makeSpan(`s${i}`, 'root', i, 1, { name: i % 5 === 0 ? 'checkout' : 'browse' }))
  return buildTrace('trace-1', spans)
}

describe('useTraceSearch', () => {
  it('searches a small trace at once, in the render', () => {
    const trace = wide(200)
    const { result } = renderHook(() => useTraceSearch(trace, 'checkout'))
    expect(result.current.isSearching).toBe(false)
    expect(result.current.matches?.length).toBe(39)
  })

  it('searches a large trace in slices: no answer in the render, then the same answer as one pass', async () => {
    const trace = wide(SYNC_SEARCH_SPAN_LIMIT * 3)
    const { result } = renderHook(({ query }) => useTraceSearch(trace, query), { initialProps: { query: 'checkout' } })
    expect(result.current).toEqual({ matches: undefined, isSearching: true })
    expect(searchNow(trace, 'checkout')).toBeUndefined()
    await waitFor(() => expect(result.current.isSearching).toBe(false))
    expect([...(result.current.matches as Int32Array)]).toEqual([...searchTrace(trace, 'checkout')])
    // "Next match" asks again: the answer is remembered, not searched anew.
    expect(searchNow(trace, 'checkout')).toBe(result.current.matches)
  })

  it('abandons a search when the query changes and answers the new one', async () => {
    const trace = wide(SYNC_SEARCH_SPAN_LIMIT * 3)
    const { result, rerender } = renderHook(({ query }) => useTraceSearch(trace, query), { initialProps: { query: 'checkout' } })
    rerender({ query: 'browse' })
    expect(result.current.isSearching).toBe(true)
    await waitFor(() => expect(result.current.isSearching).toBe(false))
    expect(result.current.matches?.length).toBe(searchTrace(trace, 'browse').length)
    rerender({ query: '' })
    expect(result.current).toEqual({ matches: undefined, isSearching: false })
  })
})
