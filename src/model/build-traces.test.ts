import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildTrace, buildTraces, TraceSet } from './build-traces.ts'
import { dumpTrace } from './dump.ts'
import type { SpanRecord } from './span-record.ts'
import { makeSpan } from './testing/make-span.ts'
import { childIndexes, rootIndexes, SpanFlag, spanIdAt } from './trace.ts'

const kinds = (trace: ReturnType<typeof buildTrace>) => trace.warnings.map((w) => w.kind).sort()

describe('buildTrace', () => {
  it('orders spans depth-first with children by start time, whatever the input order', () => {
    const trace = buildTrace('t', [
      makeSpan('c2', 'b', 30, 5),
      makeSpan('a', undefined, 0, 100),
      makeSpan('c1', 'b', 20, 5),
      makeSpan('b', 'a', 10, 50),
      makeSpan('d', 'a', 5, 2),
    ])
    expect(dumpTrace(trace)).toBe(
      [
        'trace t spans=5 start=1700000000000000000 duration=100us',
        'svc:op-a +0us 100us internal #a',
        '  svc:op-d +5us 2us internal #d',
        '  svc:op-b +10us 50us internal #b',
        '    svc:op-c1 +20us 5us internal #c1',
        '    svc:op-c2 +30us 5us internal #c2',
      ].join('\n'),
    )
    expect(Array.from(trace.parentIndex)).toEqual([-1, 0, 0, 2, 2])
    expect(Array.from(trace.subtreeEnd)).toEqual([5, 2, 5, 4, 5])
    expect(childIndexes(trace, 0)).toEqual([1, 2])
    expect(trace.maxDepth).toBe(2)
    expect(trace.warnings).toEqual([])
  })

  it('makes orphans extra roots and says which parent is missing', () => {
    const trace = buildTrace('t', [makeSpan('a', undefined, 0, 10), makeSpan('x', 'missing', 2, 3)])
    expect(rootIndexes(trace)).toEqual([0, 1])
    expect((trace.flags[1] as number) & SpanFlag.Orphan).toBeTruthy()
    expect(trace.warnings).toEqual([
      { kind: 'orphan', message: "1 span refers to a parent that is not in the trace; shown as an extra root (span x's parent missing)", spanIds: ['x'] },
    ])
  })

  it('breaks a two-span cycle and a self-reference, keeping every span', () => {
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 100),
      makeSpan('a', 'b', 10, 5),
      makeSpan('b', 'a', 12, 5),
      makeSpan('c', 'a', 13, 1),
      makeSpan('self', 'self', 20, 1),
    ])
    expect(trace.spanCount).toBe(5)
    // Whichever of a, b ends up below the other, their times cannot both fit.
    expect(kinds(trace)).toEqual(['child-outside-parent', 'cycle'])
    expect(trace.warnings.find((w) => w.kind === 'cycle')?.spanIds).toHaveLength(2)
    // a and b form a cycle: one of them becomes a root and the other hangs under it, c under a.
    const dump = dumpTrace(trace)
    expect(dump).toContain('svc:op-self +20us 1us internal !cycle #self')
    const names = rootIndexes(trace).map((i) => trace.spans[i]?.spanId)
    expect(names).toContain('root')
    expect(names).toContain('self')
    expect(names.filter((id) => id === 'a' || id === 'b')).toHaveLength(1)
  })

  it('removes exact duplicates (keeping the richer copy) and warns about reused ids', () => {
    const plain = makeSpan('a', undefined, 0, 10)
    const rich = makeSpan('a', undefined, 0, 10, { attributes: [{ key: 'k', value: 'v' }] })
    const other = makeSpan('a', undefined, 5, 1, { name: 'different' })
    const trace = buildTrace('t', [plain, rich, other, makeSpan('b', 'a', 1, 1)])
    expect(trace.spanCount).toBe(3)
    expect(trace.inputSpanCount).toBe(4)
    expect(trace.spans[0]?.attributes).toEqual([{ key: 'k', value: 'v' }])
    expect(kinds(trace)).toEqual(['duplicate-span-id', 'duplicate-span-removed'])
    // The child attaches to the first span with that id.
    expect(trace.parentIndex[1]).toBe(0)
    expect(trace.spans[1]?.spanId).toBe('b')
  })

  it('flags missing and negative times and children outside their parent', () => {
    const trace = buildTrace('t', [
      makeSpan('a', undefined, 100, 10),
      makeSpan('early', 'a', 90, 5),
      makeSpan('late', 'a', 105, 50),
      makeSpan('nostart', 'a', undefined, 3),
      makeSpan('nodur', 'a', 101, undefined),
      makeSpan('neg', 'a', 102, -4),
    ])
    expect(kinds(trace)).toEqual(['child-outside-parent', 'missing-duration', 'missing-start', 'negative-duration'])
    expect(trace.warnings.find((w) => w.kind === 'child-outside-parent')?.spanIds).toEqual(['early', 'late'])
    const at = (id: string) => trace.spans.findIndex((s) => s.spanId === id)
    expect(trace.startOffsetNs[at('nostart')]).toBe(trace.startOffsetNs[at('a')])
    expect(trace.durationsNs[at('neg')]).toBe(0)
    // The earliest start (the early child) is offset 0.
    expect(trace.startOffsetNs[at('early')]).toBe(0)
    expect(trace.durationNs).toBe(65_000)
  })

  it('handles a 100,000-deep chain and a 100,000-wide fan-out without recursion', () => {
    const n = 100_000
    const chain = Array.from({ length: n }, (_, i) => makeSpan(`s${i}`, i === 0 ? undefined : `s${i - 1}`, i, n - i))
    const deep = buildTrace('t', chain.reverse())
    expect(deep.maxDepth).toBe(n - 1)
    expect(deep.subtreeEnd[0]).toBe(n)
    expect(deep.spans[n - 1]?.spanId).toBe(`s${n - 1}`)
    const wide = buildTrace('t', [makeSpan('root', undefined, 0, n), ...Array.from({ length: n - 1 }, (_, i) => makeSpan(`c${i}`, 'root', n - i, 1))])
    expect(wide.maxDepth).toBe(1)
    expect(wide.spans[1]?.spanId).toBe(`c${n - 2}`)
    expect(childIndexes(wide, 0)).toHaveLength(n - 1)
  })

  it('breaks a cycle that has no root at all (every span has a parent)', () => {
    const n = 50_000
    const ring = Array.from({ length: n }, (_, i) => makeSpan(`r${i}`, `r${(i + 1) % n}`, i, 1))
    const trace = buildTrace('t', ring)
    expect(trace.spanCount).toBe(n)
    expect(rootIndexes(trace)).toHaveLength(1)
    expect(kinds(trace)).toEqual(['child-outside-parent', 'cycle'])
    expect(trace.warnings.find((w) => w.kind === 'cycle')?.spanIds).toHaveLength(1)
  })
})

