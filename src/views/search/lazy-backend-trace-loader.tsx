import { lazy, Suspense } from 'react'
import { LoadingView } from '../../ui/loading-view.tsx'

// The backend clients (and the importers they run on answers) load only for `&backend=` links.
const BackendTraceLoader = lazy(() => import('./backend-trace-loader.tsx').then((module) => ({ default: module.BackendTraceLoader })))

/** `BackendTraceLoader`, with its code loaded on first use. */
export function LazyBackendTraceLoader({ traceId, backendId }: { readonly traceId: string; readonly backendId: string }) {
  return (
    <Suspense fallback={<LoadingView />}>
      <BackendTraceLoader traceId={traceId} backendId={backendId} />
    </Suspense>
  )
}
