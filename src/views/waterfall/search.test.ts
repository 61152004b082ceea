import { describe, expect, it } from 'vitest'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { StatusCode } from '../../model/span-record.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { spanName, spanService } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { matchMask, nextMatchFrom, parseSearch, searchTrace, startSearch } from './search.ts'

function hotrod(): Trace {
  const [trace] = fixtureTraces('jaeger/getTrace-response.json')
  if (!trace) throw new Error('no trace')
  return trace
}

const names = (trace: Trace, matches: Int32Array) => [...matches].map((i) => spanName(trace, i))
const services = (trace: Trace, matches: Int32Array) => [...new Set([...matches].map((i) => spanService(trace, i)))].sort()

describe('parseSearch', () => {
  it('splits terms, keeps quoted spaces, recognises key=value, != and durations', () => {
    expect(parseSearch('  Redis   http.route="/a b"  error!=true dur>1.5ms duration<=20us x=')).toEqual([
      { kind: 'text', text: 'redis' },
      { kind: 'field', key: 'http.route', value: '/a b', isNegated: false },
      { kind: 'field', key: 'error', value: 'true', isNegated: true },
      { kind: 'duration', op: '>', ns: 1.5e6 },
      { kind: 'duration', op: '<=', ns: 20e3 },
      { kind: 'field', key: 'x', value: '', isNegated: false },
    ])
    expect(parseSearch('')).toEqual([])
    expect(parseSearch('=x')).toEqual([{ kind: 'text', text: '=x' }])
  })
})

describe('searchTrace on HotROD', () => {
  it('finds a name or service substring, case-insensitively', () => {
    const trace = hotrod()
    const redis = searchTrace(trace, 'REDIS')
    expect(redis.length).toBeGreaterThan(0)
    expect(services(trace, redis)).toContain('redis-manual')
    const sql = searchTrace(trace, 'sql select')
    expect(names(trace, sql).every((name) => name === 'SQL SELECT')).toBe(true)
    expect(sql.length).toBeGreaterThan(0)
  })

  it('matches key=value on span attributes, with wildcards, and key= for presence', () => {
    const trace = hotrod()
    const ports = searchTrace(trace, 'server.port=8083')
    expect(ports.length).toBeGreaterThan(0)
    for (const i of ports) expect(trace.spans[i]?.attributes.some((a) => a.key === 'server.port' && String(a.value) === '8083')).toBe(true)
    const wildcard = searchTrace(trace, 'url.full=*route*')
    expect(wildcard.length).toBeGreaterThan(0)
    expect(searchTrace(trace, 'url.full=route').length).toBe(0)
    expect(searchTrace(trace, 'retry_no=').length).toBe(1)
    expect(searchTrace(trace, 'retry_no=*').length).toBe(1)
  })

  it('matches resource attributes: key=value and plain text', () => {
    const trace = hotrod()
    const go = searchTrace(trace, 'telemetry.sdk.language=go')
    expect(go.length).toBe(trace.spanCount)
    const frontend = searchTrace(trace, 'service.name=frontend')
    expect(services(trace, frontend)).toEqual(['frontend'])
    const host = trace.spans[0]?.resource.find((a) => a.key === 'host.name')?.value as string
    expect(searchTrace(trace, host).length).toBeGreaterThan(0)
  })

  it('matches span fields by name: service=, status=error, kind=, span id (full or partial)', () => {
    const trace = hotrod()
    expect(services(trace, searchTrace(trace, 'service=mysql'))).toEqual(['mysql'])
    const errors = searchTrace(trace, 'status=error')
    expect(errors.length).toBe(trace.errorCount)
    for (const i of errors) expect(trace.status[i]).toBe(StatusCode.Error)
    for (const i of searchTrace(trace, 'kind=server')) expect(trace.kind[i]).toBe(2)
    const id = trace.spans[7]?.spanId as string
    expect([...searchTrace(trace, id)]).toContain(7)
    expect([...searchTrace(trace, `span=${id}`)]).toEqual([7])
    expect([...searchTrace(trace, id.slice(3, 11))]).toContain(7)
  })

  it('ANDs terms and negates with !=', () => {
    const trace = hotrod()
    const both = searchTrace(trace, 'service=redis status=error')
    for (const i of both) {
      expect(spanService(trace, i)).toBe('redis')
      expect(trace.status[i]).toBe(StatusCode.Error)
    }
    const notFrontend = searchTrace(trace, 'service!=frontend')
    expect(services(trace, notFrontend)).not.toContain('frontend')
    expect(notFrontend.length + searchTrace(trace, 'service=frontend').length).toBe(trace.spanCount)
  })

  it('filters by duration', () => {
    const trace = hotrod()
    const slow = searchTrace(trace, 'duration>100ms')
    for (const i of slow) expect(trace.durationsNs[i]).toBeGreaterThan(100e6)
    const fast = searchTrace(trace, 'dur<=100ms')
    expect(slow.length + fast.length).toBe(trace.spanCount)
  })

  it('finds nothing for an empty or unknown query', () => {
    const trace = hotrod()
    expect(searchTrace(trace, '').length).toBe(0)
    expect(searchTrace(trace, 'no-such-thing-anywhere').length).toBe(0)
  })
})

