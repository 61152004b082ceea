import { describe, expect, it } from 'vitest'
import { buildTrace } from '../build-traces.ts'
import { SpanKind } from '../span-record.ts'
import type { SpanRecord } from '../span-record.ts'
import { makeSpan } from '../testing/make-span.ts'
import type { Trace } from '../trace.ts'
import { computeCriticalPath, isAsyncChild, summarizeCriticalPath } from './critical-path.ts'
import type { CriticalPath } from './critical-path.ts'
import { fixtureTraces } from './testing/fixture-traces.ts'

// Times in these tests are µs (makeSpan's unit); the path is shown as `span start–end` in µs.

function segmentsOf(trace: Trace, path: CriticalPath, flow?: number): string[] {
  const out: string[] = []
  for (let k = 0; k < path.segmentSpan.length; k++) {
    if (flow !== undefined && path.segmentFlow[k] !== flow) continue
    const span = trace.spans[path.segmentSpan[k] as number]?.spanId
    out.push(`${span} ${(path.segmentStartNs[k] as number) / 1000}–${(path.segmentEndNs[k] as number) / 1000}`)
  }
  return out
}

function criticalUsById(trace: Trace, path: CriticalPath): Record<string, number> {
  const out: Record<string, number> = {}
  for (let i = 0; i < trace.spanCount; i++) out[trace.spans[i]?.spanId ?? '?'] = (path.criticalNs[i] as number) / 1000
  return out
}

const build = (...spans: SpanRecord[]) => buildTrace('t', spans)
const indexOf = (trace: Trace, spanId: string) => trace.spans.findIndex((span) => span.spanId === spanId)

