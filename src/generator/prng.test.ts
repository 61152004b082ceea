import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { splitBudget } from './generate-spans.ts'
import { parseSeed, Rng } from './prng.ts'

describe('Rng', () => {
  it('repeats its sequence for the same seed and differs for another', () => {
    const draw = (seed: number): number[] => {
      const rng = new Rng(seed)
      return Array.from({ length: 50 }, () => rng.nextUint32())
    }
    expect(draw(7)).toEqual(draw(7))
    expect(draw(7)).not.toEqual(draw(8))
  })

  it('keeps int() inside its inclusive bounds and reaches both ends', () => {
    const rng = new Rng(3)
    const seen = new Set<number>()
    for (let i = 0; i < 2000; i++) {
      const v = rng.int(5, 15)
      expect(v).toBeGreaterThanOrEqual(5)
      expect(v).toBeLessThanOrEqual(15)
      seen.add(v)
    }
    expect(seen.size).toBe(11)
  })

  it('writes lower-case hex ids of the asked length', () => {
    const rng = new Rng(1)
    for (let i = 0; i < 200; i++) {
      expect(rng.hex(2)).toMatch(/^[0-9a-f]{16}$/)
      expect(rng.hex(4)).toMatch(/^[0-9a-f]{32}$/)
    }
  })

  it('does not repeat 64-bit ids over 200,000 draws (32-bit-state PRNGs would)', () => {
    const rng = new Rng(0)
    const ids = new Set<string>()
    for (let i = 0; i < 200_000; i++) ids.add(rng.hex(2))
    expect(ids.size).toBe(200_000)
  })
})

describe('parseSeed', () => {
  it('keeps decimal seeds and hashes other text deterministically', () => {
    expect(parseSeed('42')).toBe(42)
    expect(parseSeed('4294967297')).toBe(1)
    expect(parseSeed('demo')).toBe(parseSeed('demo'))
    expect(parseSeed('demo')).not.toBe(parseSeed('demp'))
  })
})

describe('splitBudget', () => {
  it('splits exactly, with every part at least 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(),
        (count, extra, spread, seed) => {
          const parts = splitBudget(new Rng(seed), count + extra, count, spread)
          expect(parts).toHaveLength(count)
          expect(parts.reduce((a, b) => a + b, 0)).toBe(count + extra)
          expect(Math.min(...parts)).toBeGreaterThanOrEqual(1)
        },
      ),
      { numRuns: 200 },
    )
  })
})
