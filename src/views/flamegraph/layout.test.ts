import { describe, expect, it } from 'vitest'
import { computeCriticalPath } from '../../model/analyses/critical-path.ts'
import { computeSelfTimes } from '../../model/analyses/self-time.ts'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import type { Trace } from '../../model/trace.ts'
import { cullCriticalRow, cullRow, hitTestRow, layoutFlameMerged, layoutFlameTime, matchFlameItems, RowDrawList } from './layout.ts'
import type { FlameLayout } from './layout.ts'
import { generatedTraces } from './testing/generated-traces.ts'

/** Generous: generating and building big traces is slow on a loaded machine (no timing is asserted). */
const HEAVY_TEST_TIMEOUT_MS = 60_000

const time = (trace: Trace) => layoutFlameTime(trace, computeSelfTimes(trace), computeCriticalPath(trace))
const merged = (trace: Trace) => layoutFlameMerged(trace, computeSelfTimes(trace), computeCriticalPath(trace))

/** Items of a layout as `row: service:name x0–x1` lines in µs, row by row, in row order. */
function rowLines(layout: FlameLayout, trace: Trace): string[] {
  const lines: string[] = []
  for (let row = 0; row < layout.rowCount; row++) {
    for (let k = layout.rowStart[row] as number; k < (layout.rowStart[row + 1] as number); k++) {
      const item = layout.rowItems[k] as number
      const label = `${trace.services[layout.serviceIndex[item] as number]}:${trace.names[layout.nameIndex[item] as number]}`
      lines.push(`${row}: ${label} ${(layout.startX[item] as number) / 1000}–${(layout.endX[item] as number) / 1000} ×${layout.spanCount[item]}`)
    }
  }
  return lines
}

// Times in µs.
//
//            0    10   20   30   40   50   60   70   80   90   100
// root       ##################################################     web GET /     0–100
// q1              ######                                             db query      10–22
// q2                        ##########                               db query      30–50   parallel with render
// render                         ####################                 web render    35–75
// q3                                   ####                           db query      45–53   child of render
// late                                                         ######## web late     90–106, outlives root
const trace = buildTrace('t', [
  makeSpan('root', undefined, 0, 100, { service: 'web', name: 'GET /' }),
  makeSpan('q1', 'root', 10, 12, { service: 'db', name: 'query' }),
  makeSpan('q2', 'root', 30, 20, { service: 'db', name: 'query' }),
  makeSpan('render', 'root', 35, 40, { service: 'web', name: 'render' }),
  makeSpan('q3', 'render', 45, 8, { service: 'db', name: 'query' }),
  makeSpan('late', 'root', 90, 16, { service: 'web', name: 'late' }),
])

