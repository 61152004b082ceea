import { describe, expect, it } from 'vitest'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { StatusCode } from '../../model/span-record.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { bucketSpans } from './minimap-layout.ts'

/** Root 0–100 µs; a 0–50; b 50–100 (error); c zero-length at 100. */
function sample() {
  return buildTrace('t', [
    makeSpan('r', undefined, 0, 100),
    makeSpan('a', 'r', 0, 50),
    makeSpan('b', 'r', 50, 50, { statusCode: StatusCode.Error }),
    makeSpan('c', 'r', 100, 0),
  ])
}

describe('bucketSpans', () => {
  it('gives each span its band when there are enough, and fills the columns it runs in', () => {
    const buckets = bucketSpans(sample(), 4, 10)
    expect(buckets.bands).toBe(4)
    const row = (band: number) => [...buckets.counts.subarray(band * 4, band * 4 + 4)]
    expect(row(0)).toEqual([1, 1, 1, 1])
    expect(row(1)).toEqual([1, 1, 0, 0])
    expect(row(2)).toEqual([0, 0, 1, 1])
    // A zero-length span at the very end still shows in the last column.
    expect(row(3)).toEqual([0, 0, 0, 1])
    expect([...buckets.errors.subarray(8, 12)]).toEqual([0, 0, 1, 1])
    expect(buckets.maxCount).toBe(1)
  })

  it('merges consecutive spans into a band when there are more spans than bands', () => {
    const buckets = bucketSpans(sample(), 2, 2)
    expect(buckets.bands).toBe(2)
    // Band 0 holds r and a, band 1 holds b and c.
    expect([...buckets.counts]).toEqual([2, 1, 0, 2])
    expect(buckets.maxCount).toBe(2)
  })

  it('accounts for every span of a real trace: each is counted in at least one cell of its band', () => {
    const [trace] = fixtureTraces('zipkin/smartthings-oauth-authorization.json')
    if (!trace) throw new Error('no trace')
    const columns = 300
    const bands = 40
    const buckets = bucketSpans(trace, columns, bands)
    // Sum over cells = sum over spans of the columns each covers, which is at least the span count.
    let cells = 0
    for (const count of buckets.counts) cells += count
    expect(cells).toBeGreaterThanOrEqual(trace.spanCount)
    // The first span's band is busy where it starts.
    const startColumn = Math.min(columns - 1, Math.floor(((trace.startOffsetNs[0] as number) / trace.durationNs) * columns))
    expect(buckets.counts[startColumn]).toBeGreaterThanOrEqual(1)
    let errorCells = 0
    for (const errors of buckets.errors) errorCells += errors
    expect(errorCells > 0).toBe(trace.errorCount > 0)
  })
})
