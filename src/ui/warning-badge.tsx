interface WarningLike {
  readonly message: string
}

/** An amber count whose tooltip (and accessible name) lists the messages; nothing when there are none. */
export function WarningBadge({ warnings, testId = 'warning-badge' }: { readonly warnings: readonly WarningLike[]; readonly testId?: string }) {
  if (warnings.length === 0) return null
  const title = warnings.map((warning) => `• ${warning.message}`).join('\n')
  return (
    <span
      data-testid={testId}
      title={title}
      aria-label={`${warnings.length} warning${warnings.length === 1 ? '' : 's'}: ${warnings.map((warning) => warning.message).join('; ')}`}
      className="inline-flex items-center gap-1 rounded bg-amber-100 px-1.5 py-px text-[11px] font-medium text-amber-800 tabular-nums dark:bg-amber-900/50 dark:text-amber-200"
    >
      <svg viewBox="0 0 16 16" className="size-3" fill="currentColor" aria-hidden="true">
        <path d="M6.46 1.9a1.75 1.75 0 0 1 3.08 0l5.2 9.6A1.75 1.75 0 0 1 13.2 14H2.8a1.75 1.75 0 0 1-1.54-2.5l5.2-9.6ZM8 5a.75.75 0 0 0-.75.75v3a.75.75 0 0 0 1.5 0v-3A.75.75 0 0 0 8 5Zm0 7a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" />
      </svg>
      {warnings.length}
    </span>
  )
}
