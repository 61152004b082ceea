import { describe, expect, it } from 'vitest'
import { computeStatistics } from '../../model/analyses/statistics.ts'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { generatedTraces } from '../flamegraph/testing/generated-traces.ts'
import {
  columnMaxima,
  columnValue,
  decodeGroupBy,
  encodeGroupBy,
  filterStatisticsRows,
  flattenStatisticsRows,
  heatOf,
  listAttributeKeys,
  nextSort,
  NUMERIC_COLUMNS,
  rowLabel,
  sortStatisticsRows,
} from './layout.ts'

/** Generous: generating and building big traces is slow on a loaded machine (no timing is asserted). */
const HEAVY_TEST_TIMEOUT_MS = 60_000

// Times in µs: web GET / 0–100 with db query ×2 (20 each), cache get (5), web render (20) and its web template (5).
const trace = buildTrace('t', [
  makeSpan('root', undefined, 0, 100, { service: 'web', name: 'GET /', attributes: [{ key: 'http.method', value: 'GET' }] }),
  makeSpan('A', 'root', 10, 20, { service: 'db', name: 'query', attributes: [{ key: 'db.system', value: 'postgresql' }] }),
  makeSpan('B', 'root', 40, 20, { service: 'db', name: 'query', attributes: [{ key: 'db.system', value: 'postgresql' }] }),
  makeSpan('C', 'root', 65, 5, { service: 'cache', name: 'get', resource: [{ key: 'region', value: 'eu' }] }),
  makeSpan('D', 'root', 70, 20, { service: 'web', name: 'render', attributes: [{ key: 'region', value: 'us' }] }),
  makeSpan('E', 'D', 75, 5, { service: 'web', name: 'template' }),
])

const labels = (rows: readonly { key: string; subRows: readonly { key: string }[] }[]) => rows.map((row) => [row.key, row.subRows.map((sub) => sub.key)])

describe('sortStatisticsRows', () => {
  const { rows } = computeStatistics(trace, { groupBy: 'service', thenBy: 'operation' })

  it('sorts groups and their sub-groups by any column, both ways', () => {
    // Totals: web 125, db 40, cache 5; counts: web 3, db 2, cache 1; min: web 5, db 20, cache 5.
    expect(labels(sortStatisticsRows(rows, { column: 'total', direction: 'desc' }))).toEqual([
      ['web', ['GET /', 'render', 'template']],
      ['db', ['query']],
      ['cache', ['get']],
    ])
    expect(labels(sortStatisticsRows(rows, { column: 'total', direction: 'asc' }))).toEqual([
      ['cache', ['get']],
      ['db', ['query']],
      ['web', ['template', 'render', 'GET /']],
    ])
    expect(labels(sortStatisticsRows(rows, { column: 'key', direction: 'asc' })).map(([key]) => key)).toEqual(['cache', 'db', 'web'])
    // Equal minimums (web and cache, 5 µs) fall back to the larger total first.
    expect(sortStatisticsRows(rows, { column: 'min', direction: 'asc' }).map((row) => row.key)).toEqual(['web', 'cache', 'db'])
    expect(sortStatisticsRows(rows, { column: 'count', direction: 'desc' }).map((row) => row.count)).toEqual([3, 2, 1])
    expect(sortStatisticsRows(rows, { column: 'critical', direction: 'desc' }).map((row) => row.criticalPathNs / 1000)).toEqual([55, 40, 5])
    // The input is not mutated.
    expect(rows.map((row) => row.key)).toEqual(['web', 'db', 'cache'])
  })

  it('cycles a column: numbers start descending, names ascending, a second click flips', () => {
    expect(nextSort({ column: 'total', direction: 'desc' }, 'count')).toEqual({ column: 'count', direction: 'desc' })
    expect(nextSort({ column: 'total', direction: 'desc' }, 'key')).toEqual({ column: 'key', direction: 'asc' })
    expect(nextSort({ column: 'key', direction: 'asc' }, 'key')).toEqual({ column: 'key', direction: 'desc' })
  })

  it('reads every numeric column', () => {
    const web = rows[0]
    if (!web) throw new Error('no row')
    expect(NUMERIC_COLUMNS.map((column) => columnValue(web, column))).toEqual([3, 125_000, 125_000 / 3, 5_000, 100_000, 55_000, 55_000 / 3, 0.55, 55_000])
  })
})

