import type { ComponentType } from 'react'
import type { Trace } from '../../model/trace.ts'
import { preloadableLazy } from '../../ui/preloadable-lazy.tsx'
import { WaterfallView } from '../waterfall/waterfall-view.tsx'

// The default tab is in the main bundle; the others (and d3's layouts) are chunks of their own,
// so a trace opened by `?url=` starts with less code to compile. They load once the trace page
// has painted and gone idle (`preloadTraceViews`), or when a tab is pointed at; a tab opened
// before shows a placeholder meanwhile (a Suspense boundary around the view).
const FlameGraphView = preloadableLazy(() => import('../flamegraph/flamegraph-view.tsx').then((module) => module.FlameGraphView))
const StatisticsView = preloadableLazy(() => import('../statistics/statistics-view.tsx').then((module) => module.StatisticsView))
const ServiceMapView = preloadableLazy(() => import('../service-map/service-map-view.tsx').then((module) => module.ServiceMapView))
const CriticalPathView = preloadableLazy(() => import('../critical-path/critical-path-view.tsx').then((module) => module.CriticalPathView))

/** What every tab of the trace page receives. The selected span is shared through `useSpanTreeStore`. */
export interface TraceViewProps {
  readonly trace: Trace
}

export interface TraceViewEntry {
  /** In the URL as `&view=<id>` and in the tab's test id `view-tab-<id>`. */
  readonly id: string
  readonly label: string
  readonly component: ComponentType<TraceViewProps>
  /** Starts loading the view's code ahead of its first render (views in the main bundle have none to load). */
  readonly preload?: () => void
}

/** The tabs of the trace page, in order; the first is the default. Other views append themselves here. */
export const TRACE_VIEWS: TraceViewEntry[] = [
  { id: 'waterfall', label: 'Waterfall', component: WaterfallView },
  { id: 'flamegraph', label: 'Flame graph', component: FlameGraphView.Component, preload: FlameGraphView.preload },
  { id: 'statistics', label: 'Statistics', component: StatisticsView.Component, preload: StatisticsView.preload },
  { id: 'service-map', label: 'Service map', component: ServiceMapView.Component, preload: ServiceMapView.preload },
  { id: 'critical-path', label: 'Critical path', component: CriticalPathView.Component, preload: CriticalPathView.preload },
]

/** Starts loading the code of every view (once). */
export function preloadTraceViews(): void {
  for (const view of TRACE_VIEWS) view.preload?.()
}
