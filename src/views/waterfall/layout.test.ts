import { describe, expect, it } from 'vitest'
import { fixtureTraces } from '../../model/analyses/testing/fixture-traces.ts'
import { computeCriticalPath } from '../../model/analyses/critical-path.ts'
import { buildTrace } from '../../model/build-traces.ts'
import { makeSpan } from '../../model/testing/make-span.ts'
import { spanName, spanService } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import {
  collapseAll,
  collapseBelowDepth,
  collapseSubtree,
  expandOneLevel,
  expandSubtree,
  findRow,
  findSpanRow,
  intersectKeep,
  layoutWaterfall,
  markWithAncestors,
  moveSelection,
  revealSpan,
  RowKind,
} from './layout.ts'
import type { WaterfallLayout } from './layout.ts'
import { matchMask, searchTrace } from './search.ts'

function onlyTrace(path: string): Trace {
  const [trace] = fixtureTraces(path)
  if (!trace) throw new Error(`no trace in ${path}`)
  return trace
}

/** HotROD: 40 spans over 6 services (frontend, customer, mysql, driver, redis, route). */
const hotrod = () => onlyTrace('jaeger/getTrace-response.json')
/** SmartThings OAuth: 175 spans, 8 services, 33 levels. */
const smartthings = () => onlyTrace('zipkin/smartthings-oauth-authorization.json')

/** One line per row: `name` for spans (indented by depth), `[hidden N]` for summaries. */
function describeRows(trace: Trace, layout: WaterfallLayout): string[] {
  return [...layout.rows].map((index, row) =>
    layout.kinds[row] === RowKind.Hidden
      ? `${'  '.repeat(trace.depth[index] as number)}[hidden ${(layout.hiddenEnd.get(index) as number) - index}]`
      : `${'  '.repeat(trace.depth[index] as number)}${spanName(trace, index)}`,
  )
}

function isIncreasing(rows: Int32Array): boolean {
  for (let r = 1; r < rows.length; r++) if ((rows[r] as number) <= (rows[r - 1] as number)) return false
  return true
}

/**
 *   a            svc
 *   ├─ b         db
 *   │  ├─ c      db
 *   │  └─ d      svc
 *   ├─ e         db
 *   └─ g         svc
 *   f (second root)
 */
function sample(): Trace {
  return buildTrace('trace-1', [
    makeSpan('a', undefined, 0, 100),
    makeSpan('b', 'a', 10, 20, { service: 'db' }),
    makeSpan('c', 'b', 12, 5, { service: 'db' }),
    makeSpan('d', 'b', 20, 5),
    makeSpan('e', 'a', 40, 10, { service: 'db' }),
    makeSpan('g', 'a', 60, 10),
    makeSpan('f', undefined, 200, 10),
  ])
}

