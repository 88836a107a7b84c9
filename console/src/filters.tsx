/**
 * The "min score" number box of the list filters (accounts, campaigns). The value stays the raw
 * input string so that an empty box sends no min_score at all (qs drops empty values) instead of 0.
 */
export function MinScoreFilter({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <label>
      min score <input type="number" step="0.05" min="0" max="1" value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}
