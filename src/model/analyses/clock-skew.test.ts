import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildTrace } from '../build-traces.ts'
import { SpanKind } from '../span-record.ts'
import type { SpanRecord } from '../span-record.ts'
import { makeSpan } from '../testing/make-span.ts'
import { spanStartNs } from '../trace.ts'
import type { Trace } from '../trace.ts'
import { adjustClockSkew, detectClockSkew, withAdjustedTimes } from './clock-skew.ts'
import type { SkewAdjustment } from './clock-skew.ts'
import { fixtureTraces } from './testing/fixture-traces.ts'

// Times in µs (makeSpan's unit). `on(host, service)` puts a span on a host with a service.
type Kind = (typeof SpanKind)[keyof typeof SpanKind]
const KIND: Record<string, Kind> = {
  server: SpanKind.Server,
  client: SpanKind.Client,
  internal: SpanKind.Internal,
  producer: SpanKind.Producer,
  consumer: SpanKind.Consumer,
}

function span(
  id: string,
  parent: string | undefined,
  startUs: number,
  durationUs: number | undefined,
  kind: keyof typeof KIND,
  host: string,
  extra: Partial<SpanRecord> = {},
): SpanRecord {
  return makeSpan(id, parent, startUs, durationUs, {
    kind: KIND[kind] as Kind,
    service: `svc-${host}`,
    resource: [
      { key: 'service.name', value: `svc-${host}` },
      { key: 'host.name', value: host },
    ],
    ...extra,
  })
}

const build = (...spans: SpanRecord[]) => buildTrace('t', spans)

function indexOf(trace: Trace, spanId: string): number {
  const index = trace.spans.findIndex((s) => s.spanId === spanId)
  if (index < 0) throw new Error(`no span ${spanId}`)
  return index
}

/** Shift per span id in µs, for spans that moved. */
function shiftsUs(trace: Trace, adjustment: SkewAdjustment): Record<string, number> {
  const out: Record<string, number> = {}
  for (let i = 0; i < trace.spanCount; i++) if (adjustment.isAdjusted[i]) out[trace.spans[i]?.spanId ?? '?'] = (adjustment.shiftNs[i] as number) / 1000
  return out
}

/** Adjusted absolute start in µs after the test origin (makeSpan's epoch). */
function adjustedStartUs(trace: Trace, adjustment: SkewAdjustment, spanId: string): number {
  const adjusted = withAdjustedTimes(trace, adjustment)
  return Number(spanStartNs(adjusted, indexOf(trace, spanId)) - 1_700_000_000_000_000_000n) / 1000
}

