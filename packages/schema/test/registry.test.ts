// The registry model: ids, versions, lookups, soft/hard deletes, references, levels and modes, with
// Confluent's error codes — and the same state rebuilt from the records alone (replay).
import { describe, expect, it } from 'vitest';
import {
  deleteConfig,
  deleteSubject,
  deleteVersion,
  getConfig,
  getMode,
  checkSubject,
  getSchemaById,
  getVersion,
  listContexts,
  listSubjects,
  listVersions,
  lookupSchema,
  type RegistryRecord,
  type RegistryResult,
  RegistryState,
  referencedBy,
  register,
  setConfig,
  setMode,
  subjectsOfId,
  testCompatibility,
  versionsOfId,
} from '../src/index.js';

function harness() {
  const state = new RegistryState();
  const log: RegistryRecord[] = [];
  const run = <T>(result: RegistryResult<T>): T => {
    for (const r of result.records) {
      log.push(r);
      state.replay(r);
    }
    return result.response;
  };
  return { state, log, run };
}

const user = (fields: unknown[]) => JSON.stringify({ type: 'record', name: 'User', fields });
const V1 = user([{ name: 'a', type: 'int' }]);
const V2 = user([{ name: 'a', type: 'int' }, { name: 'b', type: 'string', default: '' }]);
const BAD = user([{ name: 'a', type: 'int' }, { name: 'c', type: 'string' }]);

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { errorCode: number }).errorCode;
  }
  throw new Error('did not throw');
};

