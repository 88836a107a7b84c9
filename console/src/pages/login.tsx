import { useState, type FormEvent } from 'react';
import { api, token } from '../api.js';
import type { Me } from '../types.js';

export function Login({ onLogin }: { onLogin: (me: Me) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    token.set(value.trim());
    try {
      onLogin(await api<Me>('/v1/me'));
    } catch {
      token.clear();
      setError('That token was not accepted.');
    }
  }
  return (
    <form className="login card" onSubmit={(e) => void submit(e)}>
      <h1>stillwatch console</h1>
      <label>
        API token
        <input name="token" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
      </label>
      <button type="submit">Log in</button>
      {error && <p className="error" role="alert">{error}</p>}
      <p className="muted">The token is kept for this tab only (sessionStorage).</p>
    </form>
  );
}
