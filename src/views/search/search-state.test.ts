import { describe, expect, it } from 'vitest'
import { JAEGER_CAPABILITIES } from '../../backends/jaeger.ts'
import { TEMPO_CAPABILITIES } from '../../backends/tempo.ts'
import type { TraceSummary } from '../../backends/types.ts'
import { ZIPKIN_CAPABILITIES } from '../../backends/zipkin.ts'
import {
  EMPTY_SEARCH_STATE,
  fromDateTimeLocal,
  isSubmitted,
  nextSort,
  parseDurationInput,
  parseEpochMs,
  parseSort,
  parseTagsInput,
  pinWindow,
  readSearchState,
  searchStateToParams,
  sortSummaries,
  toDateTimeLocal,
  toSearchQuery,
} from './search-state.ts'
import type { SearchUrlState } from './search-state.ts'

function state(values: Partial<SearchUrlState>): SearchUrlState {
  return { ...EMPTY_SEARCH_STATE, ...values }
}

describe('parseDurationInput', () => {
  it.each([
    ['100ms', 100e6],
    ['1.5s', 1.5e9],
    ['250us', 250e3],
    ['250µs', 250e3],
    ['7ns', 7],
    ['2m', 120e9],
    ['2min', 120e9],
    ['1h30m', 5400e9],
    ['1m30s', 90e9],
    [' 1.2 s ', 1.2e9],
    ['.5s', 0.5e9],
  ])('%s → %d ns', (text, ns) => {
    expect(parseDurationInput(text)).toEqual({ ns })
  })

  it('treats an empty field as no bound', () => {
    expect(parseDurationInput('  ')).toEqual({})
  })

  it('refuses a bare number, naming the units', () => {
    expect(parseDurationInput('100').error).toMatch(/no unit.*100ms/)
  })

  it.each(['fast', '10 parsecs', '1.5', 'ms', '1s2', '-1s'])('refuses %j', (text) => {
    expect(parseDurationInput(text).error).toBeTruthy()
  })
})

describe('parseTagsInput', () => {
  it('reads key=value pairs separated by spaces and new lines', () => {
    expect(parseTagsInput('http.status_code=500 error=true\nregion=eu-west-1')).toEqual({
      tags: [
        { key: 'http.status_code', value: '500' },
        { key: 'error', value: 'true' },
        { key: 'region', value: 'eu-west-1' },
      ],
    })
  })

  it('reads quoted values with spaces and escapes, empty values and bare keys', () => {
    expect(parseTagsInput('http.route="/a b" msg="say \\"hi\\"" empty= error')).toEqual({
      tags: [{ key: 'http.route', value: '/a b' }, { key: 'msg', value: 'say "hi"' }, { key: 'empty', value: '' }, { key: 'error' }],
    })
  })

  it('keeps "=" inside a value', () => {
    expect(parseTagsInput('q=a=b').tags).toEqual([{ key: 'q', value: 'a=b' }])
  })

  it('accepts a JSON object as Jaeger UI writes tags', () => {
    expect(parseTagsInput('{"error":"true","http.status_code":500}').tags).toEqual([
      { key: 'error', value: 'true' },
      { key: 'http.status_code', value: '500' },
    ])
  })

  it('says what is wrong', () => {
    expect(parseTagsInput('=x').error).toMatch(/name before "="/)
    expect(parseTagsInput('a="open').error).toMatch(/quote that is not closed/)
  })
})

describe('URL state', () => {
  it('round-trips through URL parameters, leaving defaults out', () => {
    const original = state({
      backend: 'jaeger',
      service: 'shop',
      operation: 'GET /x',
      tags: 'a=1 b="c d"',
      lookback: '1h',
      start: '1700000000000',
      end: '1700003600000',
      minDuration: '100ms',
      limit: '50',
      sort: '-start',
    })
    const params = searchStateToParams(original)
    expect(params.page).toBe('search')
    expect(params.sort).toBeUndefined()
    expect(params.maxDuration).toBeUndefined()
    const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined))
    expect(readSearchState(search)).toEqual({ ...original, sort: '' })
  })

  it('is submitted once the window is pinned', () => {
    expect(isSubmitted(state({ backend: 'x' }))).toBe(false)
    expect(isSubmitted(state({ start: '1', end: '2' }))).toBe(true)
  })

  it('reads times as ms, Jaeger UI µs or ISO text', () => {
    expect(parseEpochMs('1700000000000')).toBe(1700000000000)
    expect(parseEpochMs('1700000000000000')).toBe(1700000000000)
    expect(parseEpochMs('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5))
    expect(parseEpochMs('soon')).toBeUndefined()
  })

  it('converts datetime-local values both ways', () => {
    const ms = new Date(2024, 4, 6, 7, 8).getTime()
    expect(toDateTimeLocal(ms)).toBe('2024-05-06T07:08')
    expect(fromDateTimeLocal('2024-05-06T07:08')).toBe(ms)
    expect(fromDateTimeLocal('yesterday')).toBeUndefined()
  })
})

