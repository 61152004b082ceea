import type { Trace } from '../../model/trace.ts'
import { useSpanTreeStore } from '../../state/span-tree-store.ts'
import { useWaterfallStore } from '../../state/waterfall-store.ts'
import { useSpanFilterStore } from '../statistics/span-filter-store.ts'
import { carryColumnAnalyses } from './column-analyses.ts'
import { getAdjustedTrace, peekAdjustedTrace } from './skew.ts'

/**
 * Moves the view state (selection, collapsed spans, search, zoom, span filter) of `from` to `to`,
 * the same trace in a new object with the same spans in the same order: the trace once its span
 * details have arrived. The clock-skew adjusted view moves too when it had been opened, and the
 * analyses that read only the columns (critical path, self times…) come along as computed.
 */
export function carryTraceState(from: Trace, to: Trace): void {
  carryColumnAnalyses(from, to)
  rebase(from, to)
  const adjusted = peekAdjustedTrace(from)
  if (adjusted) rebase(adjusted, getAdjustedTrace(to))
}

function rebase(from: Trace, to: Trace): void {
  useSpanTreeStore.getState().rebase(from, to)
  useWaterfallStore.getState().rebase(from, to)
  useSpanFilterStore.getState().rebase(from, to)
}
