import { describe, expect, it } from 'vitest'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { StatusCode } from '../../model/span-record.ts'
import type { Trace } from '../../model/trace.ts'
import { getSpanIndexById } from '../trace/trace-analyses.ts'
import { countSpansPerService, getCriticalStrips, summarizeDescendants, summarizeRange } from './trace-derived.ts'

function smartthings(): Trace {
  const [trace] = fixtureTraces('zipkin/smartthings-oauth-authorization.json')
  if (!trace) throw new Error('no trace')
  return trace
}

describe('getCriticalStrips', () => {
  it('indexes every critical segment under its span, and is computed once per trace', () => {
    const trace = smartthings()
    const strips = getCriticalStrips(trace)
    expect(getCriticalStrips(trace)).toBe(strips)
    expect(strips.segmentOffset[trace.spanCount]).toBe(strips.path.segmentSpan.length)
    for (let i = 0; i < trace.spanCount; i++) {
      let total = 0
      for (let k = strips.segmentOffset[i] as number; k < (strips.segmentOffset[i + 1] as number); k++) {
        const segment = strips.segmentOrder[k] as number
        expect(strips.path.segmentSpan[segment]).toBe(i)
        total += (strips.path.segmentEndNs[segment] as number) - (strips.path.segmentStartNs[segment] as number)
      }
      expect(total).toBeCloseTo(strips.path.criticalNs[i] as number, 3)
    }
  })
})

describe('summaries', () => {
  it('summarises descendants: count, errors, extent and services by size', () => {
    const trace = smartthings()
    const root = summarizeDescendants(trace, 0)
    expect(root.spanCount).toBe((trace.subtreeEnd[0] as number) - 1)
    let errors = 0
    for (let i = 1; i < (trace.subtreeEnd[0] as number); i++) if (trace.status[i] === StatusCode.Error) errors++
    expect(root.errorCount).toBe(errors)
    expect(root.endNs).toBeGreaterThan(root.startNs)
    expect(summarizeDescendants(trace, 0)).toBe(root)
    const counts = countSpansPerService(trace)
    const all = summarizeRange(trace, 0, trace.spanCount)
    expect(all.services.map((service) => counts[service])).toEqual([...all.services.map((service) => counts[service] as number)].sort((a, b) => b - a))
    expect([...counts].reduce((a, b) => a + b, 0)).toBe(trace.spanCount)
    const leaf = summarizeDescendants(trace, trace.spanCount - 1)
    expect(leaf.spanCount).toBe(0)
  })

  it('finds spans by id', () => {
    const trace = smartthings()
    const byId = getSpanIndexById(trace)
    const id = trace.spans[42]?.spanId as string
    expect(trace.spans[byId.get(id) as number]?.spanId).toBe(id)
  })
})
