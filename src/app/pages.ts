import { preloadableLazy } from '../ui/preloadable-lazy.tsx'

// Pages that opening a trace never needs (search, dependencies, backends, the map of all traces)
// are chunks of their own, so that the app's start-up task stays short. Pointing at a link to
// one starts loading it (`preload`), so that a click mostly finds it in.
export const SearchPage = preloadableLazy(() => import('../views/search/search-page.tsx').then((module) => module.SearchPage))
export const DependenciesPage = preloadableLazy(() => import('../views/dependencies/dependencies-page.tsx').then((module) => module.DependenciesPage))
export const BackendsPage = preloadableLazy(() => import('../views/backends/backends-page.tsx').then((module) => module.BackendsPage))
export const AllTracesServiceMap = preloadableLazy(() => import('../views/service-map/all-traces-service-map.tsx').then((module) => module.AllTracesServiceMap))
