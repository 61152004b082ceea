import { describe, expect, it } from 'vitest'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { clampWindow, formatWindowBound, panWindow, parseWindowBound, parseWindowParams, windowAroundSpan, zoomWindow } from './zoom.ts'

/** 1 ms trace: root 0–1000 µs, child 200–300 µs, zero-length child at 500 µs. */
const trace = buildTrace('t', [makeSpan('r', undefined, 0, 1000), makeSpan('a', 'r', 200, 100), makeSpan('z', 'r', 500, 0)])

describe('zoom window', () => {
  it('is undefined when it covers the whole trace, and clamps into it otherwise', () => {
    expect(clampWindow(trace, 0, 1e6)).toBeUndefined()
    expect(clampWindow(trace, -5, 2e6)).toBeUndefined()
    expect(clampWindow(trace, -100e3, 100e3)).toEqual({ startNs: 0, endNs: 200e3 })
    expect(clampWindow(trace, 950e3, 1050e3)).toEqual({ startNs: 900e3, endNs: 1e6 })
  })

  it('zooms around the anchor, which stays at the same place', () => {
    const window = { startNs: 0, endNs: 1e6 }
    const zoomed = zoomWindow(trace, window, 0.5, 250e3)
    expect(zoomed).toEqual({ startNs: 125e3, endNs: 625e3 })
    // Zooming back out returns to the whole trace.
    expect(zoomWindow(trace, zoomed ?? window, 2, 250e3)).toBeUndefined()
    // Never narrower than 10 ns.
    const deep = zoomWindow(trace, { startNs: 100, endNs: 120 }, 0.01, 110)
    expect(deep && deep.endNs - deep.startNs).toBe(10)
  })

  it('pans within the trace', () => {
    expect(panWindow(trace, { startNs: 100e3, endNs: 200e3 }, 50e3)).toEqual({ startNs: 150e3, endNs: 250e3 })
    expect(panWindow(trace, { startNs: 100e3, endNs: 200e3 }, -500e3)).toEqual({ startNs: 0, endNs: 100e3 })
  })

  it('frames a span with a margin', () => {
    const window = windowAroundSpan(trace, 1)
    expect(window?.startNs).toBeCloseTo(195e3)
    expect(window?.endNs).toBeCloseTo(305e3)
    const zero = windowAroundSpan(trace, 2)
    expect(zero && zero.startNs < 500e3 && zero.endNs > 500e3).toBe(true)
  })
})

describe('window URL parameters', () => {
  it('reads ns offsets, units, fractions and percentages', () => {
    expect(parseWindowBound('250000', trace)).toBe(250e3)
    expect(parseWindowBound('0.25', trace)).toBe(250e3)
    expect(parseWindowBound('25%', trace)).toBe(250e3)
    expect(parseWindowBound('250us', trace)).toBe(250e3)
    expect(parseWindowBound('0.25ms', trace)).toBe(250e3)
    expect(parseWindowBound('1', trace)).toBe(1)
    expect(parseWindowBound('abc', trace)).toBeUndefined()
    expect(parseWindowBound(null, trace)).toBeUndefined()
  })

  it('round-trips a window and ignores empty or inverted ones', () => {
    const window = { startNs: 125e3, endNs: 625e3 }
    expect(parseWindowParams(trace, formatWindowBound(window.startNs), formatWindowBound(window.endNs))).toEqual(window)
    expect(parseWindowParams(trace, '0.5', null)).toEqual({ startNs: 500e3, endNs: 1e6 })
    expect(parseWindowParams(trace, '0.6', '0.5')).toBeUndefined()
    expect(parseWindowParams(trace, null, null)).toBeUndefined()
  })
})
