import { describe, expect, it } from 'vitest'
import type { TraceSummary } from '../../backends/types.ts'
import { dotRadiusPx, durationDomain, layoutScatter, logTicks, SCATTER_MARGIN, timeDomain, timeTickPattern } from './scatter-layout.ts'

function summary(traceId: string, startMs: number, durationNs: number, spanCount?: number, errorCount = 0): TraceSummary {
  return {
    traceId,
    rootService: 's',
    rootOperation: 'o',
    startTimeNs: BigInt(startMs) * 1_000_000n,
    durationNs,
    services: [],
    errorCount,
    ...(spanCount === undefined ? {} : { spanCount }),
  }
}

const SIZE = { widthPx: 600, heightPx: 200 }

describe('scatter scales', () => {
  const t0 = 1_700_000_000_000
  const list = [summary('a', t0, 10e6, 3), summary('b', t0 + 60_000, 200e6, 30, 1), summary('c', t0 + 120_000, 0, 1)]

  it('puts early traces left, long traces high, and keeps every dot inside the plot', () => {
    const layout = layoutScatter(list, SIZE, false)
    const byId = new Map(layout.dots.map((dot) => [dot.traceId, dot]))
    const [a, b, c] = ['a', 'b', 'c'].map((id) => byId.get(id)!)
    expect(a!.xPx).toBeLessThan(b!.xPx)
    expect(b!.xPx).toBeLessThan(c!.xPx)
    expect(b!.yPx).toBeLessThan(a!.yPx)
    expect(c!.yPx).toBeCloseTo(layout.plot.bottom)
    for (const dot of layout.dots) {
      expect(dot.xPx).toBeGreaterThanOrEqual(SCATTER_MARGIN.left)
      expect(dot.xPx).toBeLessThanOrEqual(SIZE.widthPx - SCATTER_MARGIN.right)
      expect(dot.yPx).toBeGreaterThanOrEqual(SCATTER_MARGIN.top)
      expect(dot.yPx).toBeLessThanOrEqual(SIZE.heightPx - SCATTER_MARGIN.bottom)
    }
    expect(b!.isError).toBe(true)
    expect(a!.isError).toBe(false)
    expect(b!.radiusPx).toBeGreaterThan(a!.radiusPx)
    // Larger dots first, so the smaller ones are drawn on top.
    expect(layout.dots[0]!.traceId).toBe('b')
  })

  it('draws zero durations at the bottom of a log axis and labels powers of ten', () => {
    const layout = layoutScatter(list, SIZE, true)
    const c = layout.dots.find((dot) => dot.traceId === 'c')!
    expect(c.yPx).toBeCloseTo(layout.plot.bottom)
    expect(layout.yTicks.map((tick) => tick.label)).toEqual(expect.arrayContaining(['10 ms', '100 ms']))
    for (const tick of layout.yTicks) expect(tick.px).toBeLessThanOrEqual(layout.plot.bottom + 0.001)
  })

  it('labels the time axis with clock times and the linear duration axis up to its top', () => {
    const layout = layoutScatter(list, SIZE, false)
    expect(layout.xTicks.length).toBeGreaterThanOrEqual(2)
    for (const tick of layout.xTicks) expect(tick.label).toMatch(/^\d\d:\d\d(:\d\d)?$/)
    expect(layout.yTicks[0]).toEqual({ px: layout.plot.bottom, label: '0' })
    expect(layout.yTicks.at(-1)?.px).toBeCloseTo(layout.plot.top)
    expect(timeTickPattern(60_000)).toBe('%H:%M:%S')
    expect(timeTickPattern(3_600_000)).toBe('%H:%M')
    expect(timeTickPattern(7 * 86_400_000)).toBe('%b %d %H:%M')
  })

  it('gives a single trace (or none) a usable window', () => {
    expect(timeDomain([t0])).toEqual([t0 - 30_000, t0 + 30_000])
    const [low, high] = timeDomain([])
    expect(high - low).toBe(3_600_000)
    expect(layoutScatter([summary('a', t0, 5e6)], SIZE, false).dots).toHaveLength(1)
    expect(layoutScatter([], SIZE, true).dots).toEqual([])
  })

  it('keeps the log domain positive', () => {
    expect(durationDomain([0, 0], true)[0]).toBeGreaterThan(0)
    expect(durationDomain([0, 5e6], false)).toEqual([0, 5e6 * 1.08])
    expect(logTicks([1_000, 1e9])).toEqual([1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9])
    // A short domain gets 1-2-5 steps rather than a single label.
    expect(logTicks([131e6, 1.31e9])).toEqual([200e6, 500e6, 1e9])
  })

  it('sizes dots by the square root of spans', () => {
    expect(dotRadiusPx(undefined, 10)).toBeGreaterThan(dotRadiusPx(1, 10))
    expect(dotRadiusPx(10, 10)).toBeGreaterThan(dotRadiusPx(5, 10))
    expect(dotRadiusPx(1, 10)).toBe(3.5)
  })
})