describe('layoutFlameTime', () => {
  it('puts every span at its real time, one row per depth, each row by start', () => {
    const layout = time(trace)
    expect(rowLines(layout, trace)).toEqual([
      '0: web:GET / 0–100 ×1',
      '1: db:query 10–22 ×1',
      '1: db:query 30–50 ×1',
      '1: web:render 35–75 ×1',
      '1: web:late 90–106 ×1',
      '2: db:query 45–53 ×1',
    ])
    expect(layout.maxX).toBe(106_000)
    expect(layout.referenceNs).toBe(trace.durationNs)
    // The running max end lets the cull skip rows' early items: render (75) keeps it above q2's 50.
    expect(Array.from(layout.rowMaxEnd.subarray(1, 5), (x) => x / 1000)).toEqual([22, 50, 75, 106])
    for (let i = 0; i < trace.spanCount; i++) expect(layout.firstSpan[layout.itemOfSpan[i] as number]).toBe(i)
  })

  it('groups critical-path segments per row', () => {
    const layout = time(trace)
    const segments = (row: number) => {
      const out: string[] = []
      for (let k = layout.critical.rowStart[row] as number; k < (layout.critical.rowStart[row + 1] as number); k++) {
        out.push(`${(layout.critical.startX[k] as number) / 1000}–${(layout.critical.endX[k] as number) / 1000}`)
      }
      return out
    }
    // Walking back from 100: late (clipped 90–100), root 75–90, render wins over q2 (35–75, q3 inside), root to 22, q1, root.
    expect(segments(0)).toEqual(['0–10', '22–35', '75–90'])
    expect(segments(1)).toEqual(['10–22', '35–45', '53–75', '90–100'])
    expect(segments(2)).toEqual(['45–53'])
  })

  it('lays out real fixtures with every span in exactly one row', () => {
    for (const path of ['jaeger/testTrace.json', 'zipkin/yelp.json', 'otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json', 'jaeger/getTrace-response.json']) {
      for (const fixture of fixtureTraces(path)) {
        const layout = time(fixture)
        expect(layout.rowItems.length).toBe(fixture.spanCount)
        expect(new Set(layout.rowItems).size).toBe(fixture.spanCount)
        for (let row = 0; row < layout.rowCount; row++) {
          for (let k = (layout.rowStart[row] as number) + 1; k < (layout.rowStart[row + 1] as number); k++) {
            expect(layout.startX[layout.rowItems[k] as number]).toBeGreaterThanOrEqual(layout.startX[layout.rowItems[k - 1] as number] as number)
          }
        }
      }
    }
  })
})

describe('layoutFlameMerged', () => {
  it('sums identical root-to-span paths, heaviest child first', () => {
    const layout = merged(trace)
    // Under GET /: render 40, query 12 + 20 = 32, late 16 (sum 88 ≤ 100: real scale).
    // The query under render (8) is another path than the queries under GET /.
    expect(rowLines(layout, trace)).toEqual([
      '0: web:GET / 0–100 ×1',
      '1: web:render 0–40 ×1',
      '1: db:query 40–72 ×2',
      '1: web:late 72–88 ×1',
      '2: db:query 0–8 ×1',
    ])
    const queries = layout.itemOfSpan[trace.spans.findIndex((s) => s.spanId === 'q1')] as number
    expect(layout.itemOfSpan[trace.spans.findIndex((s) => s.spanId === 'q2')]).toBe(queries)
    expect(layout.totalNs[queries]).toBe(32_000)
    expect(trace.spans[layout.firstSpan[queries] as number]?.spanId).toBe('q1')
    expect(layout.referenceNs).toBe(100_000)
  })

  it('scales children that add up to more than their parent, and their descendants with them', () => {
    // Four parallel 10 µs calls under a 20 µs parent: 40 µs of children in 20 µs → half scale.
    const parallel = buildTrace('p', [
      makeSpan('p', undefined, 0, 20, { service: 'a', name: 'fan' }),
      ...[1, 2, 3, 4].map((i) => makeSpan(`c${i}`, 'p', 0, 10, { service: 'b', name: `call${i % 2}` })),
      makeSpan('g', 'c1', 0, 4, { service: 'c', name: 'leaf' }),
    ])
    expect(rowLines(merged(parallel), parallel)).toEqual(['0: a:fan 0–20 ×1', '1: b:call0 0–10 ×2', '1: b:call1 10–20 ×2', '2: c:leaf 10–12 ×1'])
  })

  it('merges roots of the same path and keeps every span in one item (fixtures)', () => {
    for (const path of ['jaeger/testTrace.json', 'zipkin/yelp.json', 'otlp/5b584103c6fc5ddf423cb2fb6552d0f0.json', 'jaeger/spansAmongEachOther.json']) {
      for (const fixture of fixtureTraces(path)) {
        const layout = merged(fixture)
        let spans = 0
        for (let item = 0; item < layout.itemCount; item++) {
          spans += layout.spanCount[item] as number
          expect(layout.endX[item]).toBeGreaterThanOrEqual(layout.startX[item] as number)
        }
        expect(spans).toBe(fixture.spanCount)
        // Children stay inside their parent's item.
        for (let i = 0; i < fixture.spanCount; i++) {
          const parent = fixture.parentIndex[i] as number
          if (parent < 0) continue
          const item = layout.itemOfSpan[i] as number
          const parentItem = layout.itemOfSpan[parent] as number
          expect(layout.startX[item]).toBeGreaterThanOrEqual((layout.startX[parentItem] as number) - 1e-6)
          expect(layout.endX[item]).toBeLessThanOrEqual((layout.endX[parentItem] as number) + 1e-6)
          expect(layout.depth[item]).toBe((layout.depth[parentItem] as number) + 1)
        }
      }
    }
  })
})

