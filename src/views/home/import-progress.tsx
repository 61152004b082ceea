import { useTracesStore } from '../../state/traces-store.ts'
import type { ProgressState } from '../../state/traces-store.ts'
import { ProgressBar } from '../../ui/progress-bar.tsx'
import { pluralize } from '../../ui/format.ts'

const STAGE_LABELS: Record<ProgressState['stage'], string> = {
  reading: 'Reading',
  decompressing: 'Decompressing',
  parsing: 'Parsing',
  importing: 'Importing',
  building: 'Building traces',
}

function describeProgress(progress: ProgressState): string {
  if (progress.state === 'done') {
    const elapsedMs = (progress.finishedAtMs ?? progress.startedAtMs) - progress.startedAtMs
    return `Loaded ${pluralize(progress.inputCount, 'input')} in ${elapsedMs < 1000 ? `${elapsedMs} ms` : `${(elapsedMs / 1000).toFixed(1)} s`}`
  }
  const what = progress.stage === 'building' || !progress.inputName ? '' : ` ${progress.inputName}`
  return `${STAGE_LABELS[progress.stage]}${what}… ${Math.round(progress.fraction * 100)}%`
}

/** The bar of the running (or last) import; `data-state` turns from "running" to "done". */
export function ImportProgress() {
  const progress = useTracesStore((state) => state.progress)
  if (!progress) return null
  return <ProgressBar testId="progress" fraction={progress.fraction} label={describeProgress(progress)} isDone={progress.state === 'done'} />
}
