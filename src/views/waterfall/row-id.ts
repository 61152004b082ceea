/** The DOM id of a span's tree row, for `aria-activedescendant`. */
export function rowElementId(index: number): string {
  return `span-row-${index}`
}