describe('pinWindow', () => {
  const now = 1_800_000_000_000
  it('ends a preset lookback now', () => {
    expect(pinWindow('15m', '', '', now)).toEqual({ startMs: now - 15 * 60_000, endMs: now, errors: [] })
    expect(pinWindow('', '', '', now).startMs).toBe(now - 3_600_000)
  })

  it('takes the absolute range of a custom window, ending now when no end is given', () => {
    const start = new Date(2024, 0, 1, 10, 0).getTime()
    expect(pinWindow('custom', '2024-01-01T10:00', '2024-01-01T11:00', now)).toEqual({ startMs: start, endMs: start + 3_600_000, errors: [] })
    expect(pinWindow('custom', '2024-01-01T10:00', '', now).endMs).toBe(now)
  })

  it('refuses a custom window without a start or ending before it starts', () => {
    expect(pinWindow('custom', '', '', now).errors.map((e) => e.field)).toEqual(['start'])
    expect(pinWindow('custom', '2024-01-01T11:00', '2024-01-01T10:00', now).errors.map((e) => e.field)).toEqual(['end'])
    expect(pinWindow('3 fortnights', '', '', now).errors.map((e) => e.field)).toEqual(['lookback'])
  })
})

describe('toSearchQuery', () => {
  const pinned = { start: '1000', end: '2000' }

  it('maps every field the backend supports', () => {
    const { query, errors } = toSearchQuery(
      state({ ...pinned, service: 'shop', operation: 'GET /x', tags: 'a=1', minDuration: '1ms', maxDuration: '2s', limit: '5' }),
      JAEGER_CAPABILITIES,
    )
    expect(errors).toEqual([])
    expect(query).toEqual({
      startMs: 1000,
      endMs: 2000,
      limit: 5,
      service: 'shop',
      operation: 'GET /x',
      tags: [{ key: 'a', value: '1' }],
      minDurationNs: 1e6,
      maxDurationNs: 2e9,
    })
  })

  it('uses TraceQL alone on Tempo, and never on other backends', () => {
    const input = state({ ...pinned, service: 'shop', q: '{ status = error }' })
    expect(toSearchQuery(input, TEMPO_CAPABILITIES).query).toEqual({ startMs: 1000, endMs: 2000, limit: 20, traceQL: '{ status = error }' })
    expect(toSearchQuery(input, JAEGER_CAPABILITIES).query?.traceQL).toBeUndefined()
    expect(toSearchQuery(input, JAEGER_CAPABILITIES).query?.service).toBe('shop')
  })

  it('keeps span kind for Tempo and remote service for Zipkin only', () => {
    const input = state({ ...pinned, spanKind: 'server', remoteService: 'db' })
    expect(toSearchQuery(input, TEMPO_CAPABILITIES).query).toMatchObject({ spanKind: 'server' })
    expect(toSearchQuery(input, TEMPO_CAPABILITIES).query?.remoteService).toBeUndefined()
    expect(toSearchQuery(input, ZIPKIN_CAPABILITIES).query).toMatchObject({ remoteService: 'db' })
    expect(toSearchQuery(input, ZIPKIN_CAPABILITIES).query?.spanKind).toBeUndefined()
  })

  it('names each bad field', () => {
    const { query, errors } = toSearchQuery(
      state({ start: 'x', end: '2000', minDuration: '2s', maxDuration: '1s', limit: '0', tags: '=' }),
      JAEGER_CAPABILITIES,
    )
    expect(query).toBeUndefined()
    expect(errors.map((e) => e.field).sort()).toEqual(['limit', 'maxDuration', 'start', 'tags'])
  })
})

function summary(traceId: string, values: Partial<TraceSummary>): TraceSummary {
  return { traceId, rootService: 's', rootOperation: 'o', startTimeNs: 0n, durationNs: 0, services: [], ...values }
}

describe('sorting', () => {
  const list = [
    summary('a', { startTimeNs: 3_000_000n, durationNs: 5, spanCount: 2, rootService: 'b' }),
    summary('b', { startTimeNs: 1_000_000n, durationNs: 9, spanCount: 7, rootService: 'a' }),
    summary('c', { startTimeNs: 2_000_000n, durationNs: 1, rootService: 'c' }),
  ]

  it('sorts by start (newest first by default), duration, spans (unknown last) and root', () => {
    expect(sortSummaries(list, '').map((s) => s.traceId)).toEqual(['a', 'c', 'b'])
    expect(sortSummaries(list, '-duration').map((s) => s.traceId)).toEqual(['b', 'a', 'c'])
    expect(sortSummaries(list, 'duration').map((s) => s.traceId)).toEqual(['c', 'a', 'b'])
    expect(sortSummaries(list, '-spans').map((s) => s.traceId)).toEqual(['b', 'a', 'c'])
    expect(sortSummaries(list, 'root').map((s) => s.traceId)).toEqual(['b', 'a', 'c'])
  })

  it('cycles a column between its natural direction and the reverse', () => {
    expect(nextSort('', 'duration')).toBe('-duration')
    expect(nextSort('-duration', 'duration')).toBe('duration')
    expect(nextSort('-duration', 'root')).toBe('root')
    expect(nextSort('-start', 'start')).toBe('start')
    expect(parseSort('bogus')).toEqual({ key: 'start', isDescending: true })
  })
})