describe('registry model', () => {
  it('registers versions with global ids; the same schema under another subject reuses its id', () => {
    const { state, run } = harness();
    expect(run(register(state, 'users-value', { schema: V1 }))).toEqual({ id: 1 });
    expect(run(register(state, 'users-value', { schema: ` ${V1} ` }))).toEqual({ id: 1 }); // idempotent, whitespace-insensitive
    expect(run(register(state, 'users-value', { schema: V2 }))).toEqual({ id: 2 });
    expect(run(register(state, 'other-value', { schema: V1 }))).toEqual({ id: 1 });
    expect(listVersions(state, 'users-value')).toEqual([1, 2]);
    expect(getVersion(state, 'users-value', -1)).toMatchObject({ version: 2, id: 2 });
    expect(subjectsOfId(state, 1)).toEqual(['other-value', 'users-value']);
    expect(versionsOfId(state, 1)).toEqual([{ subject: 'other-value', version: 1 }, { subject: 'users-value', version: 1 }]);
    expect(lookupSchema(state, 'users-value', { schema: V2 })).toMatchObject({ version: 2, id: 2 });
    expect(code(() => lookupSchema(state, 'users-value', { schema: BAD }))).toBe(40403);
    expect(code(() => lookupSchema(state, 'nope', { schema: V1 }))).toBe(40401);
    expect(code(() => getVersion(state, 'users-value', 9))).toBe(40402);
    expect(code(() => getSchemaById(state, 99))).toBe(40403);
  });

  it('an incompatible schema is 409 with Confluent’s message; NONE lets it in', () => {
    const { state, run } = harness();
    run(register(state, 's', { schema: V1 }));
    let message = '';
    try {
      register(state, 's', { schema: BAD });
    } catch (err) {
      expect((err as { errorCode: number }).errorCode).toBe(409);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Schema being registered is incompatible with an earlier schema for subject "s", details: \[Incompatibility\{type:READER_FIELD_MISSING_DEFAULT_VALUE, location:\/fields\/1, message:c/);
    expect(testCompatibility(state, 's', -1, { schema: BAD }).is_compatible).toBe(false);
    expect(testCompatibility(state, 's', -1, { schema: V2 })).toEqual({ is_compatible: true, messages: [] });
    run(setConfig(state, 's', 'NONE'));
    expect(getConfig(state, 's')).toEqual({ compatibilityLevel: 'NONE' });
    expect(run(register(state, 's', { schema: BAD }))).toEqual({ id: 2 });
    expect(run(deleteConfig(state, 's'))).toEqual({ compatibilityLevel: 'NONE' });
    expect(code(() => getConfig(state, 's'))).toBe(40408);
    expect(getConfig(state, 's', true)).toEqual({ compatibilityLevel: 'BACKWARD' });
    expect(code(() => register(state, 's', { schema: '{"type":"record"' }))).toBe(42201);
    expect(code(() => register(state, 's', { schema: '"string"', schemaType: 'XML' }))).toBe(42201);
  });

  it('soft delete hides a version, hard delete needs a soft delete first; ids stay resolvable until hard-deleted', () => {
    const { state, run } = harness();
    run(register(state, 's', { schema: V1 }));
    run(register(state, 's', { schema: V2 }));
    expect(code(() => deleteVersion(state, 's', 1, true))).toBe(40407);
    expect(run(deleteVersion(state, 's', 1, false))).toBe(1);
    expect(code(() => deleteVersion(state, 's', 1, false))).toBe(40406);
    expect(listVersions(state, 's')).toEqual([2]);
    expect(listVersions(state, 's', true)).toEqual([1, 2]);
    expect(getSchemaById(state, 1).schema).toBe(V1); // soft-deleted schemas still decode
    expect(run(deleteVersion(state, 's', 1, true))).toBe(1);
    expect(code(() => getSchemaById(state, 1))).toBe(40403);
    expect(code(() => deleteSubject(state, 's', true))).toBe(40405);
    expect(run(deleteSubject(state, 's', false))).toEqual([2]);
    expect(code(() => deleteSubject(state, 's', false))).toBe(40404);
    expect(listSubjects(state)).toEqual([]);
    expect(listSubjects(state, { deleted: true })).toEqual(['s']);
    expect(code(() => getVersion(state, 's', -1))).toBe(40401);
    // A new registration after a soft delete continues the version numbers.
    expect(run(register(state, 's', { schema: V1 }))).toEqual({ id: 3 });
    expect(getVersion(state, 's', -1).version).toBe(3);
  });

  it('references: resolved at registration, listed by referencedby, and protect what they name', () => {
    const { state, run } = harness();
    const address = '{"type":"record","name":"Address","namespace":"x","fields":[{"name":"city","type":"string"}]}';
    run(register(state, 'address', { schema: address }));
    const withRef = '{"type":"record","name":"Person","namespace":"x","fields":[{"name":"home","type":"x.Address"}]}';
    expect(code(() => register(state, 'person', { schema: withRef }))).toBe(42201);
    expect(code(() => register(state, 'person', { schema: withRef, references: [{ name: 'x.Address', subject: 'address', version: 7 }] }))).toBe(42201);
    expect(run(register(state, 'person', { schema: withRef, references: [{ name: 'x.Address', subject: 'address', version: 1 }] }))).toEqual({ id: 2 });
    expect(referencedBy(state, 'address', 1)).toEqual([2]);
    expect(code(() => deleteVersion(state, 'address', 1, false))).toBe(42206);
  });

  it('modes: READONLY refuses writes (42205), IMPORT takes given ids and versions and skips compatibility', () => {
    const { state, run } = harness();
    run(register(state, 's', { schema: V1 }));
    expect(code(() => register(state, 's', { schema: V2, id: 50 }))).toBe(42205);
    run(setMode(state, 's', 'READONLY', false));
    expect(getMode(state, 's')).toEqual({ mode: 'READONLY' });
    expect(code(() => register(state, 's', { schema: V2 }))).toBe(42205);
    expect(code(() => deleteVersion(state, 's', 1, false))).toBe(42205);
    expect(code(() => setMode(state, null, 'IMPORT', false))).toBe(42205);
    run(setMode(state, 'imported', 'IMPORT', false));
    expect(run(register(state, 'imported', { schema: V1, id: 40, version: 3 }))).toEqual({ id: 40 });
    expect(run(register(state, 'imported', { schema: BAD, id: 41, version: 4 }))).toEqual({ id: 41 }); // no compatibility check in IMPORT
    expect(code(() => register(state, 'imported', { schema: V2, id: 40, version: 5 }))).toBe(42205); // id taken by another schema
    expect(getVersion(state, 'imported', 3).id).toBe(40);
    expect(run(register(state, 'fresh', { schema: V2 }))).toEqual({ id: 42 }); // after the highest id seen
    expect(code(() => getMode(state, 'fresh'))).toBe(40409);
    expect(getMode(state, 'fresh', true)).toEqual({ mode: 'READWRITE' });
  });

  it('normalize=true registers and finds the normal form; without it a respelling is a new version', () => {
    const { state, run } = harness();
    const spelled = '{"type":"record","name":"User","namespace":"a","fields":[{"name":"x","type":"int"}]}';
    const respelled = '{"fields":[{"type":"int","name":"x"}],"type":"record","name":"a.User"}';
    run(register(state, 'n', { schema: spelled }, true));
    expect(run(register(state, 'n', { schema: respelled }, true))).toEqual({ id: 1 });
    expect(lookupSchema(state, 'n', { schema: respelled }, { normalize: true }).version).toBe(1);
    expect(run(register(state, 'n', { schema: respelled }))).toEqual({ id: 2 });
  });

  it('replaying the records rebuilds the same state (what a broker restart does)', () => {
    const { state, log, run } = harness();
    run(register(state, 'a', { schema: V1 }));
    run(register(state, 'a', { schema: V2 }));
    run(register(state, 'b', { schema: '{"type":"object"}', schemaType: 'JSON' }));
    run(deleteVersion(state, 'a', 1, false));
    run(setConfig(state, null, 'FULL'));
    run(setMode(state, 'b', 'READONLY', false));
    const again = new RegistryState();
    for (const r of log) again.replay(r);
    expect(listSubjects(again, { deleted: true })).toEqual(['a', 'b']);
    expect(listVersions(again, 'a')).toEqual([2]);
    expect(getVersion(again, 'b', 1)).toMatchObject({ id: 3, schemaType: 'JSON' });
    expect(getConfig(again, null)).toEqual({ compatibilityLevel: 'FULL' });
    expect(getMode(again, 'b')).toEqual({ mode: 'READONLY' });
    // Keys are Confluent's shapes; compaction keeps the last value per key, which is all replay needs.
    expect(log[0]!.key).toBe('{"keytype":"SCHEMA","subject":"a","version":1,"magic":1}');
    expect(JSON.parse(log[3]!.value!)).toMatchObject({ subject: 'a', version: 1, id: 1, deleted: true });
    const compacted = new Map(log.map((r) => [r.key, r]));
    const fromCompacted = new RegistryState();
    for (const r of compacted.values()) fromCompacted.replay(r);
    expect(listVersions(fromCompacted, 'a', true)).toEqual([1, 2]);
    expect(listVersions(fromCompacted, 'a')).toEqual([2]);
  });

  it('replays records Confluent’s own registry writes (DELETE_SUBJECT, unknown keytypes skipped)', () => {
    const state = new RegistryState();
    state.replay({ key: '{"keytype":"SCHEMA","subject":"c","version":1,"magic":1}', value: '{"subject":"c","version":1,"id":7,"schema":"\\"string\\"","deleted":false}' });
    state.replay({ key: '{"keytype":"NOOP","magic":0}', value: null });
    state.replay({ key: '{"keytype":"SOMETHING_NEW","magic":0}', value: '{}' });
    state.replay({ key: 'not json', value: 'x' });
    expect(getSchemaById(state, 7).schema).toBe('"string"');
    state.replay({ key: '{"keytype":"DELETE_SUBJECT","subject":"c","magic":0}', value: '{"subject":"c","version":1}' });
    expect(listSubjects(state)).toEqual([]);
  });
});

describe('applyTentatively', () => {
  it('applies records for a look-ahead and undoes them exactly: versions, ids, content index, levels, maxId', () => {
    const { state, run } = harness();
    const a = '{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}';
    const a2 = '{"type":"record","name":"A","fields":[{"name":"x","type":"int"},{"name":"y","type":"int","default":0}]}';
    run(register(state, 'a', { schema: a }));
    run(register(state, 'b', { schema: '"string"' }));
    run(setConfig(state, 'a', 'FULL'));
    const snapshot = () => ({
      subjects: listSubjects(state, { deleted: true }),
      a: state.versions('a', true).map((v) => ({ ...v })),
      b: state.versions('b', true).map((v) => ({ ...v })),
      byId: [1, 2, 3].map((id) => state.schemaById(id)?.schema),
      idOfA2: state.idFor('AVRO', a2, []),
      config: state.config('a'),
      maxId: state.maxId,
    });
    const before = snapshot();
    const records = [
      ...register(state, 'a', { schema: a2 }).records,
      ...deleteSubject(state, 'b', false).records,
      ...setConfig(state, 'a', 'NONE').records,
    ];
    const undo = state.applyTentatively(records);
    expect(state.versions('a').map((v) => v.version)).toEqual([1, 2]);
    expect(listSubjects(state)).toEqual(['a']);
    expect(state.idFor('AVRO', a2, [])).toBe(3);
    expect(state.config('a')).toBe('NONE');
    undo();
    expect(snapshot()).toEqual(before);
    expect(state.idFor('AVRO', a2, [])).toBeUndefined();
    // The next registration gets the id it would have got without the look-ahead.
    expect(run(register(state, 'c', { schema: '"int"' }))).toEqual({ id: 3 });
  });

  it('contexts: :.ctx:subject has its own ids, references and levels; :.: is the default context; replay rebuilds it', () => {
    const { state, log, run } = harness();
    expect(run(register(state, 'users-value', { schema: V1 }))).toEqual({ id: 1 });
    expect(run(register(state, 'users-value', { schema: V2 }))).toEqual({ id: 2 });
    // Another context counts from 1 again, and the same text there is a new id of its own.
    expect(run(register(state, ':.staging:users-value', { schema: V2 }))).toEqual({ id: 1 });
    expect(run(register(state, ':.staging:orders-value', { schema: V1 }))).toEqual({ id: 2 });
    expect(getSchemaById(state, 1).schema).toBe(JSON.stringify(JSON.parse(V1)));
    expect(getSchemaById(state, 1, '.staging').schema).toBe(JSON.stringify(JSON.parse(V2)));
    expect(code(() => getSchemaById(state, 3, '.staging'))).toBe(40403);
    expect(versionsOfId(state, 1, false, '.staging')).toEqual([{ subject: ':.staging:users-value', version: 1 }]);
    expect(listContexts(state)).toEqual(['.', '.staging']);

    // A reference without a context resolves in the referrer's.
    const address = JSON.stringify({ type: 'record', name: 'Address', namespace: 'x', fields: [{ name: 'city', type: 'string' }] });
    const person = JSON.stringify({ type: 'record', name: 'Person', namespace: 'x', fields: [{ name: 'home', type: 'x.Address' }] });
    expect(run(register(state, ':.staging:address', { schema: address }))).toEqual({ id: 3 });
    expect(code(() => register(state, 'person', { schema: person, references: [{ name: 'x.Address', subject: 'address', version: 1 }] }))).toBe(42201);
    expect(run(register(state, ':.staging:person', { schema: person, references: [{ name: 'x.Address', subject: 'address', version: 1 }] }))).toEqual({ id: 4 });
    expect(referencedBy(state, ':.staging:address', 1)).toEqual([4]);

    // Levels: the subject's, then the context's (`:.staging:`), then the global one.
    run(setConfig(state, ':.staging:', 'NONE'));
    expect(run(register(state, ':.staging:users-value', { schema: BAD }))).toEqual({ id: 5 });
    expect(code(() => register(state, 'users-value', { schema: BAD }))).toBe(409);
    expect(getConfig(state, ':.staging:orders-value', true)).toEqual({ compatibilityLevel: 'NONE' });
    run(setMode(state, ':.staging:', 'READONLY', false));
    expect(code(() => register(state, ':.staging:new-value', { schema: V1 }))).toBe(42205);
    expect(getMode(state, 'users-value', true)).toEqual({ mode: 'READWRITE' });

    // `:.:users-value` is `users-value`.
    expect(checkSubject(':.:users-value')).toBe('users-value');
    expect(listVersions(state, checkSubject(':.:users-value'))).toEqual([1, 2]);

    const rebuilt = new RegistryState();
    for (const r of log) rebuilt.replay(r);
    expect(getSchemaById(rebuilt, 5, '.staging').schema).toBe(JSON.stringify(JSON.parse(BAD)));
    expect(rebuilt.maxIdIn('.staging')).toBe(5);
    expect(rebuilt.maxId).toBe(2);
  });
});
