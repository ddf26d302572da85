// @mq/admin-api/testing: validates an answer body (or a stream message) against the OpenAPI
// document's schema for that operation, with ajv (JSON Schema 2020-12, which OpenAPI 3.1 schemas are).
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from '../openapi/openapi-document';

const doc = openApiDocument('test') as { paths: Record<string, Record<string, { responses: Record<string, { content?: { 'application/json': { schema: object } } }>; 'x-websocket'?: { message: object } }>>; components: object };
const ajv = new Ajv2020({ strict: false, allErrors: true });
ajv.addFormat('int64', true);
ajv.addSchema({ $id: 'mq-admin', components: doc.components });

const compiled = new Map<string, ReturnType<typeof ajv.compile>>();

function validator(key: string, schema: object) {
  let v = compiled.get(key);
  if (v === undefined) {
    // Refs in the document are local (#/components/...): resolve them against the added document.
    const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"mq-admin#/components/')) as object;
    v = ajv.compile(rebased);
    compiled.set(key, v);
  }
  return v;
}

/** Throws with ajv's errors when `body` is not what the document says `method path` answers with `status`. */
export function checkAnswer(method: string, path: string, status: number, body: unknown): void {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (op === undefined) throw new Error(`${method} ${path} is not in the OpenAPI document`);
  const response = op.responses[String(status)];
  if (response === undefined) throw new Error(`${method} ${path} does not document status ${status}`);
  const schema = response.content?.['application/json'].schema;
  if (schema === undefined) {
    if (body !== undefined && body !== '') throw new Error(`${method} ${path} ${status} documents no body, got ${JSON.stringify(body)}`);
    return;
  }
  const v = validator(`${method} ${path} ${status}`, schema);
  if (!v(body)) throw new Error(`${method} ${path} ${status}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(body).slice(0, 500)}`);
}

/** Validates one WebSocket message of a documented stream. */
export function checkStreamMessage(path: string, message: unknown): void {
  const schema = doc.paths[path]?.get?.['x-websocket']?.message;
  if (schema === undefined) throw new Error(`${path} is not a documented stream`);
  const v = validator(`ws ${path}`, schema);
  if (!v(message)) throw new Error(`${path}: ${ajv.errorsText(v.errors)}\n${JSON.stringify(message).slice(0, 500)}`);
}

export const documentedPaths = doc.paths;
