// The login form shown when the broker answers 401 (http.authentication.methods=basic): the user
// and password of a SCRAM or PLAIN user, checked by one API call before the console opens.
import { useState } from 'preact/hooks';
import { login, logout } from '../credentials';

export function LoginForm(props: { onLogin: () => Promise<void> }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    login(user, password);
    try {
      await props.onLogin();
    } catch (err) {
      logout();
      setError(err instanceof Error && 'status' in err && err.status === 401 ? 'wrong user name or password' : String(err instanceof Error ? err.message : err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article data-testid="login">
      <header>Log in to the broker</header>
      <form onSubmit={submit}>
        <label>
          user
          <input name="user" autocomplete="username" required value={user} onInput={(e) => setUser(e.currentTarget.value)} />
        </label>
        <label>
          password
          <input name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error === undefined ? null : (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" aria-busy={busy}>
          Log in
        </button>
      </form>
    </article>
  );
}
