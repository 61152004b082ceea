/** Shown while the code of a page or view that loads on first use arrives (a split chunk). */
export function LoadingView() {
  return (
    <div role="status" data-testid="view-loading" className="flex h-full min-h-24 flex-1 items-center justify-center text-sm text-zinc-500 dark:text-zinc-400">
      Loading…
    </div>
  )
}
