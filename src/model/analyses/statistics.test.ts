import { describe, expect, it } from 'vitest'
import { buildTrace } from '../build-traces.ts'
import { makeSpan } from '../testing/make-span.ts'
import { computeCriticalPath } from './critical-path.ts'
import { computeSelfTimes } from './self-time.ts'
import { computeStatistics, MISSING_GROUP_LABEL } from './statistics.ts'
import type { StatisticsRow } from './statistics.ts'
import { fixtureTraces } from './testing/fixture-traces.ts'

// Times in µs (makeSpan's unit); rows are compared in µs too.
//
//          0    10   20   30   40   50   60   70   80   90   100
// root     #################################################      web  GET /      0–100
// A             ##########                                        db   query     10–30   db.system=postgresql
// B                            ##########                         db   query     40–60   db.system=postgresql
// C                                          ##                   cache get      65–70   resource region=eu
// D                                            ##########         web  render    70–90   region=us (span), resource region=eu
// E                                              ##               web  template  75–80   child of D
//
// Self: root 100 − 65 = 35, D 20 − 5 = 15; the others are leaves.
// Critical path: root 0–10, A 10–30, root 30–40, B 40–60, root 60–65, C 65–70, D 70–75, E 75–80, D 80–90, root 90–100.
const trace = buildTrace('t', [
  makeSpan('root', undefined, 0, 100, { service: 'web', name: 'GET /' }),
  makeSpan('A', 'root', 10, 20, { service: 'db', name: 'query', attributes: [{ key: 'db.system', value: 'postgresql' }] }),
  makeSpan('B', 'root', 40, 20, { service: 'db', name: 'query', attributes: [{ key: 'db.system', value: 'postgresql' }] }),
  makeSpan('C', 'root', 65, 5, { service: 'cache', name: 'get', resource: [{ key: 'region', value: 'eu' }] }),
  makeSpan('D', 'root', 70, 20, {
    service: 'web',
    name: 'render',
    attributes: [{ key: 'region', value: 'us' }],
    resource: [{ key: 'region', value: 'eu' }],
  }),
  makeSpan('E', 'D', 75, 5, { service: 'web', name: 'template' }),
])

/** The numbers of a row in µs, without the span list and sub-rows. */
function summary(row: StatisticsRow) {
  return {
    key: row.key,
    count: row.count,
    totalUs: row.totalNs / 1000,
    avgUs: row.avgNs / 1000,
    minUs: row.minNs / 1000,
    maxUs: row.maxNs / 1000,
    selfTotalUs: row.selfTotalNs / 1000,
    selfAvgUs: row.selfAvgNs / 1000,
    criticalUs: row.criticalPathNs / 1000,
  }
}

const ids = (row: StatisticsRow | undefined) => Array.from(row?.spanIndexes ?? []).map((i) => trace.spans[i]?.spanId)

