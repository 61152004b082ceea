import { describe, expect, it } from 'vitest'
import { formatTickNs, tickStepNs } from './renderer.ts'

describe('time axis', () => {
  it('steps by 1, 2 or 5 × 10^k, at least ~90 px apart', () => {
    expect(tickStepNs(1e9, 900)).toBe(1e8)
    expect(tickStepNs(1e9, 1800)).toBe(5e7)
    expect(tickStepNs(20, 1000)).toBe(2)
  })

  it('labels ticks with enough decimals to tell them apart', () => {
    expect(formatTickNs(0, 1e8)).toBe('0')
    expect(formatTickNs(2e9, 5e8)).toBe('2.0 s')
    expect(formatTickNs(150e6, 50e6)).toBe('150 ms')
    // Zoomed deep into the sixth second: 20 ns steps.
    expect(formatTickNs(5_550_123_420, 20)).toBe('5.55012342 s')
    expect(formatTickNs(5_550_123_440, 20)).toBe('5.55012344 s')
    expect(formatTickNs(1500, 500)).toBe('1.5 µs')
  })
})
