import { describe, expect, it } from 'vitest'
import { memoizePerObject } from './memoize.ts'

describe('memoizePerObject', () => {
  it('computes once per key object and keeps keys apart', () => {
    const calls: object[] = []
    const size = memoizePerObject((key: { items: number[] }) => {
      calls.push(key)
      return { count: key.items.length }
    })
    const a = { items: [1, 2] }
    const b = { items: [1, 2] }
    const first = size(a)
    expect(first).toEqual({ count: 2 })
    expect(size(a)).toBe(first)
    expect(size(b)).not.toBe(first)
    expect(calls).toEqual([a, b])
  })

  it('remembers an undefined result and peeks without computing', () => {
    let calls = 0
    const nothing = memoizePerObject((_key: object): undefined => {
      calls++
      return undefined
    })
    const key = {}
    expect(nothing.peek(key)).toBeUndefined()
    expect(calls).toBe(0)
    nothing(key)
    nothing(key)
    expect(calls).toBe(1)
    const counted = memoizePerObject((key: { n: number }) => key.n * 2)
    const seven = { n: 7 }
    expect(counted.peek(seven)).toBeUndefined()
    expect(counted(seven)).toBe(14)
    expect(counted.peek(seven)).toBe(14)
  })
})

describe('ObjectMemo.carry', () => {
  it('gives a new key the value computed for an old one, and never overwrites or computes', () => {
    let calls = 0
    const doubled = memoizePerObject((key: { n: number }) => {
      calls++
      return [key.n * 2]
    })
    const before = { n: 4 }
    const after = { n: 4 }
    const value = doubled(before)
    doubled.carry(before, after)
    expect(doubled(after)).toBe(value)
    expect(calls).toBe(1)
    // Nothing computed for the source: nothing carried.
    const other = { n: 5 }
    const target = { n: 5 }
    doubled.carry(other, target)
    expect(doubled.peek(target)).toBeUndefined()
    // A value already there stays.
    const own = doubled(target)
    doubled.carry(before, target)
    expect(doubled(target)).toBe(own)
  })
})
