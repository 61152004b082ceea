import { useMemo } from 'react'
import { buildServiceGraph } from '../../model/analyses/service-graph.ts'
import type { Trace } from '../../model/trace.ts'
import { useTracesStore } from '../../state/traces-store.ts'
import { buildHref, followLink } from '../../state/url-params.ts'
import { pluralize } from '../../ui/format.ts'
import { ServiceMap } from './service-map.tsx'
import { useTraceLinker } from './use-trace-linker.ts'

/** The trace page's tab: the dependency map of this one trace. */
export function ServiceMapView({ trace }: { readonly trace: Trace }) {
  const graph = useMemo(() => buildServiceGraph([trace]), [trace])
  const traceLinker = useTraceLinker()
  const allHref = buildHref({ view: 'service-map' })
  const traceCount = useTracesStore((state) => state.traces.size)
  return (
    <ServiceMap
      graph={graph}
      traceLinker={traceLinker}
      title={
        traceCount > 1 && (
          <a
            href={allHref}
            onClick={(event) => followLink(event, allHref)}
            data-testid="service-map-all-link"
            className="rounded text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Map of all {pluralize(traceCount, 'loaded trace')}
          </a>
        )
      }
    />
  )
}