describe('adjustClockSkew: hand-drawn traces', () => {
  it('centres a server that starts before its client, and moves its subtree on the same host', () => {
    //          0    10   20   30   40   50   60   70
    // R  a     ##########################################   0–100
    // C  a       ##########################                 client 10–60
    // S  b      ##############                              server 5–35: starts 5 µs early
    // I  b        ######                                    internal 8–14 (host b)
    // latency = (50 − 30) / 2 = 10 → S starts at 20: shift +15; I moves with it.
    const trace = build(
      span('R', undefined, 0, 100, 'server', 'a'),
      span('C', 'R', 10, 50, 'client', 'a'),
      span('S', 'C', 5, 30, 'server', 'b'),
      span('I', 'S', 8, 6, 'internal', 'b'),
    )
    const adjustment = adjustClockSkew(trace)
    expect(shiftsUs(trace, adjustment)).toEqual({ S: 15, I: 15 })
    expect(adjustment.adjustedCount).toBe(2)
    expect(adjustment.byHost).toEqual([{ host: 'b', shiftNs: 15_000, spanCount: 2 }])
    expect(adjustedStartUs(trace, adjustment, 'S')).toBe(20)
    expect(adjustedStartUs(trace, adjustment, 'I')).toBe(23)
    expect(adjustedStartUs(trace, adjustment, 'C')).toBe(10)
    expect(detectClockSkew(trace)).toEqual([{ index: indexOf(trace, 'S'), parentIndex: indexOf(trace, 'C'), startsEarlyNs: 5000, endsLateNs: 0, isRpc: true }])
  })

  it('centres a server that ends after its client', () => {
    // C a: client 10–50 (40); S b: server 40–60 (20), ends 10 late. latency 10 → S at 20: shift −20.
    const trace = build(span('C', undefined, 10, 40, 'client', 'a'), span('S', 'C', 40, 20, 'server', 'b'))
    const adjustment = adjustClockSkew(trace)
    expect(shiftsUs(trace, adjustment)).toEqual({ S: -20 })
    expect(adjustedStartUs(trace, adjustment, 'S')).toBe(20)
    expect(detectClockSkew(trace)).toMatchObject([{ startsEarlyNs: 0, endsLateNs: 10_000, isRpc: true }])
  })

  it('aligns a server longer than its client to the client start, and leaves it when it starts after', () => {
    // C1 a 10–30 (20), S1 b 4–44 (40): longer and 6 early → starts at 10 (shift +6).
    // C2 a 50–60 (10), S2 c 55–85 (30): longer but starts after the client → untouched.
    const trace = build(
      span('R', undefined, 0, 100, 'server', 'a'),
      span('C1', 'R', 10, 20, 'client', 'a'),
      span('S1', 'C1', 4, 40, 'server', 'b'),
      span('C2', 'R', 50, 10, 'client', 'a'),
      span('S2', 'C2', 55, 30, 'server', 'c'),
    )
    expect(shiftsUs(trace, adjustClockSkew(trace))).toEqual({ S1: 6 })
  })

  it('leaves a server that already fits, and never moves a root', () => {
    const trace = build(span('C', undefined, 10, 50, 'client', 'a'), span('S', 'C', 12, 30, 'server', 'b'), span('X', undefined, 0, 5, 'server', 'z'))
    const adjustment = adjustClockSkew(trace)
    expect(adjustment.adjustedCount).toBe(0)
    expect(adjustment.byHost).toEqual([])
    expect(withAdjustedTimes(trace, adjustment)).toBe(trace)
    expect(detectClockSkew(trace)).toEqual([])
  })

  it('never adjusts a PRODUCER/CONSUMER edge or a FOLLOWS_FROM child, and does not report them', () => {
    // P a producer 10–12; K b consumer 5–8 (starts before its producer); F b server with a
    // FOLLOWS_FROM parent, outside its client.
    const trace = build(
      span('R', undefined, 0, 100, 'server', 'a'),
      span('P', 'R', 10, 2, 'producer', 'a'),
      span('K', 'P', 5, 3, 'consumer', 'b'),
      span('KI', 'K', 5, 2, 'internal', 'b'),
      span('C', 'R', 20, 10, 'client', 'a'),
      span('F', 'C', 50, 5, 'server', 'c', { isAsyncParent: true }),
    )
    const adjustment = adjustClockSkew(trace)
    expect(adjustment.adjustedCount).toBe(0)
    expect(detectClockSkew(trace)).toEqual([])
  })

  it('does not adjust or report spans of different services on the same host (one clock)', () => {
    const trace = build(
      span('C', undefined, 10, 40, 'client', 'h', { service: 'front' }),
      span('S', 'C', 40, 20, 'server', 'h', { service: 'back', resource: [{ key: 'host.name', value: 'h' }] }),
    )
    expect(adjustClockSkew(trace).adjustedCount).toBe(0)
    expect(detectClockSkew(trace)).toEqual([])
  })

  it('without host attributes, tells hosts apart by service', () => {
    const trace = build(
      makeSpan('C', undefined, 10, 40, { kind: SpanKind.Client, service: 'front' }),
      makeSpan('S', 'C', 40, 20, { kind: SpanKind.Server, service: 'back' }),
    )
    const adjustment = adjustClockSkew(trace)
    expect(shiftsUs(trace, adjustment)).toEqual({ S: -20 })
    expect(adjustment.byHost).toEqual([{ host: 'back', shiftNs: -20_000, spanCount: 1 }])
  })

  it('compares a nested call with its parent’s adjusted times, and carries a host’s shift through a third host', () => {
    //  R  a  server 0–200
    //  C  a    client 10–110 (100)
    //  S  b      server 0–60 (60): 10 early → latency 20 → starts at 30, shift +30
    //  SC b        client 5–45 → adjusted 35–75
    //  T  c          server 36–56: inside SC's adjusted window → 0 (raw it is inside too)
    //  T2 c          server 2–12: before SC's adjusted start 35 → latency (40−10)/2 = 15 → 50, shift +48
    //  X  c        internal 10–20 under S (a child of b on host c, no RPC edge): keeps its times
    //  Y  b          internal 12–14 under X: host b again → moves with S by +30
    const trace = build(
      span('R', undefined, 0, 200, 'server', 'a'),
      span('C', 'R', 10, 100, 'client', 'a'),
      span('S', 'C', 0, 60, 'server', 'b'),
      span('SC', 'S', 5, 40, 'client', 'b'),
      span('T', 'SC', 36, 20, 'server', 'c'),
      span('T2', 'SC', 2, 10, 'server', 'c'),
      span('X', 'S', 10, 10, 'internal', 'c'),
      span('Y', 'X', 12, 2, 'internal', 'b'),
    )
    const adjustment = adjustClockSkew(trace)
    expect(shiftsUs(trace, adjustment)).toEqual({ S: 30, SC: 30, T2: 48, Y: 30 })
    expect(adjustment.byHost).toEqual([
      { host: 'b', shiftNs: 30_000, spanCount: 3 },
      { host: 'c', shiftNs: 48_000, spanCount: 1 },
    ])
  })

  it('rebases the adjusted trace when the earliest span moved, sharing every other column', () => {
    // S (b) starts 10 µs before its client, and is the earliest span: the raw trace starts with it.
    const trace = build(span('C', undefined, 10, 40, 'client', 'a'), span('S', 'C', 0, 20, 'server', 'b'))
    expect(trace.startOffsetNs[indexOf(trace, 'S')]).toBe(0)
    expect(trace.durationNs).toBe(50_000)
    const adjustment = adjustClockSkew(trace)
    // latency 10 → S starts at 20 (shift +20); the earliest span is now C at 10.
    expect(shiftsUs(trace, adjustment)).toEqual({ S: 20 })
    const adjusted = withAdjustedTimes(trace, adjustment)
    expect(adjusted.startTimeNs - trace.startTimeNs).toBe(10_000n)
    expect(Array.from(adjusted.startOffsetNs)).toEqual([0, 10_000])
    expect(adjusted.durationNs).toBe(40_000)
    expect(adjusted.durationsNs).toBe(trace.durationsNs)
    expect(adjusted.parentIndex).toBe(trace.parentIndex)
    expect(adjusted.flags).toBe(trace.flags)
    expect(adjusted.spans).toBe(trace.spans)
    // The raw trace is untouched.
    expect(Array.from(trace.startOffsetNs)).toEqual([10_000, 0])
  })

  it('uses the raw times only to fix a start when a duration is unknown', () => {
    // The client has no duration: a server starting before it is moved to its start; one after is left.
    const trace = build(
      span('R', undefined, 0, 100, 'server', 'a'),
      span('C', 'R', 20, undefined, 'client', 'a'),
      span('S1', 'C', 15, 5, 'server', 'b'),
      span('S2', 'C', 60, 5, 'server', 'c'),
    )
    expect(shiftsUs(trace, adjustClockSkew(trace))).toEqual({ S1: 5 })
  })

  it('walks a 100,000-deep chain of calls across alternating hosts without recursion', () => {
    // Client, server, client, server…, each on another host than its parent; every server starts
    // 1 µs before its client and is 4 µs shorter: centred, i.e. moved to 2 µs after the client.
    const n = 100_000
    const spans: SpanRecord[] = [span('s0', undefined, 0, 4 * n, 'client', 'h0')]
    for (let i = 1; i < n; i++) {
      const isServer = i % 2 === 1
      spans.push(span(`s${i}`, `s${i - 1}`, isServer ? i - 2 : i, 4 * n - 4 * i, isServer ? 'server' : 'client', `h${i % 3}`))
    }
    const trace = buildTrace('chain', spans)
    const adjustment = adjustClockSkew(trace)
    expect(adjustment.adjustedCount).toBe(n / 2)
    expect(detectClockSkew(trace)).toHaveLength(n / 2)
    const adjusted = withAdjustedTimes(trace, adjustment)
    for (let i = 1; i < n; i++) {
      const parent = adjusted.parentIndex[i] as number
      if (adjusted.kind[i] !== SpanKind.Server) continue
      expect(adjusted.startOffsetNs[i]).toBeGreaterThanOrEqual(adjusted.startOffsetNs[parent] as number)
    }
  })
})