describe('layoutWaterfall', () => {
  it('shows every span in depth-first order when nothing is collapsed or filtered', () => {
    const trace = hotrod()
    const layout = layoutWaterfall(trace, { collapsed: new Set() })
    expect([...layout.rows]).toEqual(Array.from({ length: trace.spanCount }, (_, i) => i))
    expect(describeRows(trace, layout).slice(0, 4)).toEqual(['GET /dispatch', '  HTTP GET', '    GET /customer', '      SQL SELECT'])
  })

  it('hides exactly the descendants of a collapsed span', () => {
    const trace = smartthings()
    for (const index of [0, 1, 5, 40]) {
      const layout = layoutWaterfall(trace, { collapsed: new Set([index]) })
      const hidden = (trace.subtreeEnd[index] as number) - index - 1
      expect(layout.rows.length).toBe(trace.spanCount - hidden)
      expect(isIncreasing(layout.rows)).toBe(true)
      expect(findRow(layout, index)).toBeGreaterThanOrEqual(0)
      if (hidden > 0) expect(findRow(layout, index + 1)).toBe(-1)
    }
  })

  it('keeps a span collapsed inside a collapsed ancestor when the ancestor opens', () => {
    const trace = sample()
    const b = 1
    const collapsed = new Set([0, b])
    expect(describeRows(trace, layoutWaterfall(trace, { collapsed }))).toEqual(['op-a', 'op-f'])
    collapsed.delete(0)
    expect(describeRows(trace, layoutWaterfall(trace, { collapsed }))).toEqual(['op-a', '  op-b', '  op-e', '  op-g', 'op-f'])
  })

  it('collapses all, by level, a subtree, and expands one level', () => {
    const trace = smartthings()
    expect(layoutWaterfall(trace, { collapsed: collapseAll(trace) }).rows.length).toBe(1)
    const twoLevels = layoutWaterfall(trace, { collapsed: collapseBelowDepth(trace, 1) })
    expect(Math.max(...[...twoLevels.rows].map((i) => trace.depth[i] as number))).toBe(1)
    const rootChildren = [...twoLevels.rows].filter((i) => trace.depth[i] === 1).length

    const subtree = collapseSubtree(trace, new Set(), 0)
    expect(layoutWaterfall(trace, { collapsed: subtree }).rows.length).toBe(1)
    const oneLevel = expandOneLevel(trace, subtree, 0)
    expect(layoutWaterfall(trace, { collapsed: oneLevel }).rows.length).toBe(1 + rootChildren)
    expect(expandSubtree(trace, subtree, 0).size).toBe(0)
  })

  it('summarises a hidden service: runs of hidden siblings become one row with their subtrees', () => {
    const trace = sample()
    const db = trace.services.indexOf('db')
    const layout = layoutWaterfall(trace, { collapsed: new Set(), hiddenServices: new Set([db]) })
    expect(describeRows(trace, layout)).toEqual(['op-a', '  [hidden 4]', '  op-g', 'op-f'])
    // b, c, d (its svc child goes with it) and e are one run of 4 spans: b's subtree is 3, e's is 1.
    expect(layout.hiddenEnd.get(1)).toBe(5)
  })

  it('accounts for every span when services are hidden on a real trace', () => {
    const trace = hotrod()
    for (let service = 0; service < trace.services.length; service++) {
      const layout = layoutWaterfall(trace, { collapsed: new Set(), hiddenServices: new Set([service]) })
      let total = 0
      layout.rows.forEach((index, row) => {
        if (layout.kinds[row] === RowKind.Hidden) total += (layout.hiddenEnd.get(index) as number) - index
        else {
          total += 1
          expect(trace.serviceIndex[index]).not.toBe(service)
        }
      })
      expect(total).toBe(trace.spanCount)
      expect(isIncreasing(layout.rows)).toBe(true)
    }
  })

  it('shows only matches with their ancestors', () => {
    const trace = hotrod()
    const matches = searchTrace(trace, 'redis')
    expect(matches.length).toBeGreaterThan(0)
    const mask = matchMask(trace, matches)
    const layout = layoutWaterfall(trace, { collapsed: new Set(), keep: markWithAncestors(trace, (i) => mask[i] === 1) })
    for (const index of matches) expect(findSpanRow(layout, index)).toBeGreaterThanOrEqual(0)
    for (const index of layout.rows) {
      // Every row is a match or an ancestor of one.
      const isAncestor = [...matches].some((m) => m > index && m < (trace.subtreeEnd[index] as number))
      expect(mask[index] === 1 || isAncestor).toBe(true)
    }
    expect(describeRows(trace, layout)[0]).toBe('GET /dispatch')
    expect(layout.rows.length).toBeLessThan(trace.spanCount)
  })

  it('shows only the critical path with its ancestors', () => {
    const trace = smartthings()
    const { criticalNs } = computeCriticalPath(trace)
    const layout = layoutWaterfall(trace, { collapsed: new Set(), keep: markWithAncestors(trace, (i) => (criticalNs[i] as number) > 0) })
    for (let i = 0; i < trace.spanCount; i++) if ((criticalNs[i] as number) > 0) expect(findSpanRow(layout, i)).toBeGreaterThanOrEqual(0)
    expect(layout.rows.length).toBeLessThan(trace.spanCount)
    expect(layout.rows[0]).toBe(0)
  })

  it('combines filters: collapsed rows and a keep mask and hidden services', () => {
    const trace = sample()
    const keep = markWithAncestors(trace, (i) => spanName(trace, i) === 'op-d' || spanName(trace, i) === 'op-g')
    expect(describeRows(trace, layoutWaterfall(trace, { collapsed: new Set(), keep }))).toEqual(['op-a', '  op-b', '    op-d', '  op-g'])
    expect(describeRows(trace, layoutWaterfall(trace, { collapsed: new Set([1]), keep }))).toEqual(['op-a', '  op-b', '  op-g'])
    const db = trace.services.indexOf('db')
    expect(describeRows(trace, layoutWaterfall(trace, { collapsed: new Set(), keep, hiddenServices: new Set([db]) }))).toEqual([
      'op-a',
      '  [hidden 3]',
      '  op-g',
    ])
    const both = intersectKeep(
      keep,
      markWithAncestors(trace, (i) => spanName(trace, i) === 'op-g'),
    )
    expect(describeRows(trace, layoutWaterfall(trace, { collapsed: new Set(), keep: both }))).toEqual(['op-a', '  op-g'])
  })
})

