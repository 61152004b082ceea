import { describe, expect, it } from 'vitest'
import { dependencyLookbackMs, dependencyRows } from './dependencies-state.ts'

describe('dependency rows', () => {
  const links = [
    { parent: 'shop', child: 'shop-api', callCount: 4, errorCount: 1 },
    { parent: 'shop-api', child: 'shop-store', callCount: 10, errorCount: 0 },
    { parent: 'shop', child: 'shop-api', callCount: 6, errorCount: 1 },
    { parent: 'web', child: 'shop', callCount: 2 },
  ]

  it('merges repeated edges and computes error rates where errors are counted', () => {
    const rows = dependencyRows(links, { key: 'parent', isDescending: false })
    expect(rows).toEqual([
      { parent: 'shop', child: 'shop-api', callCount: 10, errorCount: 2, errorRate: 0.2 },
      { parent: 'shop-api', child: 'shop-store', callCount: 10, errorCount: 0, errorRate: 0 },
      { parent: 'web', child: 'shop', callCount: 2, errorCount: 0, errorRate: 0 },
    ])
  })

  it('leaves errors unknown when the backend never counts them', () => {
    expect(dependencyRows([{ parent: 'a', child: 'b', callCount: 1 }], { key: 'calls', isDescending: true })).toEqual([
      { parent: 'a', child: 'b', callCount: 1 },
    ])
  })

  it('sorts by calls, errors or rate with ties by name, and filters by service', () => {
    expect(dependencyRows(links, { key: 'calls', isDescending: true }).map((row) => row.child)).toEqual(['shop-api', 'shop-store', 'shop'])
    expect(dependencyRows(links, { key: 'rate', isDescending: true }).map((row) => row.child)).toEqual(['shop-api', 'shop-store', 'shop'])
    expect(dependencyRows(links, { key: 'calls', isDescending: false }, 'STORE').map((row) => row.child)).toEqual(['shop-store'])
  })

  it('falls back to 24 hours for an unknown window', () => {
    expect(dependencyLookbackMs('6h')).toBe(6 * 3_600_000)
    expect(dependencyLookbackMs('forever')).toBe(24 * 3_600_000)
  })
})
