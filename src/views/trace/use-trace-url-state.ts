import { useEffect, useRef } from 'react'
import { spanIdAt } from '../../model/trace.ts'
import type { Trace } from '../../model/trace.ts'
import { selectTreeState, useSpanTreeStore } from '../../state/span-tree-store.ts'
import { replaceParams } from '../../state/url-params.ts'
import { selectWaterfallState, useWaterfallStore } from '../../state/waterfall-store.ts'
import { revealSpan } from '../waterfall/layout.ts'
import { getSpanIndexById } from './trace-analyses.ts'
import { formatWindowBound, parseWindowParams } from '../waterfall/zoom.ts'

/**
 * The shareable picture of a trace in the URL, both ways:
 *
 * | parameter | holds |
 * | --- | --- |
 * | `span` | the selected span id |
 * | `q` | the search |
 * | `from`, `to` | the zoom window, ns from the trace start (also read: `1.5ms`, `0.25`, `25%`) |
 * | `collapsed` | collapsed span ids, when there are at most `MAX_COLLAPSED_IN_URL` |
 * | `only` | `matches` and/or `critical` (comma-separated) |
 * | `hide` | hidden services, by name |
 *
 * On arrival (once per trace object) the URL is applied to the stores; afterwards every store
 * change is written back with `replaceState`, at most every `WRITE_INTERVAL_MS` (browsers
 * throttle pages that replace their URL hundreds of times in a row, e.g. while dragging the
 * zoom window or holding `j`).
 */

const MAX_COLLAPSED_IN_URL = 50
const MAX_HIDDEN_PARAM_CHARS = 400
const WRITE_INTERVAL_MS = 120

export function useTraceUrlState(trace: Trace): void {
  // Arrival: the URL → the stores.
  const appliedRef = useRef<Trace | undefined>(undefined)
  useEffect(() => {
    if (appliedRef.current === trace) return
    appliedRef.current = trace
    // A trace the stores already hold was rebased onto (clock skew toggled): its state is current.
    if (useSpanTreeStore.getState().trace === trace) return
    applyUrl(trace, new URLSearchParams(window.location.search))
  }, [trace])

  // Afterwards: the stores → the URL.
  useEffect(() => {
    let timer = 0
    let lastWriteMs = 0
    const write = () => {
      timer = 0
      lastWriteMs = performance.now()
      replaceParams(describeState(trace))
    }
    const schedule = () => {
      if (timer !== 0) return
      const waitMs = Math.max(0, lastWriteMs + WRITE_INTERVAL_MS - performance.now())
      if (waitMs === 0) write()
      else timer = window.setTimeout(write, waitMs)
    }
    const unsubscribeTree = useSpanTreeStore.subscribe((state, previous) => {
      if (state.trace === trace && (state.selected !== previous.selected || state.collapsed !== previous.collapsed || previous.trace !== trace)) schedule()
    })
    const unsubscribeWaterfall = useWaterfallStore.subscribe((state) => {
      if (state.trace === trace) schedule()
    })
    return () => {
      unsubscribeTree()
      unsubscribeWaterfall()
      // Leaving the page drops a pending write: it would put this trace's state on the next page's URL.
      window.clearTimeout(timer)
    }
  }, [trace])
}

function applyUrl(trace: Trace, params: URLSearchParams): void {
  const ids = (params.get('collapsed') ?? '').split(',').filter(Boolean)
  const spanParam = params.get('span')
  // The id index costs a map of every span: only built when the URL names spans.
  const byId = ids.length > 0 || spanParam ? getSpanIndexById(trace) : undefined
  let collapsed: ReadonlySet<number> = new Set(ids.map((id) => byId?.get(id)).filter((index): index is number => index !== undefined))
  const selected = spanParam ? byId?.get(spanParam) : undefined
  if (selected !== undefined) collapsed = revealSpan(trace, collapsed, selected)
  const hiddenNames = new Set((params.get('hide') ?? '').split(',').filter(Boolean))
  const only = new Set((params.get('only') ?? '').split(','))
  const query = params.get('q') ?? ''
  useWaterfallStore.getState().update(trace, {
    query,
    isOnlyMatches: only.has('matches') && query.trim() !== '',
    isCriticalOnly: only.has('critical'),
    hiddenServices: new Set(trace.services.flatMap((service, index) => (hiddenNames.has(service) ? [index] : []))),
    window: parseWindowParams(trace, params.get('from'), params.get('to')),
  })
  useSpanTreeStore.getState().select(trace, selected, collapsed)
}

function describeState(trace: Trace): Record<string, string | undefined> {
  const tree = selectTreeState(useSpanTreeStore.getState(), trace)
  const filters = selectWaterfallState(useWaterfallStore.getState(), trace)
  const collapsedIds =
    tree.collapsed.size > 0 && tree.collapsed.size <= MAX_COLLAPSED_IN_URL
      ? [...tree.collapsed]
          .sort((a, b) => a - b)
          .map((index) => spanIdAt(trace, index))
          .join(',')
      : undefined
  const only = [filters.isOnlyMatches ? 'matches' : '', filters.isCriticalOnly ? 'critical' : ''].filter(Boolean).join(',')
  const hidden = [...filters.hiddenServices].map((service) => trace.services[service] ?? '').join(',')
  return {
    span: tree.selected === undefined ? undefined : spanIdAt(trace, tree.selected),
    q: filters.query || undefined,
    from: filters.window ? formatWindowBound(filters.window.startNs) : undefined,
    to: filters.window ? formatWindowBound(filters.window.endNs) : undefined,
    collapsed: collapsedIds,
    only: only || undefined,
    hide: hidden && hidden.length <= MAX_HIDDEN_PARAM_CHARS ? hidden : undefined,
  }
}
