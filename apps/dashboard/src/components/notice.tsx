// Errors and confirmations shown where the action was taken.
export function ErrorNote(props: { error: unknown }) {
  if (props.error === undefined || props.error === null) return null;
  const message = props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <p class="error" role="alert" data-testid="error">
      {message}
    </p>
  );
}