describe('TraceSet', () => {
  it('merges fragments of one trace from several inputs and removes the overlap', () => {
    const set = new TraceSet()
    expect(set.add([makeSpan('a', undefined, 0, 10), makeSpan('b', 'a', 1, 2)])).toEqual(['trace-1'])
    set.add([makeSpan('b', 'a', 1, 2), makeSpan('c', 'b', 1, 1), makeSpan('z', undefined, 0, 1, { traceId: 'trace-2' })])
    const traces = set.buildAll()
    expect(traces.map((t) => [t.traceId, t.spanCount])).toEqual([
      ['trace-1', 3],
      ['trace-2', 1],
    ])
    expect(traces[0]?.inputSpanCount).toBe(4)
    expect(traces[0]?.warnings.map((w) => w.kind)).toEqual(['duplicate-span-removed'])
  })

  it('sorts traces by start time', () => {
    const traces = buildTraces([makeSpan('late', undefined, 50, 1, { traceId: 'x' }), makeSpan('early', undefined, 10, 1, { traceId: 'y' })])
    expect(traces.map((t) => t.traceId)).toEqual(['y', 'x'])
  })
})

describe('buildTrace with hex span ids (the id table) and other ids (a Map)', () => {
  const hex = (n: number) => n.toString(16).padStart(16, '0')

  it('links, dedupes and warns the same whichever kind of id a trace uses', () => {
    // Small id space: repeats, exact duplicates, orphans, self-parents and cycles all occur.
    const spanArb = fc.record({
      id: fc.integer({ min: 1, max: 12 }),
      parent: fc.option(fc.integer({ min: 1, max: 14 }), { nil: undefined }),
      start: fc.option(fc.integer({ min: 0, max: 50 }), { nil: undefined }),
      duration: fc.option(fc.integer({ min: -2, max: 60 }), { nil: undefined }),
      name: fc.constantFrom('a', 'b'),
    })
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 30 }), (specs) => {
        const build = (toId: (n: number) => string) =>
          buildTrace(
            't',
            specs.map((s) => makeSpan(toId(s.id), s.parent === undefined ? undefined : toId(s.parent), s.start, s.duration, { name: s.name })),
          )
        const viaTable = build(hex)
        const viaMap = build((n) => `span-${n}`)
        const unify = (text: string) => text.replace(/span-(\d+)/g, (_, n: string) => hex(Number(n)))
        const { spans: tableSpans, spanIdText: tableIdText, spanIdEnds: tableIdEnds, warnings: tableWarnings, ...tableColumns } = viaTable
        const { spans: mapSpans, spanIdText: mapIdText, spanIdEnds: mapIdEnds, warnings: mapWarnings, ...mapColumns } = viaMap
        expect(tableColumns).toEqual(mapColumns)
        expect(tableIdText).toBe(unify(mapIdText))
        expect(tableIdEnds.length).toBe(mapIdEnds.length)
        expect(Array.from({ length: viaTable.spanCount }, (_, i) => spanIdAt(viaTable, i))).toEqual(
          Array.from({ length: viaMap.spanCount }, (_, i) => unify(spanIdAt(viaMap, i))),
        )
        expect(tableSpans.map((s) => s.spanId)).toEqual(mapSpans.map((s) => unify(s.spanId)))
        expect(tableWarnings).toEqual(mapWarnings.map((w) => ({ ...w, message: unify(w.message), spanIds: w.spanIds.map(unify) })))
      }),
    )
  })

  it('matches ids exactly: an upper-case or shorter id is another id, and a parent that differs in case is missing', () => {
    const trace = buildTrace('t', [
      makeSpan('00000000000000ab', undefined, 0, 10),
      makeSpan('00000000000000AB', undefined, 1, 10),
      makeSpan('c1', '00000000000000AB', 2, 1),
      makeSpan('c2', '00000000000000ab', 2, 1),
      makeSpan('c3', 'ab', 3, 1),
    ])
    expect(kinds(trace)).toEqual(['orphan'])
    expect(trace.warnings[0]?.spanIds).toEqual(['c3'])
    const at = (id: string) => trace.spans.findIndex((s) => s.spanId === id)
    expect(trace.spans[trace.parentIndex[at('c1')] as number]?.spanId).toBe('00000000000000AB')
    expect(trace.spans[trace.parentIndex[at('c2')] as number]?.spanId).toBe('00000000000000ab')
  })
})

