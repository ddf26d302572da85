// Schemas (the broker's schema registry, Confluent's REST API at the listener's root): the subjects
// with their latest version, id and type, registering a schema (AVRO, JSON, PROTOBUF) under a
// subject, and one subject's versions with the schema text and its compatibility level.
import { useState } from 'preact/hooks';
import type { AdminClient, SchemaVersion } from '../api';
import { ErrorNote } from '../components/notice';
import { TableHead } from '../components/table-head';
import { useAsync } from '../use-async';

/** Latest versions read for the list (one request each); more subjects are listed by name only. */
const DETAILED = 100;

/** JSON schemas (Avro, JSON Schema) indented; Protobuf as written. */
function pretty(s: SchemaVersion): string {
  if (s.schemaType === 'PROTOBUF') return s.schema;
  try {
    return JSON.stringify(JSON.parse(s.schema), null, 2);
  } catch {
    return s.schema;
  }
}

export function SchemasPage(props: { client: AdminClient }) {
  const list = useAsync(async () => {
    const subjects = await props.client.subjects();
    const latest = await Promise.all(subjects.slice(0, DETAILED).map((s) => props.client.schemaVersion(s, 'latest').catch(() => undefined)));
    return subjects.map((subject, i) => ({ subject, latest: latest[i] }));
  }, []);
  const [form, setForm] = useState({ subject: '', schemaType: 'AVRO', schema: '' });
  const [error, setError] = useState<unknown>(undefined);
  const [registered, setRegistered] = useState<string | undefined>(undefined);
  const register = async (e: Event) => {
    e.preventDefault();
    try {
      const { id } = await props.client.registerSchema(form.subject, form.schemaType, form.schema);
      setRegistered(`${form.subject}: schema id ${id}`);
      setError(undefined);
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h2>Schemas</h2>
      <ErrorNote error={list.error} />
      <table data-testid="subjects">
        <TableHead columns={['subject', 'latest version', 'id', 'type']} />
        <tbody>
          {(list.value ?? []).map(({ subject, latest }) => (
            <tr key={subject} data-subject={subject}>
              <td>
                <a href={`#/schemas/${encodeURIComponent(subject)}`}>{subject}</a>
              </td>
              <td>{latest?.version ?? '—'}</td>
              <td>{latest?.id ?? '—'}</td>
              <td>{latest === undefined ? '—' : (latest.schemaType ?? 'AVRO')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.value !== undefined && list.value.length === 0 ? <p>No subjects yet.</p> : null}
      <h3>Register a schema</h3>
      <form onSubmit={register} data-testid="register-schema">
        <div class="grid">
          <input aria-label="subject" placeholder="subject (e.g. orders-value)" required value={form.subject} onInput={(e) => setForm({ ...form, subject: (e.target as HTMLInputElement).value })} />
          <select aria-label="schema type" value={form.schemaType} onChange={(e) => setForm({ ...form, schemaType: (e.target as HTMLSelectElement).value })}>
            <option>AVRO</option>
            <option>JSON</option>
            <option>PROTOBUF</option>
          </select>
        </div>
        <textarea aria-label="schema" rows={6} required placeholder='{"type": "record", "name": "Order", "fields": [...]}' value={form.schema} onInput={(e) => setForm({ ...form, schema: (e.target as HTMLTextAreaElement).value })} />
        <button type="submit">Register</button>
      </form>
      <ErrorNote error={error} />
      {registered !== undefined ? (
        <p class="ok" data-testid="schema-registered">
          Registered {registered}.
        </p>
      ) : null}
    </section>
  );
}

export function SubjectPage(props: { client: AdminClient; subject: string }) {
  const versions = useAsync(() => props.client.subjectVersions(props.subject), [props.subject]);
  const level = useAsync(() => props.client.compatibility(props.subject), [props.subject]);
  const [picked, setPicked] = useState<number | undefined>(undefined);
  const version = picked ?? versions.value?.at(-1);
  const schema = useAsync(async () => (version === undefined ? undefined : props.client.schemaVersion(props.subject, version)), [props.subject, version]);
  return (
    <section>
      <h2>
        Subject <code>{props.subject}</code> <small data-testid="compatibility">{level.value?.compatibilityLevel ?? ''}</small>
      </h2>
      <p>
        <a href="#/schemas">← schemas</a>
      </p>
      <ErrorNote error={versions.error ?? schema.error} />
      <label>
        version
        <select data-testid="subject-version" value={String(version ?? '')} onChange={(e) => setPicked(Number((e.target as HTMLSelectElement).value))}>
          {(versions.value ?? []).map((v) => (
            <option key={v} value={String(v)}>
              {v}
            </option>
          ))}
        </select>
      </label>
      {schema.value !== undefined ? (
        <>
          <p>
            id <strong data-testid="schema-id">{schema.value.id}</strong> · {schema.value.schemaType ?? 'AVRO'}
          </p>
          <pre data-testid="schema-text">{pretty(schema.value)}</pre>
        </>
      ) : null}
    </section>
  );
}
