// What a SASL listener knows: the enabled mechanisms (sasl.enabled.mechanisms) and where each finds
// its users (or, for OAUTHBEARER, its token validator); makes one SaslServer per handshake.
import { UnsupportedSaslMechanismError } from './auth-errors';
import { OAuthBearerServer } from './oauthbearer-server';
import type { OAuthBearerValidator } from './oauthbearer-token';
import { PlainServer } from './plain-server';
import type { PlainUsers } from './plain-users';
import type { SaslServer, ScramCredentialLookup } from './sasl-server';
import { scramMechanism } from '@mq/protocol';
import { ScramServer, type ScramServerOptions } from './scram-server';

/** The mechanisms this package implements, by SASL name. */
export const SUPPORTED_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'OAUTHBEARER'] as const;

export interface SaslAuthenticatorOptions {
  /** sasl.enabled.mechanisms, in the order the handshake lists them. */
  readonly enabledMechanisms: readonly string[];
  /** PLAIN's users; required when PLAIN is enabled. */
  readonly plainUsers?: PlainUsers | undefined;
  /** SCRAM's credentials; required when a SCRAM mechanism is enabled. */
  readonly scramCredentials?: ScramCredentialLookup | undefined;
  readonly scram?: ScramServerOptions;
  /** OAUTHBEARER's token check; required when OAUTHBEARER is enabled. */
  readonly oauthBearerValidator?: OAuthBearerValidator | undefined;
}

export class SaslAuthenticator {
  readonly enabledMechanisms: readonly string[];
  private readonly opts: SaslAuthenticatorOptions;

  constructor(opts: SaslAuthenticatorOptions) {
    for (const name of opts.enabledMechanisms) {
      if (!(SUPPORTED_SASL_MECHANISMS as readonly string[]).includes(name)) {
        throw new UnsupportedSaslMechanismError(`SASL mechanism ${name} is not supported (supported: ${SUPPORTED_SASL_MECHANISMS.join(', ')})`);
      }
      if (name === 'PLAIN' && opts.plainUsers === undefined) throw new UnsupportedSaslMechanismError('PLAIN is enabled but no PLAIN users are configured');
      if (name === 'OAUTHBEARER' && opts.oauthBearerValidator === undefined) throw new UnsupportedSaslMechanismError('OAUTHBEARER is enabled without a token validator');
      if (name.startsWith('SCRAM-') && opts.scramCredentials === undefined) throw new UnsupportedSaslMechanismError(`${name} is enabled without a SCRAM credential store`);
    }
    this.enabledMechanisms = [...opts.enabledMechanisms];
    this.opts = opts;
  }

  /** A fresh exchange for `mechanism`; UnsupportedSaslMechanismError when it is not enabled. */
  create(mechanism: string): SaslServer {
    if (!this.enabledMechanisms.includes(mechanism)) {
      throw new UnsupportedSaslMechanismError(`Unsupported SASL mechanism ${mechanism}; enabled: ${this.enabledMechanisms.join(', ')}`);
    }
    if (mechanism === 'PLAIN') return new PlainServer(this.opts.plainUsers!);
    if (mechanism === 'OAUTHBEARER') return new OAuthBearerServer(this.opts.oauthBearerValidator!);
    return new ScramServer(scramMechanism(mechanism)!, this.opts.scramCredentials!, this.opts.scram);
  }
}