describe('buildTrace start offsets', () => {
  const at = (startTimeNs: bigint | undefined, id: string, extra: Partial<SpanRecord> = {}): SpanRecord => ({
    ...makeSpan(id, undefined, 0, 1),
    startTimeNs,
    ...extra,
  })
  const offsetsAsBigint = (trace: ReturnType<typeof buildTrace>) =>
    trace.spans.map((span) => (span.startTimeNs === undefined ? undefined : Number(span.startTimeNs - trace.startTimeNs)))

  it('are exact to the ns for nanosecond times, and rounded once like Number(start - traceStart) beyond 2^53', () => {
    const base = 1_700_000_000_123_456_789n
    const trace = buildTrace('t', [
      at(base + 1n, 'a'),
      at(base, 'b'),
      at(base + 2n ** 53n + 1n, 'c'),
      at(base + 2n ** 60n + 12_345n, 'd'),
      at(undefined, 'e'),
      at(base + 999_999_999n, 'f'),
    ])
    expect(trace.startTimeNs).toBe(base)
    expect(Array.from(trace.startOffsetNs)).toEqual(offsetsAsBigint(trace).map((offset) => offset ?? 0))
    expect(trace.startOffsetNs[trace.spans.findIndex((s) => s.spanId === 'f')]).toBe(999_999_999)
  })

  it('handle negative starts and starts beyond the int64 range', () => {
    for (const starts of [
      [-5n, 10n, -(2n ** 62n)],
      [2n ** 63n + 7n, 2n ** 63n, 2n ** 64n + 1n],
      [-(2n ** 63n) - 1n, 0n, 3n],
      [2n ** 63n - 1n, 2n ** 63n - 1000n],
    ]) {
      const trace = buildTrace(
        't',
        starts.map((start, i) => at(start, `s${i}`)),
      )
      const min = starts.reduce((a, b) => (b < a ? b : a))
      expect(trace.startTimeNs).toBe(min)
      expect(Array.from(trace.startOffsetNs)).toEqual(offsetsAsBigint(trace))
    }
  })
})
