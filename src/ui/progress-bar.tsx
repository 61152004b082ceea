interface ProgressBarProps {
  /** 0…1, or undefined for an indeterminate bar. */
  readonly fraction: number | undefined
  readonly label: string
  readonly isDone?: boolean
  readonly testId?: string
}

export function ProgressBar({ fraction, label, isDone = false, testId }: ProgressBarProps) {
  const percent = fraction === undefined ? undefined : Math.round(Math.min(1, Math.max(0, fraction)) * 100)
  return (
    <div data-testid={testId} data-state={isDone ? 'done' : 'running'} className="flex items-center gap-3 text-xs">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-1.5 min-w-24 flex-1 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={
            isDone ? 'h-full rounded-full bg-emerald-500 transition-[width] duration-150' : 'h-full rounded-full bg-indigo-500 transition-[width] duration-150'
          }
          style={{ width: `${percent ?? 100}%` }}
        />
      </div>
      <span className="w-72 shrink-0 truncate text-zinc-600 tabular-nums dark:text-zinc-400" title={label}>
        {label}
      </span>
    </div>
  )
}
