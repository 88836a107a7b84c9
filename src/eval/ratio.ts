/** num / den, or null when there is nothing to divide by. */
export function ratio(num: number, den: number): number | null {
  return den === 0 ? null : num / den;
}
