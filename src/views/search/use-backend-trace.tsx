import type { ReactNode } from 'react'
import { useUrlParams } from '../../state/url-params.ts'
import { LazyBackendTraceLoader } from './lazy-backend-trace-loader.tsx'

/**
 * `?trace=<id>&backend=<id>`, the way `?url=` loads a file: fetches the trace from the backend
 * (react-query `traceQueryOptions`: cached, retried on 5xx, cancelled when the page goes away)
 * and feeds the answer's bytes to the import worker as if it were a dropped file, so a fetched
 * trace and the same trace from a file are the same model. Reloading the link fetches it again
 * (backend answers are not saved in the browser).
 *
 * Returns what the trace page shows while the trace is not loaded (progress or the error), or
 * undefined without `&backend=` or once the trace is there.
 */
export function useBackendTrace(traceId: string, isLoaded: boolean): ReactNode | undefined {
  const backendId = useUrlParams().get('backend')
  if (!backendId || isLoaded) return undefined
  return <LazyBackendTraceLoader key={`${backendId} ${traceId}`} traceId={traceId} backendId={backendId} />
}
