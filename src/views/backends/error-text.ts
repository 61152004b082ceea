/** The message of whatever a query failed with (react-query types errors as unknown here). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
