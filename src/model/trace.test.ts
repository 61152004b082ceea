import { describe, expect, it } from 'vitest'
import { buildTrace } from './build-traces.ts'
import { makeSpan } from './testing/make-span.ts'
import { packSpanIds, spanIdAt, transferablesOf } from './trace.ts'

describe('packed span ids', () => {
  it('reads back every id, whatever its length', () => {
    const ids = ['0123456789abcdef', 'a', 'span-\u00e9\u{1f680}', '', '00000000000000000000000000000001']
    const packed = packSpanIds(ids)
    expect(packed.spanIdText).toBe(ids.join(''))
    const trace = { ...packed } as unknown as Parameters<typeof spanIdAt>[0]
    expect(ids.map((_, i) => spanIdAt(trace, i))).toEqual(ids)
    expect(spanIdAt(trace, ids.length)).toBe('')
  })

  it('are those of the built trace in span order, and their ends travel as a transferable buffer', () => {
    const trace = buildTrace('t', [
      makeSpan('bbbbbbbbbbbbbbbb', 'aaaaaaaaaaaaaaaa', 5, 1),
      makeSpan('aaaaaaaaaaaaaaaa', undefined, 0, 10),
      makeSpan('c', 'aaaaaaaaaaaaaaaa', 1, 1),
    ])
    expect(Array.from({ length: trace.spanCount }, (_, i) => spanIdAt(trace, i))).toEqual(['aaaaaaaaaaaaaaaa', 'c', 'bbbbbbbbbbbbbbbb'])
    expect(transferablesOf(trace)).toContain(trace.spanIdEnds.buffer)
  })
})
