import type { ComponentType } from 'react'
import type { Trace } from '../../model/trace.ts'
import { WaterfallView } from '../waterfall/waterfall-view.tsx'
import { CriticalPathView } from '../critical-path/critical-path-view.tsx'
import { FlameGraphView } from '../flamegraph/flamegraph-view.tsx'
import { ServiceMapView } from '../service-map/service-map-view.tsx'
import { StatisticsView } from '../statistics/statistics-view.tsx'

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