describe('computeCriticalPath', () => {
  it('walks sequential children and charges the gaps to the parent', () => {
    //        0    5    10   15   20
    // P      ####################
    // A        #######
    // B                  ######
    // path   PPAAAAAAAPPPBBBBBBPP
    const trace = build(makeSpan('P', undefined, 0, 20), makeSpan('A', 'P', 2, 7), makeSpan('B', 'P', 12, 6))
    const path = computeCriticalPath(trace)
    expect(segmentsOf(trace, path)).toEqual(['P 0–2', 'A 2–9', 'P 9–12', 'B 12–18', 'P 18–20'])
    expect(criticalUsById(trace, path)).toEqual({ P: 7, A: 7, B: 6 })
    expect(path.totalNs).toBe(20_000)
    expect(Array.from(path.flowRoot)).toEqual([0])
  })

  it('takes the parallel child that finished last and skips the one it overlapped', () => {
    //        0    5    10   15   20
    // P      ####################
    // A        ##########
    // B          ############
    // path   PPPPBBBBBBBBBBBBPPPP
    const trace = build(makeSpan('P', undefined, 0, 20), makeSpan('A', 'P', 2, 10), makeSpan('B', 'P', 4, 12))
    const path = computeCriticalPath(trace)
    expect(segmentsOf(trace, path)).toEqual(['P 0–4', 'B 4–16', 'P 16–20'])
    expect(criticalUsById(trace, path)).toEqual({ P: 8, A: 0, B: 12 })
  })

  it('chains parallel children back to back when one ends where the next was chosen', () => {
    //        0    5    10   15   20
    // P      ####################
    // A      #####                   ends at 5, where B starts: on the path
    // C        ####                  ends at 6 > 5: overlapped B, skipped
    // B           ###############
    // path   AAAAABBBBBBBBBBBBBBB
    const trace = build(makeSpan('P', undefined, 0, 20), makeSpan('A', 'P', 0, 5), makeSpan('C', 'P', 2, 4), makeSpan('B', 'P', 5, 15))
    const path = computeCriticalPath(trace)
    expect(segmentsOf(trace, path)).toEqual(['A 0–5', 'B 5–20'])
    expect(criticalUsById(trace, path)).toEqual({ P: 0, A: 5, C: 0, B: 15 })
  })

  it('counts only the part of a child inside its parent', () => {
    // Offsets from the trace start, which is B's start:
    //        0    5    10   15
    // P        ##########          2–12
    // A            ##########      6–16, clipped to 6–12
    // B      ####                  0–4, clipped to 2–4 (starts before its parent: clock skew)
    // path     BBPPAAAAAA
    const trace = build(makeSpan('P', undefined, 10, 10), makeSpan('A', 'P', 14, 10), makeSpan('B', 'P', 8, 4))
    const path = computeCriticalPath(trace)
    expect(segmentsOf(trace, path)).toEqual(['B 2–4', 'P 4–6', 'A 6–12'])
    expect(criticalUsById(trace, path)).toEqual({ P: 2, A: 6, B: 2 })
    expect(path.totalNs).toBe(10_000)
  })

  it('clips grandchildren to the clipped window of their parent', () => {
    //        0    5    10   15
    // P      ##########
    // A          ##########        clipped to 4–10
    // G                ####        12–16: outside A's clipped window, not on the path
    // H            ######          6–12, clipped to 6–10
    // path   PPPPAAHHHH
    const trace = build(makeSpan('P', undefined, 0, 10), makeSpan('A', 'P', 4, 10), makeSpan('G', 'A', 12, 4), makeSpan('H', 'A', 6, 6))
    const path = computeCriticalPath(trace)
    expect(segmentsOf(trace, path)).toEqual(['P 0–4', 'A 4–6', 'H 6–10'])
  })

  it('walks nested children depth-first and keeps time order', () => {
    //        0    5    10   15   20
    // P      ####################
    // A       ##########
    // C        ###                 child of A
    // D             ###            child of A
    // B                  ######
    // E                   ##       child of B
    // path   PACCCAADDDAPBEEBBBPP
    const trace = build(
      makeSpan('P', undefined, 0, 20),
      makeSpan('A', 'P', 1, 10),
      makeSpan('C', 'A', 2, 3),
      makeSpan('D', 'A', 7, 3),
      makeSpan('B', 'P', 12, 6),
      makeSpan('E', 'B', 13, 2),
    )
    const path = computeCriticalPath(trace)
    expect(segmentsOf(trace, path)).toEqual(['P 0–1', 'A 1–2', 'C 2–5', 'A 5–7', 'D 7–10', 'A 10–11', 'P 11–12', 'B 12–13', 'E 13–15', 'B 15–18', 'P 18–20'])
    expect(criticalUsById(trace, path)).toEqual({ P: 4, A: 4, C: 3, D: 3, B: 4, E: 2 })
    const a = indexOf(trace, 'A')
    expect((path.subtreeCriticalNs[a] as number) / 1000).toBe(10)
    expect((path.subtreeCriticalNs[0] as number) / 1000).toBe(20)
  })

  it('breaks a tie on the end in favour of the child that started first', () => {
    //        0    5    10
    // P      ##########
    // A        ######            2–8
    // B           ###            5–8, same end: A covers more
    // path   PPAAAAAAPP
    const trace = build(makeSpan('P', undefined, 0, 10), makeSpan('A', 'P', 2, 6), makeSpan('B', 'P', 5, 3))
    expect(segmentsOf(trace, computeCriticalPath(trace))).toEqual(['P 0–2', 'A 2–8', 'P 8–10'])
  })

  it('never puts a consumer on its producer’s path: the consumer starts a flow of its own', () => {
    //        0    5    10   15
    // P      ##########
    // S        ####                PRODUCER
    // C           ##########       CONSUMER, child of S
    // flow P PPSSSSPPPP
    // flow C      CCCCCCCCCC
    const trace = build(
      makeSpan('P', undefined, 0, 10),
      makeSpan('S', 'P', 2, 4, { kind: SpanKind.Producer }),
      makeSpan('C', 'S', 5, 10, { kind: SpanKind.Consumer, service: 'worker' }),
    )
    const path = computeCriticalPath(trace)
    expect(isAsyncChild(trace, indexOf(trace, 'C'))).toBe(true)
    expect(Array.from(path.flowRoot).map((i) => trace.spans[i]?.spanId)).toEqual(['P', 'C'])
    expect(segmentsOf(trace, path, 0)).toEqual(['P 0–2', 'S 2–6', 'P 6–10'])
    expect(segmentsOf(trace, path, 1)).toEqual(['C 5–15'])
    // Both flows together, in time order.
    expect(segmentsOf(trace, path)).toEqual(['P 0–2', 'S 2–6', 'C 5–15', 'P 6–10'])
    expect(Array.from(path.flowTotalNs)).toEqual([10_000, 10_000])
    expect(path.totalNs).toBe(20_000)
    // A collapsed producer shows its own share plus the consumer flow under it.
    expect((path.subtreeCriticalNs[indexOf(trace, 'S')] as number) / 1000).toBe(14)
  })

  it('keeps a consumer that is not under a producer on the path (a poll waits for its handler)', () => {
    //        0    5    10
    // P      ##########            CONSUMER poll
    // H        ######              INTERNAL handler
    // path   PPHHHHHHPP
    const trace = build(makeSpan('P', undefined, 0, 10, { kind: SpanKind.Consumer }), makeSpan('H', 'P', 2, 6, { kind: SpanKind.Consumer }))
    expect(segmentsOf(trace, computeCriticalPath(trace))).toEqual(['P 0–2', 'H 2–8', 'P 8–10'])
  })

  it('treats a FOLLOWS_FROM parent (isAsyncParent) as asynchronous', () => {
    //        0    5    10
    // P      ##########
    // A        ######             CHILD_OF P
    // F          #####            FOLLOWS_FROM P: its own flow
    // path P PPAAAAAAPP
    // path F     FFFFF
    const trace = build(makeSpan('P', undefined, 0, 10), makeSpan('A', 'P', 2, 6), makeSpan('F', 'P', 4, 5, { isAsyncParent: true }))
    const path = computeCriticalPath(trace)
    expect(isAsyncChild(trace, indexOf(trace, 'F'))).toBe(true)
    expect(segmentsOf(trace, path, 0)).toEqual(['P 0–2', 'A 2–8', 'P 8–10'])
    expect(segmentsOf(trace, path, 1)).toEqual(['F 4–9'])
    // Without the flag F would have finished last and been on P's path.
    const sync = build(makeSpan('P', undefined, 0, 10), makeSpan('A', 'P', 2, 6), makeSpan('F', 'P', 4, 5))
    expect(segmentsOf(sync, computeCriticalPath(sync))).toEqual(['P 0–4', 'F 4–9', 'P 9–10'])
  })

  it('gives every root its own flow', () => {
    //        0    5    10
    // R1     ######
    // A       ##
    // R2        ########           an orphan: its parent is not in the trace
    const trace = build(makeSpan('R1', undefined, 0, 6), makeSpan('A', 'R1', 1, 2), makeSpan('R2', 'missing', 3, 8))
    const path = computeCriticalPath(trace)
    expect(Array.from(path.flowRoot).map((i) => trace.spans[i]?.spanId)).toEqual(['R1', 'R2'])
    expect(segmentsOf(trace, path)).toEqual(['R1 0–1', 'A 1–3', 'R1 3–6', 'R2 3–11'])
    expect(path.totalNs).toBe(14_000)
  })

  it('ignores zero-length children and spans without a duration', () => {
    const trace = build(makeSpan('P', undefined, 0, 10), makeSpan('Z', 'P', 10, 0), makeSpan('M', 'P', 4, undefined), makeSpan('A', 'P', 2, 3))
    const path = computeCriticalPath(trace)
    expect(segmentsOf(trace, path)).toEqual(['P 0–2', 'A 2–5', 'P 5–10'])
  })

  it('handles an empty trace', () => {
    const trace = build()
    const path = computeCriticalPath(trace)
    expect(path.totalNs).toBe(0)
    expect(path.segmentSpan.length).toBe(0)
    expect(summarizeCriticalPath(trace, path)).toEqual({ totalNs: 0, byService: [], byOperation: [] })
  })

  it('walks a 100,000-deep chain without recursion', () => {
    const n = 100_000
    // Span i runs from i to 2n − i µs: each has 1 µs of its own at either end, the deepest 2 µs.
    const spans = [makeSpan('s0', undefined, 0, 2 * n)]
    for (let i = 1; i < n; i++) spans.push(makeSpan(`s${i}`, `s${i - 1}`, i, 2 * n - 2 * i))
    const trace = buildTrace('chain', spans)
    expect(trace.maxDepth).toBe(n - 1)
    const path = computeCriticalPath(trace)
    expect(path.totalNs).toBe(2 * n * 1000)
    expect(path.segmentSpan.length).toBe(2 * n - 1)
    let allTwo = true
    for (let i = 0; i < n; i++) if (path.criticalNs[i] !== 2000) allTwo = false
    expect(allTwo).toBe(true)
    expect(path.subtreeCriticalNs[0]).toBe(2 * n * 1000)
    expect(path.subtreeCriticalNs[n - 1]).toBe(2000)
    // Time order: each segment starts where the previous one ended.
    let isContiguous = true
    for (let k = 1; k < path.segmentSpan.length; k++) if (path.segmentStartNs[k] !== path.segmentEndNs[k - 1]) isContiguous = false
    expect(isContiguous).toBe(true)
  })

  it('walks a 100,000-wide trace of overlapping children', () => {
    const n = 100_000
    // Root 0–(n+10) µs; child i runs i … i+10: overlapping neighbours.
    const spans = [makeSpan('root', undefined, 0, n + 10)]
    for (let i = 0; i < n; i++) spans.push(makeSpan(`c${i}`, 'root', i, 10))
    const trace = buildTrace('wide', spans)
    const path = computeCriticalPath(trace)
    expect(path.totalNs).toBe((n + 10) * 1000)
    // The last child (ends at n+9) is chosen, then every tenth one before it: c(n-1), c(n-11), … c9.
    let onPath = 0
    for (let i = 1; i <= n; i++) if ((path.criticalNs[i] as number) > 0) onPath++
    expect(onPath).toBe(n / 10)
    expect(path.criticalNs[n]).toBe(10_000)
    expect(path.criticalNs[n - 1]).toBe(0)
    expect(path.criticalNs[0]).toBe(10_000) // root's own: 0–9 and n+9–n+10
  })
})

