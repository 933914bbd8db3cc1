// The signed-in frame: header (clinic, clinic switcher, user, sign out), navigation
// limited to the user's permissions, and the current page (or the forbidden view).
import { useEffect, useRef } from 'preact/hooks';
import { activeClinic, useSession } from '../auth/SessionContext';
import { canOpen, homeRoute, navForPermissions } from '../auth/permissions';
import { Forbidden } from '../components/Status';
import { href, useRoute, type Route } from '../router';
import { ClinicSwitcher } from './ClinicSwitcher';
import { Page } from './Page';

function isCurrent(item: Route, route: Route): boolean {
  if (item.name === 'patients') return route.name.startsWith('patient');
  if (item.name === 'today') return route.name === 'today' || route.name === 'session';
  if (item.name === 'chairs') return route.name === 'chairs' || route.name.startsWith('monitor-');
  return item.name === route.name;
}

export function AppShell() {
  const { session, signOut } = useSession();
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const nav = navForPermissions(session.permissions);
  const clinic = activeClinic(session);
  const routeKey = href(route);

  useEffect(() => {
    if (route.name !== 'home') return;
    const home = homeRoute(session.permissions);
    if (home) window.location.replace(href(home));
  }, [route.name, session.permissions]);

  // Move focus to the new page's heading so keyboard and screen-reader users follow navigation.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [routeKey]);

  return (
    <>
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>
        Skip to main content
      </a>
      <header class="app-header">
        <div class="app-header__clinic">
          <span class="brand">KetaChart</span>
          <span class="app-header__clinic-name">{clinic?.name ?? 'No clinic'}</span>
        </div>
        <ClinicSwitcher />
        <div class="app-header__user">
          <span>
            Signed in as <strong>{session.user.display_name}</strong>
          </span>
          <button type="button" class="button button--secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      {nav.length ? (
        <nav class="app-nav" aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.label}>
                <a href={href(item.route)} aria-current={isCurrent(item.route, route) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      <main id="main" class="app-main" ref={main} tabIndex={-1} key={String(session.active_clinic_id)}>
        {route.name === 'home' && nav.length === 0 ? (
          <section>
            <h1 tabIndex={-1}>No pages available</h1>
            <p>Your roles in this clinic do not include any pages. Ask your clinic administrator for access.</p>
          </section>
        ) : canOpen(session.permissions, route) ? (
          <Page route={route} />
        ) : (
          <Forbidden />
        )}
      </main>
    </>
  );
}