describe('filterStatisticsRows', () => {
  const { rows } = computeStatistics(trace, { groupBy: 'service', thenBy: 'operation' })

  it('keeps matching groups whole and other groups with their matching sub-groups only', () => {
    expect(labels(filterStatisticsRows(rows, 'WEB'))).toEqual([['web', ['GET /', 'render', 'template']]])
    // "db" does not contain an e but its "query" does.
    expect(labels(filterStatisticsRows(rows, 'e'))).toEqual([
      ['web', ['GET /', 'render', 'template']],
      ['db', ['query']],
      ['cache', ['get']],
    ])
    expect(labels(filterStatisticsRows(rows, 'templ'))).toEqual([['web', ['template']]])
    expect(filterStatisticsRows(rows, '  ')).toBe(rows)
    expect(filterStatisticsRows(rows, 'nothing')).toEqual([])
  })

  it('matches operation rows on their service too', () => {
    const byOperation = computeStatistics(trace, { groupBy: 'operation' }).rows
    expect(filterStatisticsRows(byOperation, 'db ·').map(rowLabel)).toEqual(['db · query'])
    expect(filterStatisticsRows(byOperation, 'cache').map(rowLabel)).toEqual(['cache · get'])
  })
})

describe('flattenStatisticsRows', () => {
  it('lists sub-groups under expanded groups with table-unique ids', () => {
    const { rows } = computeStatistics(trace, { groupBy: 'service', thenBy: 'service' })
    const flat = flattenStatisticsRows(rows, new Set([rows[1]?.id ?? '']))
    expect(flat.map((row) => [row.level, row.row.key, row.isExpanded])).toEqual([
      [0, 'web', true],
      [1, 'web', false],
      [0, 'db', false],
      [0, 'cache', true],
      [1, 'cache', false],
    ])
    expect(new Set(flat.map((row) => row.id)).size).toBe(flat.length)
  })
})

describe('heat scale', () => {
  it('scales each column to its largest value over groups and sub-groups', () => {
    const { rows } = computeStatistics(trace, { groupBy: 'service', thenBy: 'operation' })
    const maxima = columnMaxima(rows)
    expect(maxima.total).toBe(125_000)
    expect(maxima.max).toBe(100_000)
    expect(maxima.count).toBe(3)
    expect(heatOf(62_500, maxima.total)).toBe(0.5)
    expect(heatOf(0, maxima.total)).toBe(0)
    expect(heatOf(5, 0)).toBe(0)
  })
})

describe('listAttributeKeys', () => {
  it('lists span and resource keys, most common first', () => {
    expect(listAttributeKeys(trace)).toEqual([
      { key: 'db.system', spanCount: 2 },
      { key: 'region', spanCount: 2 },
      { key: 'http.method', spanCount: 1 },
    ])
  })

  it(
    'finds the keys of a real trace and of a generated 20,000-span trace',
    () => {
      const [real] = fixtureTraces('jaeger/spansAmongEachOther.json')
      if (!real) throw new Error('no trace')
      expect(listAttributeKeys(real).map((entry) => entry.key)).toContain('sql')
      const [big] = generatedTraces(20_000)
      if (!big) throw new Error('no trace')
      const keys = listAttributeKeys(big)
      expect(keys[0]?.spanCount).toBe(big.spanCount)
      expect(keys.map((entry) => entry.key)).toEqual(expect.arrayContaining(['service.name', 'host.name']))
      // Grouping the big trace by an attribute and sorting/filtering it stays consistent.
      const { rows } = computeStatistics(big, { groupBy: { attribute: 'host.name' }, thenBy: 'operation' })
      const sorted = sortStatisticsRows(rows, { column: 'count', direction: 'desc' })
      expect(sorted.reduce((sum, row) => sum + row.count, 0)).toBe(big.spanCount)
      for (let k = 1; k < sorted.length; k++) expect(sorted[k - 1]!.count).toBeGreaterThanOrEqual(sorted[k]!.count)
    },
    HEAVY_TEST_TIMEOUT_MS,
  )
})

describe('group-by values', () => {
  it('round-trips through select values', () => {
    for (const groupBy of ['service', 'operation', { attribute: 'http.route' }, undefined] as const)
      expect(decodeGroupBy(encodeGroupBy(groupBy))).toEqual(groupBy)
    expect(decodeGroupBy('attr:a:b')).toEqual({ attribute: 'a:b' })
  })
})
