// The login form shown when the broker answers 401 (http.authentication.methods=basic / bearer): the
// user and password of a SCRAM or PLAIN user, or a bearer token, checked by one API call before the
// console opens.
import { useState } from 'preact/hooks';
import { login, loginWithToken, logout } from '../credentials';

export function LoginForm(props: { onLogin: () => Promise<void> }) {
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const withToken = token.trim() !== '';
    if (withToken) loginWithToken(token);
    else login(user, password);
    try {
      await props.onLogin();
    } catch (err) {
      logout();
      const refused = err instanceof Error && 'status' in err && err.status === 401;
      setError(refused ? (withToken ? 'token refused' : 'wrong user name or password') : String(err instanceof Error ? err.message : err));
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
          <input name="user" autocomplete="username" required={token.trim() === ''} value={user} onInput={(e) => setUser(e.currentTarget.value)} />
        </label>
        <label>
          password
          <input name="password" type="password" autocomplete="current-password" required={token.trim() === ''} value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <label>
          or a bearer token
          <input name="token" autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
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
