import { useBackendsStore } from '../state/backends-store.ts'
import { buildHref, followLink, useUrlParams } from '../state/url-params.ts'
import { TraceIdLookup } from '../views/search/trace-id-lookup.tsx'
import { BackendsPage, DependenciesPage, SearchPage } from './pages.ts'

const PAGES = [
  { id: 'search', label: 'Search', preload: SearchPage.preload },
  { id: 'dependencies', label: 'Dependencies', preload: DependenciesPage.preload },
  { id: 'backends', label: 'Backends', preload: BackendsPage.preload },
] as const

/** The header's links to the backend pages and its "open a trace by id" box. */
export function AppNav() {
  const params = useUrlParams()
  const page = params.get('page')
  const backendId = params.get('backend') ?? undefined
  const lastUsedId = useBackendsStore((state) => state.lastUsedId)
  const lookupBackend = backendId ?? lastUsedId
  return (
    <>
      <nav aria-label="Pages" className="flex items-center gap-0.5">
        {PAGES.map((entry) => {
          // Keep the backend when moving between its pages.
          const href = buildHref({ page: entry.id, backend: entry.id === 'backends' ? undefined : backendId })
          const isCurrent = page === entry.id && !params.has('trace')
          return (
            <a
              key={entry.id}
              href={href}
              onClick={(event) => followLink(event, href)}
              onPointerEnter={entry.preload}
              onFocus={entry.preload}
              aria-current={isCurrent ? 'page' : undefined}
              data-testid={`nav-${entry.id}`}
              className="rounded-md px-2 py-1 text-xs font-medium text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 aria-[current=page]:bg-indigo-50 aria-[current=page]:text-indigo-800 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white dark:aria-[current=page]:bg-indigo-950 dark:aria-[current=page]:text-indigo-200"
            >
              {entry.label}
            </a>
          )
        })}
      </nav>
      <TraceIdLookup backendId={lookupBackend} testId="header-trace-id" className="hidden w-56 md:flex" />
    </>
  )
}
