// Small status displays: loading text, error alerts, the forbidden and not-found views,
// and ApiErrorView, which picks the right one for an ApiError.
import { ApiError } from '../api/client';

export const FORBIDDEN_MESSAGE = 'You do not have permission to view this page.';

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorAlert({ message }: { message: string }) {
  return (
    <div class="alert alert--error" role="alert">
      {message}
    </div>
  );
}

export function Notice({ message }: { message: string }) {
  return (
    <div class="alert alert--info" role="status">
      {message}
    </div>
  );
}

export function Forbidden({ heading = true }: { heading?: boolean }) {
  return (
    <section class="forbidden" aria-labelledby="forbidden-title">
      {heading ? (
        <h1 id="forbidden-title" tabIndex={-1}>
          Not permitted
        </h1>
      ) : null}
      <p class="alert alert--warning" role="alert">
        {FORBIDDEN_MESSAGE}
      </p>
      <p>If you need access, ask your clinic administrator to change your roles.</p>
    </section>
  );
}

export function NotFound({ what }: { what: string }) {
  return (
    <section>
      <h1 tabIndex={-1}>{what} not found</h1>
      <p>It does not exist in this clinic, or the link is wrong.</p>
      <p>
        <a href="#/">Go to the start page</a>
      </p>
    </section>
  );
}

/** Shows an API failure: the forbidden view for 403, not found for 404, otherwise the message. */
export function ApiErrorView({ error, what }: { error: unknown; what: string }) {
  if (error instanceof ApiError && error.code === 'forbidden') return <Forbidden />;
  if (error instanceof ApiError && error.code === 'not_found') return <NotFound what={what} />;
  return <ErrorAlert message={error instanceof Error ? error.message : String(error)} />;
}
