import { useSession } from "./hooks/use-session.ts";
import { LoggedOut } from "./LoggedOut.tsx";
import { Shell } from "./Shell.tsx";

export function App() {
  const { view, logOut, retry } = useSession();
  switch (view.kind) {
    case "starting":
      return (
        <main class="center" aria-busy="true">
          <p class="muted" role="status">
            {view.step}
          </p>
        </main>
      );
    case "logged-out":
      return <LoggedOut message={view.message} tone={view.tone} onResume={view.canResume ? retry : undefined} />;
    case "disconnected":
      return (
        <main class="center">
          <section class="card" aria-labelledby="disconnected-title">
            <h1 id="disconnected-title">Disconnected</h1>
            <p role="alert">{view.message}</p>
            <div class="row">
              <button type="button" class="primary" onClick={retry}>
                Reconnect
              </button>
              <button type="button" onClick={logOut}>
                Log out
              </button>
            </div>
          </section>
        </main>
      );
    case "logged-in":
      return (
        <Shell
          key={view.connection}
          nc={view.nc}
          account={view.session.account}
          status={view.status}
          onLogOut={logOut}
        />
      );
  }
}
