import { describe, expect, it } from 'vitest'
import { buildTrace } from '../build-traces.ts'
import type { SpanRecord } from '../span-record.ts'
import { makeSpan } from '../testing/make-span.ts'
import type { Trace } from '../trace.ts'
import { computeSelfTimes } from './self-time.ts'
import { fixtureTraces } from './testing/fixture-traces.ts'

// Times in µs (makeSpan's unit).
const build = (...spans: SpanRecord[]) => buildTrace('t', spans)

function selfUsById(trace: Trace): Record<string, number> {
  const self = computeSelfTimes(trace)
  const out: Record<string, number> = {}
  for (let i = 0; i < trace.spanCount; i++) out[trace.spans[i]?.spanId ?? '?'] = (self[i] as number) / 1000
  return out
}

describe('computeSelfTimes', () => {
  it('counts overlapping children once and clips children to the span', () => {
    //        0    5    10   15   20   25
    // P      ####################
    // A        ######                     2–8
    // B           ######                  5–11: union with A is 2–11
    // C                        ######     18–24, clipped to 18–20
    // self(P) = 20 − 9 − 2 = 9
    const trace = build(makeSpan('P', undefined, 0, 20), makeSpan('A', 'P', 2, 6), makeSpan('B', 'P', 5, 6), makeSpan('C', 'P', 18, 6))
    expect(selfUsById(trace)).toEqual({ P: 9, A: 6, B: 6, C: 6 })
  })

  it('counts a child nested entirely inside a sibling once', () => {
    //        0    5    10
    // P      ##########
    // A       ########          1–9
    // B         ###             3–6, inside A
    const trace = build(makeSpan('P', undefined, 0, 10), makeSpan('A', 'P', 1, 8), makeSpan('B', 'P', 3, 3))
    expect(selfUsById(trace)).toEqual({ P: 2, A: 8, B: 3 })
  })

  it('subtracts only direct children, and clips children that start before the span', () => {
    //        0    5    10
    // P        ########           2–10
    // A      ######               0–6, clipped to 2–6 (clock skew)
    // G      ##                   0–2, child of A: subtracted from A only
    const trace = build(makeSpan('P', undefined, 2, 8), makeSpan('A', 'P', 0, 6), makeSpan('G', 'A', 0, 2))
    expect(selfUsById(trace)).toEqual({ P: 4, A: 4, G: 2 })
  })

  it('sorts children that are out of start order (a child without a start sits at its parent’s start)', () => {
    //        0    5    10
    // P      ##########
    // A          ####           4–8
    // M      ######             no start: placed at 0, sorted after A; 0–6
    const trace = build(makeSpan('P', undefined, 0, 10), makeSpan('A', 'P', 4, 4), makeSpan('M', 'P', undefined, 6))
    expect(trace.spans.map((span) => span.spanId)).toEqual(['P', 'A', 'M'])
    // Union 0–8: self 2.
    expect(selfUsById(trace)).toEqual({ P: 2, A: 4, M: 6 })
  })

  it('gives the whole duration to a leaf and never goes below zero', () => {
    const trace = build(makeSpan('P', undefined, 0, 4), makeSpan('A', 'P', 0, 4), makeSpan('B', 'P', 1, 2), makeSpan('Z', 'P', 2, undefined))
    expect(selfUsById(trace)).toEqual({ P: 0, A: 4, B: 2, Z: 0 })
  })

  it('handles a 100,000-deep chain and a 100,000-wide trace', () => {
    const n = 100_000
    const chain = [makeSpan('s0', undefined, 0, 2 * n)]
    for (let i = 1; i < n; i++) chain.push(makeSpan(`s${i}`, `s${i - 1}`, i, 2 * n - 2 * i))
    const chainSelf = computeSelfTimes(buildTrace('chain', chain))
    let total = 0
    for (let i = 0; i < n; i++) total += chainSelf[i] as number
    // Every span has 2 µs of its own; the self times of a tree of nested spans add up to the root.
    expect(total).toBe(2 * n * 1000)
    expect(chainSelf[n - 1]).toBe(2000)

    // Children i … i+10 overlap their neighbours: they cover 0 … n+9 of the root's 0 … n+20.
    const wide = [makeSpan('root', undefined, 0, n + 20)]
    for (let i = 0; i < n; i++) wide.push(makeSpan(`c${i}`, 'root', i, 10))
    const wideSelf = computeSelfTimes(buildTrace('wide', wide))
    expect(wideSelf[0]).toBe(11_000)
  })

  it('Jaeger spansAmongEachOther.json: nine overlapping queries under one server span', () => {
    const [trace] = fixtureTraces('jaeger/spansAmongEachOther.json')
    if (!trace) throw new Error('no trace')
    // Worked from the file: the queries run 1849–1880 µs after the trace start (union 31 µs) inside
    // customers-service GET /owners (1696 µs); the client span GET /owners lasts 2977 µs; the root 3720 µs.
    expect(selfUsById(trace)).toMatchObject({
      '9afcdf2e24e8d70a': 3720 - 2977,
      '6962df17f54c3741': 2977 - 1696,
      '6f9bbe751e5fd944': 1696 - 31,
      d293d7d80690ce74: 31,
      '427f5b436c6ef2cb': 14,
    })
  })
})