describe('cullRow', () => {
  it('merges spans narrower than a pixel into counted buckets and keeps wide ones', () => {
    // 1,000 children of 1 µs each, back to back, then one 1 ms child: at 1,000 px for 2 ms,
    // each small child is half a pixel wide.
    const spans = [makeSpan('root', undefined, 0, 2000, { name: 'root' })]
    for (let i = 0; i < 1000; i++) spans.push(makeSpan(`s${i}`, 'root', i, 1, { name: 'small' }))
    spans.push(makeSpan('big', 'root', 1000, 1000, { name: 'big' }))
    const wide = buildTrace('w', spans)
    const layout = time(wide)
    const out = new RowDrawList()
    expect(cullRow(layout, 1, { startX: 0, endX: 2_000_000, widthPx: 1000 }, out)).toBe(2)
    // Wide items are emitted as they come, a bucket when it closes (drawn on top of them).
    expect([out.x0[0], out.x1[0], out.count[0]]).toEqual([500, 1000, 1])
    expect([out.x0[1], out.x1[1], out.count[1]]).toEqual([0, 500, 1000])
    expect(wide.spans[layout.firstSpan[out.item[0] as number] as number]?.spanId).toBe('big')

    // Zoomed in to 10 µs over 1,000 px, the small spans are 100 px each: ten of them and the
    // edge of the next one, which touches the window, are drawn one by one (the previous one
    // ends exactly at the left edge, under its neighbour).
    const zoomed = cullRow(layout, 1, { startX: 100_000, endX: 110_000, widthPx: 1000 }, out)
    expect(zoomed).toBe(11)
    expect(Array.from(out.count.subarray(0, zoomed))).toEqual(new Array(11).fill(1))
    expect([out.x0[0], out.x1[0]]).toEqual([0, 100])
    expect(wide.spans[layout.firstSpan[out.item[0] as number] as number]?.spanId).toBe('s100')

    // Outside the window nothing is drawn; rows out of range draw nothing.
    expect(cullRow(layout, 1, { startX: 3_000_000, endX: 4_000_000, widthPx: 1000 }, out)).toBe(0)
    expect(cullRow(layout, 7, { startX: 0, endX: 2_000_000, widthPx: 1000 }, out)).toBe(0)
  })

  it(
    'draws a 100,000-span generated trace in at most one rectangle per pixel per row',
    () => {
      const [big] = generatedTraces(100_000)
      if (!big) throw new Error('no trace')
      expect(big.spanCount).toBe(100_000)
      const layout = time(big)
      const out = new RowDrawList()
      const window = { startX: 0, endX: layout.maxX, widthPx: 1200 }
      let drawn = 0
      for (let row = 0; row < layout.rowCount; row++) {
        const count = cullRow(layout, row, window, out)
        drawn += count
        // Heavy parallelism stacks thousands of spans in a row; only the ones that show are kept.
        expect(count).toBeLessThanOrEqual(window.widthPx + 2)
        for (let k = 1; k < count; k++) expect(out.x1[k]).toBeGreaterThanOrEqual(out.x0[k] as number)
      }
      expect(drawn).toBeLessThan(big.spanCount / 20)

      // Zoomed into a tenth of the deepest row's extent, still bounded and culled.
      const deepest = layout.rowCount - 1
      const first = layout.rowItems[layout.rowStart[deepest] as number] as number
      const zoom = { startX: layout.startX[first] as number, endX: (layout.startX[first] as number) + layout.maxX / 10, widthPx: 1200 }
      expect(cullRow(layout, deepest, zoom, out)).toBeGreaterThan(0)

      // The merged layout of the same trace is much smaller (the fan-outs and chains repeat paths).
      const icicle = merged(big)
      expect(icicle.itemCount).toBeLessThan(big.spanCount)
      let spans = 0
      for (let item = 0; item < icicle.itemCount; item++) spans += icicle.spanCount[item] as number
      expect(spans).toBe(big.spanCount)
    },
    HEAVY_TEST_TIMEOUT_MS,
  )

  it('drops rectangles that later (topmost) ones cover completely', () => {
    // Ten identical parallel 10 µs children, then one that starts at 5: at 1 px per µs only the
    // last identical one shows at 0–5 and the late one covers 5–15.
    const spans = [makeSpan('root', undefined, 0, 20, { name: 'root' })]
    for (let i = 0; i < 10; i++) spans.push(makeSpan(`p${i}`, 'root', 0, 10, { name: 'same' }))
    spans.push(makeSpan('late', 'root', 5, 10, { name: 'late' }))
    const stacked = buildTrace('s', spans)
    const layout = time(stacked)
    const out = new RowDrawList()
    expect(cullRow(layout, 1, { startX: 0, endX: 20_000, widthPx: 20 }, out)).toBe(2)
    expect([out.x0[0], out.x1[0], out.x0[1], out.x1[1]]).toEqual([0, 10, 5, 15])
    expect(stacked.spans[layout.firstSpan[out.item[0] as number] as number]?.spanId).toBe('p9')
    expect(stacked.spans[layout.firstSpan[out.item[1] as number] as number]?.spanId).toBe('late')
  })

  it('merges sub-pixel critical-path segments', () => {
    const layout = time(trace)
    const out = new RowDrawList()
    expect(cullCriticalRow(layout, 1, { startX: 0, endX: 100_000, widthPx: 100 }, out)).toBe(4)
    expect(Array.from(out.x0.subarray(0, 4))).toEqual([10, 35, 53, 90])
    // At 2 px for the whole trace, the row's four segments touch and merge into one.
    expect(cullCriticalRow(layout, 1, { startX: 0, endX: 100_000, widthPx: 2 }, out)).toBe(1)
    expect(out.count[0]).toBe(4)
  })
})

