import { lazy } from 'react'
import type { ComponentType } from 'react'
import type { Trace } from '../../model/trace.ts'
import { WaterfallView } from '../waterfall/waterfall-view.tsx'

// The default tab is in the main bundle; the others (and d3's layouts) load when first opened,
// so a trace opened by `?url=` starts with less code to compile. The trace page shows a
// placeholder meanwhile (a Suspense boundary around the view).
const FlameGraphView = lazy(() => import('../flamegraph/flamegraph-view.tsx').then((module) => ({ default: module.FlameGraphView })))
const StatisticsView = lazy(() => import('../statistics/statistics-view.tsx').then((module) => ({ default: module.StatisticsView })))
const ServiceMapView = lazy(() => import('../service-map/service-map-view.tsx').then((module) => ({ default: module.ServiceMapView })))
const CriticalPathView = lazy(() => import('../critical-path/critical-path-view.tsx').then((module) => ({ default: module.CriticalPathView })))

/** What every tab of the trace page receives. The selected span is shared through `useSpanTreeStore`. */
export interface TraceViewProps {
  readonly trace: Trace
}

export interface TraceViewEntry {
  /** In the URL as `&view=<id>` and in the tab's test id `view-tab-<id>`. */
  readonly id: string
  readonly label: string
  readonly component: ComponentType<TraceViewProps>
}

/** The tabs of the trace page, in order; the first is the default. Other views append themselves here. */
export const TRACE_VIEWS: TraceViewEntry[] = [
  { id: 'waterfall', label: 'Waterfall', component: WaterfallView },
  { id: 'flamegraph', label: 'Flame graph', component: FlameGraphView },
  { id: 'statistics', label: 'Statistics', component: StatisticsView },
  { id: 'service-map', label: 'Service map', component: ServiceMapView },
  { id: 'critical-path', label: 'Critical path', component: CriticalPathView },
]
