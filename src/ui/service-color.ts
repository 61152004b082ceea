/**
 * A colour per service name, the same in every trace of the session and in both themes.
 * Services get palette slots in the order they are first drawn (as Jaeger UI does), so the
 * first 16 services seen are all distinct; a hash would give two of six services the same
 * colour surprisingly often. No red: red means error.
 */
const PALETTE = [
  '#6366f1', // indigo
  '#f59e0b', // amber
  '#14b8a6', // teal
  '#ec4899', // pink
  '#84cc16', // lime
  '#0ea5e9', // sky
  '#f97316', // orange
  '#a855f7', // purple
  '#10b981', // emerald
  '#a16207', // dark yellow
  '#3b82f6', // blue
  '#d946ef', // fuchsia
  '#22c55e', // green
  '#06b6d4', // cyan
  '#8b5cf6', // violet
  '#78716c', // stone
] as const

const slotByService = new Map<string, number>()

export function pickServiceColor(service: string): string {
  let slot = slotByService.get(service)
  if (slot === undefined) {
    slot = slotByService.size
    slotByService.set(service, slot)
  }
  return PALETTE[slot % PALETTE.length] as string
}