describe('computeStatistics', () => {
  it('groups by service with durations, self time, share of the trace and critical-path time', () => {
    const { rows, total } = computeStatistics(trace, { groupBy: 'service' })
    expect(rows.map(summary)).toEqual([
      { key: 'web', count: 3, totalUs: 125, avgUs: 125 / 3, minUs: 5, maxUs: 100, selfTotalUs: 55, selfAvgUs: 55 / 3, criticalUs: 55 },
      { key: 'db', count: 2, totalUs: 40, avgUs: 20, minUs: 20, maxUs: 20, selfTotalUs: 40, selfAvgUs: 20, criticalUs: 40 },
      { key: 'cache', count: 1, totalUs: 5, avgUs: 5, minUs: 5, maxUs: 5, selfTotalUs: 5, selfAvgUs: 5, criticalUs: 5 },
    ])
    expect(rows.map((row) => row.selfShareOfTrace)).toEqual([0.55, 0.4, 0.05])
    expect(rows.map((row) => row.criticalPathShare)).toEqual([0.55, 0.4, 0.05])
    expect(ids(rows[0])).toEqual(['root', 'D', 'E'])
    expect(rows[0]?.subRows).toEqual([])
    expect(summary(total)).toMatchObject({ count: 6, totalUs: 170, selfTotalUs: 100, criticalUs: 100 })
  })

  it('groups by operation within a service, and accepts analyses computed beforehand', () => {
    const { rows } = computeStatistics(trace, { groupBy: 'operation' }, { selfTimes: computeSelfTimes(trace), criticalPath: computeCriticalPath(trace) })
    expect(rows.map((row) => [row.service, row.key, row.count, row.totalNs / 1000, row.selfTotalNs / 1000])).toEqual([
      ['web', 'GET /', 1, 100, 35],
      ['db', 'query', 2, 40, 40],
      ['web', 'render', 1, 20, 15],
      ['cache', 'get', 1, 5, 5],
      ['web', 'template', 1, 5, 5],
    ])
    expect(new Set(rows.map((row) => row.id)).size).toBe(rows.length)
  })

  it('adds a second level', () => {
    const { rows } = computeStatistics(trace, { groupBy: 'service', thenBy: 'operation' })
    const web = rows[0]
    expect(web?.key).toBe('web')
    expect(web?.subRows.map((row) => [row.key, row.count, row.totalNs / 1000, row.criticalPathNs / 1000])).toEqual([
      ['GET /', 1, 100, 35],
      ['render', 1, 20, 15],
      ['template', 1, 5, 5],
    ])
    expect(ids(web?.subRows[1])).toEqual(['D'])
    expect(web?.subRows[0]?.subRows).toEqual([])
  })

  it('groups by an attribute, span attributes before resource attributes, the rest under "(none)"', () => {
    const { rows } = computeStatistics(trace, { groupBy: { attribute: 'region' }, thenBy: 'service' })
    expect(rows.map((row) => [row.key, row.isMissing, ids(row)])).toEqual([
      [MISSING_GROUP_LABEL, true, ['root', 'A', 'B', 'E']],
      ['us', false, ['D']],
      ['eu', false, ['C']],
    ])
    expect(rows[0]?.subRows.map((row) => [row.key, row.count])).toEqual([
      ['web', 2],
      ['db', 2],
    ])
    const bySystem = computeStatistics(trace, { groupBy: { attribute: 'db.system' } }).rows
    expect(bySystem.map((row) => [row.key, row.count])).toEqual([
      [MISSING_GROUP_LABEL, 4],
      ['postgresql', 2],
    ])
  })

  it('keeps an attribute literally named "(none)" apart from the spans without it', () => {
    const named = buildTrace('t', [makeSpan('a', undefined, 0, 10, { attributes: [{ key: 'k', value: MISSING_GROUP_LABEL }] }), makeSpan('b', 'a', 1, 2)])
    const { rows } = computeStatistics(named, { groupBy: { attribute: 'k' } })
    expect(rows.map((row) => [row.key, row.isMissing, row.count])).toEqual([
      [MISSING_GROUP_LABEL, false, 1],
      [MISSING_GROUP_LABEL, true, 1],
    ])
  })

  it('Jaeger spansAmongEachOther.json: per service, and per "sql" tag with an empty value apart from a missing one', () => {
    const [real] = fixtureTraces('jaeger/spansAmongEachOther.json')
    if (!real) throw new Error('no trace')
    const { rows } = computeStatistics(real, { groupBy: 'service' })
    // Durations from the file: api-gateway 3720 + 2977 µs; customers-service 1696 µs plus nine
    // queries of 31, 20, 19, 17, 14, 15, 15, 15, 14 µs that overlap (union 31 µs).
    expect(rows.map(summary)).toEqual([
      {
        key: 'api-gateway',
        count: 2,
        totalUs: 6697,
        avgUs: 3348.5,
        minUs: 2977,
        maxUs: 3720,
        selfTotalUs: 743 + 1281,
        selfAvgUs: 1012,
        criticalUs: 743 + 1281,
      },
      {
        key: 'customers-service',
        count: 10,
        totalUs: 1856,
        avgUs: 185.6,
        minUs: 14,
        maxUs: 1696,
        selfTotalUs: 1665 + 160,
        selfAvgUs: 182.5,
        criticalUs: 1665 + 31,
      },
    ])
    // Overlapping queries: self times add up to more than the trace.
    expect(rows[0]!.selfShareOfTrace + rows[1]!.selfShareOfTrace).toBeCloseTo(3849 / 3720, 12)
    const bySql = computeStatistics(real, { groupBy: { attribute: 'sql' } }).rows
    expect(bySql.map((row) => [row.key, row.isMissing, row.count])).toEqual([
      [MISSING_GROUP_LABEL, true, 3],
      ['select * from test', false, 8],
      ['', false, 1],
    ])
  })
})
