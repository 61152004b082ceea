import { describe, expect, it } from 'vitest'
import { pickServiceColor } from './service-color.ts'

describe('pickServiceColor', () => {
  it('gives distinct services distinct colours, and one service always the same', () => {
    const services = Array.from({ length: 16 }, (_, i) => `service-${i}`)
    const colors = services.map(pickServiceColor)
    expect(new Set(colors).size).toBe(16)
    expect(pickServiceColor('service-3')).toBe(colors[3])
  })
})
