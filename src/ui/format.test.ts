import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatDurationNs, formatTimestampNs, pluralize } from './format.ts'

describe('formatDurationNs', () => {
  it('picks the largest unit of at least 1 and keeps three significant digits', () => {
    expect(formatDurationNs(0)).toBe('0 ns')
    expect(formatDurationNs(800)).toBe('800 ns')
    expect(formatDurationNs(12_345)).toBe('12.3 µs')
    expect(formatDurationNs(1_500_000)).toBe('1.5 ms')
    expect(formatDurationNs(456_000_000)).toBe('456 ms')
    expect(formatDurationNs(2_000_000_000)).toBe('2 s')
    expect(formatDurationNs(90e9)).toBe('1.5 min')
    expect(formatDurationNs(7_200e9)).toBe('2 h')
    expect(formatDurationNs(Number.NaN)).toBe('—')
  })
})

describe('formatTimestampNs', () => {
  it('formats local time to the millisecond', () => {
    const ns = BigInt(new Date(2024, 4, 1, 14, 3, 7, 123).getTime()) * 1_000_000n + 456_789n
    expect(formatTimestampNs(ns)).toBe('2024-05-01 14:03:07.123')
  })
})

describe('counts and sizes', () => {
  it('groups thousands and pluralizes', () => {
    expect(formatCount(20_000)).toBe('20,000')
    expect(pluralize(1, 'span')).toBe('1 span')
    expect(pluralize(20_000, 'span')).toBe('20,000 spans')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(8630)).toBe('8.43 KB')
    expect(formatBytes(5.75 * 1024 * 1024)).toBe('5.75 MB')
  })
})