describe('search on synthetic spans', () => {
  it('matches event names and status messages', () => {
    const trace = buildTrace('t', [
      makeSpan('a', undefined, 0, 10),
      makeSpan('b', 'a', 1, 2, { statusCode: StatusCode.Error, statusMessage: 'Deadline exceeded' }),
      makeSpan('c', 'a', 4, 2, { events: [{ timeNs: 1_700_000_000_000_005_000n, name: 'cache.miss', attributes: [] }] }),
    ])
    expect(names(trace, searchTrace(trace, 'deadline'))).toEqual(['op-b'])
    expect(names(trace, searchTrace(trace, 'cache.miss'))).toEqual(['op-c'])
  })
})

describe('nextMatchFrom and matchMask', () => {
  it('walks forward and back from a selection, wrapping', () => {
    const matches = Int32Array.from([3, 8, 20])
    expect(nextMatchFrom(matches, undefined, 1)).toBe(0)
    expect(nextMatchFrom(matches, undefined, -1)).toBe(2)
    expect(nextMatchFrom(matches, 3, 1)).toBe(1)
    expect(nextMatchFrom(matches, 5, 1)).toBe(1)
    expect(nextMatchFrom(matches, 20, 1)).toBe(0)
    expect(nextMatchFrom(matches, 8, -1)).toBe(0)
    expect(nextMatchFrom(matches, 9, -1)).toBe(1)
    expect(nextMatchFrom(matches, 3, -1)).toBe(2)
    expect(nextMatchFrom(new Int32Array(0), 3, 1)).toBe(-1)
    const trace = hotrod()
    const mask = matchMask(trace, Int32Array.from([0, 5]))
    expect(mask[0]).toBe(1)
    expect(mask[5]).toBe(1)
    expect(mask[1]).toBe(0)
  })
})

describe('startSearch (in slices)', () => {
  /** A flat trace of `count` spans under one root; every 7th span is named "slow". */
  function wide(count: number): Trace {
    const spans = [makeSpan('root', undefined, 0, count + 1)]
    for (let i = 1; i < count; i++) spans.push(makeSpan(`s${i}`, 'root', i, 1, { name: i % 7 === 0 ? 'slow' : 'fast' }))
    return buildTrace('trace-1', spans)
  }

  it('stops at the deadline after one chunk, resumes where it stopped, and ends with the same answer as one pass', () => {
    const trace = wide(5000)
    const run = startSearch(trace, 'name=slow')
    let slices = 0
    // A deadline already passed: each call examines one chunk of spans, then yields.
    while (!run.advance(0)) {
      expect(run.matches).toBeUndefined()
      slices++
    }
    expect(slices).toBe(Math.ceil(5000 / 1024) - 1)
    expect([...(run.matches as Int32Array)]).toEqual([...searchTrace(trace, 'name=slow')])
    expect(run.matches?.length).toBe(Math.floor(4999 / 7))
    // Done is done: more calls change nothing.
    expect(run.advance(0)).toBe(true)
    expect(run.matches?.length).toBe(Math.floor(4999 / 7))
  })

  it('answers an empty query at once with no match', () => {
    const run = startSearch(wide(3000), '   ')
    expect(run.advance(0)).toBe(true)
    expect(run.matches).toEqual(new Int32Array(0))
  })
})