describe('adjustClockSkew: properties', () => {
  it('puts every cross-host server no longer than its client inside it, and never moves a root', () => {
    const spanArb = fc.record({
      parent: fc.nat(),
      start: fc.integer({ min: 0, max: 1000 }),
      duration: fc.integer({ min: 0, max: 500 }),
      kind: fc.constantFrom('server', 'client', 'internal', 'producer', 'consumer'),
      host: fc.constantFrom('a', 'b', 'c'),
    })
    fc.assert(
      fc.property(fc.array(spanArb, { minLength: 1, maxLength: 40 }), (specs) => {
        const spans = specs.map((s, i) => span(`s${i}`, i === 0 ? undefined : `s${s.parent % i}`, s.start, s.duration, s.kind as keyof typeof KIND, s.host))
        const trace = build(...spans)
        const adjustment = adjustClockSkew(trace)
        const adjusted = withAdjustedTimes(trace, adjustment)
        for (let i = 0; i < trace.spanCount; i++) {
          const parent = trace.parentIndex[i] as number
          const startNs = spanStartNs(adjusted, i)
          if (parent < 0) {
            expect(startNs).toBe(spanStartNs(trace, i))
            continue
          }
          const isRpc = trace.kind[i] === SpanKind.Server && trace.kind[parent] === SpanKind.Client
          const host = (j: number) => trace.spans[j]?.resource[1]?.value
          if (!isRpc || host(i) === host(parent) || (trace.durationsNs[i] as number) > (trace.durationsNs[parent] as number)) continue
          const parentStartNs = spanStartNs(adjusted, parent)
          expect(startNs >= parentStartNs).toBe(true)
          expect(startNs + BigInt(trace.durationsNs[i] as number) <= parentStartNs + BigInt(trace.durationsNs[parent] as number)).toBe(true)
        }
      }),
    )
  })
})

