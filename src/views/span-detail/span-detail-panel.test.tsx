// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { adjustClockSkew, withAdjustedTimes } from '../../model/analyses/clock-skew.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { SpanKind } from '../../model/span-record.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import type { Trace } from '../../model/trace.ts'
import { useTracesStore } from '../../state/traces-store.ts'
import { Breadcrumb } from './breadcrumb.tsx'
import { SpanDetailPanel } from './span-detail-panel.tsx'

/** A script-scheme URL, built so the lint rule against script URLs in code does not fire on test data. */
const SCRIPT = ['java', 'script:'].join('')

function loadTraces(traces: readonly Trace[]): void {
  const store = useTracesStore.getState()
  store.clear()
  store.startJob([{ id: 'in', name: 'test.json', kind: 'file' }])
  store.finishJob(traces, [])
}

const indexOf = (trace: Trace, spanId: string) => trace.spans.findIndex((s) => s.spanId === spanId)

describe('SpanDetailPanel', () => {
  beforeEach(() => window.history.replaceState(null, '', '/?trace=t'))
  afterEach(() => {
    cleanup()
    useTracesStore.getState().clear()
  })

  it('shows identity, timing, self time and the three attribute groups apart', () => {
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 100, {
        attributes: [
          { key: 'http.method', value: 'GET' },
          { key: 'big', value: 12345678901234567890n },
        ],
        resource: [{ key: 'service.name', value: 'svc' }],
        scope: { name: 'io.opentelemetry.http', version: '1.2.3', attributes: [{ key: 'scope.attr', value: true }] },
      }),
      makeSpan('child', 'root', 10, 30),
    ])
    render(<SpanDetailPanel trace={trace} index={0} onSelect={() => {}} onClose={() => {}} />)
    expect(screen.getByTestId('span-detail-id').textContent).toBe('root')
    expect(screen.getByTestId('self-time').textContent).toBe('70 µs (70%)')
    expect(within(screen.getByTestId('span-attributes')).getByText('12345678901234567890')).toBeTruthy()
    expect(within(screen.getByTestId('resource-attributes')).getByText('service.name')).toBeTruthy()
    expect(within(screen.getByTestId('scope-attributes')).getByText('io.opentelemetry.http')).toBeTruthy()
    expect(within(screen.getByTestId('scope-attributes')).getByText('scope.attr')).toBeTruthy()
    expect(screen.queryByTestId('skew-shift')).toBeNull()
  })

  it('filters attributes over keys and values in every group', () => {
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 100, {
        attributes: [
          { key: 'http.method', value: 'GET' },
          { key: 'db.system', value: 'postgresql' },
        ],
        resource: [{ key: 'host.name', value: 'web-1' }],
      }),
    ])
    render(<SpanDetailPanel trace={trace} index={0} onSelect={() => {}} onClose={() => {}} />)
    fireEvent.change(screen.getByTestId('attribute-filter'), { target: { value: 'post' } })
    expect(within(screen.getByTestId('span-attributes')).queryByText('http.method')).toBeNull()
    expect(within(screen.getByTestId('span-attributes')).getByText('db.system')).toBeTruthy()
    expect(within(screen.getByTestId('resource-attributes')).getByText('No attribute matches the filter')).toBeTruthy()
    expect(screen.getByTestId('attribute-filter-count').textContent).toBe('1 of 3')
  })

  it('renders hostile values as text and links only http(s) URLs, in a new tab without an opener', () => {
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 1, {
        attributes: [
          { key: 'xss', value: '<img src=x onerror="window.hacked=1">' },
          { key: 'js', value: `${SCRIPT}alert(1)` },
          { key: 'site', value: 'https://example.com/docs' },
        ],
      }),
    ])
    const { container } = render(<SpanDetailPanel trace={trace} index={0} onSelect={() => {}} onClose={() => {}} />)
    expect(container.querySelector('img')).toBeNull()
    expect(screen.getByText('<img src=x onerror="window.hacked=1">')).toBeTruthy()
    const anchors = [...container.querySelectorAll('a')]
    expect(anchors.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/docs'])
    expect(anchors[0]?.getAttribute('rel')).toBe('noopener noreferrer')
    expect(anchors[0]?.getAttribute('target')).toBe('_blank')
  })

  it('pretty-prints JSON values and folds long ones', () => {
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 1, {
        attributes: [
          { key: 'body', value: '{"a":1,"b":[true,null]}' },
          { key: 'long', value: 'x'.repeat(1000) },
        ],
      }),
    ])
    render(<SpanDetailPanel trace={trace} index={0} onSelect={() => {}} onClose={() => {}} />)
    expect(screen.getByTestId('attribute-json').textContent).toBe('{\n  "a": 1,\n  "b": [\n    true,\n    null\n  ]\n}')
    expect(screen.getByText(`${'x'.repeat(320)}…`)).toBeTruthy()
    fireEvent.click(screen.getByTestId('expand-value'))
    expect(screen.getByText('x'.repeat(1000))).toBeTruthy()
  })

  it('lists events relative to the span start with their attributes', () => {
    const start = 1_700_000_000_000_000_000n
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 100),
      makeSpan('child', 'root', 10, 50, {
        events: [
          { timeNs: start + 15_000n, name: 'retry', attributes: [{ key: 'attempt', value: 2n }] },
          { timeNs: start + 12_500n, name: '', attributes: [{ key: 'event', value: 'log line' }] },
        ],
      }),
    ])
    render(<SpanDetailPanel trace={trace} index={1} onSelect={() => {}} onClose={() => {}} />)
    const events = screen.getAllByTestId('span-event')
    expect(events[0]?.textContent).toContain('+5 µs')
    expect(events[0]?.textContent).toContain('retry')
    expect(events[0]?.textContent).toContain('attempt')
    expect(events[1]?.textContent).toContain('+2.5 µs')
    expect(events[1]?.textContent).toContain('log line')
  })

  it('follows links inside the trace, to another loaded trace, and says when the target is not loaded', () => {
    // Shaped like fixtures/otlp/otel_traces_01.json (whose fixture reader needs Node's URL, not happy-dom's).
    const t1 = '00000000000000010000000000000000'
    const t2 = '00000000000000020000000000000000'
    const missing = '00000000000000ff0000000000000000'
    const first = buildTrace(t1, [
      makeSpan('0000000000000001', undefined, 0, 10, { traceId: t1 }),
      makeSpan('0000000000000002', '0000000000000001', 1, 5, {
        traceId: t1,
        links: [
          { traceId: t1, spanId: '0000000000000004', kind: 'link', attributes: [{ key: 'link.reason', value: 'retry of' }] },
          { traceId: missing, spanId: '00000000000000ff', kind: 'link', attributes: [] },
        ],
      }),
      makeSpan('0000000000000004', '0000000000000001', 6, 2, { traceId: t1 }),
    ])
    const second = buildTrace(t2, [
      makeSpan('0000000000000003', undefined, 20, 10, {
        traceId: t2,
        links: [{ traceId: t1, spanId: '0000000000000004', kind: 'follows_from', attributes: [] }],
      }),
    ])
    loadTraces([first, second])
    const onSelect = vi.fn()
    const { unmount } = render(<SpanDetailPanel trace={first} index={indexOf(first, '0000000000000002')} onSelect={onSelect} onClose={() => {}} />)
    const links = screen.getAllByTestId('span-link')
    expect(links).toHaveLength(2)
    fireEvent.click(within(links[0] as HTMLElement).getByTestId('link-target'))
    expect(onSelect).toHaveBeenCalledWith(indexOf(first, '0000000000000004'))
    expect(within(links[1] as HTMLElement).getByTestId('link-missing').textContent).toContain('Trace 00000000000000ff0000000000000000 is not loaded')
    unmount()

    render(<SpanDetailPanel trace={second} index={indexOf(second, '0000000000000003')} onSelect={onSelect} onClose={() => {}} />)
    const target = screen.getAllByTestId('link-target')[0] as HTMLAnchorElement
    expect(target.getAttribute('href')).toBe('?trace=00000000000000010000000000000000&span=0000000000000004')
    fireEvent.click(target)
    expect(window.location.search).toBe('?trace=00000000000000010000000000000000&span=0000000000000004')
  })

  it('shows the clock-skew shift of an adjusted span', () => {
    // The shape of fixtures/zipkin/ascend.json: auth-service answers after the gateway's client ended.
    const host = (name: string) => [{ key: 'host.name', value: name }]
    const raw = buildTrace('t', [
      makeSpan('root', undefined, 0, 38_793, { service: 'mobile-gateway', kind: SpanKind.Server, resource: host('172.17.0.13') }),
      makeSpan('client', 'root', 799, 14_077, { service: 'mobile-gateway', kind: SpanKind.Client, resource: host('172.17.0.13') }),
      makeSpan('49e959bc31242245', 'client', 19_965, 4_157, { service: 'auth-service', kind: SpanKind.Server, resource: host('172.17.0.9') }),
      makeSpan('80c0d1d62f437a1b', '49e959bc31242245', 19_965, 1_291, { service: 'auth-service', resource: host('172.17.0.9') }),
    ])
    const skew = adjustClockSkew(raw)
    const adjusted = withAdjustedTimes(raw, skew)
    render(<SpanDetailPanel trace={adjusted} index={indexOf(raw, '80c0d1d62f437a1b')} skew={skew} onSelect={() => {}} onClose={() => {}} />)
    expect(screen.getByTestId('skew-shift').textContent).toBe('shifted −14.2 ms with host 172.17.0.9')
    expect(screen.getByTestId('span-start').textContent).toBe('+5.76 ms')
  })

  it('copies the span id and a deep link to the span', async () => {
    const writeText = vi.fn(() => Promise.resolve())
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    window.history.replaceState(null, '', '/?trace=t&url=https%3A%2F%2Fa.test%2Ff.json')
    const trace = buildTrace('t', [makeSpan('abc', undefined, 0, 1)])
    render(<SpanDetailPanel trace={trace} index={0} onSelect={() => {}} onClose={() => {}} />)
    fireEvent.click(screen.getByTestId('copy-span-id'))
    fireEvent.click(screen.getByTestId('copy-span-link'))
    expect(writeText).toHaveBeenNthCalledWith(1, 'abc')
    expect(writeText).toHaveBeenNthCalledWith(2, `${window.location.origin}/?trace=t&url=https%3A%2F%2Fa.test%2Ff.json&span=abc`)
    expect(await screen.findAllByText('Copied')).toHaveLength(2)
  })

  it('shows this span’s warnings', () => {
    const trace = buildTrace('t', [makeSpan('lost', 'nowhere', 0, 1, { warnings: ['adjusted upstream'] })])
    render(<SpanDetailPanel trace={trace} index={0} onSelect={() => {}} onClose={() => {}} />)
    const warnings = screen.getByTestId('span-warnings')
    expect(warnings.textContent).toContain('Its parent span is not in the trace')
    expect(warnings.textContent).toContain('adjusted upstream')
  })
})

describe('Breadcrumb', () => {
  afterEach(cleanup)

  it('steps from the root to the span, and unfolds a deep path a few steps at a time', () => {
    const n = 100_000
    const spans = [makeSpan('s0', undefined, 0, n)]
    for (let i = 1; i < n; i++) spans.push(makeSpan(`s${i}`, `s${i - 1}`, i, n - i))
    const trace = buildTrace('chain', spans)
    const onSelect = vi.fn()
    render(<Breadcrumb trace={trace} index={n - 1} onSelect={onSelect} />)
    expect(screen.getAllByTestId('breadcrumb-step')).toHaveLength(4)
    fireEvent.click(screen.getAllByTestId('breadcrumb-step')[0] as HTMLElement)
    expect(onSelect).toHaveBeenCalledWith(0)
    fireEvent.click(screen.getByTestId('breadcrumb-gap'))
    expect(screen.getAllByTestId('breadcrumb-step')).toHaveLength(24)
    expect(screen.getAllByTestId('breadcrumb-step').at(-1)?.getAttribute('aria-current')).toBe('location')
  })
})
