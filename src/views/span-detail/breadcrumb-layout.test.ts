import { describe, expect, it } from 'vitest'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { findAncestorPath, layoutBreadcrumb } from './breadcrumb-layout.ts'

const steps = (n: number) => Array.from({ length: n }, (_, i) => i * 10)

describe('layoutBreadcrumb', () => {
  it('shows every step of a short path', () => {
    expect(layoutBreadcrumb(steps(1))).toEqual([{ kind: 'step', index: 0 }])
    expect(layoutBreadcrumb(steps(5)).every((item) => item.kind === 'step')).toBe(true)
    // Folding one step would save nothing: 1 head + 1 hidden + 3 tail still shows all five.
    expect(layoutBreadcrumb(steps(5))).toHaveLength(5)
  })

  it('folds the middle of a long path into one gap: root, …, the last three', () => {
    expect(layoutBreadcrumb(steps(10))).toEqual([
      { kind: 'step', index: 0 },
      { kind: 'gap', from: 1, to: 7 },
      { kind: 'step', index: 70 },
      { kind: 'step', index: 80 },
      { kind: 'step', index: 90 },
    ])
  })

  it('reveals hidden steps next to the selected span, and drops the gap once it is small', () => {
    expect(layoutBreadcrumb(steps(10), 3)).toEqual([
      { kind: 'step', index: 0 },
      { kind: 'gap', from: 1, to: 4 },
      ...[40, 50, 60, 70, 80, 90].map((index) => ({ kind: 'step', index })),
    ])
    expect(layoutBreadcrumb(steps(10), 5)).toHaveLength(10)
    expect(layoutBreadcrumb(steps(10), 1000)).toHaveLength(10)
  })

  it('renders a handful of items for a 100,000-deep span', () => {
    const n = 100_000
    const spans = [makeSpan('s0', undefined, 0, n)]
    for (let i = 1; i < n; i++) spans.push(makeSpan(`s${i}`, `s${i - 1}`, i, n - i))
    const trace = buildTrace('chain', spans)
    const path = findAncestorPath(trace, n - 1)
    expect(path).toHaveLength(n)
    expect(path[0]).toBe(0)
    expect(path[n - 1]).toBe(n - 1)
    const items = layoutBreadcrumb(path)
    expect(items).toEqual([
      { kind: 'step', index: 0 },
      { kind: 'gap', from: 1, to: n - 3 },
      { kind: 'step', index: n - 3 },
      { kind: 'step', index: n - 2 },
      { kind: 'step', index: n - 1 },
    ])
    expect(layoutBreadcrumb(path, 40)).toHaveLength(45)
  })

  it('gives an empty path for an index outside the trace', () => {
    const trace = buildTrace('t', [makeSpan('a', undefined, 0, 1)])
    expect(findAncestorPath(trace, 5)).toHaveLength(0)
    expect(Array.from(findAncestorPath(trace, 0))).toEqual([0])
  })
})
