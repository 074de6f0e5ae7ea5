import { RichText } from "./RichText.tsx";

type Props = { message: string | undefined; tone: "error" | "info" | undefined; onResume: (() => void) | undefined };

/** The page without a login: what happened, and how `natster login` gets this browser in. */
export function LoggedOut({ message, tone, onResume }: Props) {
  return (
    <main class="center">
      <section class="card welcome" aria-labelledby="welcome-title">
        <h1 id="welcome-title">
          <span class="brand">Natster</span>
        </h1>
        <p class="tagline">Secure peer-to-peer media sharing, built on nothing but NATS.</p>
        {message && (
          <p
            class={`banner ${tone === "error" ? "banner-error" : "banner-info"}`}
            role={tone === "error" ? "alert" : "status"}
          >
            <RichText text={message} />
          </p>
        )}
        {onResume && (
          <p>
            <button type="button" class="primary" onClick={onResume}>
              Continue with your current login
            </button>
          </p>
        )}
        <h2>You are not logged in</h2>
        <p>
          This page logs in with a one-time link from the Natster command line, on the computer that holds your account:
        </p>
        <pre class="command">
          <code>natster login</code>
        </pre>
        <ol class="steps">
          <li>It prints a link that works once, for a few minutes. Open it in this browser.</li>
          <li>
            The browser gets its own short-lived login that can only browse and download. Your account keys never leave
            your computer.
          </li>
          <li>The login lasts until it expires or you log out, and only in this tab.</li>
        </ol>
        <p class="muted">
          No account yet? Run <code>natster init</code> first.
        </p>
      </section>
    </main>
  );
}
