// Errors and confirmations shown where the action was taken; a refusal by the broker's ACLs (403)
// says so, with the operation and resource the broker named.
import { ApiError } from '../api';

export function ErrorNote(props: { error: unknown }) {
  if (props.error === undefined || props.error === null) return null;
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  if (props.error instanceof ApiError && props.error.status === 403) {
    return (
      <p class="error" role="alert" data-testid="forbidden">
        Not allowed: {message}
      </p>
    );
  }
  return (
    <p class="error" role="alert" data-testid="error">
      {message}
    </p>
  );
}