describe('revealSpan', () => {
  it('opens every collapsed ancestor and nothing else', () => {
    const trace = smartthings()
    const deepest = [...trace.depth].indexOf(trace.maxDepth)
    const collapsed = collapseAll(trace)
    const revealed = revealSpan(trace, collapsed, deepest)
    expect(findSpanRow(layoutWaterfall(trace, { collapsed: revealed }), deepest)).toBeGreaterThanOrEqual(0)
    expect(collapsed.size - revealed.size).toBe(trace.maxDepth)
    expect(revealSpan(trace, new Set(), deepest).size).toBe(0)
  })
})

describe('moveSelection', () => {
  it('moves over span rows, skipping hidden summaries, and collapses and expands', () => {
    const trace = sample()
    const db = trace.services.indexOf('db')
    const layout = layoutWaterfall(trace, { collapsed: new Set(), hiddenServices: new Set([db]) })
    const none = new Set<number>()
    expect(moveSelection(trace, layout, none, undefined, 'down')).toEqual({ select: 0 })
    // a → (hidden run) → g
    expect(moveSelection(trace, layout, none, 0, 'down')).toEqual({ select: 5 })
    expect(moveSelection(trace, layout, none, 5, 'up')).toEqual({ select: 0 })
    expect(moveSelection(trace, layout, none, 0, 'up')).toEqual({})
    expect(moveSelection(trace, layout, none, 0, 'end')).toEqual({ select: 6 })
    expect(moveSelection(trace, layout, none, 6, 'home')).toEqual({ select: 0 })
    expect(moveSelection(trace, layout, none, 0, 'left')).toEqual({ toggle: 0 })
    expect(moveSelection(trace, layout, none, 5, 'left')).toEqual({ select: 0 })
    expect(moveSelection(trace, layout, new Set([0]), 0, 'right')).toEqual({ toggle: 0 })
    expect(moveSelection(trace, layout, none, 0, 'right')).toEqual({ select: 5 })
    expect(moveSelection(trace, layout, none, 0, 'toggle')).toEqual({ toggle: 0 })
    expect(moveSelection(trace, layout, none, 6, 'toggle')).toEqual({})
  })

  it('pages through a real trace and stays in bounds', () => {
    const trace = smartthings()
    const layout = layoutWaterfall(trace, { collapsed: new Set() })
    expect(moveSelection(trace, layout, new Set(), 0, 'pageDown', 20)).toEqual({ select: 20 })
    expect(moveSelection(trace, layout, new Set(), 170, 'pageDown', 20)).toEqual({ select: trace.spanCount - 1 })
    expect(moveSelection(trace, layout, new Set(), 5, 'pageUp', 20)).toEqual({ select: 0 })
    expect(spanService(trace, 0)).toBeTruthy()
  })
})
