import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { Suspense, useEffect, useState } from 'react'
import { ImportActionsContext } from '../state/import-actions.ts'
import { buildHref, followLink, useUrlParams } from '../state/url-params.ts'
import { HomePage } from '../views/home/home-page.tsx'
import { LoadingView } from '../ui/loading-view.tsx'
import { AppNav } from './app-nav.tsx'
import { ErrorBoundary } from './error-boundary.tsx'
import { getImportClient } from './import-client.ts'
import { AllTracesServiceMap, BackendsPage, DependenciesPage, SearchPage } from './pages.ts'
import { ThemeToggle } from './theme-toggle.tsx'
import { TracePageSlot } from './trace-page-slot.tsx'
import { useUrlLoader } from './use-url-loader.ts'

function createQueryClient(): QueryClient {
  // Trace files and samples never change while the page is open.
  return new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: 1, refetchOnWindowFocus: false } } })
}

export function App() {
  const [client] = useState(getImportClient)
  const [queryClient] = useState(createQueryClient)
  const params = useUrlParams()
  const traceId = params.get('trace') ?? undefined
  const url = params.get('url') ?? undefined
  const page = params.get('page') ?? undefined

  useEffect(() => {
    void client.restore()
  }, [client])
  useEffect(() => preventFileDropNavigation(), [])
  useUrlLoader(client, url)

  return (
    <QueryClientProvider client={queryClient}>
      <ImportActionsContext.Provider value={client}>
        <div className="flex h-full flex-col">
          <AppHeader />
          <main className="min-h-0 flex-1">
            {/* Keyed by page, not by every parameter: selecting a span (`&span=`) must not remount the tree. */}
            <ErrorBoundary key={`${traceId ?? ''} ${url ?? ''} ${page ?? ''}`}>
              <Suspense fallback={<LoadingView />}>
                {traceId !== undefined ? (
                  <TracePageSlot traceId={traceId} />
                ) : page !== undefined ? (
                  <PageOf page={page} />
                ) : params.get('view') === 'service-map' ? (
                  <AllTracesServiceMap.Component />
                ) : (
                  <HomePage />
                )}
              </Suspense>
            </ErrorBoundary>
          </main>
        </div>
      </ImportActionsContext.Provider>
    </QueryClientProvider>
  )
}

/** `?page=`: the backend pages; the home page otherwise. */
function PageOf({ page }: { readonly page: string | undefined }) {
  switch (page) {
    case 'search':
      return <SearchPage.Component />
    case 'dependencies':
      return <DependenciesPage.Component />
    case 'backends':
      return <BackendsPage.Component />
    default:
      return <HomePage />
  }
}

/**
 * A file dropped outside a drop zone (e.g. on the trace page) would make the browser open it in
 * place of the app, losing every loaded trace. Returns the cleanup.
 */
function preventFileDropNavigation(): () => void {
  const prevent = (event: DragEvent) => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault()
  }
  window.addEventListener('dragover', prevent)
  window.addEventListener('drop', prevent)
  return () => {
    window.removeEventListener('dragover', prevent)
    window.removeEventListener('drop', prevent)
  }
}

function AppHeader() {
  const homeHref = buildHref({})
  return (
    <header className="flex h-11 shrink-0 items-center gap-3 border-b border-zinc-200 bg-white px-4 dark:border-zinc-800 dark:bg-zinc-900">
      <a href={homeHref} onClick={(event) => followLink(event, homeHref)} className="flex items-center gap-2 rounded text-sm font-semibold tracking-tight">
        <svg viewBox="0 0 16 16" className="size-4" aria-hidden="true">
          <rect x="1" y="2" width="14" height="3" rx="1" fill="#6366f1" />
          <rect x="4" y="7" width="9" height="3" rx="1" fill="#14b8a6" />
          <rect x="6" y="12" width="5" height="3" rx="1" fill="#f59e0b" />
        </svg>
        Spanglass
      </a>
      <span className="hidden text-xs text-zinc-500 sm:inline dark:text-zinc-400">Jaeger · Zipkin · OTLP · Tempo trace viewer</span>
      <div className="ml-auto flex items-center gap-2">
        <AppNav />
        <ThemeToggle />
      </div>
    </header>
  )
}
