import { describe, expect, it } from 'vitest'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { SpanKind } from '../../model/span-record.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { collectSpanWarnings } from './span-warnings.ts'

describe('collectSpanWarnings', () => {
  it('says each trace warning for this span only, then the source’s own words', () => {
    const trace = buildTrace('t', [
      makeSpan('root', undefined, 0, 10),
      makeSpan('lost', 'missing-parent', 2, undefined, { warnings: ['clock skew adjusted by the collector'] }),
      makeSpan('fine', 'root', 1, 2),
    ])
    const lost = trace.spans.findIndex((s) => s.spanId === 'lost')
    expect(collectSpanWarnings(trace, lost)).toEqual([
      { kind: 'orphan', text: 'Its parent span is not in the trace; shown as a root' },
      { kind: 'missing-duration', text: 'No duration in the input; drawn with zero length' },
      { kind: 'source', text: 'clock skew adjusted by the collector' },
    ])
    expect(
      collectSpanWarnings(
        trace,
        trace.spans.findIndex((s) => s.spanId === 'fine'),
      ),
    ).toEqual([])
  })

  it('explains a clock skew finding, and whether the adjuster corrects it', () => {
    const [trace] = fixtureTraces('zipkin/ascend.json')
    if (!trace) throw new Error('no trace')
    const server = trace.spans.findIndex((s) => s.spanId === '49e959bc31242245')
    expect(collectSpanWarnings(trace, server)).toEqual([
      { kind: 'child-outside-parent', text: 'Starts before or ends after its parent' },
      {
        kind: 'clock-skew-detected',
        text: 'Possible clock skew: it ends 9.25 ms after its parent, which runs on another host. "Adjust clock skew" moves it inside its client span.',
      },
    ])
    const other = buildTrace('t', [
      makeSpan('a', undefined, 10, 10, { service: 'a', kind: SpanKind.Server }),
      makeSpan('b', 'a', 5, 2, { service: 'b', kind: SpanKind.Server }),
    ])
    expect(collectSpanWarnings(other, 1).at(-1)?.text).toBe(
      'Possible clock skew: it starts 5 µs before its parent, which runs on another host (not a client→server call, so it is not adjusted).',
    )
  })
})
