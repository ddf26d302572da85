// Type-level mapping from an `as const` ApiSchema to the JS shapes the codec reads and writes:
// int64 → bigint, bytes → Buffer, records → Buffer|null (decode) / Buffer|Buffer[]|null (encode),
// nullable → `| null`; on encode, fields not in every version (or tagged, or defaulted) are optional.
import type { ApiSchema, FieldSpec } from './types';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Mode = 'decode' | 'encode';

type PrimitiveValue<T, M extends Mode> = T extends 'bool'
  ? boolean
  : T extends 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float64'
    ? number
    : T extends 'int64'
      ? bigint
      : T extends 'string' | 'uuid'
        ? string
        : T extends 'bytes'
          ? Buffer
          : T extends 'records'
            ? M extends 'encode'
              ? Buffer | readonly Buffer[] | null
              : Buffer | null
            : never;

type SubFields<F> = F extends { readonly fields: infer S extends readonly FieldSpec[] } ? S : readonly [];

type List<T, M extends Mode> = M extends 'encode' ? readonly T[] : T[];

type BaseValue<F extends FieldSpec, M extends Mode> = F['type'] extends 'struct'
  ? StructOf<SubFields<F>, M>
  : F['type'] extends '[]struct'
    ? List<StructOf<SubFields<F>, M>, M>
    : F['type'] extends `[]${infer P}`
      ? List<PrimitiveValue<P, M>, M>
      : PrimitiveValue<F['type'], M>;

type FieldValue<F extends FieldSpec, M extends Mode> = F extends { readonly nullableVersions: string }
  ? BaseValue<F, M> | null
  : F extends { readonly default: null }
    ? BaseValue<F, M> | null
    : BaseValue<F, M>;

/** Required on encode: in every version ("0+"), not tagged, no explicit default. */
type RequiredOnEncode<F> = F extends { readonly taggedVersions: string }
  ? false
  : F extends { readonly default: unknown }
    ? false
    : F extends { readonly versions: '0+' }
      ? true
      : false;

export type StructOf<Fs extends readonly FieldSpec[], M extends Mode> = M extends 'decode'
  ? Simplify<{ [F in Fs[number] as F['name']]: FieldValue<F, M> }>
  : Simplify<
      { [F in Fs[number] as RequiredOnEncode<F> extends true ? F['name'] : never]: FieldValue<F, M> } & {
        [F in Fs[number] as RequiredOnEncode<F> extends true ? never : F['name']]?: FieldValue<F, M>;
      }
    >;

/** A decoded request body of schema S (every field present; absent ones hold their default). */
export type RequestData<S extends ApiSchema> = StructOf<S['request']['fields'], 'decode'>;
/** A decoded response body of schema S. */
export type ResponseData<S extends ApiSchema> = StructOf<S['response']['fields'], 'decode'>;
/** What encodeRequest accepts for schema S (omitted optional fields take their default). */
export type RequestInput<S extends ApiSchema> = StructOf<S['request']['fields'], 'encode'>;
/** What encodeResponse accepts for schema S. */
export type ResponseInput<S extends ApiSchema> = StructOf<S['response']['fields'], 'encode'>;
/** A decoded data message (coordinator record key or value) of spec S. */
export type DataOf<S extends { readonly fields: readonly FieldSpec[] }> = StructOf<S['fields'], 'decode'>;
/** What a data message's codec encodes for spec S. */
export type DataInputOf<S extends { readonly fields: readonly FieldSpec[] }> = StructOf<S['fields'], 'encode'>;
