import { describe, expect, it } from 'vitest'
import { chooseRulerTicks, chooseTickStepNs, formatTickNs } from './ruler.ts'

describe('chooseTickStepNs', () => {
  it('picks the smallest 1-2-5 step that keeps labels apart', () => {
    // 1 s over 1000 px with 100 px spacing: at least 100 ms.
    expect(chooseTickStepNs(1e9, 1000, 100)).toBe(100e6)
    // 1 s over 1000 px with 90 px: at least 90 ms → 100 ms.
    expect(chooseTickStepNs(1e9, 1000, 90)).toBe(100e6)
    expect(chooseTickStepNs(1e9, 1000, 120)).toBe(200e6)
    expect(chooseTickStepNs(1e9, 1000, 300)).toBe(500e6)
    expect(chooseTickStepNs(37e6, 800, 80)).toBe(5e6)
    // Deep zoom never goes below 1 ns.
    expect(chooseTickStepNs(10, 1000, 80)).toBe(1)
    expect(chooseTickStepNs(0, 1000, 80)).toBe(1)
  })

  it('adapts to the zoom: a narrower window gives a finer step', () => {
    const wide = chooseTickStepNs(2e9, 1000, 80)
    const narrow = chooseTickStepNs(2e6, 1000, 80)
    expect(narrow).toBeLessThan(wide)
    expect(wide / narrow).toBe(1000)
  })
})

describe('chooseRulerTicks', () => {
  it('lists the multiples of the step inside the window', () => {
    expect(chooseRulerTicks(0, 1e9, 1000, 100)).toEqual({ stepNs: 100e6, ticksNs: Array.from({ length: 11 }, (_, k) => k * 100e6) })
    const zoomed = chooseRulerTicks(1.23e6, 1.57e6, 700, 90)
    expect(zoomed.stepNs).toBe(50e3)
    expect(zoomed.ticksNs[0]).toBe(1.25e6)
    expect(zoomed.ticksNs.at(-1)).toBe(1.55e6)
    expect(zoomed.ticksNs.length).toBe(7)
  })

  it('has no ticks without width, as on the render before the ruler is measured', () => {
    expect(chooseRulerTicks(0, 1e9, 0, 90).ticksNs).toEqual([])
    expect(chooseRulerTicks(0, 1e9, -40, 90).ticksNs).toEqual([])
    expect(chooseRulerTicks(0, 1e9, 1, 90).ticksNs).toEqual([0])
  })

  it('keeps ticks at least the spacing apart at every zoom', () => {
    for (let spanNs = 7; spanNs < 1e13; spanNs *= 3.7) {
      const { stepNs, ticksNs } = chooseRulerTicks(spanNs / 3, spanNs / 3 + spanNs, 900, 90)
      expect((stepNs / spanNs) * 900).toBeGreaterThanOrEqual(89.999)
      expect(ticksNs.length).toBeLessThanOrEqual(11)
    }
  })
})

describe('formatTickNs', () => {
  it('labels in the unit of the value with the decimals the step needs', () => {
    expect(formatTickNs(0, 100e6)).toBe('0')
    expect(formatTickNs(300e6, 100e6)).toBe('300 ms')
    expect(formatTickNs(1.5e9, 500e6)).toBe('1.5 s')
    expect(formatTickNs(2e9, 500e6)).toBe('2.0 s')
    expect(formatTickNs(1.25e6, 50e3)).toBe('1.25 ms')
    expect(formatTickNs(40e3, 20e3)).toBe('40 µs')
    expect(formatTickNs(7, 1)).toBe('7 ns')
  })
})