describe('summarizeCriticalPath', () => {
  it('sums critical time per service and per operation, longest first', () => {
    //        0    5    10   15   20
    // P      ####################    web GET /
    // A        #######               db query
    // B                  ######      db query
    // C                   #          cache get (overlapped by B: not on the path)
    const trace = build(
      makeSpan('P', undefined, 0, 20, { service: 'web', name: 'GET /' }),
      makeSpan('A', 'P', 2, 7, { service: 'db', name: 'query' }),
      makeSpan('B', 'P', 12, 6, { service: 'db', name: 'query' }),
      makeSpan('C', 'P', 13, 1, { service: 'cache', name: 'get' }),
    )
    const summary = summarizeCriticalPath(trace, computeCriticalPath(trace))
    expect(summary.totalNs).toBe(20_000)
    expect(summary.byService).toEqual([
      { service: 'db', criticalNs: 13_000, share: 0.65 },
      { service: 'web', criticalNs: 7_000, share: 0.35 },
    ])
    expect(summary.byOperation).toEqual([
      { service: 'db', name: 'query', criticalNs: 13_000, share: 0.65 },
      { service: 'web', name: 'GET /', criticalNs: 7_000, share: 0.35 },
    ])
  })
})

describe('critical path of real traces', () => {
  it('Jaeger testTrace.json: a FOLLOWS_FROM consumer is its own flow', () => {
    const [trace] = fixtureTraces('jaeger/testTrace.json')
    if (!trace) throw new Error('no trace')
    const path = computeCriticalPath(trace)
    // span-7 FOLLOWS_FROM span-6 (a producer) and starts after the root has ended.
    expect(isAsyncChild(trace, indexOf(trace, 'span-7'))).toBe(true)
    expect(trace.spans[indexOf(trace, 'span-7')]?.isAsyncParent).toBe(true)
    expect(Array.from(path.flowRoot).map((i) => trace.spans[i]?.spanId)).toEqual(['span-1', 'span-7'])
    // Worked by hand from the file (µs after the root's start): span-12's children span-13 and
    // span-14 both end at 340; span-13 started first and wins the tie.
    expect(segmentsOf(trace, path)).toEqual([
      'span-1 0–125000',
      'span-2 125000–158000',
      'span-1 158000–180000',
      'span-3 180000–200000',
      'span-4 200000–201000',
      'span-5 201000–219000',
      'span-4 219000–220000',
      'span-3 220000–246000',
      'span-1 246000–250000',
      'span-2_1 250000–287000',
      'span-1 287000–300000',
      'span-6 300000–320000',
      'span-1 320000–330000',
      'span-12 330000–331000',
      'span-13 331000–340000',
      'span-1 340000–390000',
      'span-7 800000–1000000',
    ])
    expect(path.totalNs).toBe((390_000 + 200_000) * 1000)
  })

  it('OTLP 5b584103…: a nested Java trace whose path covers the root, with a server clipped to its client', () => {
    const trace = fixtureTraces('otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json').find((t) => t.traceId.startsWith('5b584103'))
    if (!trace) throw new Error('no trace')
    const path = computeCriticalPath(trace)
    expect(trace.spanCount).toBe(35)
    expect(path.flowRoot.length).toBe(1)
    // The root POST /api/orders lasts 1,154,138,517 ns, and so does the path.
    expect(path.totalNs).toBe(1_154_138_517)
    expect(path.totalNs).toBe(trace.durationsNs[0])
    expect(path.segmentSpan.length).toBe(68)
    // The fraud-detection server span starts 268,417 ns after its client span and ends 21,288 ns
    // after it: only the 1,060,878,273 ns inside the client count.
    const server = indexOf(trace, 'cd2f07a9ed49a547')
    expect(trace.durationsNs[server]).toBe(1_060_899_561)
    expect(path.subtreeCriticalNs[server]).toBe(1_060_878_273)
    const summary = summarizeCriticalPath(trace, path)
    expect(summary.byService.map((row) => [row.service, row.criticalNs])).toEqual([
      ['fraud-detection', 1_060_878_273],
      ['checkout', 62_478_692],
      ['frontend', 30_781_552],
    ])
    expect(summary.byOperation[0]).toMatchObject({ service: 'fraud-detection', name: 'FraudDetectionController.checkOrder', criticalNs: 1_009_336_332 })
  })

  it('Zipkin smartthings-oauth-authorization.json: redirects do not nest, so only the root is on the path', () => {
    const [trace] = fixtureTraces('zipkin/smartthings-oauth-authorization.json')
    if (!trace) throw new Error('no trace')
    const path = computeCriticalPath(trace)
    // 175 spans over 100 s of browser redirects, but the root GET /oauth/authorize lasts 1,429 µs
    // and its only child (a zero-length redirect) starts after it ends.
    expect(trace.spanCount).toBe(175)
    expect(trace.durationNs).toBe(100_348_445_000)
    expect(path.totalNs).toBe(1_429_000)
    expect(path.totalNs).toBe(trace.durationsNs[0])
    expect(segmentsOf(trace, path)).toEqual(['8ce82b2e9ed820ba 0–1429'])
  })
})