describe('hitTestRow', () => {
  it('finds the topmost span under the pointer, with a tolerance for slivers', () => {
    const layout = time(trace)
    const id = (item: number) => (item < 0 ? undefined : trace.spans[layout.firstSpan[item] as number]?.spanId)
    expect(id(hitTestRow(layout, 0, 50_000, 0))).toBe('root')
    // q2 (30–50) and render (35–75) overlap: render started later and is drawn on top.
    expect(id(hitTestRow(layout, 1, 40_000, 0))).toBe('render')
    expect(id(hitTestRow(layout, 1, 32_000, 0))).toBe('q2')
    expect(id(hitTestRow(layout, 1, 27_000, 0))).toBeUndefined()
    expect(id(hitTestRow(layout, 1, 27_000, 3_500))).toBe('q2')
    expect(id(hitTestRow(layout, 3, 50_000, 0))).toBeUndefined()
  })
})

describe('matchFlameItems', () => {
  it('matches names and services, case-insensitively', () => {
    const layout = merged(trace)
    expect(matchFlameItems(layout, trace, '  ')).toBeUndefined()
    expect(matchFlameItems(layout, trace, 'QUERY')).toMatchObject({ itemCount: 2, spanCount: 3 })
    expect(matchFlameItems(layout, trace, 'web')).toMatchObject({ itemCount: 3, spanCount: 3 })
    expect(matchFlameItems(layout, trace, 'nothing')).toMatchObject({ itemCount: 0, spanCount: 0 })
  })
})
