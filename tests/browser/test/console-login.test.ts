// The console in Debian's Chromium against a broker with http.authentication.methods=basic and an
// authorizer: the login form appears (no browser Basic prompt), a wrong password is refused, alice
// (READ / DESCRIBE on one topic only, a SCRAM user from mq.sasl.bootstrap.users) sees only her
// topic and a clear "Not allowed" where the broker answers 403 (creating a topic), and the admin
// (a super user) gets the live stats stream — the WebSocket authenticated by the credential subprotocol;
// with http.authentication.methods=bearer too, a token pasted into the form signs alice in (its sub
// the principal: Kafka's unsecured OAUTHBEARER tokens here) and a bad one is refused.
import { startBroker } from '@mq/broker';
import { AclOperationTypes as Op, AclPermissionTypes as Perm, AclResourceTypes as Res, Kafka, logLevel, ResourcePatternTypes as Pattern } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage } from '../src/chromium';
import { DASHBOARD_DIST } from '../src/global-setup';

type Broker = Awaited<ReturnType<typeof startBroker>>;
let broker: Broker;
let browser: Browser;
let page: Page;
let base: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  broker = await startBroker({
    // The PLAINTEXT Kafka listener's clients are User:ANONYMOUS: made a super user for the test's setup.
    config: { authorizerClassName: 'mq.acl.StandardAuthorizer', superUsers: 'User:ANONYMOUS;User:admin', connectionFailedAuthenticationDelayMs: 10 },
    security: {
      scramUsers: [
        { name: 'admin', mechanism: 'SCRAM-SHA-512', password: 'admin-pw' },
        { name: 'alice', mechanism: 'SCRAM-SHA-256', password: 'alice-pw' },
      ],
      oauthBearer: { validator: 'unsecured' },
    },
    http: { port: 0, consoleDir: DASHBOARD_DIST, authentication: ['basic', 'bearer'] },
  });
  base = `http://127.0.0.1:${broker.http!.port}`;
  const admin = new Kafka({ clientId: 'console-login', brokers: [`127.0.0.1:${broker.port}`], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'alice-topic' }, { topic: 'hidden-topic' }] });
  await admin.createAcls({
    acl: [Op.READ, Op.DESCRIBE_CONFIGS].map((operation) => ({
      resourceType: Res.TOPIC,
      resourceName: 'alice-topic',
      resourcePatternType: Pattern.LITERAL,
      principal: 'User:alice',
      host: '*',
      operation,
      permissionType: Perm.ALLOW,
    })),
  });
  await admin.disconnect();
  browser = await launchChromium();
  page = await openPage(browser, pageErrors);
});

afterAll(async () => {
  await browser?.close();
  await broker?.stop();
});

/** Kafka's unsecured OAUTHBEARER token (alg none) for `sub`, valid for an hour. */
function unsecuredToken(sub: string): string {
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none' })}.${b64({ sub, iat: now, exp: now + 3600 })}.`;
}

async function logInWithToken(token: string): Promise<void> {
  const form = page.getByTestId('login');
  await form.getByLabel('or a bearer token').fill(token);
  await form.getByRole('button', { name: 'Log in' }).click();
}

async function logIn(user: string, password: string): Promise<void> {
  const form = page.getByTestId('login');
  await form.getByLabel('user').fill(user);
  await form.getByLabel('password').fill(password);
  await form.getByRole('button', { name: 'Log in' }).click();
}

describe('the console behind HTTP Basic', () => {
  it('shows its login form and refuses a wrong password', async () => {
    // Without credentials the API answers 401 with an xBasic challenge for the console's fetches.
    const res = await fetch(`${base}/v3/clusters`, { headers: { 'x-requested-with': 'XMLHttpRequest' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^xBasic /);
    await page.goto(`${base}/console/`);
    await page.getByTestId('login').waitFor();
    await logIn('alice', 'not-alice-pw');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('wrong user name or password');
  });

  it('logs alice in: her topic only, and "Not allowed" where the ACLs refuse', async () => {
    await logIn('alice', 'alice-pw');
    await page.getByTestId('cluster-card').waitFor();
    // The overview's broker list needs DESCRIBE on the cluster: the refusal is named.
    await expect.poll(() => page.getByTestId('forbidden').first().textContent()).toContain('CLUSTER_AUTHORIZATION_FAILED: User:alice may not DESCRIBE the cluster');
    await page.goto(`${base}/console/#/topics`);
    await page.locator('tr[data-topic="alice-topic"]').waitFor();
    expect(await page.locator('tr[data-topic="hidden-topic"]').count()).toBe(0);
    const form = page.getByTestId('create-topic');
    await form.getByLabel('topic name').fill('alice-made');
    await form.getByRole('button', { name: 'Create' }).click();
    await expect.poll(() => page.getByTestId('forbidden').textContent()).toContain('may not CREATE the cluster');
    // The live record stream: her topic's opens, the other's upgrade is refused and said so.
    await page.goto(`${base}/console/#/messages/alice-topic`);
    await expect.poll(() => page.getByTestId('live-heading').getAttribute('data-subscribed')).toBe('true');
    await page.goto(`${base}/console/#/messages/hidden-topic`);
    await page.getByTestId('live-refused').waitFor();
  });

  it('logs out, and the admin gets the live stats stream over the authenticated WebSocket', async () => {
    await page.getByTestId('logout').click();
    await page.getByTestId('login').waitFor();
    await logIn('admin', 'admin-pw');
    await expect.poll(() => page.getByTestId('live-status').textContent(), { timeout: 60_000 }).toContain('live');
    await expect.poll(() => page.getByTestId('brokers').locator('tbody tr').count(), { timeout: 60_000 }).toBe(1);
    await page.goto(`${base}/console/#/topics`);
    await page.locator('tr[data-topic="hidden-topic"]').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('takes a bearer token in the form: alice by her token, a bad token refused', async () => {
    await page.getByTestId('logout').click();
    // From the overview (the last test left the page on #/topics, which the next goto would not leave).
    await page.goto(`${base}/console/`);
    await page.getByTestId('login').waitFor();
    await logInWithToken('not-a-token');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('token refused');
    await logInWithToken(unsecuredToken('alice'));
    // Signed in once the overview shows (as after alice's password): only then move on.
    await page.getByTestId('cluster-card').waitFor();
    await page.goto(`${base}/console/#/topics`);
    await page.locator('tr[data-topic="alice-topic"]').waitFor();
    expect(await page.locator('tr[data-topic="hidden-topic"]').count()).toBe(0);
    // The live record stream's upgrade carries the token as its subprotocol.
    await page.goto(`${base}/console/#/messages/alice-topic`);
    await expect.poll(() => page.getByTestId('live-heading').getAttribute('data-subscribed')).toBe('true');
    expect(pageErrors).toEqual([]);
  });
});
