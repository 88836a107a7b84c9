import { useEffect, useState } from 'react';
import { api, token } from './api.js';
import type { Me } from './types.js';
import { Login } from './pages/login.js';
import { OverviewPage } from './pages/overview.js';
import { CampaignsPage, CampaignPage } from './pages/campaigns.js';
import { AccountsPage, AccountPage } from './pages/accounts.js';
import { DecisionsPage } from './pages/decisions.js';
import { AppealsPage } from './pages/appeals.js';
import { AllowlistPage } from './pages/allowlist.js';
import { IntelPage } from './pages/intel.js';
import { AuditPage } from './pages/audit.js';

interface NavItem {
  path: string;
  label: string;
  permission: string;
}
/** Navigation shows only what the role may open; the API enforces the same rules. */
const NAV: NavItem[] = [
  { path: 'overview', label: 'Overview', permission: 'overview:read' },
  { path: 'campaigns', label: 'Campaigns', permission: 'campaigns:read' },
  { path: 'accounts', label: 'Accounts', permission: 'accounts:read' },
  { path: 'decisions', label: 'Decisions', permission: 'decisions:read' },
  { path: 'appeals', label: 'Appeals', permission: 'appeals:read' },
  { path: 'allowlist', label: 'Allowlist', permission: 'allowlist:read' },
  { path: 'intel', label: 'Intel', permission: 'intel:read' },
  { path: 'audit', label: 'Audit log', permission: 'audit:read' },
];

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function route(hash: string, me: Me) {
  const [, section = '', rawId] = /^#\/([^/?]*)(?:\/([^?]*))?/.exec(hash) ?? [];
  const id = rawId ? decodeURIComponent(rawId) : null;
  const item = NAV.find((n) => n.path === section) ?? NAV.find((n) => me.permissions.includes(n.permission));
  if (!item || !me.permissions.includes(item.permission)) return <p className="error">Your role ({me.role}) may not open this page.</p>;
  const can = (p: string) => me.permissions.includes(p);
  switch (item.path) {
    case 'overview':
      return <OverviewPage />;
    case 'campaigns':
      return id ? <CampaignPage id={id} can={can} /> : <CampaignsPage />;
    case 'accounts':
      return id ? <AccountPage id={id} can={can} /> : <AccountsPage />;
    case 'decisions':
      return <DecisionsPage can={can} />;
    case 'appeals':
      return <AppealsPage can={can} />;
    case 'allowlist':
      return <AllowlistPage can={can} />;
    case 'intel':
      return <IntelPage />;
    default:
      return <AuditPage />;
  }
}

export function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(token.get() !== null);
  const hash = useHash();
  useEffect(() => {
    if (token.get() === null) return;
    api<Me>('/v1/me')
      .then(setMe)
      .catch(() => token.clear())
      .finally(() => setChecking(false));
  }, []);
  if (checking) return <p className="muted">…</p>;
  if (!me) return <Login onLogin={setMe} />;
  const current = (/^#\/([^/?]*)/.exec(hash)?.[1] ?? '') || NAV.find((n) => me.permissions.includes(n.permission))?.path;
  return (
    <div className="layout">
      <nav className="nav" aria-label="main">
        <div className="brand">stillwatch</div>
        {NAV.filter((n) => me.permissions.includes(n.permission)).map((n) => (
          <a key={n.path} href={`#/${n.path}`} className={current === n.path ? 'active' : ''} data-nav={n.path}>
            {n.label}
          </a>
        ))}
        <div className="who">
          <span data-testid="who">{me.name}</span> <span className="role">{me.role}</span>
          <button
            type="button"
            onClick={() => {
              token.clear();
              setMe(null);
            }}
          >
            Log out
          </button>
        </div>
      </nav>
      <main className="main">{route(hash, me)}</main>
    </div>
  );
}
