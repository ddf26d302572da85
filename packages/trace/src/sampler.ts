// Which messages get traced. A message whose traceparent header is valid follows its producer's
// sampled flag (OpenTelemetry's ParentBased); one without starts a trace per the policy. `off`
// traces nothing, headers or not.

export type SamplingPolicy = { readonly kind: 'always' } | { readonly kind: 'off' } | { readonly kind: 'ratio'; readonly ratio: number };

/** `always`, `off`, or a ratio in [0, 1] (`0.01` = 1 %; `0`: only producers' sampled contexts). Throws on anything else. */
export function parseSamplingPolicy(text: string): SamplingPolicy {
  if (text === 'always') return { kind: 'always' };
  if (text === 'off') return { kind: 'off' };
  const ratio = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
    throw new RangeError(`trace sampling: "${text}" is not always, off or a ratio in [0, 1]`);
  }
  // 0 is not off: no trace is started, but a producer's sampled traceparent is still followed.
  return ratio === 1 ? { kind: 'always' } : { kind: 'ratio', ratio };
}

export class Sampler {
  constructor(
    readonly policy: SamplingPolicy,
    private readonly random: () => number = Math.random,
  ) {}

  get enabled(): boolean {
    return this.policy.kind !== 'off';
  }

  /** A message that arrived without a trace context: start a trace for it? */
  sampleNew(): boolean {
    switch (this.policy.kind) {
      case 'always':
        return true;
      case 'off':
        return false;
      case 'ratio':
        return this.random() < this.policy.ratio;
    }
  }

  /** A message that carries one: its producer's decision, unless tracing is off. */
  honours(sampled: boolean): boolean {
    return this.enabled && sampled;
  }
}