describe('clock skew in real fixtures', () => {
  it('Zipkin ascend.json: auth-service answers after the gateway’s client span ended', () => {
    const [trace] = fixtureTraces('zipkin/ascend.json')
    if (!trace) throw new Error('no trace')
    // Client 52b1ab4956917c39 (mobile-gateway, 172.17.0.13) runs +799 µs for 14,077 µs; its server
    // 49e959bc31242245 (auth-service, 172.17.0.9) starts at +19,965 µs and lasts 4,157 µs.
    // latency = (14,077 − 4,157) / 2 = 4,960 → start at 5,759: shift −14,206 µs, for the server and
    // its child extend-token-life on the same host. content-service's server already fits.
    const [finding, ...rest] = detectClockSkew(trace)
    expect(rest).toEqual([])
    expect(trace.spans[finding?.index ?? -1]?.spanId).toBe('49e959bc31242245')
    expect(finding).toMatchObject({ startsEarlyNs: 0, endsLateNs: 9_246_000, isRpc: true })
    const adjustment = adjustClockSkew(trace)
    expect(shiftsUs(trace, adjustment)).toEqual({ '49e959bc31242245': -14_206, '80c0d1d62f437a1b': -14_206 })
    expect(adjustment.byHost).toEqual([{ host: '172.17.0.9', shiftNs: -14_206_000, spanCount: 2 }])
    const adjusted = withAdjustedTimes(trace, adjustment)
    expect(adjusted.startOffsetNs[indexOf(trace, '49e959bc31242245')]).toBe(5_759_000)
    expect(adjusted.startTimeNs).toBe(trace.startTimeNs)
    expect(adjusted.durationNs).toBe(trace.durationNs)
  })

  it('OTLP 5b584103….json: fraud-detection’s server ends 21 µs after the frontend client', () => {
    const trace = fixtureTraces('otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json').find((t) => t.traceId === '5b584103c6fc5ddf423cb2fb6552d0f0')
    if (!trace) throw new Error('no trace')
    // Client 57d6eb86f42241f3 (host.id 5929…): +537,583 ns for 1,061,146,690 ns. Server
    // cd2f07a9ed49a547 (host.name Roberts-MBP-2.lan): +806,000 ns for 1,060,899,561 ns.
    // latency = trunc(247,129 / 2) = 123,564 → start 661,147: shift −144,853 ns for the server and
    // its three descendants on that host. checkout (same host, another call) fits its client: 0.
    const adjustment = adjustClockSkew(trace)
    expect(shiftsUs(trace, adjustment)).toEqual({
      cd2f07a9ed49a547: -144.853,
      b26ae1dac17c3d43: -144.853,
      '7cd27ce93555c034': -144.853,
      f7009b6e5676da80: -144.853,
    })
    expect(adjustment.byHost).toEqual([{ host: 'Roberts-MBP-2.lan', shiftNs: -144_853, spanCount: 4 }])
    expect(detectClockSkew(trace)).toMatchObject([{ endsLateNs: 21_288, startsEarlyNs: 0, isRpc: true }])
  })

  it('Zipkin smartthings-oauth-authorization.json: three calls corrected, each with its host', () => {
    const [trace] = fixtureTraces('zipkin/smartthings-oauth-authorization.json')
    if (!trace) throw new Error('no trace')
    // account 51e7…: client 5f46… +95,268,526 µs for 3,103 µs, server +95,269,922 µs for 1,798 µs:
    //   latency 652.5 µs → −743.5 µs.
    // bouncer 78e3…: client 19b9… +98,658,123 µs for 1,668 µs, server +98,659,259 µs for 938 µs:
    //   latency 365 µs → −771 µs, also for its child bouncer:send on 10.0.0.173 (the pusher servers
    //   under that zero-length client start after it, so they stay).
    // auth d521…: client 61d0… +98,797,495 µs for 624,147 µs, server +98,800,925 µs for 621,748 µs:
    //   latency 1,199.5 µs → −2,230.5 µs, also for auth:authcode-store.
    const adjustment = adjustClockSkew(trace)
    expect(shiftsUs(trace, adjustment)).toEqual({
      '51e743325b7acb58': -743.5,
      '78e3c0d24f592b49': -771,
      '9d2d35b746db84f3': -771,
      d521b82c710714a8: -2230.5,
      e2e348dcb3334c38: -2230.5,
    })
    expect(adjustment.byHost.map((entry) => entry.host)).toEqual(['10.0.0.180', '10.0.0.173', '10.0.0.203'])
    // stlogin servers nested directly under stlogin servers on other hosts are reported but not
    // corrected: without a client span there is no call to centre them in.
    const findings = detectClockSkew(trace)
    expect(findings.filter((f) => f.isRpc)).toHaveLength(3)
    expect(findings.filter((f) => !f.isRpc).length).toBe(11)
  })

  it('leaves asynchronous messaging alone: Zipkin messaging-kafka.json, Jaeger testTrace.json, Tempo trace_by_id.json', () => {
    for (const path of ['zipkin/messaging-kafka.json', 'zipkin/messaging.json', 'jaeger/testTrace.json', 'tempo/trace_by_id.json']) {
      for (const trace of fixtureTraces(path)) {
        // They have children outside their parents (consumers long after producers, FOLLOWS_FROM)…
        expect(trace.warnings.some((w) => w.kind === 'child-outside-parent')).toBe(true)
        // …none of which is a clock to correct.
        expect(adjustClockSkew(trace).adjustedCount).toBe(0)
        expect(detectClockSkew(trace)).toEqual([])
      }
    }
  })
})
