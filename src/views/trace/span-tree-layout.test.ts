import { describe, expect, it } from 'vitest'
import { buildTrace } from '../../model/build-traces.ts'
import type { SpanRecord } from '../../model/span-record.ts'
import { spanName } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { collapseAll, collapseBelowDepth, countDescendants, findRow, hasChildren, layoutSpanTree, moveInTree, revealSpan } from './span-tree-layout.ts'

/** A span named `id`, starting `startMs` after the trace start. */
function span(id: string, parentId: string | undefined, startMs: number, durationMs = 1): SpanRecord {
  return {
    traceId: 't1',
    spanId: id,
    parentSpanId: parentId,
    name: id,
    service: 'svc',
    kind: 0,
    startTimeNs: 1_000_000_000_000n + BigInt(Math.round(startMs * 1e6)),
    durationNs: durationMs * 1e6,
    statusCode: 0,
    attributes: [],
    resource: [],
    events: [],
    links: [],
  }
}

/**
 *   a
 *   ├─ b
 *   │  ├─ c
 *   │  └─ d
 *   └─ e
 *   f (second root)
 */
function buildSample(): Trace {
  return buildTrace('t1', [
    span('a', undefined, 0, 10),
    span('b', 'a', 1, 5),
    span('c', 'b', 2),
    span('d', 'b', 3),
    span('e', 'a', 7),
    span('f', undefined, 20),
  ])
}

function names(trace: Trace, rows: Int32Array): string[] {
  return [...rows].map((index) => spanName(trace, index))
}

function indexOf(trace: Trace, name: string): number {
  return trace.names.indexOf(name) >= 0 ? [...trace.nameIndex].indexOf(trace.names.indexOf(name)) : -1
}

describe('layoutSpanTree', () => {
  it('shows every span depth-first when nothing is collapsed', () => {
    const trace = buildSample()
    expect(names(trace, layoutSpanTree(trace, new Set()))).toEqual(['a', 'b', 'c', 'd', 'e', 'f'])
  })

  it('hides the descendants of a collapsed span, and only those', () => {
    const trace = buildSample()
    expect(names(trace, layoutSpanTree(trace, new Set([indexOf(trace, 'b')])))).toEqual(['a', 'b', 'e', 'f'])
    expect(names(trace, layoutSpanTree(trace, new Set([indexOf(trace, 'a')])))).toEqual(['a', 'f'])
  })

  it('ignores collapsed spans that are already hidden or are leaves', () => {
    const trace = buildSample()
    const collapsed = new Set([indexOf(trace, 'a'), indexOf(trace, 'b'), indexOf(trace, 'e')])
    expect(names(trace, layoutSpanTree(trace, collapsed))).toEqual(['a', 'f'])
  })

  it('collapses all to the roots, or below a depth', () => {
    const trace = buildSample()
    expect(names(trace, layoutSpanTree(trace, collapseAll(trace)))).toEqual(['a', 'f'])
    expect(names(trace, layoutSpanTree(trace, collapseBelowDepth(trace, 1)))).toEqual(['a', 'b', 'e', 'f'])
  })

  it('handles a 100,000-deep chain without recursion', () => {
    const records = [span('s0', undefined, 0, 200_000)]
    for (let i = 1; i < 100_000; i++) records.push(span(`s${i}`, `s${i - 1}`, i * 0.001))
    const trace = buildTrace('t1', records)
    expect(layoutSpanTree(trace, new Set()).length).toBe(100_000)
    expect(layoutSpanTree(trace, new Set([50_000])).length).toBe(50_001)
    expect(countDescendants(trace, 0)).toBe(99_999)
  })
})

describe('findRow and revealSpan', () => {
  it('finds visible spans and reports hidden ones', () => {
    const trace = buildSample()
    const collapsed = new Set([indexOf(trace, 'b')])
    const rows = layoutSpanTree(trace, collapsed)
    expect(findRow(rows, indexOf(trace, 'e'))).toBe(2)
    expect(findRow(rows, indexOf(trace, 'c'))).toBe(-1)
  })

  it('expands the collapsed ancestors of a span and returns the same set when none is', () => {
    const trace = buildSample()
    const collapsed = new Set([indexOf(trace, 'a'), indexOf(trace, 'b')])
    const revealed = revealSpan(trace, collapsed, indexOf(trace, 'c'))
    expect([...revealed]).toEqual([])
    const unrelated = new Set([indexOf(trace, 'b')])
    expect(revealSpan(trace, unrelated, indexOf(trace, 'e'))).toBe(unrelated)
  })
})

describe('moveInTree', () => {
  it('moves up and down through visible rows and stops at the ends', () => {
    const trace = buildSample()
    const collapsed = new Set([indexOf(trace, 'b')])
    const rows = layoutSpanTree(trace, collapsed)
    expect(moveInTree(trace, rows, collapsed, indexOf(trace, 'b'), 'ArrowDown')).toEqual({ select: indexOf(trace, 'e') })
    expect(moveInTree(trace, rows, collapsed, indexOf(trace, 'a'), 'ArrowUp')).toEqual({ select: indexOf(trace, 'a') })
    expect(moveInTree(trace, rows, collapsed, indexOf(trace, 'a'), 'End')).toEqual({ select: indexOf(trace, 'f') })
    expect(moveInTree(trace, rows, collapsed, indexOf(trace, 'a'), 'PageDown', 2)).toEqual({ select: indexOf(trace, 'e') })
  })

  it('selects the first row when nothing is selected', () => {
    const trace = buildSample()
    const rows = layoutSpanTree(trace, new Set())
    expect(moveInTree(trace, rows, new Set(), undefined, 'ArrowDown')).toEqual({ select: 0 })
  })

  it('expands, enters, collapses and climbs with right and left', () => {
    const trace = buildSample()
    const b = indexOf(trace, 'b')
    const collapsed = new Set([b])
    const rows = layoutSpanTree(trace, collapsed)
    expect(moveInTree(trace, rows, collapsed, b, 'ArrowRight')).toEqual({ toggle: b })
    const open = layoutSpanTree(trace, new Set())
    expect(moveInTree(trace, open, new Set(), b, 'ArrowRight')).toEqual({ select: indexOf(trace, 'c') })
    expect(moveInTree(trace, open, new Set(), b, 'ArrowLeft')).toEqual({ toggle: b })
    expect(moveInTree(trace, open, new Set(), indexOf(trace, 'c'), 'ArrowLeft')).toEqual({ select: b })
    expect(moveInTree(trace, open, new Set(), indexOf(trace, 'f'), 'ArrowLeft')).toEqual({})
    expect(moveInTree(trace, open, new Set(), indexOf(trace, 'c'), 'Enter')).toEqual({})
    expect(moveInTree(trace, open, new Set(), b, ' ')).toEqual({ toggle: b })
  })
})

describe('hasChildren', () => {
  it('is true for parents only', () => {
    const trace = buildSample()
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((name) => hasChildren(trace, indexOf(trace, name)))).toEqual([true, true, false, false, false, false])
  })
})
